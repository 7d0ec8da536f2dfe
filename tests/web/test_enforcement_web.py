"""The income withholding pages: the obligor's verified employers, the order explained, sent, amended, ended."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opencse.enforcement.models import Action, IncomeWithholding
from opencse.people.services import add_employment
from opencse.security.roles import Role
from tests.ledger.helpers import case_with_order
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _case_with_employer() -> tuple[object, object, object]:
    from tests import factories

    officer = factories.user(Role.OFFICER_1, username="iwo-officer")
    case, order = case_with_order(officer, monthly="500.00")
    obligor = order.terms.get().obligor
    job = add_employment(actor=officer, person=obligor, employer_name="Gulf Coast Shipbuilding", verified=True,
                         city="Pascagoula", state="MS")  # fmt: skip
    return officer, case, job


def test_the_page_lists_the_verified_employer_and_the_order_explained_before_it_is_sent() -> None:
    _, case, job = _case_with_employer()
    client = signed_in(Role.OFFICER_1, username="iwo-web-1")

    listing = client.get(f"/cases/{case.number}/withholding/").content.decode()
    preview = client.get(f"/cases/{case.number}/withholding/employers/{job.pk}/").content.decode()

    assert "Gulf Coast Shipbuilding" in listing and "Prepare the order" in listing
    assert "$500.00 a month" in preview  # current child support, no arrears owed yet on the ledger
    assert "How these amounts were computed" in preview and "42 U.S.C. 666(b)(1)" in preview


def test_sending_the_order_stores_it_and_shows_it_in_force_with_its_form() -> None:
    _, case, job = _case_with_employer()
    client = signed_in(Role.OFFICER_1, username="iwo-web-2")
    today = timezone.localdate()

    sent = client.post(f"/cases/{case.number}/withholding/employers/{job.pk}/", {"dated_on": today.isoformat()})

    assert sent.status_code == 302
    withholding = IncomeWithholding.objects.get()
    listing = client.get(f"/cases/{case.number}/withholding/").content.decode()
    assert "In force" in listing and f"/documents/{withholding.document_id}.pdf" in listing
    assert "Amend or end" in listing


def test_a_future_date_comes_back_beside_the_date_field() -> None:
    _, case, job = _case_with_employer()
    client = signed_in(Role.OFFICER_1, username="iwo-web-3")

    refused = client.post(f"/cases/{case.number}/withholding/employers/{job.pk}/",
                          {"dated_on": (timezone.localdate() + timedelta(days=3)).isoformat()})  # fmt: skip

    assert refused.status_code == 400
    assert "cannot be in the future" in refused.content.decode()
    assert not IncomeWithholding.objects.exists()


def test_ending_the_order_needs_a_reason_then_sends_a_termination() -> None:
    officer, case, job = _case_with_employer()
    from opencse.enforcement.services import issue_income_withholding

    first = issue_income_withholding(actor=officer, case=case, employment=job, dated_on=date(2026, 3, 2))
    client = signed_in(Role.OFFICER_1, username="iwo-web-4")
    url = f"/cases/{case.number}/withholding/{first.pk}/change/"
    today = timezone.localdate().isoformat()

    missing = client.post(url, {"action": "terminate", "dated_on": today, "reason": ""})
    ended = client.post(url, {"action": "terminate", "dated_on": today, "reason": "No longer works there"})

    assert missing.status_code == 400 and "This field is required" in missing.content.decode()
    assert ended.status_code == 302
    assert IncomeWithholding.objects.filter(action=Action.TERMINATION, replaces=first).exists()


def test_an_auditor_sees_the_orders_but_may_not_prepare_one() -> None:
    _, case, job = _case_with_employer()
    auditor = signed_in(Role.AUDITOR, username="iwo-web-5")

    assert auditor.get(f"/cases/{case.number}/withholding/").status_code == 200
    assert auditor.get(f"/cases/{case.number}/withholding/employers/{job.pk}/").status_code == 403


def _swept_case() -> object:
    from opencse.enforcement.sweep import sweep
    from opencse.ledger.accrual import accrue, roll_over
    from tests import factories

    officer = factories.user(Role.OFFICER_1, username="sweep-officer")
    case, _ = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 6, 30))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)):
        roll_over(month_ending=month_end)
    sweep(as_of=date(2026, 6, 1))
    return case


def test_the_approval_queue_lists_the_proposed_actions_and_an_seo2_approves_one_with_its_notice() -> None:
    from opencse.enforcement.models import ActionStatus, EnforcementAction

    case = _swept_case()
    seo2 = signed_in(Role.OFFICER_2, username="queue-seo2")
    action = EnforcementAction.objects.get(case=case, remedy="lien")

    queue = seo2.get("/approvals/").content.decode()
    page = seo2.get(f"/cases/{case.number}/enforcement/{action.pk}/").content.decode()
    approval = {"decision": "approve", "decided_on": "2026-06-02", "service_method": "mail", "note": ""}
    decided = seo2.post(f"/cases/{case.number}/enforcement/{action.pk}/decide/", approval)

    assert "Enforcement actions waiting for approval" in queue and "Lien on real and personal property" in queue
    assert "Why it was proposed" in page and "42 U.S.C. 666(a)(4)" in page
    assert decided.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.NOTICED and action.notice_id is not None


def test_a_wrong_service_method_and_a_missing_date_come_back_together_beside_their_fields() -> None:
    from opencse.enforcement.models import EnforcementAction

    case = _swept_case()
    seo2 = signed_in(Role.OFFICER_2, username="queue-seo2-errors")
    action = EnforcementAction.objects.get(case=case, remedy="financial_institution_levy")

    refused = seo2.post(f"/cases/{case.number}/enforcement/{action.pk}/decide/",
                        {"decision": "approve", "decided_on": "", "service_method": "mail"})  # fmt: skip
    wrong_method = seo2.post(f"/cases/{case.number}/enforcement/{action.pk}/decide/",
                             {"decision": "approve", "decided_on": "2026-06-02", "service_method": "mail"})  # fmt: skip

    assert refused.status_code == 400 and "Date of the decision" in refused.content.decode()
    assert wrong_method.status_code == 400
    assert "this notice is served by certified mail" in wrong_method.content.decode()


def test_taking_an_action_before_the_window_ends_is_refused_beside_the_date() -> None:
    from opencse.enforcement.actions import approve_action
    from opencse.enforcement.models import EnforcementAction
    from tests import factories

    case = _swept_case()
    action = EnforcementAction.objects.get(case=case, remedy="credit_bureau_reporting")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-web"), action=action,
                   decided_on=date(2026, 6, 2), service_method="mail")  # fmt: skip
    officer = signed_in(Role.OFFICER_1, username="take-officer")

    early = officer.post(f"/cases/{case.number}/enforcement/{action.pk}/take/", {"taken_on": "2026-06-20", "note": ""})

    assert early.status_code == 400
    assert "must be after the contest window, which ends 07/02/2026" in early.content.decode()


def test_a_lump_sum_order_shows_every_error_at_once_then_is_sent_and_listed_once() -> None:
    from opencse.ledger.accrual import accrue, roll_over

    _, case, job = _case_with_employer()
    accrue(through=date(2026, 5, 31))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)):
        roll_over(month_ending=month_end)  # $2,000.00 past due on May 4, 2026
    client = signed_in(Role.OFFICER_1, username="iwo-web-lump")
    url = f"/cases/{case.number}/withholding/employers/{job.pk}/lump-sum/"

    page = client.get(url).content.decode()
    incomplete = client.post(url, {"dated_on": "", "amount": "12.345", "payment": " "})
    too_much = client.post(url, {"dated_on": "2026-05-04", "amount": "2000.01", "payment": "Bonus"})
    sent = client.post(url, {"dated_on": "2026-05-04", "amount": "", "payment": "Annual safety bonus"})

    assert "Leave the amount blank to claim all of it" in page
    assert incomplete.status_code == too_much.status_code == 400
    body = incomplete.content.decode()
    # The three fields at once, each beside its field and in the summary above the form.
    assert body.count("This field is required") == 4 and "decimal places" in body
    assert "at most the arrears owed, $2,000.00" in too_much.content.decode()
    assert sent.status_code == 302
    lump = IncomeWithholding.objects.get(action=Action.LUMP_SUM)
    listing = client.get(f"/cases/{case.number}/withholding/").content.decode()
    assert "$2,000.00 once" in listing and "Annual safety bonus" in listing and lump.lump_sum == 2000
