"""Locate on a case: refer the noncustodial parent to locate (the sources asked, the 75-day clock of
45 CFR 303.3(b)(3)), record a source's answer, decide a record of the review queue (link it to a person or
dismiss it), and verify a lead (employer letter, postal verification, SSN verification) before it is used.

Each service checks the policy, validates, writes its audit row, in one transaction. Every date is a business
date the caller gives (not in the future); the clock only stamps `created_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from django.db import transaction

from opencse.cases.models import Case, CaseMember
from opencse.common.events import publish
from opencse.common.validation import check_not_future
from opencse.documents.services import generate_document
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.locate.events import LocateNeeded, ParentLocated
from opencse.locate.leads import LOCATED_ROLES, post_leads, respond_on_cases
from opencse.locate.models import (
    LocateRecord,
    LocateRequest,
    LocateResponse,
    RecordStatus,
    RequestStatus,
    VerificationKind,
    VerificationRequest,
    VerificationStatus,
)
from opencse.locate.sources import sources
from opencse.people.events import EmploymentVerified
from opencse.people.models import Address, Employment, Person
from opencse.people.selectors import person_for_viewer
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

NOTE_MAXIMUM = 500
EMPLOYER_LETTER = "employer_verification"
POSTAL_LETTER = "postal_verification"
EMPLOYER_REPLY_DAYS = 20  # an OpenCSE choice: the letter asks for an answer within 20 calendar days


def _business_date(value: date, field: str, *, not_before: date | None = None, before_what: str = "") -> None:
    check_not_future(value, field=field)
    if not_before is not None and value < not_before:
        raise InvalidInput(f"cannot be before {before_what} ({not_before:%m/%d/%Y})", field=field)


def _note(text: str, field: str, *, required: bool) -> str:
    text = " ".join(text.split())
    if required and not text:
        raise InvalidInput("say why (it goes into the record)", field=field)
    if len(text) > NOTE_MAXIMUM:
        raise InvalidInput(f"must be at most {NOTE_MAXIMUM} characters", field=field)
    return text


def _errors_of(*checks: Callable[[], object]) -> list[InvalidInput]:
    """The refusal of each check that refuses, in order, so that a form shows them all at once."""
    errors: list[InvalidInput] = []
    for check in checks:
        try:
            check()
        except InvalidInput as error:
            errors.append(error)
    return errors


def parent_to_locate(case: Case) -> Person:
    """The case's noncustodial parent (or alleged father) now on the case."""
    member = (
        CaseMember.objects.select_related("person")
        .filter(case=case, role__in=LOCATED_ROLES, left_on__isnull=True)
        .order_by("role", "pk")
        .first()
    )  # fmt: skip
    if member is None:
        raise InvalidInput("the case has no noncustodial parent or alleged father to locate", field="sources")
    return member.person


@transaction.atomic
def request_locate(
    *, actor: User, case: Case, sources_asked: Sequence[str], requested_on: date, note: str = ""
) -> list[LocateRequest]:
    """Refer the case's noncustodial parent to locate on `requested_on` (the determination that location is
    necessary: 45 CFR 303.3(b)(3)'s 75 days count from it) and record a request to each source asked."""
    require(actor, "locate.request", case)
    errors: list[InvalidInput] = []
    known = sources()
    unknown = [key for key in sources_asked if key not in known]
    if not sources_asked or unknown:
        errors.append(InvalidInput("choose at least one source from the list", field="sources"))
    errors += _errors_of(lambda: _business_date(requested_on, "requested_on", not_before=case.opened_on,
                                                before_what="the case was opened"),
                         lambda: _note(note, "note", required=False))  # fmt: skip
    if not case.is_open:
        raise Conflict("The case is closed: reopen it before referring it to locate.")
    if errors:
        raise InvalidInputs(errors)
    person = parent_to_locate(case)
    text = _note(note, "note", required=False)
    requests = [LocateRequest(case=case, person=person, source=key, requested_on=requested_on, requested_by=actor,
                              note=text) for key in dict.fromkeys(sources_asked)]  # fmt: skip
    LocateRequest.objects.bulk_create(requests)
    record_audit(actor=actor, action="locate.requested", target=case, case_number=case.number,
                 summary=f"{len(requests)} source(s) asked on {requested_on:%m/%d/%Y}",
                 after={"sources": [request.source for request in requests], "person": person.pk})  # fmt: skip
    publish(LocateNeeded(case_id=case.pk, person_id=person.pk, determined_on=requested_on, actor_id=actor.pk))
    return requests


