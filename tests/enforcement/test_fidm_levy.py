"""The financial institution levy taken on the accounts the data match found: the Notice/Order to Withhold and
Deliver for the arrears owed that day (never more), refused for an SSI recipient (45 CFR 307.11(c)(3)(i)) and under
a bankruptcy stay; the institution's answer recorded; the release sent when the levy is released."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from opencse.enforcement.actions import approve_action, record_service, release_action, take_action
from opencse.enforcement.facts import obligor_on_case, record_bankruptcy_stay, record_ssi
from opencse.enforcement.fidm import accounts_of_obligor, import_fidm_file, record_levy_answer
from opencse.enforcement.fidm_models import FinancialAccount, LevyAnswer, LevyOrder
from opencse.enforcement.models import ActionStatus, BankruptcyStay, EnforcementAction
from opencse.enforcement.selectors import arrears_owed
from opencse.enforcement.sweep import sweep
from opencse.errors import Conflict, InvalidInputs
from opencse.people.services import update_person
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.fidm_helpers import b_record, match_file
from tests.enforcement.test_agreements_and_release import JULY_1, _behind
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
TAKEN = date(2026, 7, 24)


def _levy_ready(officer: Any, *, balance: str = "5000") -> tuple[Any, EnforcementAction, FinancialAccount]:
    """$3,000.00 of arrears; the obligor's savings account matched with $5,000; the levy noticed and its contest
    window over (served 07/03, 20 days: ends 07/23)."""
    case = _behind(officer)
    update_person(actor=officer, person=obligor_on_case(case), ssn="512-34-9876")
    import_fidm_file(actor=officer, text=match_file(b_record(balance=balance)), filename="q3.txt",
                     received_on=date(2026, 7, 1))  # fmt: skip
    sweep(as_of=JULY_1)
    levy = EnforcementAction.objects.get(case=case, remedy="financial_institution_levy")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-levy"), action=levy,
                   decided_on=date(2026, 7, 2), service_method="certified_mail")  # fmt: skip
    record_service(actor=officer, action=levy, served_on=date(2026, 7, 3))
    return case, levy, FinancialAccount.objects.get()


def test_the_order_claims_the_arrears_owed_that_day_never_the_larger_balance(officer: Any) -> None:
    case, levy, account = _levy_ready(officer)

    taken = take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])

    assert taken.status == ActionStatus.TAKEN
    order = LevyOrder.objects.get(action=levy)
    assert order.amount == arrears_owed(case, on=TAKEN) == Decimal("3000.00")
    assert (order.last_balance, order.last_balance_on) == (Decimal("5000.00"), date(2026, 7, 1))
    assert order.document.kind == "withhold_and_deliver_order"
    text = pdf_text(order.document.pdf)
    assert "$3,000.00" in text and "$5,000.00" in text and "ending 6789" in text
    assert "42 U.S.C. 666(a)(17)" in text and "STATE DISBURSEMENT UNIT" in text
    assert "000123456789" not in text
    assert AuditEvent.objects.filter(action="levy.order_sent", target_id=str(order.pk)).exists()


def test_a_levy_is_taken_only_on_the_obligors_matched_accounts(officer: Any) -> None:
    _, levy, _ = _levy_ready(officer)

    with pytest.raises(InvalidInputs) as none:
        take_action(actor=officer, action=levy, taken_on=TAKEN)
    with pytest.raises(InvalidInputs) as other:
        take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[999999])

    assert none.value.errors[0].field == "accounts" and other.value.errors[0].field == "accounts"
    levy.refresh_from_db()
    assert levy.status == ActionStatus.NOTICED and not LevyOrder.objects.exists()


def test_an_ssi_recipients_account_is_not_levied(officer: Any) -> None:
    case, levy, account = _levy_ready(officer)
    # Recorded in advance (it starts after today's business date), so nothing is stopped when it is recorded.
    record_ssi(actor=officer, case=case, receiving_from=date(2026, 7, 20), verified_how="ssa_letter",
               recorded_on=date(2026, 7, 10))  # fmt: skip

    with pytest.raises(Conflict, match=r"307\.11\(c\)\(3\)\(i\)"):
        take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])

    levy.refresh_from_db()
    assert levy.status == ActionStatus.NOTICED and not LevyOrder.objects.exists()


def test_a_levy_waits_under_a_bankruptcy_stay(officer: Any) -> None:
    case, levy, account = _levy_ready(officer)
    # A stay the officer records withdraws the levy at once (enforcement.facts); one on file by another route (no
    # stop run) is refused when the levy is taken.
    BankruptcyStay.objects.create(obligor=obligor_on_case(case), petition_filed_on=date(2026, 7, 22), chapter="13",
                                  court="U.S. Bankruptcy Court, Southern District of Mississippi",
                                  court_case_number="26-04321-JAW", recorded_by=officer)  # fmt: skip

    with pytest.raises(Conflict, match="bankruptcy stay"):
        take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])
    assert not LevyOrder.objects.exists()

    record_bankruptcy_stay(actor=officer, case=case, petition_filed_on=date(2026, 7, 22), chapter="7",
                           court="U.S. Bankruptcy Court, Southern District of Mississippi",
                           court_case_number="26-04322-JAW", recorded_on=date(2026, 7, 23))  # fmt: skip
    levy.refresh_from_db()
    assert levy.status == ActionStatus.WITHDRAWN
    with pytest.raises(Conflict):
        take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])


def test_the_institutions_answer_is_recorded_once_and_never_above_the_order(officer: Any) -> None:
    _, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])
    order = LevyOrder.objects.get()

    with pytest.raises(InvalidInputs) as refused:
        record_levy_answer(actor=officer, order=order, answered_on=date(2026, 7, 20), answer="surrendered",
                           amount=Decimal("3000.01"))  # fmt: skip
    assert {e.field for e in refused.value.errors} == {"answered_on", "amount"}

    answered = record_levy_answer(actor=officer, order=order, answered_on=date(2026, 8, 10), answer="surrendered",
                                  amount=Decimal("3000.00"), note="Check 4410 to the SDU")  # fmt: skip

    assert (answered.answer, answered.answer_amount) == (LevyAnswer.SURRENDERED, Decimal("3000.00"))
    assert AuditEvent.objects.filter(action="levy.answered", target_id=str(order.pk)).exists()
    with pytest.raises(Conflict):
        record_levy_answer(actor=officer, order=order, answered_on=date(2026, 8, 11), answer="closed")


def test_an_answer_of_nothing_holds_no_amount_and_gets_no_release(officer: Any) -> None:
    _, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])
    order = LevyOrder.objects.get()

    record_levy_answer(actor=officer, order=order, answered_on=date(2026, 8, 1), answer="closed")
    release_action(actor=officer, action=levy, released_on=date(2026, 8, 5), reason="Nothing to levy")

    order.refresh_from_db()
    assert order.answer_amount is None and order.release_document_id is None


def test_releasing_the_levy_sends_the_release_to_the_institution(officer: Any) -> None:
    _, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])

    release_action(actor=officer, action=levy, released_on=date(2026, 8, 5), reason="Paid in full")

    order = LevyOrder.objects.select_related("release_document").get()
    assert order.released_on == date(2026, 8, 5)
    assert order.release_document is not None and order.release_document.kind == "withhold_and_deliver_release"
    text = pdf_text(order.release_document.pdf)
    assert "released" in text and "Paid in full" in text and "ending 6789" in text


def test_the_accounts_shown_are_masked_and_the_read_is_audited(officer: Any) -> None:
    case, _, _ = _levy_ready(officer)

    [shown] = accounts_of_obligor(viewer=officer, case=case, obligor=obligor_on_case(case))

    assert shown.account.account_masked == "****6789"
    assert (shown.last_balance, shown.type_label) == (Decimal("5000.00"), "Savings")
    event = AuditEvent.objects.get(action="fidm.accounts_read")
    assert event.case_number == case.number and event.actor_id == officer.pk


def test_a_levy_stopped_by_ssi_is_released_to_the_institution_when_the_ssi_is_recorded(officer: Any) -> None:
    case, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=TAKEN, accounts=[account.pk])

    record_ssi(actor=officer, case=case, receiving_from=date(2026, 7, 1), verified_how="ssa_letter",
               recorded_on=date(2026, 7, 28))  # fmt: skip

    levy.refresh_from_db()
    assert levy.status == ActionStatus.RELEASED
    order = LevyOrder.objects.select_related("release_document").get()
    assert order.released_on == date(2026, 7, 28) and order.release_document is not None
    assert "SSI" in pdf_text(order.release_document.pdf)
    call_command("enforcement", "sweep", "--as-of", "2026-07-29")  # nothing is sent twice
    assert LevyOrder.objects.get().release_document_id == order.release_document_id
