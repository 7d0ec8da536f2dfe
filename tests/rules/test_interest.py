"""Interest on arrears (opencse.rules.interest): hand-computed months and properties.

Worked examples are computed by hand from the statute's rate: 12% a year is 1% a month, so $1,200.00
earns $12.00 in a month (RCW 4.56.110(2) rate); compounded, the second month earns 1% of $1,212.00.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.interest import (
    ARREARS_BUCKETS,
    BucketBalance,
    InterestTerms,
    interest_terms,
    monthly_interest,
    unpaid_interest_interest_first,
    unpaid_interest_principal_first,
)
from opencse.rules.money import ZERO, is_whole_cents

FEBRUARY = date(2026, 2, 28)
MARCH = date(2026, 3, 31)


def washington(**changes: object) -> InterestTerms:
    """Washington's parameters (12% simple) with interest switched on, as a deployment would date it."""
    terms = interest_terms("wa/interest", FEBRUARY)
    return dataclasses.replace(terms, **{"enabled": True, **changes})  # type: ignore[arg-type]  # test overrides


def one_bucket(balance: str, unpaid: str = "0.00", bucket: str = "never_assigned") -> dict[str, BucketBalance]:
    return {bucket: BucketBalance(balance=Decimal(balance), interest_unpaid=Decimal(unpaid))}


def test_twelve_hundred_dollars_at_twelve_percent_simple_earn_twelve_dollars_in_a_month() -> None:
    result = monthly_interest(month_ending=FEBRUARY, balances=one_bucket("1200.00"), terms=washington())

    assert result.interest == {"never_assigned": Decimal("12.00")}


def test_compound_interest_in_month_two_is_charged_on_the_first_months_interest_too() -> None:
    result = monthly_interest(
        month_ending=MARCH, balances=one_bucket("1212.00", unpaid="12.00"), terms=washington(method="compound")
    )

    assert result.interest == {"never_assigned": Decimal("12.12")}


def test_simple_interest_in_month_two_is_charged_on_the_principal_only() -> None:
    result = monthly_interest(month_ending=MARCH, balances=one_bucket("1212.00", unpaid="12.00"), terms=washington())

    assert result.interest == {"never_assigned": Decimal("12.00")}


def test_half_a_cent_rounds_up() -> None:
    # 1% of 100.50 is 1.005: ROUND_HALF_UP gives 1.01 (half-even would give 1.00).
    result = monthly_interest(month_ending=FEBRUARY, balances=one_bucket("100.50"), terms=washington())

    assert result.interest == {"never_assigned": Decimal("1.01")}


def test_an_odd_rate_is_rounded_once_to_the_cent() -> None:
    # 8% a year on 1,000.00: 1000 x 0.08 / 12 = 6.6666..., rounded half up to 6.67.
    result = monthly_interest(
        month_ending=FEBRUARY, balances=one_bucket("1000.00"), terms=washington(annual_rate_percent=Decimal("8"))
    )

    assert result.interest == {"never_assigned": Decimal("6.67")}


def test_only_the_buckets_the_state_names_bear_interest() -> None:
    balances = {
        "never_assigned": BucketBalance(balance=Decimal("600.00")),
        "permanently_assigned": BucketBalance(balance=Decimal("900.00")),
    }

    result = monthly_interest(
        month_ending=FEBRUARY, balances=balances, terms=washington(accrues_on=frozenset({"never_assigned"}))
    )

    assert result.interest == {"never_assigned": Decimal("6.00")}


def test_no_interest_below_the_minimum_balance() -> None:
    terms = washington(minimum_balance=Decimal("500.00"))

    below = monthly_interest(month_ending=FEBRUARY, balances=one_bucket("499.99"), terms=terms)
    at = monthly_interest(month_ending=FEBRUARY, balances=one_bucket("500.00"), terms=terms)

    assert below.interest == {}
    assert at.interest == {"never_assigned": Decimal("5.00")}


def test_only_the_judgment_bears_interest_when_the_state_says_so() -> None:
    balances = {"never_assigned": BucketBalance(balance=Decimal("1200.00"), judgment=Decimal("300.00"))}

    result = monthly_interest(month_ending=FEBRUARY, balances=balances, terms=washington(judgments_only=True))

    assert result.interest == {"never_assigned": Decimal("3.00")}


def test_without_a_judgment_amount_the_whole_principal_is_a_judgment() -> None:
    result = monthly_interest(
        month_ending=FEBRUARY, balances=one_bucket("1200.00"), terms=washington(judgments_only=True)
    )

    assert result.interest == {"never_assigned": Decimal("12.00")}


def test_a_zero_or_overpaid_bucket_earns_nothing() -> None:
    balances = {"never_assigned": BucketBalance(balance=Decimal("-5.00")), "permanently_assigned": BucketBalance(ZERO)}

    result = monthly_interest(month_ending=FEBRUARY, balances=balances, terms=washington())

    assert result.interest == {}


def test_the_explanation_cites_the_statute_for_the_rate() -> None:
    result = monthly_interest(month_ending=FEBRUARY, balances=one_bucket("1200.00"), terms=washington())

    rate = next(line for line in interest_terms("wa/interest", FEBRUARY).explanation if "rate" in line.step)
    assert "RCW 4.56.110(2)" in rate.reference
    assert any(use.name == "wa/interest.annual_rate" for use in result.parameters)
    assert result.explanation[-1].value == "12.00"


