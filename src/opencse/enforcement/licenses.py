"""Driver's, professional and recreational license suspension and reinstatement (42 U.S.C. 666(a)(16): the
State's power to "withhold or suspend, or to restrict the use of driver's licenses, professional and
occupational licenses, and recreational and sporting licenses" of individuals owing overdue support;
Miss. Code Ann. 93-11-153 to 93-11-163; RCW 74.20A.320 and WAC 388-14A-4500 to -4530).

**The licenses** an obligor holds are recorded on the person (`License`: kind, issuing agency from the State's
directory, number, where it came from: an officer or a locate source of `locate/sources.yaml` such as motor
vehicles, and when), and ended when no longer held (`record_license`, `end_license`, audited).

**The directory** of licensing agencies and boards is data, a file per State in `licensing_agencies/`
(`licensing_agencies()`): which agency receives certifications for which kinds of license, with the items not
confirmed from a primary source marked.

**Certification** (`write_license_files`, `opencse enforcement license-file --on DATE --out DIR`). The remedy's
due process is the generic action's (`enforcement.actions`: notice, contest window, `take_action`). On the
business date, every license held by an obligor with a license_suspension action taken (on or before the date,
still in force) and no suspension outstanding is certified for suspension (S); every outstanding suspension
whose obligor has no such action any more (released: paid, agreement kept, the sweep's release, the case
closed; or withdrawn) or whose license was ended is released (R). The comparison of what should be certified
with what was sent, not a hook in each path that releases an action, is what makes every release path send
the release. Each request is written once, in the file of its agency for the day (a `LicenseTransmission`),
and a second run finds nothing to send. Set-based: five reads (the actions taken, the outstanding suspensions,
the licenses due, the people, the addresses), bulk writes. The file carries the last four digits of the SSN
(the agency holds the full number of its licensees): no SSN is decrypted. A person with the family violence
indicator has blank address fields: the protected address is not even read. Each release sends the obligor a
notice (`license_release_notice`, through the documents engine) and each request is a line on the case
timeline.

**Response** (`read_license_response`, `opencse enforcement license-response FILE --received-on DATE`). Each
answer (suspended on the date, no license found, name mismatch, reinstated on the date) is recorded on its
certification; a line that cannot be recorded is kept with its number and why (`LicenseResponseProblem`); the
same file read again adds nothing. "No license found" and a name mismatch open a task on the case for the
officer to correct the license (`LicenseResponseNeedsAction`).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from opencse.cases.models import Case
from opencse.cases.services import add_system_note
from opencse.common.events import publish
from opencse.documents.services import generate_document
from opencse.enforcement.events import LicenseResponseNeedsAction
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.license_models import (
    License,
    LicenseCertification,
    LicenseKind,
    LicenseRequest,
    LicenseResponseFile,
    LicenseResponseProblem,
    LicenseResult,
    LicenseTransmission,
)
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.offset import notice_addresses
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.interfaces import license_file as layout
from opencse.locate.sources import sources
from opencse.people.models import Person
from opencse.security.audit import record_audit, record_audit_rows
from opencse.security.models import User
from opencse.security.policy import require

log = logging.getLogger(__name__)
REMEDY = "license_suspension"
OFFICER = "officer"
DIRECTORY = Path(__file__).with_name("licensing_agencies")
NUMBER_MAXIMUM = 40
REASON_MAXIMUM = 300
RELEASE_NOTICE = "license_release_notice"
FILE_SIZE_MAXIMUM = 20 * 1024 * 1024
# What the agency may answer to each request (docs/interfaces/license-certification.md).
ANSWERS = {
    LicenseRequest.SUSPEND: {LicenseResult.SUSPENDED, LicenseResult.NOT_FOUND, LicenseResult.NAME_MISMATCH},
    LicenseRequest.RELEASE: {LicenseResult.REINSTATED, LicenseResult.NOT_FOUND, LicenseResult.NAME_MISMATCH},
}
NEEDS_OFFICER = {LicenseResult.NOT_FOUND, LicenseResult.NAME_MISMATCH}


# --- The directory ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Agency:
    key: str
    name: str
    kinds: tuple[str, ...]
    reference: str
    unconfirmed: bool


@lru_cache(maxsize=8)
def licensing_agencies(state: str | None = None) -> dict[str, Agency]:
    """The licensing agencies and boards of `state` (default: the installation's), from its data file; none
    for a State without one. A malformed file fails at the first read, naming the agency."""
    state = (state or settings.OPENCSE_STATE).upper()
    path = DIRECTORY / f"{state.lower()}.yaml"
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["state"] == state, (path, raw["state"])
    found: dict[str, Agency] = {}
    for key, item in raw["agencies"].items():
        agency = Agency(key=key, name=item["name"], kinds=tuple(item["kinds"]), reference=item["reference"],
                        unconfirmed=bool(item.get("unconfirmed", False)))  # fmt: skip
        assert agency.kinds and set(agency.kinds) <= set(LicenseKind.values), (key, agency.kinds)
        assert len(key) <= 40, key
        found[key] = agency
    return found


def agency_choices() -> list[tuple[str, str]]:
    return [(a.key, a.name + (" (unconfirmed)" if a.unconfirmed else "")) for a in licensing_agencies().values()]


def source_choices() -> list[tuple[str, str]]:
    """Who reported the license: an officer, or a locate source (locate/sources.yaml)."""
    return [(OFFICER, "An officer (from a document, the obligor or a party)")] + [
        (item.key, item.name) for item in sources().values()
    ]


# --- The licenses ----------------------------------------------------------------------------------------


def licenses_of(*, person: Person) -> QuerySet[License]:
    """The person's licenses, those held first, then the latest reported, each with its certifications (the latest
    first) prefetched as `certifications`."""
    sent = LicenseCertification.objects.select_related("transmission").order_by("-sent_on", "-pk")
    return (
        License.objects.filter(holder=person)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("certifications", queryset=sent))
        .order_by(F("ended_on").asc(nulls_first=True), "-reported_on", "-pk")
    )


def license_of(*, person: Person, license_id: int) -> License:
    found = License.objects.filter(holder=person, pk=license_id).first()
    if found is None:
        raise NotFound(f"No license {license_id} recorded for this obligor.")
    return found


def _not_future(on: date | None, name: str, errors: list[InvalidInput]) -> None:
    if on is not None and on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field=name))


def _raise(errors: list[InvalidInput]) -> None:
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)


@transaction.atomic
def record_license(*, actor: User, case: Case, kind: str, agency: str, number: str, source: str, reported_on: date,
                   expires_on: date | None = None) -> License:  # fmt: skip
    """A license the obligor of `case` holds, as `source` reported it on `reported_on`. Every error at once."""
    require(actor, "enforcement.act", case)
    holder = obligor_on_case(case)
    errors: list[InvalidInput] = []
    directory = licensing_agencies()
    if kind not in LicenseKind.values:
        errors.append(InvalidInput("choose the kind of license", field="kind"))
    found = directory.get(agency)
    if found is None:
        errors.append(InvalidInput("choose the licensing agency or board", field="agency"))
    elif kind in LicenseKind.values and kind not in found.kinds:
        kinds = ", ".join(LicenseKind(k).label.lower() for k in found.kinds)
        errors.append(InvalidInput(f"{found.name} issues {kinds} only", field="agency"))
    number = "".join(number.split()).upper()  # as the agency prints it, without spaces
    if not number:
        errors.append(InvalidInput("required", field="number"))
    elif len(number) > NUMBER_MAXIMUM:
        errors.append(InvalidInput(f"at most {NUMBER_MAXIMUM} characters", field="number"))
    elif not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in number):
        errors.append(InvalidInput("letters, digits and hyphens only", field="number"))
    if source != OFFICER and source not in sources():
        errors.append(InvalidInput("choose who reported the license", field="source"))
    _not_future(reported_on, "reported_on", errors)
    if expires_on is not None and expires_on < reported_on:
        errors.append(InvalidInput("cannot be before the date it was reported", field="expires_on"))
    _raise(errors)
    assert found is not None
    try:
        with transaction.atomic():
            license = License.objects.create(
                holder=holder, kind=kind, agency=agency, agency_name=found.name[:160], number=number,
                state=settings.OPENCSE_STATE[:2], source=source, reported_on=reported_on, expires_on=expires_on,
                recorded_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise InvalidInput(f"{found.name} license {number} is already recorded", field="number") from error
    record_audit(actor=actor, action="license.recorded", target=license, case_number=case.number, summary=str(license),
                 after={"kind": kind, "agency": agency, "number": number, "source": source,
                        "reported_on": reported_on.isoformat()})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"license:{license.pk}:recorded",
                    text=f"License recorded: {license}, reported {reported_on:%m/%d/%Y}.")  # fmt: skip
    return license


@transaction.atomic
def end_license(*, actor: User, case: Case, license: License, ended_on: date, reason: str) -> License:
    """The obligor no longer holds the license (expired, surrendered, recorded in error): a suspension outstanding
    on it is released in the next license file."""
    require(actor, "enforcement.act", case)
    license = License.objects.select_for_update().get(pk=license.pk)
    if license.ended_on is not None:
        raise Conflict(f"This license was already ended on {license.ended_on:%m/%d/%Y}.")
    errors: list[InvalidInput] = []
    _not_future(ended_on, "ended_on", errors)
    reason = reason.strip()
    if not reason:
        errors.append(InvalidInput("say why (expired, surrendered, recorded in error)", field="reason"))
    elif len(reason) > REASON_MAXIMUM:
        errors.append(InvalidInput(f"at most {REASON_MAXIMUM} characters", field="reason"))
    _raise(errors)
    license.ended_on, license.end_reason, license.ended_by, license.ended_at = ended_on, reason, actor, timezone.now()
    license.save(update_fields=["ended_on", "end_reason", "ended_by", "ended_at"])
    record_audit(actor=actor, action="license.ended", target=license, case_number=case.number, summary=str(license),
                 after={"ended_on": ended_on.isoformat(), "reason": reason})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"license:{license.pk}:ended",
                    text=f"License ended: {license}, on {ended_on:%m/%d/%Y}. {reason}")  # fmt: skip
    return license


def certifications_of(*, person: Person) -> QuerySet[LicenseCertification]:
    """Every request sent about the person's licenses, the latest first."""
    return (
        LicenseCertification.objects.filter(license__holder=person)
        .select_related("license", "transmission")
        .order_by("-sent_on", "-pk")
    )


