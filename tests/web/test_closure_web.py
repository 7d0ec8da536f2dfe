"""The closure pages (45 CFR 303.11): the criteria the facts meet, a refusal beside the criterion, the notice
sent from the page, the response that keeps the case open, reopening. Dates are in 2025-2026 (past on any
day the suite runs), passed in the forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from opencse.cases.models import Case
from opencse.closure.models import Closure, Status
from opencse.security.roles import Role
from tests.web.conftest import Family, signed_in

pytestmark = pytest.mark.django_db

NOTICE = {"action": "close", "criterion": "b1", "proposed_on": "2026-06-01", "arrears": "120.00",
          "note": "Order ended when the child turned 21; $120 left."}  # fmt: skip


@pytest.fixture
def officer(family: Family) -> Client:
    client = Client()
    client.force_login(family.officer)
    return client


def test_the_case_page_links_to_closure(officer: Client, family: Family) -> None:
    page = officer.get(f"/cases/{family.case.number}/").content.decode()
    assert f"/cases/{family.case.number}/closure/" in page and "Close or reopen (45 CFR 303.11)" in page
    assert f"/cases/{family.case.number}/close/" in page  # the existing form stays


def test_check_shows_each_criterion_with_its_reason(officer: Client, family: Family) -> None:
    answer = officer.post(f"/cases/{family.case.number}/closure/",
                          {**NOTICE, "action": "check", "arrears": "500.00"})  # fmt: skip
    page = answer.content.decode()
    assert answer.status_code == 200
    # (b)(1): no current order and arrears under $500; $500.00 is not under it.
    assert "arrears $500.00 are not under $500.00 and are enforceable" in page
    assert "45 CFR 303.11(b)(21)" in page
    assert not Closure.objects.exists()


def test_a_criterion_not_met_is_refused_beside_the_field(officer: Client, family: Family) -> None:
    answer = officer.post(f"/cases/{family.case.number}/closure/", {**NOTICE, "arrears": "500.00"})
    assert answer.status_code == 400
    assert 'id="id_criterion-error"' in answer.content.decode()
    assert not Closure.objects.exists()


def test_notice_then_response_keeps_the_case_open(officer: Client, family: Family) -> None:
    answer = officer.post(f"/cases/{family.case.number}/closure/", NOTICE)
    assert answer.status_code == 302
    closure = Closure.objects.get()
    assert (closure.status, closure.closes_on) == (Status.PENDING, date(2026, 7, 31))  # 60 calendar days
    page = officer.get(f"/cases/{family.case.number}/closure/").content.decode()
    assert "closes on or after 07/31/2026" in page
    answer = officer.post(f"/cases/{family.case.number}/closure/response/",
                          {"received_on": "2026-06-20", "could_lead_to_action": "on",
                           "note": "New address for the obligor."})  # fmt: skip
    assert answer.status_code == 302
    closure.refresh_from_db()
    assert closure.status == Status.STOPPED
    assert Case.objects.get(pk=family.case.pk).is_open


def test_close_now_then_reopen(officer: Client, family: Family) -> None:
    answer = officer.post(f"/cases/{family.case.number}/closure/",
                          {"action": "close", "criterion": "b12", "proposed_on": "2026-06-01",
                           "recipient_requested_closure": "on", "note": "Asked in writing."})  # fmt: skip
    assert answer.status_code == 302
    assert Case.objects.get(pk=family.case.pk).closed_on == date(2026, 6, 1)
    early = officer.post(f"/cases/{family.case.number}/closure/reopen/",
                         {"reopened_on": "2026-05-31", "reason": "New application."})  # fmt: skip
    assert early.status_code == 400 and 'id="id_reopened_on-error"' in early.content.decode()
    answer = officer.post(f"/cases/{family.case.number}/closure/reopen/",
                          {"reopened_on": "2026-06-15", "reason": "New application."})  # fmt: skip
    assert answer.status_code == 302
    assert Case.objects.get(pk=family.case.pk).is_open


def test_a_technician_may_not(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)
    assert client.get(f"/cases/{family.case.number}/closure/").status_code == 403
