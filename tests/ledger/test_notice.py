"""The notice of support debt states the debt by account and never carries a protected address."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.notice import PROTECTED_MAILING, notice_pdf, support_debt
from opencse.people.services import add_address, set_family_violence
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text


@pytest.mark.django_db
def test_the_notice_states_the_debt_by_account_and_the_mailing_address(officer: object) -> None:
    case, order = case_with_order(officer, monthly="300.00")
    obligor = order.terms.get().obligor
    add_address(actor=officer, person=obligor, line1="42 Pearl Street", city="Jackson", state="MS", postal_code="39201")
    accrue(through=date(2026, 2, 28))
    roll_over(month_ending=date(2026, 1, 31))

    debt = support_debt(case=case, as_of=date(2026, 2, 28))
    text = pdf_text(notice_pdf(debt, issued_by="Officer Test", issued_on=date(2026, 3, 2)))

    assert debt.by_account == {"current_support": Decimal("300.00"), "never_assigned": Decimal("300.00")}
    assert "42 Pearl Street" in text
    assert "$600.00" in text


@pytest.mark.django_db
def test_a_protected_obligors_address_never_reaches_the_notice(officer: object, supervisor: object) -> None:
    case, order = case_with_order(officer, monthly="300.00")
    obligor = order.terms.get().obligor
    add_address(actor=officer, person=obligor, line1="42 Pearl Street", city="Jackson", state="MS", postal_code="39201")
    set_family_violence(actor=officer, person=obligor, protected=True)

    text = pdf_text(
        notice_pdf(support_debt(case=case, as_of=date(2026, 2, 28)), issued_by="x", issued_on=date(2026, 3, 2))
    )

    assert "Pearl" not in text
    assert PROTECTED_MAILING.split(":")[0] in text
