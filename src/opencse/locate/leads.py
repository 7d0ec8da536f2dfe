"""Posting matched locate records as UNVERIFIED leads on their person, set-based: the employers found by FEIN
in one query and the missing ones made in one insert, the employments and addresses in one insert each
(a lead the person already has is not posted twice), one audit row per lead, and the cases told: a response
on each open case where the person is the noncustodial parent or alleged father, answering the open request
to that source. The bulk equivalent of `people.services.add_address` / `add_employment(verified=False)`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import Q

from opencse.cases.models import CaseMember, MemberRole
from opencse.locate.models import LocateRecord, LocateRequest, LocateResponse, RequestStatus
from opencse.locate.sources import source
from opencse.people.models import US_STATES, Address, Employer, Employment
from opencse.security.audit import audit_event, record_audits
from opencse.security.models import User

LOCATED_ROLES = (MemberRole.NONCUSTODIAL_PARENT, MemberRole.ALLEGED_FATHER)
BATCH = 2_000


def _address_ok(record: LocateRecord) -> bool:
    return bool(record.address_line1 and record.city and record.state in US_STATES and record.postal_code)


def _same_address(line1: str, postal_code: str) -> tuple[str, str]:
    return " ".join(line1.upper().split()), postal_code[:5]


def _employers(records: Sequence[LocateRecord]) -> dict[int, Employer]:
    """The employer of each record with one (by position): the one on file with its FEIN, else a new one (one
    per FEIN, or per name and ZIP code without a FEIN, in the batch)."""
    wanted = [(position, record) for position, record in enumerate(records) if record.employer_name]
    feins = {record.employer_fein for _, record in wanted if record.employer_fein}
    on_file: dict[str, Employer] = {}
    for employer in Employer.objects.filter(fein__in=feins).order_by("pk"):
        on_file.setdefault(employer.fein, employer)
    new: dict[tuple[str, str], Employer] = {}
    chosen: dict[int, Employer] = {}
    for position, record in wanted:
        if record.employer_fein and record.employer_fein in on_file:
            chosen[position] = on_file[record.employer_fein]
            continue
        key = (
            (record.employer_fein, "")
            if record.employer_fein
            else ("", f"{record.employer_name}|{record.employer_postal_code}")
        )
        if key not in new:
            new[key] = Employer(
                name=record.employer_name[:120], fein=record.employer_fein, line1=record.employer_line1[:100],
                city=record.employer_city[:60],
                state=record.employer_state if record.employer_state in US_STATES else "",
                postal_code=record.employer_postal_code[:10],
            )  # fmt: skip
        chosen[position] = new[key]
    Employer.objects.bulk_create(list(new.values()), batch_size=BATCH)
    return chosen


def _person(record: LocateRecord) -> int:
    assert record.person_id is not None, record
    return record.person_id


def post_leads(records: Sequence[LocateRecord], *, actor: User) -> None:
    """Post each record's address and employer as unverified leads on its person (`record.person_id` set).
    Sets the records' links to what was posted (`address`, `employment`) without saving the records: the
    caller inserts or saves them, then calls `respond_on_cases`."""
    records = [record for record in records if record.person_id is not None]
    if not records:
        return
    person_ids = {_person(record) for record in records}
    employers = _employers(records)
    open_jobs = set(
        Employment.objects.filter(person_id__in=person_ids, employer_id__in={e.pk for e in employers.values()})
        .filter(ended_on__isnull=True)
        .values_list("person_id", "employer_id")
    )  # fmt: skip
    known_addresses = {
        (person_id, *_same_address(line1, postal_code))
        for person_id, line1, postal_code in Address.objects.filter(person_id__in=person_ids, ended_on__isnull=True)
        .values_list("person_id", "line1", "postal_code")
    }  # fmt: skip
    new_jobs: list[tuple[LocateRecord, Employment]] = []
    new_addresses: list[tuple[LocateRecord, Address]] = []
    for position, record in enumerate(records):
        information = source(record.source).person_source
        employer = employers.get(position)
        if employer is not None and (_person(record), employer.pk) not in open_jobs:
            open_jobs.add((_person(record), employer.pk))
            new_jobs.append((record, Employment(person_id=_person(record), employer=employer, source=information,
                                                started_on=record.hired_on, verified=False)))  # fmt: skip
        address_key = (_person(record), *_same_address(record.address_line1, record.postal_code))
        if _address_ok(record) and address_key not in known_addresses:
            known_addresses.add(address_key)
            new_addresses.append((record, Address(
                person_id=_person(record), kind=Address.Kind.RESIDENTIAL, line1=record.address_line1[:100],
                line2=record.address_line2[:100], city=record.city[:60], state=record.state,
                postal_code=record.postal_code[:10], source=information,
                verification=Address.Verification.UNVERIFIED, effective_on=record.received_on,
            )))  # fmt: skip
    Employment.objects.bulk_create([job for _, job in new_jobs], batch_size=BATCH)
    Address.objects.bulk_create([address for _, address in new_addresses], batch_size=BATCH)
    for record, job in new_jobs:
        record.employment = job
    for record, address in new_addresses:
        record.address = address
    record_audits(
        [audit_event(actor=actor, action="employment.added", target=job,
                     after={"source": job.source, "started_on": str(job.started_on or ""),
                            "verification": "unverified"})
         for _, job in new_jobs]
        + [audit_event(actor=actor, action="address.added", target=address,
                       after={"source": address.source, "verification": "unverified"})
           for _, address in new_addresses]
    )  # fmt: skip


def respond_on_cases(records: Sequence[LocateRecord], *, actor: User, on: date) -> None:
    """For saved records posted as leads: a response on each open case where the record's person is the
    noncustodial parent or alleged father, answering the oldest open request to the record's source (one query
    each for members and requests)."""
    records = [record for record in records if record.person_id is not None]
    person_ids = {_person(record) for record in records}
    cases_of: dict[int, list[int]] = defaultdict(list)
    members = CaseMember.objects.filter(person_id__in=person_ids, role__in=LOCATED_ROLES, left_on__isnull=True,
                                        case__closed_on__isnull=True)  # fmt: skip
    for person_id, case_id in members.values_list("person_id", "case_id").distinct():
        cases_of[person_id].append(case_id)
    case_ids = {case_id for ids in cases_of.values() for case_id in ids}
    requests: dict[tuple[int, int, str], int] = {}
    open_requests = LocateRequest.objects.filter(
        case_id__in=case_ids, person_id__in=person_ids, status=RequestStatus.OPEN
    ).order_by("-requested_on", "-pk")
    for pk, case_id, person_id, key in open_requests.values_list("pk", "case_id", "person_id", "source"):
        requests[(case_id, person_id, key)] = pk  # the oldest wins (ordered newest first)
    responses: list[LocateResponse] = []
    answered: set[int] = set()
    for record in records:
        for case_id in cases_of.get(_person(record), []):
            request_id = requests.get((case_id, _person(record), record.source))
            if request_id is not None:
                answered.add(request_id)
            responses.append(LocateResponse(
                case_id=case_id, person_id=_person(record), source=record.source, request_id=request_id,
                record=record, received_on=on, found=True, summary=summary_of(record)[:500], recorded_by=actor,
            ))  # fmt: skip
    LocateResponse.objects.bulk_create(responses, batch_size=BATCH, ignore_conflicts=True)
    if answered:
        LocateRequest.objects.filter(Q(pk__in=answered)).update(status=RequestStatus.ANSWERED)


def summary_of(record: LocateRecord) -> str:
    """What the record gave, in words (no SSN, no date of birth)."""
    parts = [f"{source(record.source).name}: {record.match_basis or 'matched'}"]
    if record.employer_name:
        hired = f", hired {record.hired_on:%m/%d/%Y}" if record.hired_on else ""
        parts.append(f"employer {record.employer_text}{hired}")
    if record.amount is not None:
        what = "benefit" if record.kind == "unemployment" else "wages"
        parts.append(f"{what} ${record.amount:,.2f} in {record.period[:4]} Q{record.period[4:]}")
    if record.address_line1:
        parts.append("an address")
    return "; ".join(parts)
