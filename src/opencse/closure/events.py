"""What happens to a proposed closure that the worklist reacts to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class ClosureNoticeSent:
    """A notice of intent to close was sent (45 CFR 303.11(d)): the case may close on `closes_on` unless the
    recipient responds; the worklist reminds the case's worker on that day."""

    closure_id: int
    case_id: int
    sent_on: date
    closes_on: date
    criterion: str
    actor_id: int
