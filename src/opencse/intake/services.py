"""Changing intake: receiving referrals (a file, one over the API) and applications, matching their people,
opening the case, rejecting or marking a duplicate, entering a person in one step, the intake interview.

Each service checks the policy, validates, writes its audit rows, in one transaction. A referral's identity is
its program and the agency's referral id: received again (the same file, or the same referral in a later
file or call), it opens nothing twice and the answer says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, MemberRole, Program
from opencse.cases.selectors import case_for_viewer
from opencse.cases.services import add_member, open_case
from opencse.common.validation import check_not_future, future_dates
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.intake.models import (
    OPEN_STATUSES,
    GoodCause,
    Interview,
    Referral,
    ReferralImport,
    ReferralParty,
    ReferralRejection,
    Source,
    Status,
)
from opencse.interfaces.referral import PROGRAMS, ReferralRecord, read_referral_file
from opencse.interfaces.referral import ReferralParty as PartyRecord
from opencse.people import selectors as people_selectors
from opencse.people.models import Address, InformationSource, Person
from opencse.people.selectors import person_for_viewer, visible_people
from opencse.people.services import (
    add_address,
    add_employment,
    check_person_values,
    create_person,
    normalized_fein,
    set_family_violence,
    update_person,
)
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index, decrypt, encrypt
from opencse.security.models import User
from opencse.security.policy import can, require

FILE_SIZE_MAXIMUM = 50 * 1024 * 1024  # bytes
REASON_LENGTH_MAXIMUM = 500
CANDIDATES_PER_PARTY = 5
# A family-violence indicator protects the family: the custodial party and the children, not the other parent.
PROTECTED_ROLES = (MemberRole.CUSTODIAL_PARTY, MemberRole.DEPENDENT_CHILD, MemberRole.CARETAKER_RELATIVE)
APPLICATION_PROGRAMS = (Program.NEVER_ASSISTANCE, Program.FORMER_ASSISTANCE)


# ---------------------------------------------------------------------------------------------------------------
# Receiving


@dataclass(frozen=True, slots=True)
class Received:
    referral: Referral
    created: bool  # False: the same program and referral id was received before; nothing new was opened


def _party_row(referral: Referral, party: PartyRecord, position: int) -> ReferralParty:
    row = ReferralParty(
        referral=referral, role=party.role, first_name=party.first_name, middle_name=party.middle_name,
        last_name=party.last_name, date_of_birth=party.date_of_birth, sex=party.sex, line1=party.line1,
        line2=party.line2, city=party.city, state=party.state, postal_code=party.postal_code, position=position,
    )  # fmt: skip
    if party.ssn:
        row.ssn_encrypted, row.ssn_index, row.ssn_last4 = encrypt(party.ssn), blind_index(party.ssn), party.ssn[-4:]
    return row


def _referral_row(record: ReferralRecord, *, source: str, received_on: date, actor: User, **extra: Any) -> Referral:
    return Referral(
        source=source, program=record.program, program_code=record.program_code, referral_id=record.referral_id,
        assistance_unit_id=record.assistance_unit_id, referred_on=record.referred_on, received_on=received_on,
        good_cause=record.good_cause, family_violence=record.family_violence, received_by=actor, **extra,
    )  # fmt: skip


def _check_received_on(received_on: date, referred_on: date | None = None) -> None:
    check_not_future(received_on, field="received_on")
    if referred_on is not None and received_on < referred_on:
        raise InvalidInput("cannot be before the agency's referral date", field="received_on")


@transaction.atomic
def import_referral_file(*, actor: User, path: Path, received_on: date) -> ReferralImport:
    """Read a referral file the IV-D agency received on `received_on` (45 CFR 303.2(b) counts from it), put
    each new referral in the intake queue and keep every rejected line; a referral already received (same
    program and referral id) is counted, not queued again. Set-based: one query for the known keys, bulk inserts."""
    require(actor, "intake.receive")
    _check_received_on(received_on)
    if path.stat().st_size > FILE_SIZE_MAXIMUM:
        raise InvalidInput(f"is larger than {FILE_SIZE_MAXIMUM // (1024 * 1024)} MB", field="file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", field="file") from None
    parsed = read_referral_file(text)
    sha256 = hashlib.sha256(data).hexdigest()
    keys = {(record.program_code, record.referral_id) for record in parsed.records}
    known = Q(pk__in=[])
    for program_code, referral_id in keys:
        known |= Q(program_code=program_code, referral_id=referral_id)
    seen = set(Referral.objects.filter(known).values_list("program_code", "referral_id")) if keys else set()
    new_records = [record for record in parsed.records if (record.program_code, record.referral_id) not in seen]
    late = [record for record in new_records if record.referred_on > received_on]
    late_lines = {record.line_number for record in late}
    referral_import = ReferralImport.objects.create(
        file_name=path.name[:200], sha256=sha256, sender=parsed.sender, file_id=parsed.file_id,
        received_on=received_on, imported_by=actor, referrals=len(parsed.records), new=len(new_records) - len(late),
        already_received=len(parsed.records) - len(new_records),
        rejected_lines=len(parsed.rejected) + len(late),
        same_file_as=ReferralImport.objects.filter(sha256=sha256).order_by("pk").first(),
    )  # fmt: skip
    rejections = [
        ReferralRejection(referral_import=referral_import, line_number=line.line_number, reason=line.reason[:300],
                          raw=line.raw[:300])
        for line in parsed.rejected
    ]  # fmt: skip
    rejections += [ReferralRejection(referral_import=referral_import, line_number=record.line_number,
                                     reason=f"the referral date {record.referred_on:%m/%d/%Y} is after the date the "
                                     f"file was received {received_on:%m/%d/%Y}") for record in late]  # fmt: skip
    ReferralRejection.objects.bulk_create(rejections)
    accepted = [record for record in new_records if record.line_number not in late_lines]
    referrals = Referral.objects.bulk_create([
        _referral_row(record, source=Source.AGENCY_FILE, received_on=received_on, actor=actor,
                      referral_import=referral_import) for record in accepted])  # fmt: skip
    ReferralParty.objects.bulk_create([
        _party_row(referral, party, position)
        for referral, record in zip(referrals, accepted, strict=True)
        for position, party in enumerate(record.parties)])  # fmt: skip
    record_audit(actor=actor, action="intake.file_imported", target=referral_import, summary=path.name[:200],
                 after={"referrals": referral_import.referrals, "new": referral_import.new,
                        "already_received": referral_import.already_received,
                        "rejected_lines": referral_import.rejected_lines})  # fmt: skip
    return referral_import


@transaction.atomic
def receive_referral(
    *, actor: User, record: ReferralRecord, received_on: date, source: str = Source.AGENCY_API
) -> Received:
    """One referral (the API): queued, or — same program and referral id received before — the earlier one,
    with `created` False (nothing new is opened)."""
    require(actor, "intake.receive")
    earlier = Referral.objects.filter(program_code=record.program_code, referral_id=record.referral_id).first()
    if earlier is not None:
        return Received(earlier, created=False)
    _check_received_on(received_on, record.referred_on)
    referral = _referral_row(record, source=source, received_on=received_on, actor=actor)
    try:
        with transaction.atomic():  # the same referral sent twice at once: the second finds the first
            referral.save()
    except IntegrityError:
        earlier = Referral.objects.get(program_code=record.program_code, referral_id=record.referral_id)
        return Received(earlier, created=False)
    ReferralParty.objects.bulk_create([_party_row(referral, party, n) for n, party in enumerate(record.parties)])
    record_audit(actor=actor, action="intake.referral_received", target=referral, summary=referral.label)
    return Received(referral, created=True)


@dataclass(frozen=True, slots=True)
class PartyInput:
    """A person on an application, as the applicant gives them (address on the same form)."""

    first_name: str
    last_name: str
    middle_name: str = ""
    date_of_birth: date | None = None
    ssn: str = ""
    sex: str = "U"
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""


@dataclass(frozen=True, slots=True)
class ApplicationInput:
    """A non-TANF application for IV-D services (45 CFR 303.2(a)): the parties and the date it was received."""

    received_on: date
    custodial_party: PartyInput
    other_parent: PartyInput | None
    children: list[PartyInput]
    program: str = Program.NEVER_ASSISTANCE
    other_parent_role: str = MemberRole.NONCUSTODIAL_PARENT  # or alleged_father
    family_violence: bool = False
    good_cause: str = GoodCause.NONE
    parties: list[tuple[str, str, PartyInput]] = field(default_factory=list)  # (prefix, role, party); filled here

    def __post_init__(self) -> None:
        self.parties.append(("cp", MemberRole.CUSTODIAL_PARTY, self.custodial_party))
        if self.other_parent is not None:
            self.parties.append(("ncp", self.other_parent_role, self.other_parent))
        self.parties.extend((f"child-{n}", MemberRole.DEPENDENT_CHILD, child) for n, child in enumerate(self.children))


def _party_errors(prefix: str, party: PartyInput) -> list[InvalidInput]:
    """Every refusal of one party's values (the people service's own checks, and the address), each named
    `<prefix>-<field>` so the form puts it beside its field."""
    errors: list[InvalidInput] = []
    try:
        check_person_values(first_name=party.first_name, last_name=party.last_name, middle_name=party.middle_name,
                            date_of_birth=party.date_of_birth, ssn=party.ssn, sex=party.sex)  # fmt: skip
    except InvalidInputs as refused:
        errors.extend(refused.errors)
    except InvalidInput as refused:
        errors.append(refused)
    address = {"line1": party.line1, "city": party.city, "state": party.state, "postal_code": party.postal_code}
    if any(address.values()) or party.line2:
        errors += [
            InvalidInput("is needed for the address", field=name) for name, value in address.items() if not value
        ]
    return [InvalidInput(error.message, field=f"{prefix}-{error.field}" if error.field else None) for error in errors]


def application_errors(application: ApplicationInput) -> list[InvalidInput]:
    """Every refusal of an application's values, each named by its field (`cp-ssn`, `child-0-date_of_birth`):
    what `receive_application` would refuse, without writing (a form shows them beside its own errors)."""
    errors: list[InvalidInput] = []
    errors += future_dates(received_on=application.received_on)
    if application.program not in APPLICATION_PROGRAMS:
        errors.append(InvalidInput("an application is for a family not on TANF: never or former assistance",
                                   field="program"))  # fmt: skip
    if application.other_parent_role not in (MemberRole.NONCUSTODIAL_PARENT, MemberRole.ALLEGED_FATHER):
        errors.append(InvalidInput("choose noncustodial parent or alleged father", field="other_parent_role"))
    if not application.children:
        errors.append(InvalidInput("name at least one child", field="child-0-first_name"))
    for prefix, _, party in application.parties:
        errors += _party_errors(prefix, party)
    ssns = [(prefix, "".join(c for c in party.ssn if c.isdigit())) for prefix, _, party in application.parties]
    for n, (prefix, digits) in enumerate(ssns):
        if digits and digits in [other for _, other in ssns[:n]]:
            errors.append(InvalidInput("is the SSN of another person on this application", field=f"{prefix}-ssn"))
    return errors


@transaction.atomic
def receive_application(*, actor: User, application: ApplicationInput) -> Referral:
    """An application for services received on `application.received_on`: every refusal at once (each beside
    its party's field), else queued for matching like a referral (45 CFR 303.2(b): 20 days from the application)."""
    require(actor, "intake.receive")
    errors = application_errors(application)
    if errors:
        raise InvalidInputs(errors)
    referral = Referral.objects.create(
        source=Source.APPLICATION, program=application.program, received_on=application.received_on,
        family_violence=application.family_violence, good_cause=application.good_cause, received_by=actor,
    )  # fmt: skip
    rows = []
    for position, (_, role, party) in enumerate(application.parties):
        digits = "".join(c for c in party.ssn if c.isdigit())
        record = PartyRecord(role=role, line_number=0, last_name=party.last_name.strip(),
                             first_name=party.first_name.strip(), middle_name=party.middle_name.strip(),
                             date_of_birth=party.date_of_birth, ssn=digits, sex=party.sex or "U",
                             line1=party.line1.strip(), line2=party.line2.strip(), city=party.city.strip(),
                             state=party.state, postal_code=party.postal_code.strip())  # fmt: skip
        rows.append(_party_row(referral, record, position))
    ReferralParty.objects.bulk_create(rows)
    record_audit(actor=actor, action="intake.application_received", target=referral, summary=referral.label,
                 after={"received_on": str(application.received_on), "parties": len(rows)})  # fmt: skip
    return referral


# ---------------------------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class Candidate:
    person: Person
    how: str  # "same SSN", "same name and date of birth", "similar name"
    memberships: tuple[CaseMember, ...]


@dataclass(frozen=True, slots=True)
class PartyMatch:
    party: ReferralParty
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class Matches:
    parties: tuple[PartyMatch, ...]
    cases: tuple[Case, ...]  # open cases on which two or more of the candidates are members


def _candidates(actor: User, party: ReferralParty) -> list[tuple[Person, str]]:
    """An exact SSN first; otherwise the people search (people.selectors.search_people: names tolerant of
    typos and nicknames) by name and date of birth, or by name alone when the date is not known."""
    if party.ssn_index:
        same = list(visible_people(actor).filter(ssn_index=party.ssn_index))
        if same:
            return [(person, "same SSN") for person in same]
    if not (party.first_name or party.last_name):
        return []
    name = f"{party.first_name} {party.last_name}"
    found = people_selectors.search_people(viewer=actor, name=name, date_of_birth=party.date_of_birth,
                                           limit=CANDIDATES_PER_PARTY)  # fmt: skip
    how = "same name and date of birth" if party.date_of_birth else "similar name (no date of birth given)"
    if party.ssn_last4:  # someone with another SSN on file is not this person
        found = [person for person in found if not person.ssn_last4 or person.ssn_last4 == party.ssn_last4]
    return [(person, how) for person in found]


def match_referral(*, actor: User, referral: Referral) -> Matches:
    """The people on file who may be each party, and the open cases that already join them (45 CFR 303.2(b):
    before a case is opened, so none is opened twice). Audited: the officer was shown people's records.

    The exact-SSN lookup here is not counted against the user's full-SSN search limit (people.services): the
    number comes from the referral, not from the user, so it cannot be used to try numbers."""
    require(actor, "intake.decide")
    matches = []
    people_ids: set[int] = set()
    for party in referral.parties.all():
        found = _candidates(actor, party)
        people_ids |= {person.pk for person, _ in found}
        matches.append((party, found))
    memberships: dict[int, list[CaseMember]] = {}
    for member in CaseMember.objects.filter(person_id__in=people_ids).select_related("case").order_by("case__number"):
        memberships.setdefault(member.person_id, []).append(member)
    shared: dict[int, set[int]] = {}
    for person_id, members in memberships.items():
        for member in members:
            if member.left_on is None and member.case.is_open:
                shared.setdefault(member.case_id, set()).add(person_id)
    case_ids = [case_id for case_id, persons in shared.items() if len(persons) >= 2]
    cases = tuple(Case.objects.filter(pk__in=case_ids).order_by("number"))
    parties = tuple(
        PartyMatch(party, tuple(Candidate(person, how, tuple(memberships.get(person.pk, ()))) for person, how in found))
        for party, found in matches
    )
    record_audit(actor=actor, action="intake.matched", target=referral, summary=referral.label,
                 after={"candidates": sorted(people_ids), "cases": [case.number for case in cases]})  # fmt: skip
    return Matches(parties=parties, cases=cases)


def record_referral_read(*, viewer: User, referral: Referral) -> None:
    """Audit that `viewer` opened a referral's page (its people's names, dates of birth, masked SSNs)."""
    require(viewer, "intake.view")
    record_audit(actor=viewer, action="intake.viewed", target=referral, summary=referral.label)


def record_import_read(*, viewer: User, referral_import: ReferralImport) -> None:
    """Audit that `viewer` opened a referral file's rejected-lines report (its lines hold names and dates)."""
    require(viewer, "intake.view")
    record_audit(actor=viewer, action="intake.file_viewed", target=referral_import, summary=referral_import.file_name)


def _locked_open_referral(actor: User, referral: Referral) -> Referral:
    require(actor, "intake.decide")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise Conflict(f"{referral.label} is already decided: {referral.get_status_display().lower()}.")
    return referral


def _apply_choices(actor: User, referral: Referral, choices: dict[int, int | None]) -> list[ReferralParty]:
    """Set each party's chosen person (None: a new person). Every party must be decided; a chosen person must be
    one the actor may see."""
    parties = list(referral.parties.all())
    errors = [InvalidInput("choose a person on file or a new person", field=f"party-{party.pk}")
              for party in parties if party.pk not in choices]  # fmt: skip
    unknown = set(choices) - {party.pk for party in parties}
    if unknown:
        errors.append(InvalidInput("is not a person on this referral", field=f"party-{min(unknown)}"))
    if errors:
        raise InvalidInputs(errors)
    chosen = [person_id for person_id in choices.values() if person_id is not None]
    if len(chosen) != len(set(chosen)):
        raise InvalidInput("the same person is chosen for two people on the referral")
    for party in parties:
        person_id = choices[party.pk]
        party.person = person_for_viewer(viewer=actor, person_id=person_id) if person_id is not None else None
    ReferralParty.objects.bulk_update(parties, ["person"])
    return parties


@transaction.atomic
def choose_people(*, actor: User, referral: Referral, choices: dict[int, int | None]) -> Referral:
    """Record the officer's matching (each party: a person on file, or a new person): the referral is matched."""
    referral = _locked_open_referral(actor, referral)
    _apply_choices(actor, referral, choices)
    referral.status = Status.MATCHED
    referral.save(update_fields=["status"])
    record_audit(actor=actor, action="intake.people_chosen", target=referral, summary=referral.label,
                 after={"chosen": {str(k): v for k, v in sorted(choices.items())}})  # fmt: skip
    return referral


def _same_parties_case(parties: list[ReferralParty]) -> Case | None:
    """An open case on which the chosen custodial party is the custodial party together with the chosen other
    parent (or, when no other parent is named, with a chosen child)."""
    custodial = [p.person_id for p in parties if p.role == MemberRole.CUSTODIAL_PARTY and p.person_id]
    others = [p.person_id for p in parties if p.role in (MemberRole.NONCUSTODIAL_PARENT, MemberRole.ALLEGED_FATHER)]
    if not custodial:
        return None
    if others:
        partners = [person_id for person_id in others if person_id]
    else:
        partners = [p.person_id for p in parties if p.role == MemberRole.DEPENDENT_CHILD and p.person_id]
    if not partners:
        return None
    live = Q(case__closed_on__isnull=True, left_on__isnull=True)
    with_custodial = CaseMember.objects.filter(live, person_id=custodial[0], role=MemberRole.CUSTODIAL_PARTY)
    with_partner = CaseMember.objects.filter(live, person_id__in=partners)
    return Case.objects.filter(pk__in=with_custodial.values("case_id")).filter(
        pk__in=with_partner.values("case_id")).order_by("number").first()  # fmt: skip


@transaction.atomic
def open_case_from_referral(
    *, actor: User, referral: Referral, choices: dict[int, int | None], opened_on: date | None = None
) -> Case:
    """Open the IV-D case of a referral or application in one step (45 CFR 303.2(b)): the chosen people (or new
    ones, with their address), each added in their role, the case's referral date the date it was received
    (so the case-opening clock of the worklist runs from it). A family-violence indicator sets each party's
    protection flag (people.services.set_family_violence). Refused when an open case already joins the same
    parties: mark the referral a duplicate of it instead."""
    referral = _locked_open_referral(actor, referral)
    require(actor, "cases.open")
    parties = _apply_choices(actor, referral, choices)
    same = _same_parties_case(parties)
    if same is not None:
        raise Conflict(f"Case {same.number} is already open with the same people: mark this a duplicate of it.")
    opened_on = opened_on or timezone.localdate()
    case = open_case(actor=actor, program=referral.program, referral_received_on=referral.received_on,
                     opened_on=opened_on)  # fmt: skip
    source = InformationSource.PARTY if referral.source == Source.APPLICATION else InformationSource.OTHER_AGENCY
    for party in parties:
        person = party.person
        if person is None:
            ssn = decrypt(party.ssn_encrypted) if party.ssn_encrypted else ""
            person = create_person(actor=actor, ssn=ssn, first_name=party.first_name or "Unknown",
                                   middle_name=party.middle_name, last_name=party.last_name or "Unknown",
                                   date_of_birth=party.date_of_birth, sex=party.sex)  # fmt: skip
            party.person = person
            if party.line1:
                add_address(actor=actor, person=person, line1=party.line1, line2=party.line2, city=party.city,
                            state=party.state, postal_code=party.postal_code, source=source,
                            effective_on=min(referral.received_on, opened_on))  # fmt: skip
        add_member(actor=actor, case=case, person=person, role=party.role, joined_on=opened_on)
        protect = referral.family_violence and party.role in PROTECTED_ROLES
        if protect and not person.family_violence:
            set_family_violence(actor=actor, person=person, protected=True, since=referral.received_on)
    ReferralParty.objects.bulk_update(parties, ["person"])
    referral.status, referral.case = Status.OPENED, case
    referral.decided_by, referral.decided_at = actor, timezone.now()
    referral.save(update_fields=["status", "case", "decided_by", "decided_at"])
    record_audit(actor=actor, action="intake.case_opened", target=referral, case_number=case.number,
                 summary=f"{referral.label}: case {case.number}",
                 after={"case": case.number, "received_on": str(referral.received_on)})  # fmt: skip
    return case


@transaction.atomic
def close_referral(*, actor: User, referral: Referral, status: str, reason: str, duplicate_of: str = "") -> Referral:
    """Reject a referral, or mark it a duplicate (of an open case, by its number), with the reason; audited."""
    referral = _locked_open_referral(actor, referral)
    errors = []
    if status not in (Status.DUPLICATE, Status.REJECTED):
        errors.append(InvalidInput("choose duplicate or rejected", field="status"))
    reason = reason.strip()
    if not reason:
        errors.append(InvalidInput("say why", field="reason"))
    elif len(reason) > REASON_LENGTH_MAXIMUM:
        errors.append(InvalidInput(f"must be at most {REASON_LENGTH_MAXIMUM} characters", field="reason"))
    case = None
    if status == Status.DUPLICATE and duplicate_of.strip():
        try:
            case = case_for_viewer(viewer=actor, number=duplicate_of.strip())
        except NotFound:  # the number is wrong, or the case is not the actor's to see
            errors.append(InvalidInput(f"no case {duplicate_of.strip()[:20]} that you may see", field="duplicate_of"))
    if errors:
        raise InvalidInputs(errors)
    referral.status, referral.reason, referral.duplicate_of = status, reason, case
    referral.decided_by, referral.decided_at = actor, timezone.now()
    referral.save(update_fields=["status", "reason", "duplicate_of", "decided_by", "decided_at"])
    record_audit(actor=actor, action=f"intake.{status}", target=referral, summary=referral.label,
                 case_number=case.number if case else "", after={"status": status, "reason": reason})  # fmt: skip
    return referral


# ---------------------------------------------------------------------------------------------------------------
# One person in one step, and the intake interview


@transaction.atomic
def enter_person(
    *,
    actor: User,
    ssn: str = "",
    address: dict[str, Any] | None = None,
    employer: dict[str, Any] | None = None,
    **person_fields: Any,
) -> Person:
    """A new person with their address and employer, in one transaction through the people services (every
    refusal of the person's values and the address's at once)."""
    require(actor, "people.create")
    errors: list[InvalidInput] = []
    try:
        check_person_values(ssn=ssn, **person_fields)
    except InvalidInputs as refused:
        errors.extend(refused.errors)
    if address:
        errors += [InvalidInput("is needed for the address", field=name)
                   for name in ("line1", "city", "state", "postal_code") if not address.get(name)]  # fmt: skip
    if employer and employer.get("fein"):
        try:
            normalized_fein(employer["fein"])
        except InvalidInput as error:
            errors.append(error)
    if errors:
        raise InvalidInputs(errors)
    person = create_person(actor=actor, ssn=ssn, **person_fields)
    if address:
        add_address(actor=actor, person=person, **address)
    if employer and employer.get("employer_name"):
        add_employment(actor=actor, person=person, **employer)
    return person


@dataclass(frozen=True, slots=True)
class Lead:
    """A last known address, or an employer, the custodial party gave: recorded unverified on the other parent."""

    line1: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    employer_name: str = ""


INTERVIEW_TEXT_FIELDS = (
    "other_parent_names", "other_parent_aliases", "physical_description", "last_known_addresses", "employers",
    "vehicles", "relatives", "military_service", "incarceration", "children", "existing_order_court",
    "existing_order_date", "existing_order_amount", "assistance_history", "notes",
)  # fmt: skip


@transaction.atomic
def record_interview(
    *,
    actor: User,
    case: Case,
    interviewed_on: date,
    other_parent_ssn: str = "",
    other_parent_date_of_birth: date | None = None,
    good_cause_claimed: bool = False,
    family_violence_claimed: bool = False,
    address_lead: Lead | None = None,
    employer_lead: Lead | None = None,
    **texts: str,
) -> Interview:
    """The custodial party's intake interview, recorded on the case. A family-violence claim sets the custodial
    party's protection flag (people.services.set_family_violence; 42 U.S.C. 654(26), 45 CFR 303.21(e)); an
    address or employer of the other parent is recorded on them, unverified, reported by a party; their full
    SSN and date of birth go on their record when it has none (the interview keeps the SSN's last four)."""
    require(actor, "intake.interview", case)
    unknown = set(texts) - set(INTERVIEW_TEXT_FIELDS)
    assert not unknown, f"not interview fields: {unknown}"
    case = case_for_viewer(viewer=actor, number=case.number)
    members = case.members.filter(left_on__isnull=True).select_related("person")
    custodial = next((m.person for m in members if m.role == MemberRole.CUSTODIAL_PARTY), None)
    other = next((m.person for m in members if m.role in (MemberRole.NONCUSTODIAL_PARENT,
                                                           MemberRole.ALLEGED_FATHER)), None)  # fmt: skip
    errors: list[InvalidInput] = []
    if custodial is None:
        errors.append(InvalidInput("the case has no custodial party to interview: add them first"))
    errors += future_dates(interviewed_on=interviewed_on, other_parent_date_of_birth=other_parent_date_of_birth)
    digits = "".join(c for c in other_parent_ssn if c.isdigit())
    if other_parent_ssn.strip() and len(digits) not in (4, 9):
        errors.append(InvalidInput("give the nine digits or the last four", field="other_parent_ssn"))
    address = address_lead if address_lead and any((address_lead.line1, address_lead.city)) else None
    employer = employer_lead if employer_lead and employer_lead.employer_name.strip() else None
    if (address or employer) and other is None:
        errors.append(InvalidInput("the case has no other parent to record it on: add them first",
                                   field="lead_line1" if address else "lead_employer_name"))  # fmt: skip
    if address:
        errors += [InvalidInput("is needed for the address", field=f"lead_{name}")
                   for name in ("line1", "city", "state", "postal_code") if not getattr(address, name)]  # fmt: skip
    for name in INTERVIEW_TEXT_FIELDS:
        if len(texts.get(name, "")) > 4000:
            errors.append(InvalidInput("must be at most 4000 characters", field=name))
    if errors:
        raise InvalidInputs(errors)
    assert custodial is not None
    interview = Interview.objects.create(
        case=case, custodial_party=custodial, interviewed_on=interviewed_on, interviewer=actor,
        other_parent_date_of_birth=other_parent_date_of_birth, other_parent_ssn_last4=digits[-4:] if digits else "",
        good_cause_claimed=good_cause_claimed, family_violence_claimed=family_violence_claimed,
        **{name: texts.get(name, "").strip() for name in INTERVIEW_TEXT_FIELDS},
    )  # fmt: skip
    if family_violence_claimed and not custodial.family_violence:
        set_family_violence(actor=actor, person=custodial, protected=True, since=interviewed_on)
    known = _other_parent_identifiers(other, digits, other_parent_date_of_birth)
    if other is not None and known:  # what the record lacks, on the person (an SSN on file for another: refused)
        try:
            update_person(actor=actor, person=other, **known)
        except Conflict as error:
            raise InvalidInput(error.message, field="other_parent_ssn") from None
    if other is not None and address is not None:
        add_address(actor=actor, person=other, line1=address.line1, city=address.city, state=address.state,
                    postal_code=address.postal_code, source=InformationSource.PARTY,
                    verification=Address.Verification.UNVERIFIED, effective_on=interviewed_on)  # fmt: skip
    if other is not None and employer is not None:
        add_employment(actor=actor, person=other, employer_name=employer.employer_name.strip()[:120])
    record_audit(actor=actor, action="intake.interview_recorded", target=interview, case_number=case.number,
                 after={"interviewed_on": str(interviewed_on), "family_violence_claimed": family_violence_claimed,
                        "good_cause_claimed": good_cause_claimed})  # fmt: skip
    return interview


def _other_parent_identifiers(other: Person | None, digits: str, born: date | None) -> dict[str, Any]:
    """The other parent's full SSN and date of birth from the interview, where their record has none."""
    if other is None:
        return {}
    known: dict[str, Any] = {}
    if len(digits) == 9 and not other.ssn_last4:
        known["ssn"] = digits
    if born is not None and other.date_of_birth is None:
        known["date_of_birth"] = born
    return known


def program_of(code: str) -> str:
    """The IV-D case program a referring program's code opens (TANF, MEDICAID, IVE)."""
    return PROGRAMS[code]


def may_decide(actor: object) -> bool:
    return can(actor, "intake.decide")


__all__ = [
    "OPEN_STATUSES",
    "ApplicationInput",
    "Lead",
    "PartyInput",
    "choose_people",
    "close_referral",
    "enter_person",
    "import_referral_file",
    "match_referral",
    "open_case_from_referral",
    "receive_application",
    "receive_referral",
    "record_interview",
]
