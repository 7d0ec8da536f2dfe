"""Income withholding (15 U.S.C. 1673(b); 45 CFR 303.100(a)(5)): properties and direct checks.

The worked examples with cited sources are in cases/withholding.yaml; these tests check what must
hold for every input: the limit is never passed, current support comes first, every order with
current support is implemented, and the parts add up to the total to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.commands import execute
from opencse.rules.money import CENT, ZERO
from opencse.rules.withholding import (
    Order,
    Withholding,
    allocate_withholding,
    disposable_earnings,
    prorate,
    withholding_limit,
)
from opencse.rules.worksheet import render

AS_OF = date(2026, 3, 6)
FIVE_PERCENT = Decimal("0.05")

earnings = st.decimals(min_value=Decimal("0"), max_value=Decimal("20000"), places=2)
small_amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("3000"), places=2)
orders_strategy = st.lists(
    st.builds(
        lambda current, arrears, balance: (current, arrears, balance),
        small_amounts,
        small_amounts,
        st.decimals(min_value=Decimal("0"), max_value=Decimal("50000"), places=2),
    ),
    min_size=1,
    max_size=8,
)


@dataclass(frozen=True)
class Situation:
    disposable_earnings: Decimal
    supporting: bool
    arrears_over_12_weeks: bool
    state_limit_percent: Decimal | None
    jurisdiction: str | None
    employer_fee: Decimal
    orders: tuple[Order, ...]

    def withholding(self) -> Withholding:
        return allocate_withholding(
            disposable_earnings=self.disposable_earnings,
            supporting_other_spouse_or_child=self.supporting,
            arrears_over_12_weeks=self.arrears_over_12_weeks,
            orders=self.orders,
            as_of=AS_OF,
            pay_frequency="weekly",
            state_limit_percent=self.state_limit_percent,
            jurisdiction=self.jurisdiction,
            employer_fee=self.employer_fee,
        )


@st.composite
def situations(draw: st.DrawFn) -> Situation:
    amounts = draw(orders_strategy)
    return Situation(
        disposable_earnings=draw(earnings),
        supporting=draw(st.booleans()),
        arrears_over_12_weeks=draw(st.booleans()),
        state_limit_percent=draw(st.none() | st.decimals(min_value=0, max_value=100, places=1)),
        jurisdiction=draw(st.sampled_from([None, "MO", "TX", "WA"])),
        employer_fee=draw(st.sampled_from([ZERO, Decimal("2.00")]) | st.decimals(min_value=0, max_value=50, places=2)),
        orders=tuple(
            Order(id=f"O{index}", current_support=current, arrears_payment=arrears, arrears_balance=balance)
            for index, (current, arrears, balance) in enumerate(amounts)
        ),
    )


def _federal_percent(situation: Situation) -> Decimal:
    # 15 U.S.C. 1673(b)(2)(A)/(B) and the closing clause, written out from the statute.
    percent = Decimal(50) if situation.supporting else Decimal(60)
    return percent + (5 if situation.arrears_over_12_weeks else 0)


@given(situation=situations())
def test_withholding_never_exceeds_the_limit_of_disposable_earnings(situation: Situation) -> None:
    withholding = situation.withholding()

    percent = _federal_percent(situation)
    if situation.state_limit_percent is not None:
        percent = min(percent, situation.state_limit_percent)
    assert withholding.limit_percent == percent
    assert (
        withholding.total_withheld + withholding.employer_fee_withheld <= situation.disposable_earnings * percent / 100
    )
    assert withholding.maximum <= situation.disposable_earnings * percent / 100
    assert withholding.total_withheld <= withholding.maximum


@given(situation=situations())
def test_no_arrears_are_paid_while_current_support_is_unpaid_except_from_the_five_point_increase(
    situation: Situation,
) -> None:
    withholding = situation.withholding()

    current_ordered = sum((order.current_support for order in situation.orders), ZERO)
    if withholding.current_support_withheld < current_ordered:
        if situation.arrears_over_12_weeks:
            # The increase, plus at most the cent lost when the 50% / 60% line was rounded down.
            assert withholding.arrears_withheld < situation.disposable_earnings * FIVE_PERCENT + CENT
        else:
            assert withholding.arrears_withheld == ZERO


@given(situation=situations())
def test_current_support_is_never_left_unpaid_below_the_limit_before_the_increase(situation: Situation) -> None:
    withholding = situation.withholding()

    base = (Decimal(50) if situation.supporting else Decimal(60)) / 100
    if situation.state_limit_percent is not None:
        base = min(base, situation.state_limit_percent / 100)
    current_ordered = sum((order.current_support for order in situation.orders), ZERO)
    unpaid = current_ordered - withholding.current_support_withheld
    if unpaid > ZERO:
        # Only the rounding down of the maximum may stand between current support and the line.
        assert situation.disposable_earnings * base - withholding.current_support_withheld < CENT


@given(situation=situations())
def test_the_employer_fee_waits_for_current_support_and_never_exceeds_the_fee(situation: Situation) -> None:
    withholding = situation.withholding()

    current_ordered = sum((order.current_support for order in situation.orders), ZERO)
    assert ZERO <= withholding.employer_fee_withheld <= situation.employer_fee
    if withholding.employer_fee_withheld > ZERO:
        assert withholding.current_support_withheld == current_ordered


@given(situation=situations())
def test_every_order_with_current_support_gets_a_share_when_there_is_a_cent_for_each(situation: Situation) -> None:
    withholding = situation.withholding()

    with_current = [order.id for order in situation.orders if order.current_support > ZERO]
    if withholding.current_support_withheld >= CENT * len(with_current):
        paid = {allocation.id for allocation in withholding.allocations if allocation.current_support > ZERO}
        assert set(with_current) <= paid


@given(situation=situations())
def test_the_parts_add_up_exactly_and_no_order_gets_more_than_it_is_owed(situation: Situation) -> None:
    withholding = situation.withholding()

    allocations = withholding.allocations
    assert sum((a.current_support for a in allocations), ZERO) == withholding.current_support_withheld
    assert sum((a.arrears for a in allocations), ZERO) == withholding.arrears_withheld
    assert withholding.current_support_withheld + withholding.arrears_withheld == withholding.total_withheld
    for order, allocation in zip(situation.orders, allocations, strict=True):
        assert allocation.id == order.id
        assert ZERO <= allocation.current_support <= order.current_support
        assert ZERO <= allocation.arrears <= order.arrears_payment


@given(
    total_cents=st.integers(min_value=0, max_value=10_000_000),
    weights=st.lists(st.decimals(min_value=0, max_value=10000, places=2), min_size=1, max_size=10),
    caps=st.lists(st.decimals(min_value=0, max_value=10000, places=2), min_size=10, max_size=10),
)
def test_a_capped_proration_creates_and_loses_no_cents(
    total_cents: int, weights: list[Decimal], caps: list[Decimal]
) -> None:
    caps = caps[: len(weights)]
    total = min(Decimal(total_cents) * CENT, sum(caps, ZERO))

    parts = prorate(total, weights=weights, caps=caps)

    assert sum(parts, ZERO) == total
    assert all(ZERO <= part <= cap for part, cap in zip(parts, caps, strict=True))


def test_arrears_by_balance_with_an_order_that_has_no_balance_on_file_is_allocated() -> None:
    # Missouri prorates arrears by balance (params/mo/withholding.yaml). Order A has an arrears payment but no
    # balance on file; B's balance equals its payment. 120.00 is left for arrears: B takes its 100.00 and A the
    # rest, by room. Before, this failed an internal assertion (a 500) instead of allocating.
    orders = (
        Order(id="A", current_support=ZERO, arrears_payment=Decimal("50.00"), arrears_balance=ZERO),
        Order(id="B", current_support=ZERO, arrears_payment=Decimal("100.00"), arrears_balance=Decimal("100.00")),
    )

    result = allocate_withholding(
        disposable_earnings=Decimal("240.00"),
        supporting_other_spouse_or_child=True,
        arrears_over_12_weeks=False,
        orders=orders,
        as_of=AS_OF,
        pay_frequency="weekly",
        state_limit_percent=None,
        jurisdiction="MO",
        employer_fee=ZERO,
    )

    assert [allocation.arrears for allocation in result.allocations] == [Decimal("20.00"), Decimal("100.00")]


def test_a_second_family_and_old_arrears_give_fifty_five_percent() -> None:
    limit = withholding_limit(
        disposable_earnings=Decimal("1000.00"),
        supporting_other_spouse_or_child=True,
        arrears_over_12_weeks=True,
        as_of=AS_OF,
    )

    assert limit.limit_percent == Decimal(55)  # 15 U.S.C. 1673(b)(2)(A) and closing clause
    assert limit.maximum == Decimal("550.00")
    assert limit.maximum_before_increase == Decimal("500.00")


def test_the_explanation_cites_the_statute_and_the_parameter_versions_used() -> None:
    limit = withholding_limit(
        disposable_earnings=Decimal("1000.00"),
        supporting_other_spouse_or_child=False,
        arrears_over_12_weeks=False,
        as_of=AS_OF,
    )

    assert any("1673(b)(2)(B)" in line.reference for line in limit.explanation)
    names = {use.name for use in limit.parameters}
    assert "us/ccpa_support_limit.not_supporting_other_family" in names
    assert "us/ccpa_support_limit.arrears_increase" not in names


def test_disposable_earnings_subtract_only_the_deductions_required_by_law() -> None:
    result = disposable_earnings(
        gross_earnings=Decimal("2000.00"),
        deductions_required_by_law={"federal_income_tax": Decimal("180.00"), "medicare": Decimal("29.00")},
        as_of=AS_OF,
    )

    assert result.disposable_earnings == Decimal("1791.00")  # 2000.00 - 180.00 - 29.00
    assert result.deductions_total == Decimal("209.00")


def test_a_voluntary_deduction_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        disposable_earnings(
            gross_earnings=Decimal("2000.00"),
            deductions_required_by_law={"union_dues": Decimal("20.00")},
            as_of=AS_OF,
        )

    assert refused.value.field == "deductions_required_by_law.union_dues"


def test_the_library_refuses_a_negative_amount_even_without_the_command() -> None:
    with pytest.raises(InvalidInput) as refused:
        allocate_withholding(
            disposable_earnings=Decimal("100.00"),
            supporting_other_spouse_or_child=False,
            arrears_over_12_weeks=False,
            orders=[Order(id="A", current_support=Decimal("10.00"), arrears_payment=Decimal("-1.00"))],
            as_of=AS_OF,
            pay_frequency="weekly",
        )

    assert refused.value.field == "orders[0].arrears_payment"


def test_the_worksheet_shows_the_maximum_and_each_order() -> None:
    payload = {
        "as_of": "2026-03-06",
        "pay_frequency": "weekly",
        "disposable_earnings": "600.00",
        "supporting_other_spouse_or_child": True,
        "arrears_over_12_weeks": False,
        "orders": [{"id": "A", "current_support": "250.00", "arrears_payment": "100.00"}],
    }

    code, _, output = execute("withholding", payload, today=AS_OF)

    assert code == 0 and output is not None
    text = render(output)
    assert "maximum: 300.00" in text
    assert "allocations[1].arrears: 50.00" in text
    assert "[15 U.S.C. 1673(b)(2)(A)]" in text


def _valid_payload() -> dict[str, Any]:
    return {
        "as_of": "2026-03-06",
        "pay_frequency": "biweekly",
        "disposable_earnings": "1500.00",
        "supporting_other_spouse_or_child": False,
        "arrears_over_12_weeks": True,
        "state_limit_percent": "62",
        "jurisdiction": "MO",
        "employer_fee": "2.00",
        "orders": [
            {"id": "A", "current_support": "300.00", "arrears_payment": "60.00", "arrears_balance": "900.00"},
            {"id": "B", "current_support": "200.00", "arrears_payment": "0.00"},
        ],
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.decimals(allow_nan=True, places=3),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@given(key=st.sampled_from([*_valid_payload(), "orders.0.current_support", "orders.1.id"]), value=json_values)
def test_any_bad_value_in_any_field_is_answered_with_exit_2_naming_a_field_never_a_traceback(
    key: str, value: object
) -> None:
    payload = _valid_payload()
    if key.startswith("orders."):
        _, index, name = key.split(".")
        payload["orders"][int(index)][name] = value
    else:
        payload[key] = value

    code, document, _ = execute("withholding", payload, today=AS_OF)

    assert code in (0, 2), document
    if code == 2:
        assert document["errors"] and all(error["field"] for error in document["errors"]), document


def test_the_example_worksheet_in_the_docs_is_what_the_command_prints() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "rules" / "withholding.md").read_text(encoding="utf-8")
    payload = {
        "as_of": "2026-03-06",
        "pay_frequency": "biweekly",
        "disposable_earnings": "1000.00",
        "supporting_other_spouse_or_child": False,
        "arrears_over_12_weeks": True,
        "orders": [
            {"id": "A", "current_support": "400.00", "arrears_payment": "100.00"},
            {"id": "B", "current_support": "250.00", "arrears_payment": "50.00"},
        ],
    }

    _, _, output = execute("withholding", payload, today=AS_OF)

    assert output is not None
    assert "```\n" + render(output) + "```" in docs
