"""Money held as future support pays each month's support when it comes due (45 CFR 302.51(b))."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.accrual import accrue
from opencse.ledger.held import apply_held_support
from opencse.ledger.models import CollectionShare, Payee
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection
from opencse.ledger.verify import verify_ledger
from tests.ledger.helpers import case_with_order


def _by_payee(case: object) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for payee, amount in CollectionShare.objects.filter(case=case).values_list("payee", "amount"):
        totals[payee] = totals.get(payee, Decimal("0.00")) + amount
    return totals


@pytest.mark.django_db
def test_a_prepayment_pays_each_month_as_it_comes_due_and_nothing_twice(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    post_collection(actor=officer, case=case, amount=Decimal("900.00"), source="direct_payment",
                    collected_on=date(2026, 1, 15), received_on=date(2026, 1, 15))  # fmt: skip
    assert _by_payee(case) == {Payee.FAMILY: Decimal("300.00"), Payee.HELD: Decimal("600.00")}

    february = apply_held_support(on=date(2026, 2, 2))
    again = apply_held_support(on=date(2026, 2, 2))
    march = apply_held_support(on=date(2026, 3, 2))
    april = apply_held_support(on=date(2026, 4, 1))

    assert (february, again, march, april) == (Decimal("300.00"), Decimal("0.00"), Decimal("300.00"), Decimal(0))
    assert _by_payee(case) == {Payee.FAMILY: Decimal("900.00"), Payee.HELD: Decimal("0.00")}
    assert balances(case=case, as_of=date(2026, 3, 31))["current_support"] == Decimal("0.00")
    accrue(through=date(2026, 4, 30))
    assert balances(case=case, as_of=date(2026, 4, 30))["current_support"] == Decimal("300.00")  # nothing left
    assert verify_ledger() == []


@pytest.mark.django_db
def test_held_money_pays_only_what_is_owed_and_the_rest_stays_held(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    post_collection(actor=officer, case=case, amount=Decimal("1000.00"), source="direct_payment",
                    collected_on=date(2026, 1, 15), received_on=date(2026, 1, 15))  # fmt: skip

    applied = apply_held_support(on=date(2026, 2, 2))

    assert applied == Decimal("300.00")
    assert _by_payee(case)[Payee.HELD] == Decimal("400.00")
    assert verify_ledger() == []
