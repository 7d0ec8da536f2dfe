"""Deviations from a guideline amount: the reason the law allows, the amount and the finding.

A guideline amount is a rebuttable presumption in both states (Miss. Code Ann. § 43-19-101(2);
RCW 26.19.075(3)). An officer or tribunal that departs from it must state a finding and rest it on a
reason the statute names. OpenCSE never decides a deviation: it records the one the officer enters,
checks that its reason is one the statute names, and shows the ordered amount beside the standard one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from opencse.errors import InvalidInput
from opencse.rules.money import ZERO

DEVIATIONS_MAXIMUM = 20  # far more than any order states; a longer list is a mistake in the input


@dataclass(frozen=True, slots=True)
class Deviation:
    """A deviation the officer entered: the statutory reason, the signed monthly amount, the finding."""

    reason: str
    amount: Decimal
    finding: str


@dataclass(frozen=True, slots=True)
class DeviationReason:
    """A deviation as recorded in a result: the reason with its statutory wording and citation."""

    reason: str
    description: str
    reference: str
    amount: Decimal
    finding: str


def record_deviations(
    *, deviations: Sequence[Deviation], allowed: Mapping[str, str], reference_prefix: str, field: str
) -> tuple[DeviationReason, ...]:
    """Check each deviation's reason against the statute's list and attach its wording."""
    if len(deviations) > DEVIATIONS_MAXIMUM:
        raise InvalidInput(f"must have at most {DEVIATIONS_MAXIMUM} items", field=field)
    recorded = []
    for index, deviation in enumerate(deviations):
        if deviation.reason not in allowed:
            choices = ", ".join(sorted(allowed))
            raise InvalidInput(f"{deviation.reason[:40]!r} is not one of: {choices}", field=f"{field}[{index}].reason")
        recorded.append(
            DeviationReason(
                reason=deviation.reason,
                description=str(allowed[deviation.reason]),
                reference=f"{reference_prefix}({deviation.reason})",
                amount=deviation.amount,
                finding=deviation.finding,
            )
        )
    return tuple(recorded)


def ordered_amount(*, standard: Decimal, deviations: Sequence[DeviationReason], field: str) -> Decimal:
    """The standard amount plus every deviation; an order below zero is refused."""
    ordered = standard + sum((deviation.amount for deviation in deviations), ZERO)
    if ordered < ZERO:
        raise InvalidInput("the deviations take the ordered support below zero", field=field)
    return ordered
