"""Read-only helpers for the web pages: what one person's panel shows to one viewer.

They only combine the apps' selectors; visibility stays there (`addresses_for_viewer` hides a
protected address from a viewer without family violence clearance).
"""

from __future__ import annotations

from dataclasses import dataclass

from opencse.cases.models import CaseMember
from opencse.people.models import Employment, Person
from opencse.people.selectors import ShownAddress, addresses_for_viewer
from opencse.security.policy import can


@dataclass(frozen=True, slots=True)
class PersonPanel:
    """A person as the viewer may see them: masked SSN, addresses (or the protected notice), employers."""

    person: Person
    addresses: list[ShownAddress]
    employments: list[Employment]
    protected_address_shown: bool  # a cleared viewer sees a protected address: the view audits the look
    member: CaseMember | None = None


def person_panel(*, viewer: object, person: Person, member: CaseMember | None = None) -> PersonPanel:
    addresses = addresses_for_viewer(viewer=viewer, person=person)
    employments = list(person.employments.select_related("employer").order_by("ended_on", "-started_on", "-pk"))
    cleared = can(viewer, "people.view_protected_address")
    return PersonPanel(
        person=person,
        addresses=addresses,
        employments=employments,
        protected_address_shown=person.family_violence and cleared and bool(addresses),
        member=member,
    )
