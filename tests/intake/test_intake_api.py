"""Intake over the API, through a client that enforces CSRF as a browser does: one referral as JSON (checked
by the file's reader, idempotent by program and referral id), an application, the queue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from opencse.intake.models import Referral
from opencse.security.roles import Role
from opencse.security.services import issue_api_token
from tests import factories
from tests.api.conftest import CsrfClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/intake/referrals"
REFERRAL = {
    "program": "IVE", "referral_id": "FC-3303", "assistance_unit_id": "AU-777", "referred_on": "2026-03-01",
    "received_on": "2026-03-02", "good_cause": "N",
    "custodial_party": {"last_name": "Baptiste", "first_name": "Renee", "date_of_birth": "1979-05-05",
                        "ssn": "234-56-7812", "sex": "F"},
    "noncustodial_parent": {"last_name": "Tull", "first_name": "Marcus", "sex": "M"},
    "children": [{"last_name": "Tull", "first_name": "Jada", "date_of_birth": "2016-09-30", "sex": "F"}],
}  # fmt: skip


def _client(role: Role = Role.OFFICER_1) -> CsrfClient:
    client = CsrfClient()
    client.force_login(factories.user(role))
    return client


def test_a_referral_sent_twice_is_queued_once_and_the_second_answer_says_so() -> None:
    client = _client()
    first = client.post(URL, REFERRAL, content_type="application/json")
    again = client.post(URL, REFERRAL, content_type="application/json")

    assert first.status_code == 201, first.content
    body = first.json()
    # 45 CFR 303.2(b): 20 calendar days from 03/02/2026, the day received
    assert (body["program"], body["case_opening_due"], body["created"]) == ("foster_care", "2026-03-22", True)
    assert again.status_code == 200
    assert again.json()["created"] is False and "nothing was opened twice" in again.json()["message"]
    assert Referral.objects.count() == 1


def test_a_session_write_without_the_csrf_token_is_refused() -> None:
    response = _client().post(URL, REFERRAL, content_type="application/json", csrf=False)
    assert response.status_code == 403
    assert Referral.objects.count() == 0


def test_a_bearer_token_integration_sends_a_referral_without_csrf() -> None:
    token = issue_api_token(user=factories.user(Role.OFFICER_1), label="assistance agency")
    response = CsrfClient().post(URL, REFERRAL, content_type="application/json", csrf=False,
                                 HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert response.status_code == 201, response.content


def test_every_refusal_of_a_referral_is_named_by_its_party() -> None:
    bad = json.loads(json.dumps(REFERRAL))
    bad["custodial_party"]["ssn"] = "000-12-3456"
    bad["children"][0]["date_of_birth"] = "2030-01-01"
    bad["program"] = "SNAP"
    response = _client().post(URL, bad, content_type="application/json")

    assert response.status_code == 400
    errors = {(error["field"], error["message"]) for error in response.json()["errors"]}
    assert (None, "the program 'SNAP' is not TANF, MEDICAID or IVE") in errors
    assert ("custodial_party", "the SSN is not a valid Social Security number") in errors
    assert ("children.0", "the date of birth 01/01/2030 is after the file was created") in errors


def test_an_application_over_the_api_and_the_queue() -> None:
    client = _client()
    response = client.post("/api/v1/intake/applications", {
        "received_on": "2026-03-02", "custodial_party": {"first_name": "Lena", "last_name": "Ortiz"},
        "children": [{"first_name": "Sam", "last_name": "Ortiz", "date_of_birth": "2020-02-02"}],
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    client.post(URL, REFERRAL, content_type="application/json")

    queue = client.get(URL).json()
    assert [(row["label"], row["case_opening_due"]) for row in queue] == [
        (f"Application {response.json()['id']}", "2026-03-22"), ("IVE referral FC-3303", "2026-03-22"),
    ]  # fmt: skip
    assert queue[0]["custodial_party"] == "Lena Ortiz"


def test_an_auditor_may_read_the_queue_but_not_send_a_referral(db: Any) -> None:
    client = _client(Role.AUDITOR)
    assert client.get(URL).status_code == 200
    assert client.post(URL, REFERRAL, content_type="application/json").status_code == 403
