"""Properties of the child support guidelines that must hold for every input (hypothesis).

Expected values for particular situations are in tests/rules/cases/guideline.yaml, each with its
source; these tests check the shape of the schedule: more income or more children never lowers the
presumptive support, and the limits of the law are never exceeded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from opencse.rules.guidelines.mississippi import MississippiIncome, mississippi_guideline

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
