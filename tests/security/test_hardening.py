"""Hardening for federal tax information (IRS Publication 1075, NIST SP 800-53): headers, idle timeout,
local API docs assets, rate limits, audited reads and the sign-in warning banner."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from opencse.security.middleware import CONTENT_SECURITY_POLICY
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories


def _signed_in(user: User) -> Client:
    client = Client()
    assert client.post("/signin/", {"username": user.username, "password": factories.PASSWORD}).status_code == 302
    return client


# Headers


@pytest.mark.django_db
def test_pages_and_api_answers_carry_a_self_only_content_security_policy_and_are_never_stored(officer: User) -> None:
    case, *_ = factories.family(officer)
    client, anonymous = _signed_in(officer), Client()
    visits = [(client, "/caseload/"), (client, f"/cases/{case.number}/"), (client, f"/api/v1/cases/{case.number}")]

    for visitor, url in [*visits, (anonymous, "/signin/"), (anonymous, "/api/docs")]:
        answer = visitor.get(url)
        assert answer.status_code == 200, url
        assert answer["Cache-Control"] == "no-store", url
        assert answer["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_no_page_carries_inline_script_or_style_the_policy_would_block(officer: User) -> None:
    case, *_ = factories.family(officer)
    page = _signed_in(officer).get(f"/cases/{case.number}/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert " style=" not in page
    assert re.search(r"\son[a-z]+=", page) is None
    assert '"includeIndicatorStyles":false' in page  # htmx would otherwise inject a <style> element


def test_production_settings_ask_browsers_for_https_only() -> None:
    environment = dict(os.environ, OPENCSE_SECRET_KEY="a-production-key", OPENCSE_TLS_PROXY="1")
    environment.pop("OPENCSE_DEBUG", None)
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from opencse import settings as s;"
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
            " s.SECURE_PROXY_SSL_HEADER)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert shown.stdout.strip() == "31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')"


# Idle timeout


@pytest.mark.django_db
def test_a_session_ends_after_fifteen_idle_minutes_and_each_request_renews_it(officer: User) -> None:
    client = _signed_in(officer)
    key = client.cookies["sessionid"].value

    def remaining() -> timedelta:
        return Session.objects.get(session_key=key).expire_date - timezone.now()

    assert timedelta(minutes=14) < remaining() <= timedelta(minutes=15)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/caseload/").status_code == 200
    assert timedelta(minutes=14) < remaining() <= timedelta(minutes=15)  # activity renews the session

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    answer = client.get("/caseload/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/signin/")


# API docs


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_assets_from_this_site() -> None:
    page = Client().get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)

    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert [asset for asset in assets if not asset.startswith("/static/")] == []
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


# Rate limits


@pytest.fixture
def low_limits(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.RATE_LIMITS_PER_MINUTE = {"signin": 3, "search": 2, "api": 4}
    monkeypatch.setattr("opencse.security.middleware.clock", lambda: 1_800_000_010.0)  # 50 s left in the minute


@pytest.mark.django_db
def test_sign_in_attempts_past_the_limit_are_refused_with_429(officer: User, low_limits: None) -> None:
    client = Client()
    for _ in range(3):
        assert client.post("/signin/", {"username": officer.username, "password": "wrong-password"}).status_code == 200

    refused = client.post("/signin/", {"username": officer.username, "password": factories.PASSWORD})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "Too many sign-in attempts from your address (at most 3 a minute). Wait 50 seconds" in (
        refused.content.decode()
    )
    assert client.get("/signin/").status_code == 200  # the page itself still shows


@pytest.mark.django_db
def test_api_requests_past_the_limit_are_refused_with_429_per_user(officer: User, low_limits: None) -> None:
    client, other = Client(), Client()
    client.force_login(officer)
    other.force_login(factories.user(Role.OFFICER_1, username="other-officer"))
    for _ in range(4):
        assert client.get("/api/v1/cases").status_code == 200

    refused = client.get("/api/v1/cases")

    assert refused.status_code == 429
    assert refused.json()["errors"][0]["message"].startswith("Too many API requests (at most 4 a minute).")
    assert other.get("/api/v1/cases").status_code == 200


@pytest.mark.django_db
def test_searches_past_the_limit_are_refused_with_429(officer: User, low_limits: None) -> None:
    client = Client()
    client.force_login(officer)
    for _ in range(2):
        assert client.get("/api/v1/people", {"last_name": "Moreno"}).status_code == 200

    refused = client.get("/api/v1/people", {"last_name": "Moreno"})

    assert refused.status_code == 429
    assert "Too many searches" in refused.json()["errors"][0]["message"]


# Audited reads


@pytest.mark.django_db
def test_reading_a_case_or_a_person_page_is_audited(officer: User) -> None:
    case, custodial, *_ = factories.family(officer)
    client = _signed_in(officer)
    person = custodial.person

    assert client.get(f"/cases/{case.number}/").status_code == 200
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/api/v1/cases/{case.number}").status_code == 200
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 200

    reads = AuditEvent.objects.filter(actor=officer, action__endswith=".viewed").order_by("id")
    assert [(event.action, event.target_id, event.case_number) for event in reads] == [
        ("case.viewed", str(case.pk), case.number),
        ("person.viewed", str(person.pk), ""),
        ("case.viewed", str(case.pk), case.number),
        ("person.viewed", str(person.pk), ""),
    ]
    assert all(event.before == {} and event.after == {} for event in reads)


# The warning banner


@pytest.mark.django_db
def test_the_sign_in_page_warns_of_authorized_use_monitoring_and_penalties() -> None:
    page = Client().get("/signin/").content.decode()
    notice = re.sub(r"\s+", " ", page.split('data-testid="use-notice"')[1].split("</div>\n    </div>")[0])

    for words in (
        "Authorized use only",
        "confidential child support information",
        "45 CFR 303.21 and 307.13",
        "monitored, recorded and audited",
        "you consent to this monitoring",
        "criminal and civil penalties",
        "26 U.S.C. 7213, 7213A and 7431",
    ):
        assert words in notice