def certifications_of_action(*, action: EnforcementAction) -> QuerySet[LicenseCertification]:
    return LicenseCertification.objects.filter(action=action).select_related("license").order_by("sent_on", "pk")


# --- The certification files -----------------------------------------------------------------------------


@dataclass
class LicenseFileResult:
    on: date
    suspensions: int = 0
    releases: int = 0
    paths: list[Path] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Due:
    license: License
    request: LicenseRequest
    action_id: int
    case_id: int
    case_number: str
    effective_on: date
    release_of: LicenseCertification | None = None


def _due(on: date) -> list[_Due]:
    """What should be sent on `on` and was not: S for each license held by an obligor with the remedy taken and
    no suspension outstanding; R for each suspension outstanding whose obligor has none taken, or whose license
    was ended."""
    taken: dict[int, tuple[int, int, str, date]] = {}  # obligor -> the earliest action taken
    rows = (
        EnforcementAction.objects.filter(remedy=REMEDY, status=ActionStatus.TAKEN, taken_on__lte=on)
        .order_by("taken_on", "pk")
        .values_list("obligor_id", "pk", "case_id", "case__number", "taken_on")
    )
    for obligor_id, pk, case_id, number, taken_on in rows:
        taken.setdefault(obligor_id, (pk, case_id, number, taken_on or on))  # taken: never None
    outstanding = LicenseCertification.objects.filter(request=LicenseRequest.SUSPEND, released_by__isnull=True)
    due: list[_Due] = []
    for suspension in outstanding.select_related("license", "action__case"):
        holder = suspension.license.holder_id
        if holder in taken and suspension.license.ended_on is None:
            continue
        action = suspension.action
        released_on = action.released_on if action.status == ActionStatus.RELEASED and action.released_on else on
        due.append(_Due(license=suspension.license, request=LicenseRequest.RELEASE, action_id=action.pk,
                        case_id=action.case_id, case_number=action.case.number,
                        effective_on=min(released_on, on), release_of=suspension))  # fmt: skip
    held = License.objects.filter(holder_id__in=list(taken), ended_on__isnull=True).exclude(
        Exists(
            LicenseCertification.objects.filter(
                license=OuterRef("pk"), request=LicenseRequest.SUSPEND, released_by__isnull=True
            )
        )
    )
    for license in held.order_by("holder_id", "pk"):
        pk, case_id, number, taken_on = taken[license.holder_id]
        due.append(_Due(license=license, request=LicenseRequest.SUSPEND, action_id=pk, case_id=case_id,
                        case_number=number, effective_on=taken_on))  # fmt: skip
    return due


