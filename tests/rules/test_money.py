from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from opencse.rules.money import ZERO, format_amount, prorate_capped, round_cents, split_pro_rata

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


@given(
    total=amounts,
    dues=st.lists(st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2), min_size=1, max_size=8),
)
def test_a_capped_proration_weighted_by_its_caps_is_the_plain_pro_rata_split(
    total: Decimal, dues: list[Decimal]
) -> None:
    # Distribution across cases weights each case by what it is due: the capped proration must give the
    # split it gave before it was shared with withholding (one rounding, no capping needed).
    placed = min(total, sum(dues, ZERO))
    parts = prorate_capped(placed, weights=dues, caps=dues)

    if ZERO < placed < sum(dues, ZERO):
        short = [i for i, due in enumerate(dues) if due > ZERO]
        plain = split_pro_rata(placed, [dues[i] for i in short])
        assert [parts[i] for i in short] == plain
    assert sum(parts, ZERO) == placed
    assert all(ZERO <= part <= due for part, due in zip(parts, dues, strict=True))


def test_a_part_with_room_but_no_weight_takes_what_the_weighted_parts_cannot() -> None:
    # The weighted part is capped at 100.00 even when its weight equals its cap; the other 20.00 goes by room.
    # (Before, a shortcut for "weights equal to caps" gave the weighted part all 120.00 and failed its assertion.)
    parts = prorate_capped(
        Decimal("120.00"), weights=[ZERO, Decimal("100.00")], caps=[Decimal("50.00"), Decimal("100.00")]
    )

    assert parts == [Decimal("20.00"), Decimal("100.00")]
