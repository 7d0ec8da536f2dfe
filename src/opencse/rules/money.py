"""Money: Decimal amounts in cents, explicit rounding, and exact proration.

Every rounding names its mode. Decimal's default context rounds half-even, which no statute or
worksheet uses, so `round_cents` has no default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# The largest amount one payment may have: ten digits of cents, the width of the NACHA entry amount and of
# the child support addendum's DED04, so every amount posted by hand can also travel in a payment file.
AMOUNT_MAXIMUM = Decimal("99999999.99")
# ASCII digits, then at most one decimal point with one or two places. `[0-9]` is ASCII only (Python's
# `\d` and `Decimal()` also take full-width and other Unicode digits, and `Decimal()` takes "1_000").
_AMOUNT_TEXT = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,2})?")
_TOO_MANY_PLACES = re.compile(r"[0-9]{1,20}\.[0-9]{3,20}")

__all__ = [
    "AMOUNT_MAXIMUM",
    "CENT",
    "HUNDRED",
    "ROUND_DOWN",
    "ROUND_HALF_UP",
    "ZERO",
    "format_amount",
    "is_whole_cents",
    "parse_amount",
    "percent_of",
    "prorate_capped",
    "round_cents",
    "split_pro_rata",
]


def parse_amount(text: str) -> Decimal:
    """Dollars and cents as typed or sent: "500", "500.5", "500.50", at most `AMOUNT_MAXIMUM`. Refused with
    the reason (ValueError): a sign, separators, an exponent, underscores, non-ASCII digits, a third
    decimal place. Surrounding spaces are ignored. The one parser of the web forms, the API and files."""
    stripped = text.strip()
    if _TOO_MANY_PLACES.fullmatch(stripped):
        raise ValueError("Ensure that there are no more than 2 decimal places.")  # Django's words
    if not _AMOUNT_TEXT.fullmatch(stripped):
        raise ValueError("must be dollars and cents in digits 0-9, like 500.00 (no sign, commas or spaces)")
    amount = Decimal(stripped).quantize(CENT, rounding=ROUND_DOWN)  # exact: at most two places here
    if amount > AMOUNT_MAXIMUM:
        raise ValueError(f"must be at most {AMOUNT_MAXIMUM:,}")
    return amount


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


def prorate_capped(total: Decimal, *, weights: Sequence[Decimal], caps: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` (at most the caps' sum) by weight, no part above its cap, parts adding up exactly.

    Parts whose weighted share would pass their cap get the cap and the rest is shared again among the
    others, by weight (at most one pass per part; the comparison is exact, so only the final split rounds).
    What is still left (parts with zero weight but room) is shared by room. Leftover cents: largest
    remainder, ties to the earlier part (`split_pro_rata`). The one capped proration of the rules:
    withholding across orders (45 CFR 303.100(a)(5)) and a collection across an obligor's cases.
    """
    caps_total = sum(caps, ZERO)
    assert ZERO <= total <= caps_total, (total, caps)
    assert len(weights) == len(caps), (weights, caps)
    if total == ZERO:  # fast paths: nothing, or everything (the hot path of the withholding benchmark)
        return [ZERO] * len(caps)
    if total == caps_total:
        return list(caps)
    parts = [ZERO] * len(caps)
    active = [i for i, cap in enumerate(caps) if cap > ZERO and weights[i] > ZERO]
    remaining = _fill_to_caps(total, parts, active, weights=weights, caps=caps)
    if remaining > ZERO:
        room = [cap - part for cap, part in zip(caps, parts, strict=True)]
        for i, share in enumerate(split_pro_rata(remaining, room)):
            parts[i] += share
    assert sum(parts, ZERO) == total, (parts, total)
    assert all(ZERO <= part <= cap for part, cap in zip(parts, caps, strict=True)), (parts, caps)
    return parts


def _fill_to_caps(
    total: Decimal, parts: list[Decimal], active: list[int], *, weights: Sequence[Decimal], caps: Sequence[Decimal]
) -> Decimal:
    """Fill `parts` by weight among `active`, capping as needed; return what could not be placed."""
    remaining = total
    for _ in range(len(caps) + 1):  # each pass caps at least one part, or is the last
        if not active or remaining == ZERO:
            return remaining
        weight_total = sum((weights[i] for i in active), ZERO)
        over = [i for i in active if remaining * weights[i] > caps[i] * weight_total]
        if not over:
            for i, share in zip(active, split_pro_rata(remaining, [weights[i] for i in active]), strict=True):
                parts[i] = share
            return ZERO
        for i in over:
            parts[i] = caps[i]
            remaining -= caps[i]
        active = [i for i in active if i not in over]
    raise AssertionError("capping did not finish within one pass per part")
