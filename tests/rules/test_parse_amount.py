"""The one amount parser (issue #16, low finding): ASCII dollars and cents up to $99,999,999.99."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.rules.money import AMOUNT_MAXIMUM, parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [("500", "500.00"), ("500.5", "500.50"), ("500.05", "500.05"), (" 1.25 ", "1.25"), ("0", "0.00"),
     ("007.10", "7.10"), ("99999999.99", "99999999.99")],
)  # fmt: skip
def test_plain_dollars_and_cents_are_read_exactly(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)
    assert parse_amount(text).as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text",
    ["1_000", "1_000.00", "１２３", "١٢٣", "1,000.00", "1 000", "1e3", "1E3", "-5", "+5", ".5", "5.",
     "", " ", "NaN", "Infinity", "$5", "5$", "0x10", "5.0.0"],
)  # fmt: skip
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="digits 0-9"):
        parse_amount(text)


def test_a_third_decimal_place_is_named() -> None:
    with pytest.raises(ValueError, match="no more than 2 decimal places"):
        parse_amount("12.345")


@pytest.mark.parametrize("text", ["100000000.00", "99999999999.99", "1" * 20])
def test_more_than_the_cap_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"at most 99,999,999\.99"):
        parse_amount(text)


@given(st.integers(min_value=0, max_value=int(AMOUNT_MAXIMUM * 100)))
def test_every_amount_in_cents_up_to_the_cap_reads_back(cents: int) -> None:
    amount = Decimal(cents).scaleb(-2)
    assert parse_amount(f"{amount:.2f}") == amount
