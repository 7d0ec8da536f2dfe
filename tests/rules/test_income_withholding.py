"""The amounts an Income Withholding for Support states (rules.income_withholding)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.income_withholding import Ordered, iwo_amounts
from opencse.rules.money import ZERO

ON = date(2026, 3, 2)


def test_worked_example_w1_one_order_biweekly() -> None:
    """domain/withholding.md section 7, W1: $500.00 a month current and $100.00 on arrears; the biweekly
    amount is monthly x 12 / 26: $276.92 (the example's $230.77 + $46.15)."""
    amounts = iwo_amounts(
        ordered=Ordered(child_support=Decimal("500.00"), arrears_payment=Decimal("100.00")),
        arrears_owed=Decimal("5000.00"),
        arrears_over_12_weeks=True,
        state="US",
        as_of=ON,
    )

    assert amounts.total_monthly == Decimal("600.00")
    assert amounts.per_pay_period == {
        "weekly": Decimal("138.46"),  # 600 x 12 / 52
        "biweekly": Decimal("276.92"),
        "semimonthly": Decimal("300.00"),  # 600 x 12 / 24
        "monthly": Decimal("600.00"),
    }
    assert amounts.monthly["past_due_child_support"] == Decimal("100.00")
    assert amounts.remit_within_business_days == 7  # 42 U.S.C. 666(b)(6)(A)(i)


def test_an_order_without_a_payment_on_arrears_takes_mississippis_20_percent_of_current_support() -> None:
    """Miss. Code Ann. 93-11-103 (20% of current support toward a delinquency); 93-11-111: the payor begins
    after 14 days and keeps a $2.00 fee."""
    amounts = iwo_amounts(
        ordered=Ordered(child_support=Decimal("437.50")),
        arrears_owed=Decimal("900.00"),
        arrears_over_12_weeks=False,
        state="MS",
        as_of=ON,
    )

    assert amounts.monthly["past_due_child_support"] == Decimal("87.50")
    assert (amounts.begin_within_days, amounts.employer_fee) == (14, Decimal("2.00"))


def test_the_federal_defaults_state_no_fee_and_the_lower_ccpa_limit() -> None:
    amounts = iwo_amounts(
        ordered=Ordered(child_support=Decimal("300.00")),
        arrears_owed=ZERO,
        arrears_over_12_weeks=False,
        state="WA",
        as_of=ON,
    )

    assert (amounts.employer_fee, amounts.limit_percent) == (Decimal("0"), Decimal("50"))  # 15 U.S.C. 1673(b)(2)(A)


def test_the_payment_on_arrears_is_never_more_than_is_owed() -> None:
    amounts = iwo_amounts(
        ordered=Ordered(child_support=Decimal("500.00"), arrears_payment=Decimal("250.00")),
        arrears_owed=Decimal("40.00"),
        arrears_over_12_weeks=False,
        state="MS",
        as_of=ON,
    )

    assert amounts.monthly["past_due_child_support"] == Decimal("40.00")
    assert amounts.total_monthly == Decimal("540.00")


def test_nothing_owed_means_no_past_due_line_even_when_the_order_sets_a_payment() -> None:
    amounts = iwo_amounts(
        ordered=Ordered(child_support=Decimal("500.00"), arrears_payment=Decimal("50.00")),
        arrears_owed=ZERO,
        arrears_over_12_weeks=False,
        state="MS",
        as_of=ON,
    )

    assert amounts.monthly["past_due_child_support"] == ZERO


def test_arrears_only_without_a_payment_on_arrears_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        iwo_amounts(
            ordered=Ordered(), arrears_owed=Decimal("1200.00"), arrears_over_12_weeks=True, state="MS", as_of=ON
        )

    assert refused.value.field == "arrears_payment"


def test_an_other_obligation_must_say_what_it_is() -> None:
    with pytest.raises(InvalidInput) as refused:
        iwo_amounts(
            ordered=Ordered(other=Decimal("25.00")),
            arrears_owed=ZERO,
            arrears_over_12_weeks=False,
            state="US",
            as_of=ON,
        )

    assert refused.value.field == "other_description"


@pytest.mark.parametrize("field", ["child_support", "arrears_payment"])
def test_a_negative_or_fractional_cent_amount_is_refused(field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        iwo_amounts(
            ordered=Ordered(**{field: Decimal("-1.00")}),
            arrears_owed=ZERO,
            arrears_over_12_weeks=False,
            state="US",
            as_of=ON,
        )
    assert refused.value.field == field

    with pytest.raises(InvalidInput):
        iwo_amounts(
            ordered=Ordered(**{field: Decimal("1.005")}),
            arrears_owed=ZERO,
            arrears_over_12_weeks=False,
            state="US",
            as_of=ON,
        )


def test_mississippis_percentage_is_dated_the_day_the_2000_amendment_is_taken_to_apply() -> None:
    """Before 2000-07-01 Mississippi's file has no version of the percentage: the rule refuses rather than
    take the later value (rules/params.py)."""
    ordered = Ordered(child_support=Decimal("100.00"))
    with pytest.raises(InvalidInput):
        iwo_amounts(
            ordered=ordered,
            arrears_owed=Decimal("10.00"),
            arrears_over_12_weeks=False,
            state="MS",
            as_of=date(2000, 6, 30),
        )
    after = iwo_amounts(
        ordered=ordered, arrears_owed=Decimal("100.00"), arrears_over_12_weeks=False, state="MS", as_of=date(2000, 7, 1)
    )
    assert after.monthly["past_due_child_support"] == Decimal("20.00")


CENTS = st.integers(min_value=0, max_value=500_000).map(lambda cents: Decimal(cents) / 100)


@given(child=CENTS, medical=CENTS, spousal=CENTS, owed=CENTS, payment=st.none() | CENTS)
def test_the_total_is_the_sum_of_the_lines_and_each_pay_period_is_the_total_converted(
    child: Decimal, medical: Decimal, spousal: Decimal, owed: Decimal, payment: Decimal | None
) -> None:
    """Invariant: the form's total is the sum of its lines; the arrears line never exceeds what is owed; each
    pay period's amount times its periods a year is the monthly total times 12, within half a cent a period."""
    ordered = Ordered(child_support=child, cash_medical=medical, spousal_support=spousal, arrears_payment=payment)
    try:
        amounts = iwo_amounts(ordered=ordered, arrears_owed=owed, arrears_over_12_weeks=False, state="MS", as_of=ON)
    except InvalidInput as refused:
        assert refused.field == "arrears_payment" and child + medical + spousal == ZERO and payment is None
        return

    assert amounts.total_monthly == sum(amounts.monthly.values(), ZERO)
    assert amounts.monthly["past_due_child_support"] <= owed
    for period, per_year in {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}.items():
        difference = abs(amounts.per_pay_period[period] * per_year - amounts.total_monthly * 12)
        assert difference <= Decimal("0.005") * per_year


def test_an_order_to_an_employer_in_another_state_cites_uifsa_501_in_the_issuing_states_law() -> None:
    from opencse.rules.income_withholding import sent_across_state_lines

    # Miss. Code Ann. 93-25-501/502 (Mississippi's UIFSA sections 501-502); the federal default cites UIFSA itself.
    line = sent_across_state_lines(issuing_state="MS", employer_state="tx ", as_of=date(2026, 5, 4))
    federal = sent_across_state_lines(issuing_state="ZZ", employer_state="TX", as_of=date(2026, 5, 4))

    assert line is not None and federal is not None
    assert (line.value, line.reference) == ("TX", "Miss. Code Ann. 93-25-501, 93-25-502 (UIFSA sections 501-502); "
                                                  "45 CFR 303.100(f)")  # fmt: skip
    assert "its own State's law for its fee" in line.step
    assert federal.reference.startswith("UIFSA sections 501-502; 42 U.S.C. 666(b)(6)(A)(i)")
    assert sent_across_state_lines(issuing_state="MS", employer_state="MS", as_of=date(2026, 5, 4)) is None
    assert sent_across_state_lines(issuing_state="MS", employer_state="", as_of=date(2026, 5, 4)) is None
