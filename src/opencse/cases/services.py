"""Changing the case record: each service checks the policy, validates, writes one audit row, in one
transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencse.cases.events import CaseClosed, CaseOpened, FollowUpRequested
from opencse.cases.models import Case, CaseMember, CaseNote, CaseNumberSequence, ClosureReason, MemberRole, NoteKind
from opencse.common.events import publish
from opencse.common.validation import check_not_future, clean_or_raise
from opencse.errors import Conflict, InvalidInput, NotAuthorized
from opencse.people.models import Person
from opencse.people.selectors import person_for_viewer
from opencse.people.services import create_person
from opencse.security.audit import changes, record_audit, snapshot
from opencse.security.models import Office, User
from opencse.security.policy import can, require, works_all_offices

CASE_FIELDS = [
    "program",
    "category",
    "office",
    "assigned_worker",
    "referral_received_on",
    "opened_on",
    "closed_on",
    "closure_reason",
    "other_jurisdiction",
]
NOTE_LENGTH_MAXIMUM = 4000


def next_case_number(*, on: date) -> str:
    """The next case number: state code, two-digit year, seven-digit sequence (MS260000123).

    The sequence row is locked while the number is taken, so two workers never get the same one.
    """
    prefix = f"{settings.OPENCSE_STATE}{on.year % 100:02d}"
    CaseNumberSequence.objects.get_or_create(prefix=prefix)
    sequence = CaseNumberSequence.objects.select_for_update().get(prefix=prefix)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}{sequence.last:07d}"


@transaction.atomic
def open_case(
    *,
    actor: User,
    program: str,
    referral_received_on: date,
    category: str = "in_state",
    office: Office | None = None,
    opened_on: date | None = None,
    assigned_worker: User | None = None,
    other_jurisdiction: str = "",
) -> Case:
    """Open a IV-D case on a referral or application (45 CFR 303.2)."""
    require(actor, "cases.open")
    office = office or actor.office
    if office is None:
        raise InvalidInput("choose the office that will work the case", field="office")
    if office.pk != actor.office_id and not works_all_offices(actor):
        raise NotAuthorized("You may open cases only in your own office.")
    opened_on = opened_on or timezone.localdate()
    check_not_future(referral_received_on, field="referral_received_on")
    check_not_future(opened_on, field="opened_on")
    if opened_on < referral_received_on:
        raise InvalidInput("cannot be before the referral or application was received", field="opened_on")
    case = Case(
        program=program,
        category=category,
        office=office,
        referral_received_on=referral_received_on,
        opened_on=opened_on,
        assigned_worker=assigned_worker or actor,
        other_jurisdiction=other_jurisdiction,
        number="pending",
    )
    clean_or_raise(case, exclude=["number"])
    case.number = next_case_number(on=opened_on)
    case.save()
    record_audit(
        actor=actor, action="case.opened", target=case, case_number=case.number, after=snapshot(case, CASE_FIELDS)
    )
    publish(CaseOpened(case_id=case.pk, program=program, category=category, actor_id=actor.pk,
                       referral_received_on=referral_received_on, opened_on=opened_on))  # fmt: skip
    return case


def _locked_open_case(actor: User, case: Case, permission: str) -> Case:
    require(actor, permission, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed; reopen it first.")
    return case


@transaction.atomic
def add_member(*, actor: User, case: Case, person: Person, role: str, joined_on: date | None = None) -> CaseMember:
    """Add a person to a case in a role (custodial party, noncustodial parent, child, ...)."""
    case = _locked_open_case(actor, case, "cases.add_member")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    joined_on = joined_on or timezone.localdate()
    check_not_future(joined_on, field="joined_on")
    if role not in MemberRole.values:
        raise InvalidInput(f"{role[:30]!r} is not a case member role", field="role")
    if case.members.filter(person=person, role=role, left_on__isnull=True).exists():
        raise Conflict(f"{person.full_name} is already on case {case.number} as {MemberRole(role).label.lower()}.")
    member = CaseMember(case=case, person=person, role=role, joined_on=joined_on)
    clean_or_raise(member)
    member.save()
    record_audit(
        actor=actor,
        action="case.member_added",
        target=member,
        case_number=case.number,
        summary=f"{person.full_name} as {MemberRole(role).label}",
        after={"person": person.pk, "role": role, "joined_on": str(joined_on)},
    )
    return member


@transaction.atomic
def add_new_person(*, actor: User, case: Case, role: str, ssn: str = "", **person_fields: Any) -> CaseMember:
    """Enter a person not yet known and add them to the case in a role, in one transaction: a person the
    case refuses as a member (a closed case, a bad role) is not left behind as a stray record."""
    person = create_person(actor=actor, ssn=ssn, **person_fields)
    return add_member(actor=actor, case=case, person=person, role=role)


@transaction.atomic
def end_membership(*, actor: User, member: CaseMember, left_on: date) -> CaseMember:
    """Record that a person left the case in that role (a child emancipated, a parent removed)."""
    _locked_open_case(actor, member.case, "cases.add_member")
    member = CaseMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise Conflict("This person already left the case in that role.")
    check_not_future(left_on, field="left_on")
    if left_on < member.joined_on:
        raise InvalidInput("cannot be before the person joined the case", field="left_on")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    record_audit(
        actor=actor,
        action="case.member_left",
        target=member,
        case_number=member.case.number,
        before={"left_on": None},
        after={"left_on": str(left_on)},
    )
    return member


@transaction.atomic
def add_note(
    *,
    actor: User,
    case: Case,
    kind: str,
    text: str,
    corrects: CaseNote | None = None,
    follow_up_on: date | None = None,
) -> CaseNote:
    """Add an entry to the case timeline. Notes are never edited: a correction points at the note it corrects.
    A `follow_up_on` date asks for a reminder to the author on that day (a tickler on the worklist)."""
    require(actor, "cases.add_note", case)
    if follow_up_on is not None and follow_up_on < timezone.localdate():
        raise InvalidInput("cannot be in the past", field="follow_up_on")
    text = text.strip()
    if not text:
        raise InvalidInput("must not be empty", field="text")
    if len(text) > NOTE_LENGTH_MAXIMUM:
        raise InvalidInput(f"must be at most {NOTE_LENGTH_MAXIMUM} characters", field="text")
    if kind not in NoteKind.values:
        raise InvalidInput(f"{kind[:30]!r} is not a kind of note", field="kind")
    if (kind == NoteKind.CORRECTION) != (corrects is not None):
        raise InvalidInput("a correction must name the note it corrects, and only a correction may", field="corrects")
    if corrects is not None and corrects.case_id != case.pk:
        raise InvalidInput("the corrected note belongs to another case", field="corrects")
    note = _write_note(actor=actor, case=case, kind=kind, text=text, corrects=corrects, follow_up_on=follow_up_on)
    if follow_up_on is not None:
        publish(FollowUpRequested(note_id=note.pk, case_id=case.pk, author_id=actor.pk, text=text,
                                  noted_on=timezone.localdate(note.created_at), follow_up_on=follow_up_on))  # fmt: skip
    return note


@transaction.atomic
def add_system_note(*, actor: User, case: Case, text: str, source_key: str) -> tuple[CaseNote, bool]:
    """A note a batch writes from a record it read (a payment file's employment-ended notice): once per
    `source_key`, so reading the same record again adds nothing. Returns the note and whether it is new."""
    require(actor, "cases.add_note", case)
    existing = CaseNote.objects.filter(source_key=source_key[:120]).first()
    if existing is not None:
        return existing, False
    return _write_note(actor=actor, case=case, kind=NoteKind.SYSTEM, text=text, source_key=source_key[:120]), True


def _write_note(
    *,
    actor: User,
    case: Case,
    kind: str,
    text: str,
    corrects: CaseNote | None = None,
    source_key: str | None = None,
    follow_up_on: date | None = None,
) -> CaseNote:
    note = CaseNote.objects.create(
        case=case,
        kind=kind,
        text=text,
        author=actor,
        corrects=corrects,
        source_key=source_key,
        follow_up_on=follow_up_on,
    )
    record_audit(
        actor=actor,
        action="case.note_added",
        target=note,
        case_number=case.number,
        after={"kind": kind, "corrects": corrects.pk if corrects else None}
        | ({"follow_up_on": str(follow_up_on)} if follow_up_on else {}),
    )
    return note


@transaction.atomic
def close_case(*, actor: User, case: Case, reason: str, closed_on: date, note: str) -> Case:
    """Close a case for one of the reasons of 45 CFR 303.11(b), and put the closure with the officer's note
    (why, what was done) on the case timeline, in one transaction: the same for the web, the API and batch."""
    case = _locked_open_case(actor, case, "cases.close")
    check_not_future(closed_on, field="closed_on")
    if not note.strip():
        raise InvalidInput("say why the criterion is met (it goes into the timeline with the closure)", field="note")
    if len(note.strip()) > NOTE_LENGTH_MAXIMUM - CLOSURE_NOTE_HEADING_MAXIMUM:
        raise InvalidInput(
            f"must be at most {NOTE_LENGTH_MAXIMUM - CLOSURE_NOTE_HEADING_MAXIMUM} characters", field="note"
        )
    if closed_on < case.opened_on:
        raise InvalidInput("cannot be before the case was opened", field="closed_on")
    before = snapshot(case, CASE_FIELDS)
    case.closed_on, case.closure_reason = closed_on, reason
    clean_or_raise(case)
    case.save()
    old, new = changes(before, snapshot(case, CASE_FIELDS))
    record_audit(actor=actor, action="case.closed", target=case, case_number=case.number, before=old, after=new)
    _write_note(actor=actor, case=case, kind=NoteKind.SYSTEM, text=closure_note_text(case, note))
    publish(CaseClosed(case_id=case.pk, closed_on=closed_on, actor_id=actor.pk))
    return case


CLOSURE_NOTE_HEADING_MAXIMUM = 200  # "Case closed on 04/01/2026 under <the 303.11(b) reason's label>.\n"


def closure_note_text(case: Case, note: str) -> str:
    """The timeline's record of a closure: the date, the 303.11(b) reason in words, and the officer's note."""
    assert case.closed_on is not None
    heading = f"Case closed on {case.closed_on:%m/%d/%Y} under {ClosureReason(case.closure_reason).label}."
    assert len(heading) < CLOSURE_NOTE_HEADING_MAXIMUM, heading
    return f"{heading}\n{note.strip()}"


@transaction.atomic
def update_case(
    *,
    actor: User,
    case: Case,
    program: str | None = None,
    category: str | None = None,
    other_jurisdiction: str | None = None,
) -> Case:
    case = _locked_open_case(actor, case, "cases.update")
    before = snapshot(case, CASE_FIELDS)
    if program is not None:
        case.program = program
    if category is not None:
        case.category = category
    if other_jurisdiction is not None:
        case.other_jurisdiction = other_jurisdiction
    clean_or_raise(case)
    case.save()
    old, new = changes(before, snapshot(case, CASE_FIELDS))
    record_audit(actor=actor, action="case.updated", target=case, case_number=case.number, before=old, after=new)
    return case


@transaction.atomic
def assign_case(*, actor: User, case: Case, worker: User) -> Case:
    case = _locked_open_case(actor, case, "cases.assign")
    if not can(worker, "cases.update", case) and not can(worker, "cases.add_note", case):
        raise InvalidInput(f"{worker.username} cannot work cases of office {case.office.code}", field="worker")
    before = snapshot(case, CASE_FIELDS)
    case.assigned_worker = worker
    case.save(update_fields=["assigned_worker"])
    old, new = changes(before, snapshot(case, CASE_FIELDS))
    record_audit(actor=actor, action="case.assigned", target=case, case_number=case.number, before=old, after=new)
    return case


def record_case_read(*, viewer: User, case: Case) -> None:
    """Audit that `viewer` opened the case's page (web or API): IRS Publication 1075 and NIST SP 800-53 AU-2;
    45 CFR 307.13(a)(3). The row names the case, never its contents."""
    record_audit(actor=viewer, action="case.viewed", target=case, case_number=case.number)
