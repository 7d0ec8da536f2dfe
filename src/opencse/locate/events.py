"""What happens in locate that the worklist reacts to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class LocateNeeded:
    """An officer determined that the noncustodial parent of a case must be located: the 75-day clock of
    45 CFR 303.3(b)(3) starts on `determined_on`."""

    case_id: int
    person_id: int
    determined_on: date
    actor_id: int


@dataclass(frozen=True, slots=True)
class ParentLocated:
    """A noncustodial parent was located (an address verified: docs/work.md's definition) on `located_on`:
    the open locate tasks of the cases where they are the noncustodial parent are done."""

    person_id: int
    case_ids: tuple[int, ...]
    located_on: date
    actor_id: int
