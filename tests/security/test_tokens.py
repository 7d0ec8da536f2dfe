"""API tokens expire (90 days unless `--days`) and can be revoked; both are checked on every request."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from opencse.errors import InvalidInput
from opencse.security.models import ApiToken, AuditEvent, User
from opencse.security.roles import Role
from opencse.security.services import issue_api_token
from tests import factories


def _works(token: str) -> bool:
    status = Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
    assert status in (200, 401)
    return status == 200


def _issue(username: str, *arguments: str) -> str:
    out = io.StringIO()
    call_command("issuetoken", "--username", username, "--label", "county interface", *arguments, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_a_token_expires_after_ninety_days_unless_told_otherwise(officer: User) -> None:
    token = _issue(officer.username)
    row = ApiToken.objects.get()

    assert timedelta(days=90) - timedelta(minutes=1) < row.expires_at - timezone.now() <= timedelta(days=90)
    assert _works(token)

    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not _works(token)


@pytest.mark.django_db
def test_issuetoken_days_sets_the_lifetime_within_a_year(officer: User) -> None:
    _issue(officer.username, "--days", "7")

    assert ApiToken.objects.get().expires_at - timezone.now() <= timedelta(days=7)
    with pytest.raises(CommandError, match="days: a token lasts 1 to 365 days, not 0"):
        _issue(officer.username, "--days", "0")
    with pytest.raises(InvalidInput):
        issue_api_token(user=officer, label="forever", days=100_000)


@pytest.mark.django_db
def test_revoketoken_by_user_and_label_stops_the_token_on_its_next_request(officer: User) -> None:
    kept = _issue(officer.username)
    call_command("issuetoken", "--username", officer.username, "--label", "old batch", stdout=io.StringIO())
    revoked = ApiToken.objects.get(label="old batch")
    out = io.StringIO()

    call_command("revoketoken", "--username", officer.username, "--label", "old batch", stdout=out)

    assert out.getvalue().strip() == "Revoked 1 token."
    assert ApiToken.objects.get(pk=revoked.pk).revoked_at is not None
    assert _works(kept)
    assert AuditEvent.objects.filter(action="user.token_revoked", target_id=str(officer.pk)).count() == 1


@pytest.mark.django_db
def test_revoketoken_by_the_token_itself(officer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    token = _issue(officer.username)
    monkeypatch.setenv("OPENCSE_TOKEN", token)

    call_command("revoketoken", stdout=io.StringIO())

    assert not _works(token)
    with pytest.raises(CommandError, match="No valid token matched"):
        call_command("revoketoken", stdout=io.StringIO())


@pytest.mark.django_db
def test_an_administrator_revokes_a_users_tokens_over_the_api(officer: User) -> None:
    token = _issue(officer.username)
    admin = factories.user(Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)

    answer = client.post("/api/v1/tokens/revoke", {"username": officer.username}, content_type="application/json")

    assert answer.status_code == 200
    assert answer.json() == {"revoked": 1}
    assert not _works(token)
    event = AuditEvent.objects.get(action="user.token_revoked")
    assert event.actor == admin


@pytest.mark.django_db
def test_only_an_administrator_may_revoke_tokens_over_the_api(officer: User) -> None:
    _issue(officer.username)
    client = Client()
    client.force_login(officer)

    answer = client.post("/api/v1/tokens/revoke", {"username": officer.username}, content_type="application/json")

    assert answer.status_code == 403
    assert ApiToken.objects.get().revoked_at is None
