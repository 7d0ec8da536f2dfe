"""Reading cases: what each viewer may see, their caseload, search, the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from opencse.cases.models import Case, CaseMember, CaseNote
from opencse.errors import NotFound
from opencse.people.models import Employment, Person
from opencse.people.selectors import ShownAddress, addresses_for_people, addresses_for_viewer
from opencse.security.models import User
from opencse.security.policy import can, roles_with, works_all_offices


def visible_cases(viewer: object) -> QuerySet[Case]:
    """Cases the viewer may see: their office's, or every office's for roles that work across offices."""
    if not can(viewer, "cases.view"):
        return Case.objects.none()
    if works_all_offices(viewer):
        return Case.objects.all()
    office_id: int | None = getattr(viewer, "office_id", None)
    return Case.objects.none() if office_id is None else Case.objects.filter(office_id=office_id)


def may_see_case(viewer: object, case: Case, *, permission: str) -> bool:
    """The viewer holds `permission` on `case` and the case is one the viewer may see (`visible_cases`)."""
    return can(viewer, permission, case) and visible_cases(viewer).filter(pk=case.pk).exists()


RowOnCase = TypeVar("RowOnCase", bound=Model)


def row_on_visible_case(rows: QuerySet[RowOnCase], pk: int, *, viewer: object, noun: str) -> RowOnCase:
    """The row `pk` of `rows` (a model with a `case`) when its case is one the viewer may see; `NotFound`
    otherwise, the same for a row that does not exist and one on another office's case."""
    row = rows.filter(pk=pk, case__in=visible_cases(viewer)).first()
    if row is None:
        raise NotFound(f"No {noun} {pk} that you may see.")
    return row


def case_for_viewer(*, viewer: object, number: str) -> Case:
    case = visible_cases(viewer).select_related("office", "assigned_worker").filter(number=number).first()
    if case is None:
        raise NotFound(f"No case {number[:20]} that you may see.")
    return case


def caseload(*, viewer: object) -> QuerySet[Case]:
    """The open cases assigned to the viewer, oldest referral first."""
    return (
        visible_cases(viewer)
        .filter(assigned_worker_id=getattr(viewer, "pk", None), closed_on__isnull=True)
        .select_related("office")
        .order_by("referral_received_on", "number")
    )


def search_cases(
    *, viewer: object, number: str = "", members: list[Person] | None = None, limit: int = 50
) -> QuerySet[Case]:
    """Cases matching the case number and, when `members` is given, having one of them as a member (the
    people found by name, date of birth or SSN with `people.services.search_people`, which audits and
    limits a full-SSN search)."""
    cases = visible_cases(viewer)
    if number:
        cases = cases.filter(number__istartswith=number.strip())
    if members is not None:
        cases = cases.filter(members__person__in=[person.pk for person in members])
    return cases.distinct().select_related("office").order_by("number")[:limit]


def case_members(*, case: Case) -> QuerySet[CaseMember]:
    return case.members.select_related("person").order_by("left_on", "role", "person__last_name")


TIMELINE_MAXIMUM = 200  # notes on one page at most, the older ones asked for
TIMELINE_SHOWN = 50  # the case page's latest notes; older ones are one click away


def case_timeline(*, case: Case, limit: int = TIMELINE_MAXIMUM) -> QuerySet[CaseNote]:
    # The corrections are fetched in one more query, so each note can say it was corrected and link to it.
    notes = case.notes.select_related("author", "corrects").prefetch_related("corrections")
    return notes.order_by("-created_at", "-id")[:limit]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The notes a case page shows, newest first, and whether the case has older ones not shown."""

    notes: list[CaseNote]
    older: bool
    all_shown: bool  # the officer asked for the older notes (up to TIMELINE_MAXIMUM)


def case_page_timeline(*, case: Case, older: bool = False) -> Timeline:
    """The case page's timeline: the latest TIMELINE_SHOWN notes, or up to TIMELINE_MAXIMUM when the officer
    asks for the older ones. A case worked for years has hundreds of notes, and each shown note costs the page
    its rendering; one note more than shown is read to know that older ones exist (no count of the notes)."""
    shown = TIMELINE_MAXIMUM if older else TIMELINE_SHOWN
    notes = list(case_timeline(case=case, limit=shown + 1))
    return Timeline(notes=notes[:shown], older=len(notes) > shown, all_shown=older)


def cases_of_person(*, viewer: object, person_id: int) -> QuerySet[CaseMember]:
    return (
        CaseMember.objects.filter(person_id=person_id, case__in=visible_cases(viewer))
        .select_related("case")
        .order_by("case__number")
    )


def open_cases_filter() -> Q:
    return Q(closed_on__isnull=True)


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


def person_panels(*, viewer: object, members: list[CaseMember]) -> list[PersonPanel]:
    """`person_panel` for each member of a case page, in three queries however many members there are:
    the members' addresses and their employments (with the employer) are read once for all of them."""
    person_ids = [member.person_id for member in members]
    addresses = addresses_for_people(viewer=viewer, people=[member.person for member in members])
    employments: dict[int, list[Employment]] = {person_id: [] for person_id in person_ids}
    rows = Employment.objects.filter(person_id__in=person_ids).select_related("employer")
    for employment in rows.order_by("ended_on", "-started_on", "-pk"):
        employments[employment.person_id].append(employment)
    cleared = can(viewer, "people.view_protected_address")
    return [
        PersonPanel(
            person=member.person,
            addresses=addresses[member.person_id],
            employments=employments[member.person_id],
            protected_address_shown=member.person.family_violence and cleared and bool(addresses[member.person_id]),
            member=member,
        )
        for member in members
    ]


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


def cases_listed(*, viewer: object, number_prefix: str = "", status: str = "") -> QuerySet[Case]:
    """The cases the viewer may see, by number, narrowed by the start of the number and by open or closed."""
    cases = visible_cases(viewer).select_related("office", "assigned_worker").order_by("number")
    if number_prefix:
        cases = cases.filter(number__istartswith=number_prefix)
    if status in ("open", "closed"):
        cases = cases.filter(closed_on__isnull=status == "open")
    return cases


@dataclass(frozen=True, slots=True)
class FoundPerson:
    """A person a search found, with the cases (that the viewer sees) they are on and in which role."""

    person: Person
    memberships: list[CaseMember]


def found_people(*, viewer: object, people: list[Person]) -> list[FoundPerson]:
    """Each person found (in the search's order) with their memberships on visible cases: one query."""
    memberships: dict[int, list[CaseMember]] = {person.pk: [] for person in people}
    rows = CaseMember.objects.filter(person__in=people, case__in=visible_cases(viewer)).select_related("case")
    for member in rows.order_by("left_on", "case__number"):
        memberships[member.person_id].append(member)
    return [FoundPerson(person=person, memberships=memberships[person.pk]) for person in people]