@transaction.atomic
def write_license_files(*, actor: User, on: date, out_dir: Path) -> LicenseFileResult:
    """Write, per licensing agency, the day's certification file of the suspensions and releases not yet sent
    (module doc); nothing when nothing is due."""
    require(actor, "enforcement.act")
    result = LicenseFileResult(on=on)
    due = _due(on)
    if not due:
        log.info("license certification files on %s: nothing to send", on)
        return result
    people = Person.objects.in_bulk({item.license.holder_id for item in due})
    # The protected addresses are not even read: only the people without the family violence indicator.
    addresses = notice_addresses({pk for pk, person in people.items() if not person.family_violence})
    by_agency: dict[str, list[_Due]] = defaultdict(list)
    for item in due:
        by_agency[item.license.agency].append(item)
    out_dir.mkdir(parents=True, exist_ok=True)
    sent: list[tuple[_Due, LicenseCertification]] = []
    files: list[tuple[Path, str]] = []
    for agency in sorted(by_agency):
        items = by_agency[agency]
        suspensions = sum(1 for item in items if item.request == LicenseRequest.SUSPEND)
        transmission = LicenseTransmission.objects.create(
            agency=agency,
            on=on,
            file_name="",
            suspensions=suspensions,
            releases=len(items) - suspensions,
            created_by=actor,
        )
        rows = [LicenseCertification(license=item.license, action_id=item.action_id, request=item.request,
                                     release_of=item.release_of, agency=agency, effective_on=item.effective_on,
                                     transmission=transmission, sent_on=on) for item in items]  # fmt: skip
        created = LicenseCertification.objects.bulk_create(rows)
        if any(row.pk is None for row in created):  # a database that returns no keys on bulk insert
            created = list(LicenseCertification.objects.filter(transmission=transmission).order_by("pk"))
        records = []
        for item, certification in zip(items, created, strict=True):
            person = people[item.license.holder_id]
            address = addresses.get(person.pk)
            records.append(layout.CertificationRecord(
                record_type=item.request.value, certification_id=certification.pk, agency_code=agency,
                license_kind=item.license.kind, license_number=item.license.number,
                license_state=item.license.state, last_name=person.last_name, first_name=person.first_name,
                middle_name=person.middle_name, suffix=person.suffix, date_of_birth=person.date_of_birth,
                ssn_last4=person.ssn_last4, address_line_1=address.line1 if address else "",
                address_line_2=address.line2 if address else "", city=address.city if address else "",
                state=address.state if address else "", zip_code=address.postal_code if address else "",
                case_number=item.case_number, effective_date=item.effective_on, sent_date=on,
            ))  # fmt: skip
            sent.append((item, certification))
        path = out_dir / f"license-{agency}-{on:%Y%m%d}-{transmission.pk}.csv"
        transmission.file_name = path.name
        transmission.save(update_fields=["file_name"])
        files.append((path, layout.write_certifications(records)))
        result.suspensions += suspensions
        result.releases += len(items) - suspensions
    _record_sent(actor, sent, on=on)
    # The files last, once every row, note and notice is made: a refusal above leaves no file behind.
    for path, text in files:
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)  # names, dates of birth, addresses
        result.paths.append(path)
    log.info("license certification files on %s: %d suspensions, %d releases in %d files", on, result.suspensions,
             result.releases, len(result.paths))  # fmt: skip
    return result


