"""The operator's commands: create a user, issue an API token that then authenticates."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from opencse.security.models import User


@pytest.mark.django_db
def test_an_operator_creates_an_officer_and_issues_a_token_that_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCSE_PASSWORD", "a-long-enough-password")
    call_command(
        "createuser",
        "--role",
        "seo1",
        "--username",
        "dana",
        "--office",
        "HIN",
        "--office-name",
        "Hinds",
        stdout=io.StringIO(),
    )
    out = io.StringIO()

    call_command("issuetoken", "--username", "dana", "--label", "county interface", stdout=out)

    token = out.getvalue().strip()
    assert User.objects.get(username="dana").role == "seo1"
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
