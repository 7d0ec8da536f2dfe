"""Read helpers for the case record editing screens: the records a form offers or names, found the way
the viewer may see them (the case and the person come from `case_for_viewer` / `person_for_viewer`)."""

from __future__ import annotations

from django.db.models import QuerySet

from opencse.cases.models import Case, CaseMember, CaseNote
from opencse.errors import NotFound
from opencse.people.models import Address, Employer, Person
from opencse.security.models import User
from opencse.security.policy import roles_with

EMPLOYERS_SHOWN_MAXIMUM = 20


def workers_for_case(*, case: Case) -> QuerySet[User]:
    """The active staff of the case's office whose role may work a case (`assign_case` accepts them)."""
    roles = roles_with("cases.update") | roles_with("cases.add_note")
    return User.objects.filter(office_id=case.office_id, is_active=True, role__in=roles).order_by(
        "last_name", "first_name", "username"
    )


def note_on_case(*, case: Case, note_id: int) -> CaseNote:
    note = case.notes.select_related("author").filter(pk=note_id).first()
    if note is None:
        raise NotFound(f"No note {note_id} on case {case.number}.")
    return note


def member_on_case(*, case: Case, member_id: int) -> CaseMember:
    member = case.members.select_related("person").filter(pk=member_id).first()
    if member is None:
        raise NotFound(f"No member {member_id} on case {case.number}.")
    return member


def address_of_person(*, person: Person, address_id: int) -> Address:
    address = person.addresses.filter(pk=address_id).first()
    if address is None:
        raise NotFound(f"No address {address_id} of this person.")
    return address


def employer_by_id(employer_id: int) -> Employer:
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(f"No employer {employer_id}.")
    return employer


def employers_matching(*, text: str) -> list[Employer]:
    """Employers whose FEIN is the nine digits given, or whose name contains the words given."""
    text = text.strip()[:120]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 9 and len(text) <= 10:
        employers = Employer.objects.filter(fein=digits)
    elif len(text) >= 2:
        employers = Employer.objects.all()
        for word in text.split()[:4]:
            employers = employers.filter(name__icontains=word)
    else:
        return []
    return list(employers.order_by("name", "pk")[:EMPLOYERS_SHOWN_MAXIMUM])
