"""What happens to money that other parts of OpenCSE react to (`opencse.common.events`). A batch publishes
one event with all its items, so a subscriber works set-based."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PostedCollection:
    """One collection posted to a case, and the disbursement clock it started: `clock` is the row of the
    timeframe table ("collection_received.disburse", ...) and `clock_starts_on` its event date."""

    collection_id: int
    case_id: int
    clock: str
    clock_starts_on: date


@dataclass(frozen=True, slots=True)
class CollectionsPosted:
    """Collections were posted (one by an officer, or a payment file's batch)."""

    collections: tuple[PostedCollection, ...]
    actor_id: int


@dataclass(frozen=True, slots=True)
class DisbursementsMade:
    """A disbursement run paid out what the cases held (45 CFR 302.32(b)); `made_on` is the day it went out."""

    case_ids: tuple[int, ...]
    made_on: date
    actor_id: int | None
