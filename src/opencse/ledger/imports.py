"""Importing payment files (NACHA CCD+ with DED addenda, or the CSV layout): every line validated,
good lines posted, bad lines kept in an exceptions report, re-imports posting nothing twice.

Each accepted record is identified with a case by its case identifier (the case number), else by the
obligor's SSN when it names exactly one open case where that person is the noncustodial parent;
anything else goes to suspense with the reason, for an officer to work. The idempotency key of a
payment is `<format>:<trace number>`: the same file, or the same trace numbers in another file, posts
nothing twice. Each record posts in its own savepoint, so one bad record cannot undo the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.cases.services import add_system_note
from opencse.errors import InvalidInput
from opencse.interfaces.nacha import read_nacha
from opencse.interfaces.payments import PaymentFile, PaymentRecord
from opencse.interfaces.payments_csv import read_payments_csv
from opencse.ledger.bulk import CollectionInput, post_collections
from opencse.ledger.models import Collection, CollectionSource, ImportRejection, PaymentImport
from opencse.ledger.services import hold_in_suspense
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)

FILE_SIZE_MAXIMUM = 200 * 1024 * 1024  # bytes
CHUNK = 5_000  # records per transaction


@dataclass(frozen=True, slots=True)
class ImportSummary:
    payment_import: PaymentImport
    problems: tuple[str, ...]


def read_payment_file(path: Path) -> tuple[str, PaymentFile]:
    """Read a file as NACHA when its first record is a file header ("1"), else as the CSV layout."""
    if path.stat().st_size > FILE_SIZE_MAXIMUM:
        raise InvalidInput(f"is larger than {FILE_SIZE_MAXIMUM // (1024 * 1024)} MB", field="file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", field="file") from None
    if text.startswith("1"):
        return "nacha", read_nacha(text)
    return "csv", read_payments_csv(text)


def import_payment_file(*, actor: User, path: Path, received_on: date) -> PaymentImport:
    """Read, validate and post a payment file received by the disbursement unit on `received_on` (the
    business day the money and the file arrived: 45 CFR 302.32(b) counts from it); return its import
    record with counts. Batch callers act as the system actor (`security.services.system_actor`).

    Records are posted in chunks of `CHUNK` through the bulk path (`ledger.bulk`), each chunk in its own
    transaction: a run killed midway and run again skips what was posted (the import keys) and posts the rest."""
    require(actor, "ledger.post")
    file_format, parsed = read_payment_file(path)
    payment_import = PaymentImport.objects.create(
        file_id=parsed.file_id[:120], file_name=path.name[:200], file_format=file_format, imported_by=actor,
        records=len(parsed.records), rejected=len(parsed.rejected), total_amount=parsed.total_amount)  # fmt: skip
    ImportRejection.objects.bulk_create([
        ImportRejection(payment_import=payment_import, line_number=line.line_number, reason=line.reason[:300],
                        raw=line.raw[:300]) for line in parsed.rejected])  # fmt: skip
    for start in range(0, len(parsed.records), CHUNK):
        _import_chunk(parsed.records[start : start + CHUNK], file_format, payment_import, actor=actor,
                      received_on=received_on)  # fmt: skip
        logger.info("payment import %s: %d of %d records", payment_import.pk, min(start + CHUNK, len(parsed.records)),
                    len(parsed.records))  # fmt: skip
    outcomes = payment_import.posted + payment_import.suspended + payment_import.duplicates + payment_import.notices
    assert outcomes == len(parsed.records), "every accepted record ends posted, suspended, duplicate or a notice"
    payment_import.save(update_fields=["posted", "suspended", "duplicates", "notices"])
    record_audit(actor=actor, action="payments.imported", target=payment_import, summary=path.name[:200],
                 after={"records": payment_import.records, "posted": payment_import.posted,
                        "suspended": payment_import.suspended, "duplicates": payment_import.duplicates,
                        "notices": payment_import.notices, "rejected": payment_import.rejected,
                        "total": str(parsed.total_amount)})  # fmt: skip
    return payment_import


@transaction.atomic
def _import_chunk(
    records: Sequence[PaymentRecord], file_format: str, payment_import: PaymentImport, *, actor: User, received_on: date
) -> None:
    keys = {id(record): import_key(record, file_format) for record in records}
    seen = set(Collection.objects.filter(import_key__in=list(keys.values())).values_list("import_key", flat=True))
    found = identify_cases(records)
    to_post: list[CollectionInput] = []
    for record in records:
        case, reason = found[id(record)]
        if record.amount == 0:
            if _employment_notice(record, case, reason, payment_import, key=keys[id(record)], actor=actor):
                payment_import.notices += 1
            else:
                payment_import.duplicates += 1
        elif keys[id(record)] in seen:
            payment_import.duplicates += 1
        elif case is not None and record.payment_date <= received_on:
            to_post.append(CollectionInput(
                case_id=case.pk, amount=record.amount, source=CollectionSource.INCOME_WITHHOLDING,
                collected_on=record.payment_date, received_on=received_on, payor_name=_payor(record),
                payor_fein=_fein(record), reference=record.trace_number, import_key=keys[id(record)]))  # fmt: skip
        else:
            reason = reason or f"pay date {record.payment_date} is after the date received {received_on}"
            hold_in_suspense(actor=actor, amount=record.amount, source=CollectionSource.INCOME_WITHHOLDING,
                             collected_on=min(record.payment_date, received_on), received_on=received_on,
                             reason=f"line {record.line_number}: {reason}", payor_name=_payor(record),
                             payor_fein=_fein(record), reference=record.trace_number,
                             import_key=keys[id(record)])  # fmt: skip
            payment_import.suspended += 1
        seen.add(keys[id(record)])
    post_collections(to_post, actor=actor)
    payment_import.posted += len(to_post)


def _fein(record: PaymentRecord) -> str:
    """The employer's FEIN when the file gives nine digits (a NACHA company identification may be another
    number)."""
    fein = record.employer_fein.strip()
    return fein if len(fein) == 9 and fein.isdigit() else ""


def _payor(record: PaymentRecord) -> str:
    return f"{record.employer_name} (FEIN {record.employer_fein})" if record.employer_fein else record.employer_name


def import_key(record: PaymentRecord, file_format: str) -> str:
    """NACHA trace numbers are unique per originating bank; a CSV's references only per sender, so the
    sender's FEIN is part of a CSV payment's key."""
    if file_format == "csv":
        return f"csv:{record.employer_fein}:{record.trace_number}"
    return f"{file_format}:{record.trace_number}"


def _employment_notice(
    record: PaymentRecord, case: Case | None, reason: str, payment_import: PaymentImport, *, key: str, actor: User
) -> bool:
    """A 0.00 record with the employment termination indicator is no payment: it tells enforcement the
    obligor left the job. It goes on the case timeline once (the note carries the record's import key, so
    the same record imported again adds nothing and returns False), or to this import's exceptions report
    when no case is found."""
    text = (
        f"Employer {record.employer_name} (FEIN {record.employer_fein}) reported that the obligor's "
        f"employment ended (payment file {payment_import.file_name}, line {record.line_number})."
    )
    if case is None:
        ImportRejection.objects.create(
            payment_import=payment_import,
            line_number=record.line_number,
            reason=f"employment ended notice for an unidentified case: {reason}"[:300],
        )
        return True
    _, created = add_system_note(actor=actor, case=case, text=text, source_key=f"employment-ended:{key}")
    return created


def identify_cases(records: Sequence[PaymentRecord]) -> dict[int, tuple[Case | None, str]]:
    """The open case each payment belongs to, or None and the reason, in three queries (case numbers, SSNs,
    the SSN holders' cases): by the case identifier (the case number), else by the obligor's SSN when it
    names exactly one open case where that person is the noncustodial parent."""
    numbers = {record.case_identifier.strip() for record in records if record.case_identifier.strip()}
    by_number = {case.number: case for case in Case.objects.filter(number__in=numbers)}
    unmatched = [record for record in records if record.case_identifier.strip() not in by_number]
    indexes = {record.obligor_ssn: blind_index(record.obligor_ssn) for record in unmatched if record.obligor_ssn}
    people = dict(Person.objects.filter(ssn_index__in=list(indexes.values())).values_list("ssn_index", "pk"))
    open_cases: dict[int, list[Case]] = {}
    memberships = CaseMember.objects.filter(person_id__in=list(people.values()), role=MemberRole.NONCUSTODIAL_PARENT,
                                            case__closed_on__isnull=True).select_related("case")  # fmt: skip
    for member in memberships:
        cases = open_cases.setdefault(member.person_id, [])
        if member.case not in cases:
            cases.append(member.case)
    found: dict[int, tuple[Case | None, str]] = {}
    for record in records:
        identifier = record.case_identifier.strip()
        if identifier in by_number:
            case = by_number[identifier]
            found[id(record)] = (case, "") if case.is_open else (None, f"case {identifier} is closed")
        else:
            person_id = people.get(indexes.get(record.obligor_ssn, ""))
            found[id(record)] = _by_ssn(identifier, record.obligor_ssn, person_id, open_cases.get(person_id or 0, []))
    return found


def _by_ssn(identifier: str, ssn: str, person_id: int | None, cases: list[Case]) -> tuple[Case | None, str]:
    shown = identifier or "(blank)"
    if not ssn:
        return None, f"case identifier {shown} not found and no SSN given"
    if person_id is None:
        return None, f"case identifier {shown} not found; no person with that SSN"
    if len(cases) == 1:
        return cases[0], ""
    if not cases:
        return None, "the obligor with that SSN has no open case"
    return None, "the obligor with that SSN has several open cases: an officer must choose (45 CFR 303.100)"