def _record_sent(actor: User, sent: list[tuple[_Due, LicenseCertification]], *, on: date) -> None:
    """The audit rows (one per request: what left the system, about whom), one timeline note per case, and the
    release notice to each obligor whose licenses were released."""
    steps = ((LicenseRequest.SUSPEND, "license.certified"), (LicenseRequest.RELEASE, "license.released"))
    for request, action in steps:
        record_audit_rows(actor=actor, action=action, target_model=LicenseCertification, rows=[
            (certification.pk, item.case_number, f"{item.request.label}: {item.license}",
             {"license_id": item.license.pk, "holder_id": item.license.holder_id, "agency": item.license.agency,
              "sent_on": on.isoformat(), "effective_on": item.effective_on.isoformat()})
            for item, certification in sent if item.request == request
        ])  # fmt: skip
    by_case: dict[int, list[_Due]] = defaultdict(list)
    for item, _ in sent:
        by_case[item.case_id].append(item)
    cases = Case.objects.in_bulk(list(by_case))
    for case_id, items in sorted(by_case.items()):
        words = "; ".join(f"{item.request.label.lower()}: {item.license}" for item in items)
        first = min(certification.pk for item, certification in sent if item.case_id == case_id)
        add_system_note(actor=actor, case=cases[case_id], source_key=f"license-file:{on.isoformat()}:{first}",
                        text=f"License certification sent to the licensing agencies on {on:%m/%d/%Y} (42 U.S.C. "
                        f"666(a)(16)): {words}.")  # fmt: skip
        releases = [item for item in items if item.request == LicenseRequest.RELEASE]
        if releases:
            _release_notice(actor, cases[case_id], releases, on=on)


