"""A party as a document may show them: name, mailing lines, masked SSN; never a protected address.

A template never sees a `Person`: the engine turns each person given for a `party` field into a `Party`
here, before any template runs. The mailing lines come from `people.selectors.address_lines_for_documents`,
which gives none for a person with the family violence indicator; such a party's lines are the agency's
"address withheld" wording (42 U.S.C. 654(26)).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opencse.documents.agency import agency
from opencse.people.models import Person
from opencse.people.selectors import address_lines_for_documents


@dataclass(frozen=True, slots=True)
class Party:
    person_id: int
    name: str
    mailing_lines: tuple[str, ...]  # the street and city lines, or the withheld wording
    address_withheld: bool
    ssn_masked: str  # "***-**-1234", or "" when no SSN is on file

    def __str__(self) -> str:
        return self.name

    def as_data(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "mailing_lines": list(self.mailing_lines),
            "address_withheld": self.address_withheld,
            "ssn_masked": self.ssn_masked,
        }


def parties_of(people: list[Person]) -> dict[int, Party]:
    """Each person as a `Party`, in three queries whatever their number. The indicator is read from the
    database, not from the instances given, so a flag set since they were loaded still withholds."""
    ids = [person.pk for person in people]
    found = address_lines_for_documents(person_ids=ids)
    protected = set(Person.objects.filter(pk__in=ids, family_violence=True).values_list("pk", flat=True))
    withheld = agency().address_withheld
    parties = {}
    for person in people:
        lines = found[person.pk]
        if person.pk in protected or person.family_violence:
            mailing: tuple[str, ...] = (withheld,)
        elif lines is None:
            mailing = ("Address not on file",)
        else:
            mailing = tuple(lines[1:])  # address_lines_for_documents puts the name first
        parties[person.pk] = Party(
            person_id=person.pk,
            name=person.full_name,
            mailing_lines=mailing,
            address_withheld=person.pk in protected or person.family_violence,
            ssn_masked=person.ssn_masked,
        )
    return parties
