"""The benefit intercept pages, from the income withholding page: record a claim, see the amount explained, send
the intercept, end it. Dates are relative to the agency's today (the forms refuse future dates)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opencse.enforcement.intercept_models import BenefitClaim, BenefitIntercept
from opencse.ledger.accrual import accrue, roll_over
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _owing_since_four_months() -> tuple[object, date]:
    """$500.00 a month from the first of the month four months ago, nothing paid, the past months rolled over."""
    today = timezone.localdate()
    first = today.replace(day=1)
    start = first
    for _ in range(4):
        start = (start - timedelta(days=1)).replace(day=1)
    officer = factories.user(Role.OFFICER_1, username="ui-officer")
    case, _ = case_with_order(officer, monthly="500.00", starts_on=start)
    accrue(through=today)
    month_end = start
    while True:
        month_end = (month_end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if month_end >= first:
            break
        roll_over(month_ending=month_end)
        month_end += timedelta(days=1)
    return case, today


def test_an_officer_records_a_claim_intercepts_it_by_legal_process_and_ends_it() -> None:
    case, today = _owing_since_four_months()
    client = signed_in(Role.OFFICER_1, username="ui-web-1")

    form = client.get(f"/cases/{case.number}/withholding/benefits/new/")
    recorded = client.post(f"/cases/{case.number}/withholding/benefits/new/", {
        "kind": "unemployment", "weekly_benefit_amount": "235.00",
        "starts_on": (today - timedelta(days=14)).isoformat(), "claim_number": "UI-77",
    })  # fmt: skip

    assert form.status_code == 200 and recorded.status_code == 302
    claim = BenefitClaim.objects.get()
    listing = client.get(f"/cases/{case.number}/withholding/").content.decode()
    assert "Mississippi Department of Employment Security" in listing and "$235.00" in listing
    preview = client.get(f"/cases/{case.number}/withholding/benefits/{claim.pk}/intercept/").content.decode()
    assert "not being met" in preview and "45 CFR 302.65(c)(2)" in preview

    refused = client.post(f"/cases/{case.number}/withholding/benefits/{claim.pk}/intercept/",
                          {"basis": "agreement", "dated_on": today.isoformat()})  # fmt: skip
    assert refused.status_code == 400 and "enter the weekly amount the obligor agreed to" in refused.content.decode()

    sent = client.post(f"/cases/{case.number}/withholding/benefits/{claim.pk}/intercept/",
                       {"basis": "legal_process", "dated_on": today.isoformat()})  # fmt: skip
    assert sent.status_code == 302
    intercept = BenefitIntercept.objects.get()
    listing = client.get(f"/cases/{case.number}/withholding/").content.decode()
    assert "In force" in listing and f"/documents/{intercept.document_id}.pdf" in listing

    ended = client.post(f"/cases/{case.number}/withholding/benefits/intercepts/{intercept.pk}/end/",
                        {"dated_on": today.isoformat(), "reason": "The obligor returned to work."})  # fmt: skip
    assert ended.status_code == 302 and BenefitIntercept.objects.filter(action="TRM").count() == 1
    claim_end = client.post(f"/cases/{case.number}/withholding/benefits/{claim.pk}/end/",
                            {"ended_on": today.isoformat(), "note": "returned to work"})  # fmt: skip
    assert claim_end.status_code == 302
    claim.refresh_from_db()
    assert claim.ends_on == today


def test_an_auditor_sees_the_claims_but_may_not_record_one() -> None:
    case, _ = _owing_since_four_months()
    auditor = signed_in(Role.AUDITOR, username="ui-auditor")
    assert auditor.get(f"/cases/{case.number}/withholding/").status_code == 200
    assert auditor.get(f"/cases/{case.number}/withholding/benefits/new/").status_code == 403
