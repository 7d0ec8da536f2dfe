"""The month-end interest job: what it posts, that it posts nothing twice, and that the ledger holds.

Interest is off in every jurisdiction's parameters (docs/rules/interest.md), so the tests that need it
write a parameter file with `enabled: true` and point the setting `OPENCSE_INTEREST_PARAMS` at it
(src/opencse/ledger/interest.py). Expected amounts are computed by hand: 12% a year is 1% a month.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from opencse.common.money import MoneySum
from opencse.errors import Conflict
from opencse.ledger import interest
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.interest import charge_interest, interest_parameters_name
from opencse.ledger.models import EntryKind, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection
from opencse.ledger.verify import verify_ledger
from opencse.rules.interest import ARREARS_BUCKETS
from tests.ledger.helpers import case_with_order

JANUARY, FEBRUARY, MARCH, APRIL = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)
_files = count()

Switch = Callable[..., None]


def parameter_file(path: Path, **changes: Any) -> None:
    """A complete interest parameter file (the keys of params/us/interest.yaml), interest on at 12%."""
    values: dict[str, Any] = {
        "enabled": True,
        "annual_rate": "12",
        "method": "simple",
        "accrues_on": list(ARREARS_BUCKETS),
        "minimum_balance": "0.00",
        "payments_apply_to": "principal_first",
        "judgments_only": False,
        "rounding": "ROUND_HALF_UP",
        **changes,
    }
    document = {
        "description": "Interest switched on for a test",
        "reference": "tests/ledger/test_interest.py",
        "values": {key: {date(2000, 10, 1): {"value": value, "reference": "test"}} for key, value in values.items()},
    }
    path.write_text(yaml.safe_dump(document), encoding="utf-8")


@pytest.fixture
def interest_on(settings: Any, tmp_path: Path) -> Switch:
    def switch(**changes: Any) -> None:
        # A new file name each time: parameter files are cached by name for the life of the process.
        path = tmp_path / f"interest_{next(_files)}.yaml"
        parameter_file(path, **changes)
        settings.OPENCSE_INTEREST_PARAMS = str(path.with_suffix(""))

    return switch


def close_month(ending: date) -> None:
    accrue(through=ending)
    roll_over(month_ending=ending)


def interest_entries(case: Any) -> list[tuple[str, date, Decimal]]:
    rows = LedgerEntry.objects.filter(case=case, kind=EntryKind.INTEREST).order_by("effective_on", "account")
    return list(rows.values_list("account", "effective_on", "amount"))


@pytest.mark.django_db
def test_interest_is_off_by_default_and_posts_nothing(officer: Any) -> None:
    case_with_order(officer, monthly="1200.00")
    close_month(JANUARY)
    close_month(FEBRUARY)

    run = charge_interest(month_ending=FEBRUARY)

    assert run.enabled is False
    assert not LedgerEntry.objects.filter(kind=EntryKind.INTEREST).exists()


@pytest.mark.django_db
def test_a_washington_installation_reads_washington_parameters_and_charges_nothing(settings: Any) -> None:
    settings.OPENCSE_STATE = "WA"

    run = charge_interest(month_ending=FEBRUARY)

    assert interest_parameters_name() == "wa/interest"
    assert run.enabled is False
    assert "WAC 388-14A-8600(2)" in run.reference


@pytest.mark.django_db
def test_twelve_hundred_dollars_of_arrears_earn_twelve_dollars_at_twelve_percent(
    officer: Any, interest_on: Switch
) -> None:
    interest_on()
    case, _ = case_with_order(officer, monthly="1200.00")
    close_month(JANUARY)
    close_month(FEBRUARY)  # February's unpaid support becomes arrears at its close: no interest for February

    run = charge_interest(month_ending=FEBRUARY)

    assert interest_entries(case) == [("never_assigned", FEBRUARY, Decimal("12.00"))]
    entry = LedgerEntry.objects.get(case=case, kind=EntryKind.INTEREST)
    assert entry.source_key == f"interest:{case.pk}:2026-02:never_assigned"
    assert (run.entries, run.total) == (1, Decimal("12.00"))


@pytest.mark.django_db
def test_simple_interest_in_month_two_is_on_the_principal_only(officer: Any, interest_on: Switch) -> None:
    interest_on(method="simple")
    case, _ = case_with_order(officer, monthly="1200.00")
    for ending in (JANUARY, FEBRUARY, MARCH):
        close_month(ending)
    charge_interest(month_ending=FEBRUARY)

    charge_interest(month_ending=MARCH)

    # March: principal 2,400.00 (January and February arrears), the 12.00 of interest earns nothing.
    assert interest_entries(case)[-1] == ("never_assigned", MARCH, Decimal("24.00"))


@pytest.mark.django_db
def test_compound_interest_in_month_two_is_on_the_balance_with_its_interest(officer: Any, interest_on: Switch) -> None:
    interest_on(method="compound")
    case, _ = case_with_order(officer, monthly="1200.00", ends_on=JANUARY)
    for ending in (JANUARY, FEBRUARY, MARCH):
        close_month(ending)
    charge_interest(month_ending=FEBRUARY)

    charge_interest(month_ending=MARCH)

    assert interest_entries(case) == [
        ("never_assigned", FEBRUARY, Decimal("12.00")),
        ("never_assigned", MARCH, Decimal("12.12")),
    ]


@pytest.mark.django_db
def test_charging_a_month_twice_adds_nothing(officer: Any, interest_on: Switch) -> None:
    interest_on(method="compound")
    case_with_order(officer, monthly="1200.00")
    close_month(JANUARY)
    close_month(FEBRUARY)
    charge_interest(month_ending=FEBRUARY)
    before = sorted(LedgerEntry.objects.values_list("source_key", "amount"))

    again = charge_interest(month_ending=FEBRUARY)

    assert (again.entries, again.total) == (0, Decimal("0.00"))
    assert sorted(LedgerEntry.objects.values_list("source_key", "amount")) == before


@pytest.mark.django_db
def test_a_run_killed_midway_and_run_again_ends_with_the_clean_ledger(
    officer: Any, interest_on: Switch, monkeypatch: pytest.MonkeyPatch
) -> None:
    interest_on()
    cases = [case_with_order(officer, monthly="1200.00")[0] for _ in range(3)]
    close_month(JANUARY)
    close_month(FEBRUARY)
    real_chunk, calls = interest._charge_chunk, []

    def crash_on_second_chunk(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_chunk(*args)

    monkeypatch.setattr(interest, "_charge_chunk", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        charge_interest(month_ending=FEBRUARY, chunk_size=1)
    assert LedgerEntry.objects.filter(kind=EntryKind.INTEREST).count() == 1
    monkeypatch.setattr(interest, "_charge_chunk", real_chunk)

    rerun = charge_interest(month_ending=FEBRUARY, chunk_size=1)

    assert rerun.entries == 2
    for case in cases:
        assert interest_entries(case) == [("never_assigned", FEBRUARY, Decimal("12.00"))]


def _paid_twenty_in_march(officer: Any) -> Any:
    """January's 1,200.00 in arrears, February's interest, then a 20.00 payment on March 10."""
    case, _ = case_with_order(officer, monthly="1200.00", ends_on=JANUARY)
    close_month(JANUARY)
    close_month(FEBRUARY)
    charge_interest(month_ending=FEBRUARY)
    on = date(2026, 3, 10)
    post_collection(
        actor=officer, case=case, amount=Decimal("20.00"), source="direct_payment", collected_on=on, received_on=on
    )
    close_month(MARCH)
    return case


@pytest.mark.django_db
def test_payments_to_principal_first_leave_the_interest_owed_and_lower_the_principal(
    officer: Any, interest_on: Switch
) -> None:
    interest_on(payments_apply_to="principal_first")
    case = _paid_twenty_in_march(officer)

    charge_interest(month_ending=MARCH)
    charge_interest(month_ending=APRIL)

    # The 20.00 paid principal: 1,180.00 bears 11.80 in March and again in April.
    assert [amount for _, _, amount in interest_entries(case)] == [Decimal(x) for x in ("12.00", "11.80", "11.80")]


@pytest.mark.django_db
def test_payments_to_interest_first_pay_the_earlier_interest_then_the_principal(
    officer: Any, interest_on: Switch
) -> None:
    interest_on(payments_apply_to="interest_first")
    case = _paid_twenty_in_march(officer)

    charge_interest(month_ending=MARCH)
    charge_interest(month_ending=APRIL)

    # The 20.00 paid February's 12.00 of interest and 8.00 of principal: 1,192.00 bears 11.92, and
    # March's unpaid interest does not bear interest in April.
    assert [amount for _, _, amount in interest_entries(case)] == [Decimal(x) for x in ("12.00", "11.92", "11.92")]


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["principal_first", "interest_first"])
def test_reversed_interest_is_no_longer_interest(officer: Any, interest_on: Switch, order: str) -> None:
    interest_on(payments_apply_to=order)
    case, _ = case_with_order(officer, monthly="1200.00", ends_on=JANUARY)
    close_month(JANUARY)
    close_month(FEBRUARY)
    charge_interest(month_ending=FEBRUARY)
    charged = LedgerEntry.objects.get(case=case, kind=EntryKind.INTEREST)
    # No service reverses an interest entry yet; this is the entry a correction would post (docs/ledger.md).
    LedgerEntry.objects.create(
        case=case,
        account=charged.account,
        kind=EntryKind.REVERSAL,
        amount=-charged.amount,
        effective_on=date(2026, 3, 15),
        source_key=f"reversal:{charged.pk}",
        reverses=charged,
    )
    close_month(MARCH)

    charge_interest(month_ending=MARCH)

    # The balance is 1,200.00 of principal again: 12.00 in March, not 1% of 1,188.00.
    assert interest_entries(case)[-1] == ("never_assigned", MARCH, Decimal("12.00"))
    assert verify_ledger() == []


@pytest.mark.django_db
def test_only_the_buckets_named_bear_interest(officer: Any, interest_on: Switch) -> None:
    interest_on(accrues_on=["permanently_assigned"])
    case, _ = case_with_order(officer, monthly="1200.00")
    close_month(JANUARY)
    close_month(FEBRUARY)

    run = charge_interest(month_ending=FEBRUARY)

    assert run.entries == 0
    assert interest_entries(case) == []


@pytest.mark.django_db
def test_an_earlier_month_after_a_later_one_is_refused(officer: Any, interest_on: Switch) -> None:
    interest_on()
    case_with_order(officer, monthly="1200.00")
    for ending in (JANUARY, FEBRUARY, MARCH):
        close_month(ending)
    charge_interest(month_ending=MARCH)

    with pytest.raises(Conflict):
        charge_interest(month_ending=FEBRUARY)

    assert LedgerEntry.objects.filter(kind=EntryKind.INTEREST, effective_on=FEBRUARY).count() == 0


@pytest.mark.django_db
def test_verify_stays_clean_and_balances_are_the_sum_of_entries_after_interest(
    officer: Any, interest_on: Switch
) -> None:
    interest_on(method="compound")
    case = _paid_twenty_in_march(officer)
    charge_interest(month_ending=MARCH)

    owed = balances(case=case, as_of=APRIL)
    entries_total = LedgerEntry.objects.filter(case=case).aggregate(total=MoneySum("amount"))["total"]

    assert verify_ledger() == []
    assert sum(owed.values()) == entries_total
    assert owed["never_assigned"] == Decimal("1200.00") + Decimal("12.00") - Decimal("20.00") + Decimal("11.92")


@pytest.mark.django_db
def test_the_command_prints_the_entries_posted_and_their_total(officer: Any, interest_on: Switch) -> None:
    interest_on()
    case_with_order(officer, monthly="1200.00")
    close_month(JANUARY)
    close_month(FEBRUARY)
    out = io.StringIO()

    call_command("ledger", "interest", "--month-ending", "2026-02-28", stdout=out)

    assert "1 entries, total 12.00" in out.getvalue()


@pytest.mark.django_db
def test_the_command_says_interest_is_off_and_posts_nothing(officer: Any) -> None:
    case_with_order(officer, monthly="1200.00")
    close_month(JANUARY)
    close_month(FEBRUARY)
    out = io.StringIO()

    call_command("ledger", "interest", "--month-ending", "2026-02-28", stdout=out)

    assert "interest on arrears is off in ms/interest" in out.getvalue()
    assert not LedgerEntry.objects.filter(kind=EntryKind.INTEREST).exists()


@pytest.mark.django_db
def test_the_command_refuses_a_date_that_is_not_a_months_end() -> None:
    with pytest.raises(CommandError, match="last day of a month"):
        call_command("ledger", "interest", "--month-ending", "2026-02-27")


@pytest.mark.django_db
def test_the_command_exits_with_2_when_a_later_month_already_has_interest(officer: Any, interest_on: Switch) -> None:
    interest_on()
    case_with_order(officer, monthly="1200.00")
    for ending in (JANUARY, FEBRUARY, MARCH):
        close_month(ending)
    charge_interest(month_ending=MARCH)

    with pytest.raises(CommandError, match="charge months in order") as refused:
        call_command("ledger", "interest", "--month-ending", "2026-02-28")

    assert refused.value.returncode == 2


payment_days = st.lists(
    st.tuples(
        st.integers(min_value=31, max_value=170),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900"), places=2),
    ),
    max_size=5,
)
MONTH_ENDS = [
    date(2026, 1, 31),
    date(2026, 2, 28),
    date(2026, 3, 31),
    date(2026, 4, 30),
    date(2026, 5, 31),
    date(2026, 6, 30),
]


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate]
)
@given(
    monthly=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000"), places=2),
    payments=payment_days,
    method=st.sampled_from(["simple", "compound"]),
    order=st.sampled_from(["principal_first", "interest_first"]),
)
def test_interest_keeps_every_balance_the_sum_of_its_entries_and_a_rerun_changes_nothing(
    officer: Any,
    interest_on: Switch,
    monthly: Decimal,
    payments: list[tuple[int, Decimal]],
    method: str,
    order: str,
) -> None:
    interest_on(method=method, payments_apply_to=order)
    case, _ = case_with_order(officer, monthly=str(monthly))
    paid = iter(sorted(payments))
    pending = next(paid, None)
    for ending in MONTH_ENDS:
        while pending is not None and date(2026, 1, 1).toordinal() + pending[0] <= ending.toordinal():
            on = date.fromordinal(date(2026, 1, 1).toordinal() + pending[0])
            post_collection(
                actor=officer, case=case, amount=pending[1], source="direct_payment", collected_on=on, received_on=on
            )
            pending = next(paid, None)
        close_month(ending)
        charge_interest(month_ending=ending, case_ids=[case.pk])
    before = sorted(LedgerEntry.objects.filter(case=case).values_list("source_key", "amount"))

    charge_interest(month_ending=MONTH_ENDS[-1], case_ids=[case.pk])

    owed = balances(case=case, as_of=MONTH_ENDS[-1])
    entries_total = LedgerEntry.objects.filter(case=case).aggregate(total=MoneySum("amount"))["total"]
    assert sum(owed.values()) == entries_total
    assert all(balance >= 0 for balance in owed.values())
    assert all(amount > 0 for _, _, amount in interest_entries(case))
    assert sorted(LedgerEntry.objects.filter(case=case).values_list("source_key", "amount")) == before
    assert verify_ledger() == []