@transaction.atomic
def record_response(
    *, actor: User, request: LocateRequest, received_on: date, found: bool, summary: str
) -> LocateResponse:
    """What a source answered to a request (by letter, phone or a screen of another agency)."""
    request = LocateRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    require(actor, "locate.request", request.case)
    errors = _errors_of(lambda: _business_date(received_on, "received_on", not_before=request.requested_on,
                                               before_what="the request"),
                        lambda: _note(summary, "summary", required=True))  # fmt: skip
    if errors:
        raise InvalidInputs(errors)
    response = LocateResponse.objects.create(
        case=request.case, person_id=request.person_id, source=request.source, request=request,
        received_on=received_on, found=found, summary=_note(summary, "summary", required=True), recorded_by=actor,
    )  # fmt: skip
    request.status = RequestStatus.ANSWERED
    request.save(update_fields=["status"])
    record_audit(actor=actor, action="locate.response_recorded", target=response, case_number=request.case.number,
                 summary=f"{request.source}: {'found' if found else 'nothing found'}")  # fmt: skip
    return response


def _review_decision(
    *, actor: User, record: LocateRecord, note: str, decided_on: date, linking: bool, person_id: int | None = None
) -> tuple[LocateRecord, Person | None, str]:
    """An officer's decision on a record of the review queue, checked: the record (locked, still in review),
    the person it is linked to when `linking` (`person_id`, one the officer may see), and the note. Every
    refusal is raised at once."""
    require(actor, "locate.review")
    record = LocateRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != RecordStatus.REVIEW:
        raise Conflict(f"This record was already decided ({record.get_status_display().lower()}).")
    errors: list[InvalidInput] = []
    person: Person | None = None
    if linking and person_id is None:
        errors.append(InvalidInput("give the person's record number", field="person_id"))
    elif person_id is not None and linking:
        try:
            person = person_for_viewer(viewer=actor, person_id=person_id)
        except Exception:  # NotFound: said beside the field
            errors.append(InvalidInput(f"no person {person_id} that you may see", field="person_id"))
    errors += _errors_of(lambda: _note(note, "note", required=True),
                         lambda: _business_date(decided_on, "decided_on", not_before=record.received_on,
                                                before_what="the record was received"))  # fmt: skip
    if errors:
        raise InvalidInputs(errors)
    return record, person, _note(note, "note", required=True)


@transaction.atomic
def link_record(
    *, actor: User, record: LocateRecord, person_id: int | None, note: str, decided_on: date
) -> LocateRecord:
    """An officer says whom the record is about: it posts as an unverified lead on that person, with the
    officer's basis shown (audited `locate.record_linked`)."""
    record, person, text = _review_decision(actor=actor, record=record, note=note, decided_on=decided_on,
                                            linking=True, person_id=person_id)  # fmt: skip
    assert person is not None
    record.status, record.person = RecordStatus.LINKED, person
    record.match_basis = f"linked by {actor.get_full_name() or actor.username}: {text}"[:200]
    record.decided_by, record.decided_on, record.decision_note = actor, decided_on, text
    record.awaiting_match = False  # decided before the probabilistic step ran: the officer's decision stands
    # The probabilistic candidate the officer chose (if any) keeps its probability and weights on the lead.
    chosen = record.candidates.filter(person=person).first()
    if chosen is not None:
        record.match_probability, record.match_weight, record.field_weights = (
            chosen.match_probability, chosen.match_weight, chosen.field_weights)  # fmt: skip
    post_leads([record], actor=actor)
    record.save(update_fields=["status", "person", "match_basis", "decided_by", "decided_on", "decision_note",
                               "address", "employment", "match_probability", "match_weight", "field_weights",
                               "awaiting_match"])  # fmt: skip
    respond_on_cases([record], actor=actor, on=decided_on)
    candidates = {each.person_id: each.match_probability for each in record.candidates.all()}
    record_audit(actor=actor, action="locate.record_linked", target=record, summary=f"record {record.pk} linked",
                 after={"person": person.pk, "ssn": record.ssn_masked, "note": text,
                        "review_reason": record.review_reason, "candidate": person.pk in candidates,
                        "match_probability": candidates.get(person.pk),
                        "candidates": {str(key): value for key, value in candidates.items()}})  # fmt: skip
    return record


