"""What happens to a support order that other parts of OpenCSE react to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OrderEntered:
    """An order (or a modification of one) was entered: the 36-month review cycle of 45 CFR 303.8(b)(1)
    starts again from the day it was signed."""

    order_id: int
    case_id: int
    signed_on: date
    modifies_id: int | None
    actor_id: int
