"""What happens to a case that other parts of OpenCSE react to (`opencse.common.events`): published by
`cases.services` inside its transaction; the worklist (`opencse.work`) opens and completes tasks from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CaseOpened:
    """A IV-D case was opened on a referral or an application (45 CFR 303.2(b): 20 days from its receipt)."""

    case_id: int
    program: str
    category: str
    referral_received_on: date
    opened_on: date
    actor_id: int


@dataclass(frozen=True, slots=True)
class CaseClosed:
    """A case was closed under 45 CFR 303.11(b): nothing is left to do on it."""

    case_id: int
    closed_on: date
    actor_id: int


@dataclass(frozen=True, slots=True)
class FollowUpRequested:
    """An officer's note asks for a follow-up on a date (a tickler)."""

    note_id: int
    case_id: int
    author_id: int
    noted_on: date
    follow_up_on: date
    text: str
