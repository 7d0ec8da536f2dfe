"""Sending an Income Withholding for Support to a verified employer, amending and ending it (45 CFR 303.100)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opencse.cases.services import close_case
from opencse.documents.services import open_document
from opencse.enforcement.models import Action, IncomeWithholding
from opencse.enforcement.selectors import arrears_over_12_weeks, withholding_preview
from opencse.enforcement.services import (
    amend_income_withholding,
    issue_income_withholding,
    terminate_income_withholding,
)
from opencse.errors import Conflict, InvalidInput, NotAuthorized
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.models import LedgerEntry
from opencse.people.models import Employment
from opencse.people.services import add_employment
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.work.models import Completion, Task, TaskKind
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
MAY_4 = date(2026, 5, 4)


def _with_arrears(officer: object) -> tuple[object, Employment]:
    """$500.00 a month since January 2026, nothing paid: $2,000.00 of arrears at the end of April."""
    case, order = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 5, 31))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)):
        roll_over(month_ending=month_end)
    obligor = order.terms.get().obligor
    employment = add_employment(
        actor=officer,
        person=obligor,
        employer_name="Gulf Coast Shipbuilding",
        fein="640123456",
        line1="100 Yard Road",
        city="Pascagoula",
        state="MS",
        postal_code="39567",
        verified=True,
    )
    return case, employment


def test_the_order_states_current_support_and_mississippis_20_percent_toward_arrears(officer: object) -> None:
    case, employment = _with_arrears(officer)

    withholding = issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)

    # $500.00 current; no payment on arrears in the order: 20% of current (Miss. Code Ann. 93-11-103) = $100.00.
    assert (withholding.action, withholding.current_child_support, withholding.past_due_child_support) == (
        Action.ORIGINAL,
        Decimal("500.00"),
        Decimal("100.00"),
    )
    assert (withholding.total_monthly, withholding.per_biweekly, withholding.per_weekly) == (
        Decimal("600.00"),
        Decimal("276.92"),
        Decimal("138.46"),
    )
    # January's support, unpaid, is older than the 12 weeks before May 4 (15 U.S.C. 1673(b)(2)).
    assert withholding.arrears_over_12_weeks is True
    assert (withholding.employer_fee, withholding.begin_within_days) == (Decimal("2.00"), 14)  # 93-11-111
    assert AuditEvent.objects.filter(action="income_withholding.original", target_id=str(withholding.pk)).exists()


def test_the_stored_form_carries_the_federal_forms_items_and_no_full_ssn(officer: object) -> None:
    case, employment = _with_arrears(officer)
    employment.person.ssn_last4 = "6789"
    employment.person.save(update_fields=["ssn_last4"])

    withholding = issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)
    text = pdf_text(open_document(viewer=officer, document_id=withholding.document_id).pdf)

    for item in [
        "Income Withholding for Support",
        "Original",
        "Date: May 4, 2026",
        f"Case ID: {case.number}",
        "Remittance ID",
        "Gulf Coast Shipbuilding",
        "640123456",
        "Boone, Curtis",
        "***-**-6789",
        "Moreno, Mateo",
        "$500.00 per month current child support",
        "$100.00 per month past-due child support",
        "Arrears greater than 12 weeks? Yes",
        "$276.92 per biweekly pay period",
        "$138.46 per weekly pay period",
        "$600.00 Total amount to withhold per month",
        "14 days after the date of this order",
        "within 7 working days of the pay date",
        "up to 50% of disposable income",
        "STATE DISBURSEMENT UNIT",
    ]:
        assert item in text, item


def test_old_arrears_paid_since_the_12_week_line_are_not_old_any_more(officer: object) -> None:
    case, _ = _with_arrears(officer)
    assert arrears_over_12_weeks(case, on=MAY_4)

    # A credit of everything owed on the 12-week line (February 9: January's $500.00), dated after it.
    LedgerEntry.objects.create(
        case=case, account="never_assigned", kind="adjustment", amount=Decimal("-500.00"), effective_on=date(2026, 3, 1)
    )

    assert not arrears_over_12_weeks(case, on=MAY_4)


def test_sending_the_order_completes_the_withholding_task_the_employers_verification_opened(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    obligor = case.members.get(role="noncustodial_parent").person
    today = timezone.localdate()
    employment = add_employment(actor=officer, person=obligor, employer_name="Delta Freight", verified=True)
    task = Task.objects.get(case=case, kind=TaskKind.INCOME_WITHHOLDING)
    assert task.completed_on is None

    issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=today)

    task.refresh_from_db()
    assert (task.completed_on, task.completion) == (today, Completion.BY_EVENT)


def test_an_unverified_or_ended_job_is_refused_naming_the_employment(officer: object) -> None:
    case, employment = _with_arrears(officer)
    Employment.objects.filter(pk=employment.pk).update(verified=False)

    with pytest.raises(InvalidInput) as refused:
        issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)
    assert refused.value.field == "employment"

    Employment.objects.filter(pk=employment.pk).update(verified=True, ended_on=date(2026, 4, 1))
    with pytest.raises(InvalidInput):
        issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)
    assert not IncomeWithholding.objects.exists()


def test_a_second_original_to_the_same_employer_is_refused_amend_instead(officer: object) -> None:
    case, employment = _with_arrears(officer)
    first = issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)

    with pytest.raises(Conflict):
        issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)

    amended = amend_income_withholding(
        actor=officer, withholding=first, dated_on=date(2026, 5, 11), reason="Arrears balance reviewed"
    )
    assert (amended.action, amended.replaces_id) == (Action.AMENDED, first.pk)
    with pytest.raises(Conflict):  # the original is no longer in force
        amend_income_withholding(actor=officer, withholding=first, dated_on=date(2026, 5, 12), reason="Again")


def test_a_termination_states_zero_and_ends_the_order(officer: object) -> None:
    case, employment = _with_arrears(officer)
    first = issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)

    ended = terminate_income_withholding(
        actor=officer, withholding=first, dated_on=date(2026, 5, 20), reason="The employee no longer works here"
    )

    assert (ended.action, ended.total_monthly, ended.per_biweekly) == (Action.TERMINATION, Decimal("0"), Decimal("0"))
    assert not ended.in_force
    first.refresh_from_db()
    assert not first.in_force
    with pytest.raises(Conflict):  # a termination is not an order in force: nothing to end again
        terminate_income_withholding(actor=officer, withholding=ended, dated_on=date(2026, 5, 21), reason="Again")


def test_an_amendment_without_a_reason_is_refused_naming_the_field(officer: object) -> None:
    case, employment = _with_arrears(officer)
    first = issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)

    with pytest.raises(InvalidInput) as refused:
        amend_income_withholding(actor=officer, withholding=first, dated_on=MAY_4, reason="  ")

    assert refused.value.field == "reason"


def test_a_future_date_a_closed_case_and_an_auditor_are_refused(officer: object) -> None:
    case, employment = _with_arrears(officer)

    with pytest.raises(InvalidInput) as refused:
        issue_income_withholding(
            actor=officer, case=case, employment=employment, dated_on=timezone.localdate() + timedelta(days=1)
        )
    assert refused.value.field == "dated_on"
    with pytest.raises(NotAuthorized):
        issue_income_withholding(actor=factories.user(Role.AUDITOR), case=case, employment=employment, dated_on=MAY_4)
    close_case(actor=officer, case=case, reason="b14", closed_on=date(2026, 5, 1), note="Recipient asked")
    with pytest.raises(Conflict):
        issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)
    assert not IncomeWithholding.objects.exists()


def test_another_persons_job_is_refused(officer: object) -> None:
    case, _ = _with_arrears(officer)
    stranger = factories.person(officer, first_name="Lena", last_name="Park")
    job = add_employment(actor=officer, person=stranger, employer_name="Somewhere Else", verified=True)

    with pytest.raises(InvalidInput) as refused:
        withholding_preview(case=case, employment=job, on=MAY_4)

    assert refused.value.field == "employment"


def test_an_order_to_an_employer_in_another_state_is_recorded_as_sent_directly_under_uifsa_501(officer: object) -> None:
    case, in_state = _with_arrears(officer)
    texas = add_employment(actor=officer, person=in_state.person, employer_name="Port Arthur Refining",
                           city="Port Arthur", state="TX", postal_code="77640", verified=True)  # fmt: skip

    here = issue_income_withholding(actor=officer, case=case, employment=in_state, dated_on=MAY_4)
    there = issue_income_withholding(actor=officer, case=case, employment=texas, dated_on=MAY_4)

    assert (here.direct_to_state, there.direct_to_state) == ("", "TX")
    last = there.explanation[-1]
    assert last["value"] == "TX" and last["reference"].startswith("Miss. Code Ann. 93-25-501")
    assert not any("93-25-501" in line["reference"] for line in here.explanation)
