"""Properties of the child support guidelines that must hold for every input (hypothesis).

Expected values for particular situations are in tests/rules/cases/guideline.yaml, each with its
source; these tests check the shape of the schedule: more income or more children never lowers the
presumptive support, and the limits of the law are never exceeded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from opencse.rules.guidelines.mississippi import MississippiIncome, mississippi_guideline
from opencse.rules.guidelines.washington import (
    Expenses,
    ParentIncome,
    SharedExpense,
    WashingtonGuideline,
    washington_guideline,
)

AS_OF = date(2026, 1, 1)
amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("60000"), places=2, allow_nan=False, allow_infinity=False
)
raises = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2, allow_nan=False, allow_infinity=False
)
children = st.integers(min_value=1, max_value=8)


def _ms_income(gross_income: Decimal, taxes: Decimal = Decimal("0.00")) -> MississippiIncome:
    zero = Decimal("0.00")
    return MississippiIncome(
        gross_income=gross_income,
        taxes=taxes,
        social_security=zero,
        mandatory_retirement=zero,
        other_child_support_paid=zero,
    )


@given(gross_income=amounts, taxes=amounts, raise_amount=raises, number_of_children=children)
def test_mississippi_support_never_decreases_when_obligor_income_rises(
    gross_income: Decimal, taxes: Decimal, raise_amount: Decimal, number_of_children: int
) -> None:
    before = mississippi_guideline(
        income=_ms_income(gross_income, taxes), number_of_children=number_of_children, as_of=AS_OF
    )

    after = mississippi_guideline(
        income=_ms_income(gross_income + raise_amount, taxes), number_of_children=number_of_children, as_of=AS_OF
    )

    assert after.support >= before.support


@given(gross_income=amounts, number_of_children=children)
def test_mississippi_more_children_never_lowers_support(gross_income: Decimal, number_of_children: int) -> None:
    fewer = mississippi_guideline(income=_ms_income(gross_income), number_of_children=number_of_children, as_of=AS_OF)

    more = mississippi_guideline(
        income=_ms_income(gross_income), number_of_children=number_of_children + 1, as_of=AS_OF
    )

    assert more.support >= fewer.support


@given(gross_income=amounts, taxes=amounts, number_of_children=children)
def test_mississippi_support_never_exceeds_adjusted_gross_income_nor_goes_negative(
    gross_income: Decimal, taxes: Decimal, number_of_children: int
) -> None:
    result = mississippi_guideline(
        income=_ms_income(gross_income, taxes), number_of_children=number_of_children, as_of=AS_OF
    )

    assert Decimal("0") <= result.support <= result.adjusted_gross_income


WA_AS_OF = date(2025, 6, 1)  # the 2019 table, loaded in full ($1,000-$12,000)
net_incomes = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("11000"), places=2, allow_nan=False, allow_infinity=False
)
wa_children = st.integers(min_value=1, max_value=5)
day_care = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("2000"), places=2, allow_nan=False, allow_infinity=False
)


def _wa(
    obligor_net: Decimal,
    obligee_net: Decimal,
    number_of_children: int,
    day_care_paid_by_obligee: Decimal = Decimal("0.00"),
) -> WashingtonGuideline:
    return washington_guideline(
        obligor=ParentIncome(net_income=obligor_net),
        obligee=ParentIncome(net_income=obligee_net),
        number_of_children=number_of_children,
        expenses=Expenses(day_care=SharedExpense(obligee=day_care_paid_by_obligee)),
        as_of=WA_AS_OF,
    )


def _between(low: str, high: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=2, allow_nan=False, allow_infinity=False)


# Incomes chosen so that the combined income stays inside the table ($1,000-$12,000) and the limits
# rarely bind; the few cases where one binds are set aside, as the property is stated outside them.
@given(
    obligor_net=_between("3000", "6000"),
    obligee_net=_between("1000", "5000"),
    raise_amount=_between("0.01", "1000"),
    number_of_children=st.integers(min_value=1, max_value=3),
    expense=day_care,
)
def test_washington_standard_calculation_never_decreases_when_obligor_income_rises_outside_the_limitations(
    obligor_net: Decimal, obligee_net: Decimal, raise_amount: Decimal, number_of_children: int, expense: Decimal
) -> None:
    before = _wa(obligor_net, obligee_net, number_of_children, expense)

    after = _wa(obligor_net + raise_amount, obligee_net, number_of_children, expense)

    assume(before.limitation.applied is None and after.limitation.applied is None)
    assert after.standard_calculation >= before.standard_calculation
    assert after.obligor_basic_support >= before.obligor_basic_support


@given(obligor_net=net_incomes, obligee_net=net_incomes, number_of_children=wa_children)
def test_washington_basic_obligation_never_exceeds_45_percent_of_net_income_except_the_presumptive_minimum(
    obligor_net: Decimal, obligee_net: Decimal, number_of_children: int
) -> None:
    assume(Decimal("1000") <= obligor_net + obligee_net)

    result = _wa(obligor_net, obligee_net, number_of_children)

    after = result.limitation.after_limitations
    assert after <= obligor_net * Decimal("0.45") or after == Decimal(50 * number_of_children)


@given(obligor_net=net_incomes, obligee_net=net_incomes, number_of_children=st.integers(min_value=1, max_value=4))
def test_washington_more_children_never_lowers_the_total_obligation(
    obligor_net: Decimal, obligee_net: Decimal, number_of_children: int
) -> None:
    assume(Decimal("1000") <= obligor_net + obligee_net)
    fewer = _wa(obligor_net, obligee_net, number_of_children)

    more = _wa(obligor_net, obligee_net, number_of_children + 1)

    assert more.basic_support_obligation >= fewer.basic_support_obligation
    assert more.limitation.after_limitations >= fewer.limitation.after_limitations
    assert more.standard_calculation >= fewer.standard_calculation


@given(obligor_net=net_incomes, obligee_net=net_incomes, number_of_children=wa_children, expense=day_care)
def test_washington_shares_add_back_to_the_basic_obligation_and_to_one_hundred_percent(
    obligor_net: Decimal, obligee_net: Decimal, number_of_children: int, expense: Decimal
) -> None:
    assume(Decimal("1000") <= obligor_net + obligee_net)

    result = _wa(obligor_net, obligee_net, number_of_children, expense)

    assert result.obligor_basic_support + result.obligee_basic_support == result.basic_support_obligation
    assert sum(result.proportional_share_percent) == Decimal("100")


def test_washington_results_from_the_2026_table_say_where_the_table_comes_from_and_2025_results_do_not() -> None:
    def standard(as_of: date) -> WashingtonGuideline:
        return washington_guideline(
            obligor=ParentIncome(net_income=Decimal("4000.00")),
            obligee=ParentIncome(net_income=Decimal("2000.00")),
            number_of_children=2,
            expenses=Expenses(),
            as_of=as_of,
        )

    in_2025 = standard(date(2025, 12, 31))
    in_2026 = standard(date(2026, 1, 1))

    assert not any(notice.startswith("About the table used") for notice in in_2025.notices)
    [source] = [notice for notice in in_2026.notices if notice.startswith("About the table used")]
    assert "published copy of the statute as codified, not from the official session law" in source
    assert "checked against the bill as introduced" in source
    assert "PROVISIONAL" not in source and "docs/" not in source
    assert in_2025.per_child_amount == in_2026.per_child_amount  # the $6,000 row carried over unchanged


WA_2026 = date(2026, 3, 1)


def _wa_2026(obligor_net: Decimal, obligee_net: Decimal, number_of_children: int) -> WashingtonGuideline:
    return washington_guideline(
        obligor=ParentIncome(net_income=obligor_net),
        obligee=ParentIncome(net_income=obligee_net),
        number_of_children=number_of_children,
        expenses=Expenses(),
        as_of=WA_2026,
    )


@given(
    combined=_between("0", "60000"),
    raise_amount=_between("0.01", "5000"),
    number_of_children=wa_children,
)
def test_washington_2026_basic_obligation_never_decreases_when_combined_income_rises(
    combined: Decimal, raise_amount: Decimal, number_of_children: int
) -> None:
    # Every combined income from $0 to above the $50,000 ceiling gives a worksheet, never an error; the table
    # amount (nearest row) never falls as income rises.
    before = _wa_2026(combined, Decimal("0.00"), number_of_children)

    after = _wa_2026(combined + raise_amount, Decimal("0.00"), number_of_children)

    assert after.basic_support_obligation >= before.basic_support_obligation
    assert before.standard_calculation >= Decimal(50 * number_of_children)


@given(obligor_net=_between("0", "2199.99"), number_of_children=wa_children)
def test_washington_below_the_table_the_presumptive_minimum_decides_on_both_sides_of_2026(
    obligor_net: Decimal, number_of_children: int
) -> None:
    for as_of, floor in ((WA_AS_OF, Decimal("1000")), (WA_2026, Decimal("2200"))):
        income = min(obligor_net, floor - Decimal("0.01"))
        result = washington_guideline(
            obligor=ParentIncome(net_income=income),
            obligee=ParentIncome(net_income=Decimal("0.00")),
            number_of_children=number_of_children,
            expenses=Expenses(),
            as_of=as_of,
        )

        assert result.per_child_amount == Decimal("0.00")
        assert result.limitation.applied == "presumptive_minimum"
        assert result.standard_calculation == Decimal(50 * number_of_children)
        assert any(notice.startswith("The parents' combined monthly net income is below") for notice in result.notices)