@pytest.mark.parametrize("name", ["us/interest", "wa/interest", "ms/interest"])
def test_interest_is_off_by_default_in_every_jurisdiction(name: str) -> None:
    terms = interest_terms(name, date(2026, 11, 30))

    result = monthly_interest(month_ending=date(2026, 11, 30), balances=one_bucket("50000.00"), terms=terms)

    assert terms.enabled is False
    assert result.interest == {}


def test_washington_has_the_twelve_percent_rate_ready() -> None:
    terms = interest_terms("wa/interest", date(2026, 11, 30))

    assert terms.annual_rate_percent == Decimal("12")
    assert terms.method == "simple"


def test_mississippi_applies_payments_to_interest_first() -> None:
    assert interest_terms("ms/interest", date(2026, 11, 30)).payments_apply_to == "interest_first"


def test_a_date_before_the_first_version_is_refused() -> None:
    with pytest.raises(InvalidInput):
        interest_terms("us/interest", date(1999, 12, 31))


def test_principal_first_keeps_all_charged_interest_unpaid_until_the_principal_is_paid() -> None:
    # 1,200.00 principal, 12.00 interest, then a 20.00 payment: it pays principal, interest stays.
    assert unpaid_interest_principal_first(balance=Decimal("1192.00"), interest_charged=Decimal("12.00")) == Decimal(
        "12.00"
    )
    assert unpaid_interest_principal_first(balance=Decimal("5.00"), interest_charged=Decimal("12.00")) == Decimal(
        "5.00"
    )


def test_interest_first_pays_the_earlier_interest_and_not_the_interest_charged_later() -> None:
    # January: 12.00 interest. February: 20.00 paid (12.00 interest, 8.00 principal), 11.92 interest.
    months = [(ZERO, Decimal("12.00")), (Decimal("20.00"), Decimal("11.92"))]

    unpaid = unpaid_interest_interest_first(balance=Decimal("1203.92"), months=months)

    assert unpaid == Decimal("11.92")


# Properties ---------------------------------------------------------------------------------------

cents = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("500000.00"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("30"), places=3)
buckets = st.sampled_from(ARREARS_BUCKETS)


@st.composite
def bucket_balances(draw: st.DrawFn) -> dict[str, BucketBalance]:
    found = {}
    for bucket in draw(st.sets(buckets, min_size=1)):
        balance = draw(cents)
        unpaid = draw(st.decimals(min_value=ZERO, max_value=balance, places=2))
        found[bucket] = BucketBalance(balance=balance, interest_unpaid=unpaid)
    return found


methods = st.sampled_from(["simple", "compound"])


@given(balances=bucket_balances(), rate=rates, method=methods)
def test_interest_is_never_negative_and_always_whole_cents(
    balances: dict[str, BucketBalance], rate: Decimal, method: str
) -> None:
    result = monthly_interest(
        month_ending=FEBRUARY, balances=balances, terms=washington(annual_rate_percent=rate, method=method)
    )

    assert all(amount > ZERO for amount in result.interest.values())
    assert all(is_whole_cents(amount) for amount in result.interest.values())


@given(balances=bucket_balances(), rate=rates, method=methods)
def test_no_interest_when_disabled(balances: dict[str, BucketBalance], rate: Decimal, method: str) -> None:
    terms = washington(annual_rate_percent=rate, method=method, enabled=False)

    result = monthly_interest(month_ending=FEBRUARY, balances=balances, terms=terms)

    assert result.interest == {}
    assert result.total == ZERO


@given(principal=cents, first=cents, second=cents, rate=rates)
def test_simple_interest_of_a_month_does_not_depend_on_past_interest(
    principal: Decimal, first: Decimal, second: Decimal, rate: Decimal
) -> None:
    terms = washington(annual_rate_percent=rate)

    with_first = monthly_interest(
        month_ending=MARCH, balances=one_bucket(str(principal + first), str(first)), terms=terms
    )
    with_second = monthly_interest(
        month_ending=MARCH, balances=one_bucket(str(principal + second), str(second)), terms=terms
    )

    assert with_first.interest == with_second.interest


@given(principal=cents, unpaid=cents, rate=rates)
def test_compound_interest_is_never_less_than_simple(principal: Decimal, unpaid: Decimal, rate: Decimal) -> None:
    balances = one_bucket(str(principal + unpaid), str(unpaid))

    simple = monthly_interest(month_ending=MARCH, balances=balances, terms=washington(annual_rate_percent=rate))
    compound = monthly_interest(
        month_ending=MARCH, balances=balances, terms=washington(annual_rate_percent=rate, method="compound")
    )

    assert compound.total >= simple.total


@given(
    balance=cents,
    months=st.lists(st.tuples(cents, st.decimals(min_value=ZERO, max_value=Decimal("5000"), places=2)), max_size=36),
)
def test_unpaid_interest_is_never_more_than_the_balance_nor_negative(
    balance: Decimal, months: list[tuple[Decimal, Decimal]]
) -> None:
    charged = sum((interest for _, interest in months), ZERO)

    interest_first = unpaid_interest_interest_first(balance=balance, months=months)
    principal_first = unpaid_interest_principal_first(balance=balance, interest_charged=charged)

    assert ZERO <= interest_first <= balance
    assert ZERO <= principal_first <= balance
    assert interest_first <= principal_first
