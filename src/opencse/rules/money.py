"""Money: Decimal amounts in cents, explicit rounding, and exact proration.

Every rounding names its mode. Decimal's default context rounds half-even, which no statute or
worksheet uses, so `round_cents` has no default.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

__all__ = [
    "CENT",
    "HUNDRED",
    "ROUND_DOWN",
    "ROUND_HALF_UP",
    "ZERO",
    "format_amount",
    "is_whole_cents",
    "percent_of",
    "round_cents",
    "split_pro_rata",
]


def round_cents(value: Decimal, *, rounding: str) -> Decimal:
    """Round to the cent with the named mode (ROUND_HALF_UP, ROUND_DOWN, ...)."""
    return value.quantize(CENT, rounding=rounding)


def is_whole_cents(value: Decimal) -> bool:
    return value == value.quantize(CENT, rounding=ROUND_DOWN)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """`percent` percent of `amount`, at full precision (the caller rounds)."""
    return amount * percent / HUNDRED


def format_amount(value: Decimal) -> str:
    """The JSON form of an amount: exactly two decimal places (design/rules-cli.md)."""
    assert is_whole_cents(value), value
    return f"{value.quantize(CENT, rounding=ROUND_DOWN):.2f}"


def split_pro_rata(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` by weight into cents that add up to it exactly.

    Each part is first rounded down to the cent; the leftover cents then go one each to the parts
    with the largest remainders, ties to the earlier weight (the largest-remainder method). This is
    deterministic and never gives a part more than one cent above its exact share.
    """
    assert total == round_cents(total, rounding=ROUND_HALF_UP), total
    assert total >= ZERO, total
    assert all(weight >= ZERO for weight in weights), weights
    weight_total = sum(weights, ZERO)
    assert weight_total > ZERO, weights
    exact = [total * weight / weight_total for weight in weights]
    parts = [round_cents(share, rounding=ROUND_DOWN) for share in exact]
    spare_cents = int((total - sum(parts, ZERO)) / CENT)
    assert 0 <= spare_cents <= len(parts), spare_cents
    by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[:spare_cents]:
        parts[i] += CENT
    assert sum(parts, ZERO) == total
    return parts
