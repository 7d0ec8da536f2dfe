"""Which person a locate record is about: the one seam where probabilistic matching (`opencse.matching`, Splink)
will plug in. For now an exact match on a valid SSN (the records' and the people's keyed hashes); the rest
goes to the review queue with its reason."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from opencse.locate.models import LocateRecord
from opencse.people.models import Person

NO_SSN_MATCH = "no SSN match"
SSN_SHARED = "the SSN is on file for more than one person"
EXACT_SSN = "exact SSN"


@dataclass(frozen=True, slots=True)
class Match:
    person_id: int | None  # None: to review
    basis: str  # how it matched, shown to the officer
    reason: str  # why it is to review ("" when matched)


def match_to_people(records: Sequence[LocateRecord]) -> dict[int, Match]:
    """Each record (by its position in `records`) matched to one person, or left for review. One query."""
    indexes = {record.ssn_index for record in records if record.ssn_index}
    holders: dict[str, list[int]] = defaultdict(list)
    for person_id, index in Person.objects.filter(ssn_index__in=indexes).values_list("pk", "ssn_index"):
        holders[index].append(person_id)
    matches: dict[int, Match] = {}
    for position, record in enumerate(records):
        found = holders.get(record.ssn_index, [])
        if len(found) == 1:
            matches[position] = Match(person_id=found[0], basis=EXACT_SSN, reason="")
        else:
            matches[position] = Match(person_id=None, basis="", reason=SSN_SHARED if found else NO_SSN_MATCH)
    return matches
