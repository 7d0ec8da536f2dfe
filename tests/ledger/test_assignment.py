"""Arrears buckets that follow the family's assistance history, and URA per assistance group
(42 U.S.C. 608(a)(3), 657(a)(3), (b); 45 CFR 302.51; OCSE AT-97-17, AT-09-03)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.errors import InvalidInput
from opencse.ledger.accrual import accrue, month_end, roll_over
from opencse.ledger.assignment import reclassify
from opencse.ledger.models import CollectionShare, EntryKind, LedgerEntry
from opencse.ledger.selectors import balances, unreimbursed_assistance
from opencse.ledger.services import post_collection, record_assistance
from opencse.ledger.verify import verify_ledger
from opencse.security.services import system_actor
from tests.ledger.helpers import case_with_order

ZERO = Decimal("0.00")


def _close(*month_ends: date) -> None:
    for ending in month_ends:
        accrue(through=ending)
        roll_over(month_ending=ending)


def _arrears(case: object, on: date) -> dict[str, Decimal]:
    owed = balances(case=case, as_of=on)  # type: ignore[arg-type]
    return {account: amount for account, amount in owed.items() if amount and account != "current_support"}


def _months(year: int, *months: int) -> list[date]:
    return [month_end(date(year, month, 1)) for month in months]


@pytest.mark.django_db
def test_support_unpaid_during_assistance_is_assigned_and_after_it_ended_is_never_assigned(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    record_assistance(
        actor=officer, case=case, starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 28), grant_monthly=Decimal("500.00")
    )

    _close(*_months(2026, 1, 2, 3))

    # January and February accrued during assistance (608(a)(3)); March after it ended.
    assert _arrears(case, date(2026, 3, 31)) == {
        "permanently_assigned": Decimal("600.00"),
        "never_assigned": Decimal("300.00"),
    }
    assert verify_ledger() == []


@pytest.mark.django_db
def test_after_the_dra_arrears_owed_before_assistance_become_unassigned_pre_assistance(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _close(*_months(2026, 1, 2))
    record_assistance(actor=officer, case=case, starts_on=date(2026, 3, 1), grant_monthly=Decimal("500.00"))

    _close(date(2026, 3, 31))

    # AT-09-03: an assignment from 2009-10-01 covers only support accruing during assistance.
    assert _arrears(case, date(2026, 3, 31)) == {
        "permanently_assigned": Decimal("300.00"),
        "unassigned_pre_assistance": Decimal("600.00"),
    }
    assert verify_ledger() == []


@pytest.mark.django_db
def test_recording_assistance_that_has_begun_reclassifies_the_arrears_from_the_day_it_began(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _close(*_months(2026, 1, 2))

    record_assistance(
        actor=officer, case=case, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), grant_monthly=Decimal("500.00")
    )

    moves = LedgerEntry.objects.filter(case=case, kind=EntryKind.RECLASSIFICATION)
    assert sorted(moves.values_list("account", "amount", "effective_on")) == [
        ("never_assigned", Decimal("-600.00"), date(2026, 3, 1)),
        ("unassigned_pre_assistance", Decimal("600.00"), date(2026, 3, 1)),
    ]


@pytest.mark.django_db
def test_months_rolled_over_before_their_assistance_was_recorded_become_assigned(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _close(*_months(2026, 1, 2, 3))

    record_assistance(actor=officer, case=case, starts_on=date(2026, 2, 1), grant_monthly=Decimal("500.00"))

    # February and March accrued during assistance (608(a)(3)); January was owed before it (AT-09-03).
    assert _arrears(case, date(2026, 3, 31)) == {
        "permanently_assigned": Decimal("600.00"),
        "unassigned_pre_assistance": Decimal("300.00"),
    }
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_second_period_recorded_late_moves_only_its_own_months(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _close(*_months(2026, 1, 2, 3, 4, 5, 6))

    record_assistance(
        actor=officer, case=case, starts_on=date(2026, 2, 1), ends_on=date(2026, 3, 31), grant_monthly=Decimal("500.00")
    )
    record_assistance(actor=officer, case=case, starts_on=date(2026, 5, 1), grant_monthly=Decimal("500.00"))

    # February, March, May and June accrued during assistance; January and April were owed before a period.
    assert _arrears(case, date(2026, 6, 30)) == {
        "permanently_assigned": Decimal("1200.00"),
        "unassigned_pre_assistance": Decimal("600.00"),
    }
    assert verify_ledger() == []


@pytest.mark.django_db
def test_assigned_arrears_above_unreimbursed_assistance_are_unassigned_during_assistance(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    record_assistance(actor=officer, case=case, starts_on=date(2026, 1, 1), grant_monthly=Decimal("100.00"))

    _close(*_months(2026, 1, 2, 3))

    # 900.00 accrued during assistance, but only the 300.00 of assistance paid may be assigned
    # (42 U.S.C. 608(a)(3), 657(a)(3)): the rest is owed to the family.
    assert _arrears(case, date(2026, 3, 31)) == {
        "permanently_assigned": Decimal("300.00"),
        "unassigned_during_assistance": Decimal("600.00"),
    }
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_retained_collection_lowers_ura_and_the_assigned_arrears_follow_at_month_end(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    record_assistance(
        actor=officer, case=case, starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31), grant_monthly=Decimal("400.00")
    )
    _close(*_months(2026, 1, 2, 3))  # PA 900.00, URA 1,200.00
    # In April (former assistance) family first: current 300.00, then PA 300.00 retained (657(a)(2)(B)).
    post_collection(actor=system_actor(), case=case, amount=Decimal("600.00"), source="income_withholding",
                    collected_on=date(2026, 4, 10), received_on=date(2026, 4, 10))  # fmt: skip

    _close(date(2026, 4, 30))

    assert unreimbursed_assistance(case=case, as_of=date(2026, 4, 30)) == Decimal("900.00")
    assert _arrears(case, date(2026, 4, 30)) == {"permanently_assigned": Decimal("600.00")}
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_pre_dra_assignment_is_temporarily_then_conditionally_assigned(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00", starts_on=date(2008, 1, 1))
    record_assistance(actor=officer, case=case, starts_on=date(2008, 3, 1), ends_on=date(2008, 4, 30),
                      grant_monthly=Decimal("1000.00"))  # fmt: skip
    _close(*_months(2008, 1, 2, 3))
    assert _arrears(case, date(2008, 3, 31)) == {
        "permanently_assigned": Decimal("300.00"),
        "temporarily_assigned": Decimal("600.00"),
    }

    _close(*_months(2008, 4, 5))

    # PRWORA assignment (AT-97-17): pre-assistance arrears temporarily assigned while assistance
    # lasts, conditionally assigned when it ends; May is after assistance, never assigned.
    assert _arrears(case, date(2008, 5, 31)) == {
        "permanently_assigned": Decimal("600.00"),
        "conditionally_assigned": Decimal("600.00"),
        "never_assigned": Decimal("300.00"),
    }
    assert verify_ledger() == []


@pytest.mark.django_db
def test_rolling_over_and_reclassifying_again_changes_nothing(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _close(*_months(2026, 1, 2))
    record_assistance(actor=officer, case=case, starts_on=date(2026, 3, 1), grant_monthly=Decimal("100.00"))
    _close(*_months(2026, 3, 4))
    before = list(LedgerEntry.objects.order_by("pk").values_list("account", "amount", "effective_on"))

    _close(*_months(2026, 3, 4))
    moved = reclassify(case_ids=[case.pk], on=date(2026, 4, 30))

    assert moved == 0
    assert list(LedgerEntry.objects.order_by("pk").values_list("account", "amount", "effective_on")) == before


@pytest.mark.django_db
def test_a_later_payment_is_never_undone_by_a_reclassification_dated_earlier(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _close(*_months(2026, 1, 2))
    # March's collection pays the 600.00 never-assigned arrears to the family ...
    post_collection(actor=system_actor(), case=case, amount=Decimal("900.00"), source="direct_payment",
                    collected_on=date(2026, 3, 5), received_on=date(2026, 3, 5))  # fmt: skip
    record_assistance(actor=officer, case=case, starts_on=date(2026, 2, 1), grant_monthly=Decimal("100.00"))

    # ... so reclassifying at February's end finds nothing left to move out of never assigned.
    reclassify(case_ids=[case.pk], on=date(2026, 2, 28))

    assert verify_ledger() == []


@pytest.mark.django_db
def test_assistance_that_began_before_prwora_distribution_is_refused(officer: object) -> None:
    case, _ = case_with_order(officer)

    with pytest.raises(InvalidInput):
        record_assistance(actor=officer, case=case, starts_on=date(1996, 1, 1), grant_monthly=Decimal("100.00"))


# --- URA per assistance group -------------------------------------------------------------------


def _group_of_two(officer: object, group: str, monthly_a: str, monthly_b: str) -> tuple[object, object]:
    """Two IV-D cases (two noncustodial parents) of one family on TANF: $300 a month, January to April
    2026, recorded on each case with the same IV-A assistance group."""
    cases = []
    for monthly in (monthly_a, monthly_b):
        case, _ = case_with_order(officer, monthly=monthly, starts_on=date(2026, 4, 1), program="current_assistance")
        record_assistance(actor=officer, case=case, starts_on=date(2026, 1, 1), ends_on=date(2026, 4, 30),
                          grant_monthly=Decimal("300.00"), assistance_group=group)  # fmt: skip
        cases.append(case)
    return cases[0], cases[1]


@pytest.mark.django_db
def test_a_group_shared_by_two_cases_counts_its_assistance_once(officer: object) -> None:
    case_a, case_b = _group_of_two(officer, "TANF-100", "500.00", "1000.00")

    assert unreimbursed_assistance(case=case_a, as_of=date(2026, 4, 30)) == Decimal("1200.00")
    assert unreimbursed_assistance(case=case_b, as_of=date(2026, 4, 30)) == Decimal("1200.00")


@pytest.mark.django_db
def test_what_the_state_retained_on_one_case_lowers_the_ura_of_the_other(officer: object) -> None:
    case_a, case_b = _group_of_two(officer, "TANF-100", "500.00", "1000.00")
    post_collection(actor=system_actor(), case=case_a, amount=Decimal("500.00"), source="income_withholding",
                    collected_on=date(2026, 4, 10), received_on=date(2026, 4, 10))  # fmt: skip
    assert unreimbursed_assistance(case=case_b, as_of=date(2026, 4, 15)) == Decimal("700.00")

    collection = post_collection(actor=system_actor(), case=case_b, amount=Decimal("1000.00"),
                                 source="income_withholding", collected_on=date(2026, 4, 15),
                                 received_on=date(2026, 4, 15))  # fmt: skip

    # 657(a)(3): the State keeps no more than the group's URA, 1,200.00 - 500.00; the rest is the family's.
    paid = dict(CollectionShare.objects.filter(collection=collection).values_list("payee", "amount"))
    assert paid == {"state": Decimal("700.00"), "family": Decimal("300.00")}
    assert unreimbursed_assistance(case=case_a, as_of=date(2026, 4, 30)) == ZERO
    assert verify_ledger() == []


@pytest.mark.django_db
def test_cases_of_different_groups_do_not_share_ura(officer: object) -> None:
    case_a, _ = _group_of_two(officer, "TANF-100", "500.00", "1000.00")
    _, case_d = _group_of_two(officer, "TANF-200", "500.00", "1000.00")
    post_collection(actor=system_actor(), case=case_a, amount=Decimal("500.00"), source="income_withholding",
                    collected_on=date(2026, 4, 10), received_on=date(2026, 4, 10))  # fmt: skip

    assert unreimbursed_assistance(case=case_d, as_of=date(2026, 4, 30)) == Decimal("1200.00")
