"""The two-person rule shared by every decision that needs signature authority (adjustments,
establishment proposals, direct deposit changes): the record must still be waiting, the decider may not be
the person who asked, a rejection says why, and the decision is stamped (who, when, the note) on the record
itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.utils import timezone

from opencse.errors import Conflict, InvalidInput, NotAuthorized

NOTE_LENGTH_MAXIMUM = 500


class Decidable(Protocol):
    status: str
    decision_note: str

    def save(self, *, update_fields: Sequence[str]) -> None: ...


def check_second_person(
    *, actor_id: int, requester_id: int, status: str, waiting: str, what: str, refusal: str
) -> None:
    """Refuse a decision on a record (`what`: "adjustment") already decided, or by the person who asked."""
    if status != waiting:
        raise Conflict(f"This {what} was already {status}.")
    if requester_id == actor_id:
        raise NotAuthorized(refusal)


def check_rejection_reason(note: str) -> None:
    """A rejection says why: the note may not be blank."""
    if not note.strip():
        raise InvalidInput("give the reason for rejecting", field="note")


def stamp_decision(record: Decidable, *, actor: object, status: str, note: str, also: Sequence[str] = ()) -> None:
    """Record the decision on `record` (status, decider, time, note) and save those fields."""
    record.status = status
    record.decided_by = actor  # type: ignore[attr-defined]  # a ForeignKey to the user on every decidable model
    record.decided_at = timezone.now()  # type: ignore[attr-defined]  # every decidable model has it
    record.decision_note = note.strip()[:NOTE_LENGTH_MAXIMUM]
    record.save(update_fields=["status", "decided_by", "decided_at", "decision_note", *also])