def _release_notice(actor: User, case: Case, releases: list[_Due], *, on: date) -> None:
    """The notice to the obligor that the suspension of their licenses was released (one per case and run)."""
    holder = releases[0].license.holder
    directory = licensing_agencies()
    generate_document(
        actor=actor, case=case, kind=RELEASE_NOTICE, dated_on=on, person=holder, subject=f"released {on.isoformat()}",
        data={"case_number": case.number, "obligor": holder, "released_on": max(item.effective_on for item in releases),
              "sent_on": on, "issued_by": actor.get_full_name() or actor.username,
              "licenses": [{"license": f"{item.license.get_kind_display()} {item.license.number}",
                            "agency": directory[item.license.agency].name if item.license.agency in directory
                            else item.license.agency_name} for item in releases]},
    )  # fmt: skip


# --- The agency's response read back ----------------------------------------------------------------------


@dataclass
class LicenseResponseResult:
    file: LicenseResponseFile
    already_read: bool = False
    recorded: int = 0
    already: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)


def _same_number(a: str, b: str) -> bool:
    def plain(value: str) -> str:
        return "".join(ch for ch in value.upper() if ch.isalnum())

    return plain(a) == plain(b)


@transaction.atomic
def read_license_response(*, actor: User, path: Path, received_on: date) -> LicenseResponseResult:
    """Record a licensing agency's response file received on `received_on` (module doc)."""
    require(actor, "enforcement.act")
    if path.stat().st_size > FILE_SIZE_MAXIMUM:
        raise InvalidInput(f"is larger than {FILE_SIZE_MAXIMUM // (1024 * 1024)} MB", field="file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", field="file") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = LicenseResponseFile.objects.filter(file_sha256=digest).first()
    if existing is not None:
        problems = list(existing.problem_lines.order_by("line_number").values_list("line_number", "problem"))
        return LicenseResponseResult(file=existing, already_read=True, problems=problems)
    parsed = layout.read_response(text)
    bad = [(line.line_number, line.text, line.problem) for line in parsed.bad]
    found = LicenseCertification.objects.select_related("license", "action__case").in_bulk(
        [record.certification_id for record in parsed.records]
    )
    answered: dict[int, int] = {}  # certification -> the line of this file that answered it
    changed: list[tuple[LicenseCertification, layout.ResponseRecord]] = []
    already = 0
    for record in parsed.records:
        certification = found.get(record.certification_id)
        problem = _problem(record, certification, received_on=received_on, answered=answered)
        if problem:
            bad.append((record.line_number, record.text, problem))
            continue
        assert certification is not None
        answered[certification.pk] = record.line_number
        if certification.result == record.result and certification.result_on == record.result_date:
            already += 1
            continue
        changed.append((certification, record))
    response_file = LicenseResponseFile.objects.create(
        file_sha256=digest, file_name=path.name[:200], received_on=received_on,
        records=len(parsed.records) + len(parsed.bad), recorded=len(changed), already=already, problems=len(bad),
        read_by=actor,
    )  # fmt: skip
    LicenseResponseProblem.objects.bulk_create([
        LicenseResponseProblem(response_file=response_file, line_number=number, text=text[:1000], problem=why[:300])
        for number, text, why in bad
    ])  # fmt: skip
    for certification, record in changed:
        certification.result, certification.result_on = record.result, record.result_date
        certification.result_received_on, certification.result_note = received_on, record.note[:200]
        certification.response_file = response_file
    LicenseCertification.objects.bulk_update([c for c, _ in changed], ["result", "result_on", "result_received_on",
                                                                        "result_note", "response_file"])  # fmt: skip
    _record_answers(actor, changed, received_on=received_on)
    return LicenseResponseResult(file=response_file, recorded=len(changed), already=already,
                                 problems=sorted((number, why) for number, _, why in bad))  # fmt: skip