@transaction.atomic
def dismiss_record(*, actor: User, record: LocateRecord, note: str, decided_on: date) -> LocateRecord:
    """An officer finds the record is about nobody OpenCSE serves (or cannot tell): it leaves the queue,
    kept with the reason (audited `locate.record_dismissed`)."""
    record, _, text = _review_decision(actor=actor, record=record, note=note, decided_on=decided_on, linking=False)
    record.status, record.decided_by, record.decided_on, record.decision_note = (
        RecordStatus.DISMISSED, actor, decided_on, text)  # fmt: skip
    record.awaiting_match = False
    record.save(update_fields=["status", "decided_by", "decided_on", "decision_note", "awaiting_match"])
    candidates = {str(each.person_id): each.match_probability for each in record.candidates.all()}
    record_audit(actor=actor, action="locate.record_dismissed", target=record, summary=f"record {record.pk} dismissed",
                 after={"note": text, "review_reason": record.review_reason, "candidates": candidates})  # fmt: skip
    return record


def _employer_letter(*, actor: User, case: Case, employment: Employment, person: Person, on: date) -> object:
    employer = employment.employer
    place = " ".join(part for part in (f"{employer.city}," if employer.city else "", employer.state,
                                       employer.postal_code) if part)  # fmt: skip
    data = {
        "case_number": case.number,
        "employer_name": employer.name,
        "employer_address": [line for line in (employer.line1, place) if line],
        "employee": person,
        "reply_by": on + timedelta(days=EMPLOYER_REPLY_DAYS),
        "issued_by": actor.get_full_name() or actor.username,
    }
    if employment.started_on:
        data["reported_hired_on"] = employment.started_on
    return generate_document(actor=actor, case=case, kind=EMPLOYER_LETTER, data=data, dated_on=on,
                             subject=f"employment {employment.pk}", person=person)  # fmt: skip


def _postal_letter(*, actor: User, case: Case, address: Address, person: Person, on: date) -> object:
    """The request to the postmaster of the address's city. A protected person's street line is refused by the
    document engine (`Conflict`): it never leaves the system, not even to the post office."""
    place = f"{address.city}, {address.state} {address.postal_code}"
    data = {
        "case_number": case.number,
        "post_office": ["Postmaster", place],
        "person": person,
        "address_to_verify": [line for line in (address.line1, address.line2, place) if line],
        "issued_by": actor.get_full_name() or actor.username,
    }
    return generate_document(actor=actor, case=case, kind=POSTAL_LETTER, data=data, dated_on=on,
                             subject=f"address {address.pk}", person=person)  # fmt: skip


@transaction.atomic
def request_verification(
    *,
    actor: User,
    case: Case,
    kind: str,
    requested_on: date,
    employment: Employment | None = None,
    address: Address | None = None,
    person: Person | None = None,
) -> VerificationRequest:
    """Ask for the verification of a lead on a person of `case`: the employer's (the letter is generated and
    stored on the case), the post office's (of an address), or SSA's (of the person's SSN)."""
    require(actor, "locate.verify", case)
    if kind not in VerificationKind.values:
        raise InvalidInput("choose what to verify", field="kind")
    if kind == VerificationKind.EMPLOYER and employment is None:
        raise InvalidInput("choose the employer to verify", field="employment")
    if kind == VerificationKind.POSTAL and address is None:
        raise InvalidInput("choose the address to verify", field="address")
    target = employment or address
    person_id = target.person_id if target is not None else (person.pk if person else None)
    if person_id is None:
        raise InvalidInput("choose the person whose SSN to verify", field="person")
    if not case.members.filter(person_id=person_id).exists():
        raise InvalidInput("is not a person of this case", field=kind_field(kind))
    _business_date(requested_on, "requested_on")
    if VerificationRequest.objects.filter(kind=kind, person_id=person_id, status=VerificationStatus.REQUESTED,
                                          employment=employment, address=address).exists():  # fmt: skip
        raise Conflict("This verification was already requested and is still waiting for an answer.")
    subject = Person.objects.get(pk=person_id)
    verification = VerificationRequest(person=subject, case=case, kind=kind, employment=employment, address=address,
                                       requested_on=requested_on, requested_by=actor)  # fmt: skip
    if kind == VerificationKind.EMPLOYER:
        assert employment is not None
        if employment.verified:
            raise Conflict("This employer is already verified.")
        verification.letter = _employer_letter(actor=actor, case=case, employment=employment, person=subject,
                                               on=requested_on)  # type: ignore[assignment]  # fmt: skip
    if kind == VerificationKind.POSTAL:
        assert address is not None
        if address.ended_on is not None:
            raise Conflict("This address has ended: there is nothing to verify.")
        verification.letter = _postal_letter(actor=actor, case=case, address=address, person=subject,
                                             on=requested_on)  # type: ignore[assignment]  # fmt: skip
    verification.save()
    record_audit(actor=actor, action="locate.verification_requested", target=verification, case_number=case.number,
                 summary=verification.get_kind_display(), after={"person": person_id})  # fmt: skip
    return verification


