from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from opencse.rules.money import ZERO, format_amount, round_cents, split_pro_rata

amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False
)


@given(total=amounts, weights=st.lists(amounts, min_size=1, max_size=12).filter(lambda ws: sum(ws) > 0))
def test_pro_rata_split_creates_and_loses_no_cents(total: Decimal, weights: list[Decimal]) -> None:
    parts = split_pro_rata(total, weights)

    assert sum(parts, ZERO) == total
    assert min(parts) >= 0


@given(total=amounts, weights=st.lists(amounts, min_size=1, max_size=12).filter(lambda ws: sum(ws) > 0))
def test_no_part_strays_a_cent_or_more_from_its_exact_share(total: Decimal, weights: list[Decimal]) -> None:
    parts = split_pro_rata(total, weights)

    weight_total = sum(weights, ZERO)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / weight_total) < Decimal("0.01")


def test_leftover_cent_goes_to_the_largest_remainder_then_the_earlier_weight() -> None:
    # 1.00 in three equal parts: 0.33 each exactly-rounded-down, one spare cent to the first.
    assert split_pro_rata(Decimal("1.00"), [Decimal(1), Decimal(1), Decimal(1)]) == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]
    # 0.10 split 1:2 -> 0.0333.. and 0.0666..: the larger remainder (second) takes the spare cent.
    assert split_pro_rata(Decimal("0.10"), [Decimal(1), Decimal(2)]) == [Decimal("0.03"), Decimal("0.07")]


def test_rounding_names_its_mode() -> None:
    assert round_cents(Decimal("2.345"), rounding=ROUND_HALF_UP) == Decimal("2.35")
    assert round_cents(Decimal("2.349"), rounding=ROUND_DOWN) == Decimal("2.34")


def test_amounts_print_with_exactly_two_places() -> None:
    assert format_amount(Decimal("5")) == "5.00"
    assert format_amount(Decimal("1234.5")) == "1234.50"
