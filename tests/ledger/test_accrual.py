"""The accrual: charges from the order's schedule, idempotent, resumable after a crash."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger import accrual
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.models import LedgerEntry
from opencse.ledger.selectors import balances
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
def test_a_monthly_order_accrues_one_charge_a_month(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")

    result = accrue(through=date(2026, 3, 31))

    assert result.charges == 3
    assert balances(case=case, as_of=date(2026, 3, 31))["current_support"] == Decimal("900.00")


@pytest.mark.django_db
def test_accruing_through_the_same_date_twice_adds_nothing(officer: object) -> None:
    case_with_order(officer)
    accrue(through=date(2026, 3, 31))

    again = accrue(through=date(2026, 3, 31))

    assert again.charges == 0
    assert LedgerEntry.objects.count() == 3


@pytest.mark.django_db
def test_a_step_change_when_a_child_turns_twelve_raises_the_charge(officer: object) -> None:
    case, _ = case_with_order(officer, steps=[(date(2026, 1, 1), "300.00"), (date(2026, 3, 1), "350.00")])

    accrue(through=date(2026, 4, 30))

    amounts = list(LedgerEntry.objects.filter(case=case).order_by("effective_on").values_list("amount", flat=True))
    assert amounts == [Decimal("300.00"), Decimal("300.00"), Decimal("350.00"), Decimal("350.00")]


@pytest.mark.django_db
def test_a_term_that_ends_stops_accruing(officer: object) -> None:
    case, _ = case_with_order(officer, ends_on=date(2026, 2, 28))

    accrue(through=date(2026, 6, 30))

    assert LedgerEntry.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_unpaid_current_support_rolls_into_never_assigned_arrears_once(officer: object) -> None:
    case, _ = case_with_order(officer)
    accrue(through=date(2026, 1, 31))

    roll_over(month_ending=date(2026, 1, 31))
    roll_over(month_ending=date(2026, 1, 31))

    owed = balances(case=case, as_of=date(2026, 1, 31))
    assert owed["current_support"] == Decimal("0.00")
    assert owed["never_assigned"] == Decimal("300.00")


@pytest.mark.django_db
def test_an_accrual_killed_midway_and_run_again_ends_with_the_clean_ledger(
    officer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        case_with_order(officer)
    real_chunk, calls = accrual._accrue_chunk, []

    def crash_on_second_chunk(term_ids: list[int], through: date) -> int:
        calls.append(term_ids)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_chunk(term_ids, through)

    monkeypatch.setattr(accrual, "_accrue_chunk", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        accrue(through=date(2026, 2, 28), chunk_size=1)
    monkeypatch.setattr(accrual, "_accrue_chunk", real_chunk)

    accrue(through=date(2026, 2, 28), chunk_size=1)

    keys = sorted(LedgerEntry.objects.values_list("source_key", flat=True))
    assert len(keys) == 6
    assert len(set(keys)) == 6