def kind_field(kind: str) -> str:
    return {"employer": "employment", "postal": "address"}.get(kind, "person")


@transaction.atomic
def record_verification(
    *, actor: User, verification: VerificationRequest, verified: bool, decided_on: date, note: str = ""
) -> VerificationRequest:
    """The answer to a verification request. A verified employer is marked verified on that date and
    `people.EmploymentVerified` is published (the worklist opens the income withholding task, 2 business
    days: 45 CFR 303.100(e)); a verified address locates the parent (`ParentLocated`: the locate tasks are
    done); an address the post office does not confirm is marked a bad address."""
    verification = VerificationRequest.objects.select_for_update().select_related("case").get(pk=verification.pk)
    require(actor, "locate.verify", verification.case)
    if verification.status != VerificationStatus.REQUESTED:
        raise Conflict(f"This verification was already answered ({verification.get_status_display().lower()}).")
    errors = _errors_of(lambda: _business_date(decided_on, "decided_on", not_before=verification.requested_on,
                                               before_what="the request"),
                        lambda: _note(note, "note", required=not verified))  # fmt: skip
    if errors:
        raise InvalidInputs(errors)
    verification.status = VerificationStatus.VERIFIED if verified else VerificationStatus.FAILED
    verification.decided_on, verification.decided_by = decided_on, actor
    verification.result_note = _note(note, "note", required=False)
    verification.save(update_fields=["status", "decided_on", "decided_by", "result_note"])
    record_audit(actor=actor, action="locate.verification_recorded", target=verification,
                 case_number=verification.case.number, summary=verification.get_status_display(),
                 after={"status": verification.status, "decided_on": str(decided_on)})  # fmt: skip
    if verification.kind == VerificationKind.EMPLOYER:
        assert verification.employment_id is not None
        _employer_answered(actor=actor, employment_id=verification.employment_id, verified=verified, on=decided_on)
    elif verification.kind == VerificationKind.POSTAL:
        assert verification.address_id is not None
        _address_answered(actor=actor, address_id=verification.address_id, verified=verified, on=decided_on)
    return verification


def _employer_answered(*, actor: User, employment_id: int, verified: bool, on: date) -> None:
    if not verified:
        return  # the lead stays unverified, the failed request says why
    employment = Employment.objects.select_for_update().get(pk=employment_id)
    if employment.verified:
        return
    employment.verified, employment.verified_on = True, on
    employment.save(update_fields=["verified", "verified_on"])
    record_audit(actor=actor, action="employment.verified", target=employment,
                 after={"verification": "verified", "verified_on": str(on)})  # fmt: skip
    publish(EmploymentVerified(employment_id=employment.pk, person_id=employment.person_id, verified_on=on,
                               actor_id=actor.pk))  # fmt: skip


def _address_answered(*, actor: User, address_id: int, verified: bool, on: date) -> None:
    address = Address.objects.select_for_update().get(pk=address_id)
    before = {"verification": address.verification}
    address.verification = Address.Verification.VERIFIED if verified else Address.Verification.BAD
    address.verified_on = on if verified else address.verified_on
    address.save(update_fields=["verification", "verified_on"])
    record_audit(actor=actor, action="address.verified" if verified else "address.marked_bad", target=address,
                 before=before, after={"verification": address.verification})  # fmt: skip
    if not verified:
        return
    case_ids = tuple(sorted(set(
        CaseMember.objects.filter(person_id=address.person_id, role__in=LOCATED_ROLES, left_on__isnull=True,
                                  case__closed_on__isnull=True).values_list("case_id", flat=True))))  # fmt: skip
    if case_ids:
        publish(ParentLocated(person_id=address.person_id, case_ids=case_ids, located_on=on, actor_id=actor.pk))
