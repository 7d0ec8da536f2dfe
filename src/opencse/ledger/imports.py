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
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case, CaseNote, MemberRole, NoteKind
from opencse.errors import DomainError, InvalidInput
from opencse.interfaces.payments import PaymentFile, PaymentRecord, read_nacha, read_payments_csv
from opencse.ledger.models import Collection, CollectionSource, ImportRejection, PaymentImport
from opencse.ledger.services import hold_in_suspense, post_collection
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)

FILE_SIZE_MAXIMUM = 200 * 1024 * 1024  # bytes


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


def import_payment_file(*, actor: User | None, path: Path) -> PaymentImport:
    """Read, validate and post a payment file; return its import record with counts."""
    if actor is not None:
        require(actor, "ledger.post")
    file_format, parsed = read_payment_file(path)
    payment_import = PaymentImport.objects.create(
        file_id=parsed.file_id[:120],
        file_name=path.name[:200],
        file_format=file_format,
        imported_by=actor,
        records=len(parsed.records),
        rejected=len(parsed.rejected),
        total_amount=parsed.total_amount,
    )
    ImportRejection.objects.bulk_create(
        [
            ImportRejection(
                payment_import=payment_import,
                line_number=line.line_number,
                reason=line.reason[:300],
                raw=line.raw[:300],
            )
            for line in parsed.rejected
        ]
    )
    for number, record in enumerate(parsed.records, start=1):
        outcome = _post_record(record, file_format, payment_import)
        if outcome == "notice":
            payment_import.notices += 1
        elif outcome == "posted":
            payment_import.posted += 1
        elif outcome == "suspended":
            payment_import.suspended += 1
        else:
            payment_import.duplicates += 1
        if number % 1000 == 0:
            logger.info("payment import %s: %d of %d records", payment_import.pk, number, len(parsed.records))
    payment_import.save(update_fields=["posted", "suspended", "duplicates", "notices"])
    record_audit(
        actor=actor,
        action="payments.imported",
        target=payment_import,
        summary=path.name[:200],
        after={
            "records": payment_import.records,
            "posted": payment_import.posted,
            "suspended": payment_import.suspended,
            "duplicates": payment_import.duplicates,
            "rejected": payment_import.rejected,
            "total": str(parsed.total_amount),
        },
    )
    return payment_import


def import_key(record: PaymentRecord, file_format: str) -> str:
    """NACHA trace numbers are unique per originating bank; a CSV's references only per sender, so the
    sender's FEIN is part of a CSV payment's key."""
    if file_format == "csv":
        return f"csv:{record.employer_fein}:{record.trace_number}"
    return f"{file_format}:{record.trace_number}"


def _post_record(record: PaymentRecord, file_format: str, payment_import: PaymentImport) -> str:
    case, reason = identify_case(record)
    if record.amount == 0:
        return _employment_notice(record, case, reason, payment_import)
    key = import_key(record, file_format)
    if Collection.objects.filter(import_key=key).exists():
        return "duplicate"
    received_on = timezone.localdate()
    payor = f"{record.employer_name} (FEIN {record.employer_fein})" if record.employer_fein else record.employer_name
    if case is not None:
        try:
            with transaction.atomic():
                post_collection(
                    actor=None,
                    case=case,
                    amount=record.amount,
                    source=CollectionSource.INCOME_WITHHOLDING,
                    collected_on=record.payment_date,
                    received_on=received_on,
                    payor_name=payor,
                    reference=record.trace_number,
                    import_key=key,
                )
            return "posted"
        except DomainError as exc:
            reason = f"{exc.field + ': ' if exc.field else ''}{exc.message}"
    with transaction.atomic():
        hold_in_suspense(
            actor=None,
            amount=record.amount,
            source=CollectionSource.INCOME_WITHHOLDING,
            collected_on=min(record.payment_date, received_on),
            received_on=received_on,
            reason=f"line {record.line_number}: {reason}",
            payor_name=payor,
            reference=record.trace_number,
            import_key=key,
        )
    return "suspended"


def _employment_notice(record: PaymentRecord, case: Case | None, reason: str, payment_import: PaymentImport) -> str:
    """A 0.00 record with the employment termination indicator is no payment: it tells enforcement the
    obligor left the job. It goes on the case timeline, or to the exceptions report when no case is found."""
    text = (
        f"Employer {record.employer_name} (FEIN {record.employer_fein}) reported that the obligor's "
        f"employment ended (payment file {payment_import.file_name}, line {record.line_number})."
    )
    if case is not None:
        CaseNote.objects.create(case=case, kind=NoteKind.SYSTEM, text=text)
    else:
        ImportRejection.objects.create(
            payment_import=payment_import,
            line_number=record.line_number,
            reason=f"employment ended notice for an unidentified case: {reason}"[:300],
        )
    return "notice"


def identify_case(record: PaymentRecord) -> tuple[Case | None, str]:
    """The open case a payment belongs to, or None and the reason it could not be identified."""
    identifier = record.case_identifier.strip()
    case = Case.objects.filter(number=identifier).first() if identifier else None
    if case is not None:
        return (case, "") if case.is_open else (None, f"case {identifier} is closed")
    if not record.obligor_ssn:
        return None, f"case identifier {identifier or '(blank)'} not found and no SSN given"
    obligor = Person.objects.filter(ssn_index=blind_index(record.obligor_ssn)).first()
    if obligor is None:
        return None, f"case identifier {identifier or '(blank)'} not found; no person with that SSN"
    cases = list(
        Case.objects.filter(
            members__person=obligor, members__role=MemberRole.NONCUSTODIAL_PARENT, closed_on__isnull=True
        ).distinct()[:2]
    )
    if len(cases) == 1:
        return cases[0], ""
    if not cases:
        return None, "the obligor with that SSN has no open case"
    return None, "the obligor with that SSN has several open cases: an officer must choose (45 CFR 303.100)"
