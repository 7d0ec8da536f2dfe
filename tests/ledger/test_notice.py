"""The notice of support debt states the debt by account and never carries a protected address."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.models import Account, EntryKind, LedgerEntry
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


@pytest.mark.django_db
def test_a_notice_to_an_obligor_in_credit_calls_it_a_credit_names_the_agency_and_dates_as_a_letter(
    officer: object,
) -> None:
    """Issue #19: the notice told an obligor he owed "$-435.00", named no agency and used ISO dates.
    $300.00 charged for January 2026 and a $735.00 adjustment in the obligor's favour leave a credit of $435.00."""
    case, _ = case_with_order(officer, monthly="300.00")
    accrue(through=date(2026, 1, 31))
    LedgerEntry.objects.create(case=case, account=Account.CURRENT_SUPPORT, kind=EntryKind.ADJUSTMENT,
                               amount=Decimal("-735.00"), effective_on=date(2026, 1, 20),
                               source_key="test-notice:credit", memo="test credit")  # fmt: skip

    debt = support_debt(case=case, as_of=date(2026, 1, 31))
    text = pdf_text(notice_pdf(debt, issued_by="Officer Test", issued_on=date(2026, 2, 2)))

    assert debt.total == Decimal("-435.00")
    assert "$-435.00" not in text and "-$435.00" not in text
    assert "Credit in your favor $435.00" in text and "You owe nothing on this date" in text
    assert "OpenCSE Demonstration Child Support Agency" in text  # settings.OPENCSE_AGENCY_NAME (demo default)
    assert "February 2, 2026" in text and "January 31, 2026" in text
    assert "2026-02-02" not in text and "2026-01-31" not in text
