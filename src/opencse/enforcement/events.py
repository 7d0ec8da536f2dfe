"""What enforcement does that the worklist reacts to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class IncomeWithholdingSent:
    """An Income Withholding for Support went to an employer (45 CFR 303.100(e)): the case's withholding
    task is done. `action` is the form's (original, amended, termination, lump sum)."""

    withholding_id: int
    case_id: int
    obligor_id: int
    employer_id: int
    action: str
    sent_on: date
    actor_id: int