def _problem(record: layout.ResponseRecord, certification: LicenseCertification | None, *, received_on: date,
             answered: dict[int, int]) -> str:  # fmt: skip
    """Why the line cannot be recorded on its certification ("" when it can)."""
    if certification is None:
        return f"no certification {record.certification_id} was sent"
    if certification.pk in answered:
        return f"certification {certification.pk} is answered twice in this file (line {answered[certification.pk]})"
    request = LicenseRequest(certification.request)
    if record.result not in ANSWERS[request]:
        allowed = ", ".join(sorted(ANSWERS[request]))
        return f"result {record.result} does not answer a {request.label.lower()} request (expected {allowed})"
    if record.result_date < certification.sent_on:
        return (
            f"result_date {record.result_date:%m/%d/%Y} is before the request was sent "
            f"({certification.sent_on:%m/%d/%Y})"
        )
    if record.result_date > received_on:
        return f"result_date {record.result_date:%m/%d/%Y} is after the file was received ({received_on:%m/%d/%Y})"
    if record.license_number and not _same_number(record.license_number, certification.license.number):
        return f"license_number {record.license_number} is not the number certified ({certification.license.number})"
    return ""


def _record_answers(actor: User, changed: list[tuple[LicenseCertification, layout.ResponseRecord]], *,
                    received_on: date) -> None:  # fmt: skip
    """The audit rows, a line on each case's timeline, and a task for each answer an officer must act on."""
    record_audit_rows(actor=actor, action="license.answered", target_model=LicenseCertification, rows=[
        (c.pk, c.action.case.number, f"{c.get_request_display()}: {LicenseResult(record.result).label}",
         {"result": record.result, "result_on": record.result_date.isoformat(), "received_on": received_on.isoformat(),
          "note": record.note})
        for c, record in changed
    ])  # fmt: skip
    by_case: dict[int, list[LicenseCertification]] = defaultdict(list)
    for certification, _ in changed:
        by_case[certification.action.case_id].append(certification)
    for certifications in by_case.values():
        case = certifications[0].action.case
        words = "; ".join(f"{c.license}: {LicenseResult(c.result).label.lower()} ({c.result_on:%m/%d/%Y})"
                          for c in certifications)  # fmt: skip
        add_system_note(actor=actor, case=case, source_key=f"license-answer:{received_on.isoformat()}:"
                        f"{min(c.pk for c in certifications)}",
                        text=f"Licensing agency's answer received {received_on:%m/%d/%Y}: {words}.")  # fmt: skip
    items = tuple(
        (c.action.case_id, c.pk, f"{LicenseResult(c.result).label}: {c.license}"[:120])
        for c, _ in changed
        if c.result in NEEDS_OFFICER
    )
    if items:
        publish(LicenseResponseNeedsAction(received_on=received_on, items=items))
