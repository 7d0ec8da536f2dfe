"""What OCSE sends back about the Federal Offset case submissions (docs/enforcement.md, "Federal tax refund
offset"; layouts in `interfaces.fop`, docs/interfaces/fop.md).

**Rejects** (`read_rejects`, `opencse enforcement fop-rejects FILE --received-on DATE`). Each Rejected Case
Submission and Update record (Chart F-1) is matched to the record OpenCSE sent: the same SSN (blind index of
the SSN it went out under), case type and transaction type, the latest sent on or before the date received.
The reject is recorded on it (`OffsetReject`: the error codes and their words, OCSE's name control) and the
officer of the case sent gets a worklist task (`OffsetSubmissionRejected`), unless the only codes are warnings
(47: accepted without a complete address). OCSE does not hold what it rejected: a rejected add, or any record
rejected because OCSE has no such case (12, 38), marks the certification not held (unless a later add or
delete was sent since), so the next submission adds it again once it is still due; any other reject leaves
the certification as sent (the officer corrects the cause; the next change sends it again). Lines that cannot
be read or matched are kept as problems with their line numbers (SSNs masked). The file is read once per
content (SHA-256): a second read records nothing; a record already rejected by another file is counted as such.

**Reconciliation** (`read_reconciliation`, `opencse enforcement fop-reconciliation FILE --received-on DATE`).
Each Case Reconciliation record (F-6: OCSE's Case Master File) is compared with what OpenCSE last sent
(`OffsetCertification`), keyed by SSN and case type: a case only at OCSE, a certification held only in
OpenCSE (last sent on or before the date received), the SSN held under the other case type, and, for a case
both hold, a different Case ID, arrearage amount (whole dollars) or exclusion indicators. Each difference is
kept (`OffsetReconciliationDifference`) and reported; nothing is sent or changed: an officer decides.
Set-based: a handful of queries per file.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from opencse.cases.models import Case
from opencse.common.events import publish
from opencse.enforcement.events import OffsetSubmissionRejected
from opencse.enforcement.models import OffsetCertification, OffsetTransaction
from opencse.enforcement.offset import read_offset_file
from opencse.enforcement.offset_return_models import (
    DifferenceKind,
    OffsetReconciliationDifference,
    OffsetReject,
    OffsetReturnFile,
    OffsetReturnKind,
    OffsetReturnProblem,
)
from opencse.interfaces import fop
from opencse.interfaces.payments import mask_ssns
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index
from opencse.security.models import User
from opencse.security.policy import require

TRANSACTION_WORDS = {
    fop.Transaction.ADD: "add", fop.Transaction.MODIFY: "amount change", fop.Transaction.DELETE: "delete",
    fop.Transaction.REPLACE_EXCLUSIONS: "exclusion change", fop.Transaction.NAME: "name change",
    fop.Transaction.LOCAL_CODE: "local code change", fop.Transaction.ADDRESS: "address change",
}  # fmt: skip


@dataclass
class ReturnResult:
    file: OffsetReturnFile
    already_read: bool = False
    problems: list[tuple[int, str]] = field(default_factory=list)
    differences: list[OffsetReconciliationDifference] = field(default_factory=list)


def _file(path: Path, kind: OffsetReturnKind) -> tuple[str, str, OffsetReturnFile | None]:
    text = read_offset_file(path)
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()
    return text, digest, OffsetReturnFile.objects.filter(file_sha256=digest).first()


def _already(existing: OffsetReturnFile) -> ReturnResult:
    problems = list(existing.problem_lines.values_list("line_number", "problem"))
    differences = list(existing.reconciliation.all())
    return ReturnResult(file=existing, already_read=True, problems=problems, differences=differences)


def _problems(return_file: OffsetReturnFile, bad: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    OffsetReturnProblem.objects.bulk_create([
        OffsetReturnProblem(return_file=return_file, line_number=number, text=text[:300], problem=why[:300])
        for number, text, why in bad
    ])  # fmt: skip
    return sorted((number, why) for number, _, why in bad)


# --- Rejects -----------------------------------------------------------------------------------------------


@transaction.atomic
def read_rejects(*, actor: User, path: Path, received_on: date) -> ReturnResult:
    """Record a Rejected Case Submission and Update file received on `received_on` (module doc)."""
    require(actor, "enforcement.act")
    text, digest, existing = _file(path, OffsetReturnKind.REJECTS)
    if existing is not None:
        return _already(existing)
    parsed = fop.read_rejects(text)
    bad = [(line.line_number, line.raw, line.reason) for line in parsed.rejected]
    sent = _sent_records(parsed.records, received_on=received_on)
    already_rejected = set(
        OffsetReject.objects.filter(transaction__in=[t for t in sent.values() if t is not None]).values_list(
            "transaction_id", flat=True
        )
    )
    matched: list[tuple[fop.RejectRecord, OffsetTransaction]] = []
    seen: dict[int, int] = {}
    already = 0
    for record in parsed.records:
        sent_record = sent.get(record.line_number)
        if sent_record is None:
            why = (
                f"no {TRANSACTION_WORDS[record.transaction]} ({record.transaction.value}) of case type "
                f"{record.case_type.value} was sent under that SSN on or before {received_on:%m/%d/%Y}"
            )
            bad.append((record.line_number, mask_ssns(record_text(record)), why))  # fmt: skip
        elif sent_record.pk in seen:
            bad.append((record.line_number, mask_ssns(record_text(record)),
                        f"the record sent is rejected twice in this file (line {seen[sent_record.pk]})"))  # fmt: skip
        elif sent_record.pk in already_rejected:
            already += 1
        else:
            seen[sent_record.pk] = record.line_number
            matched.append((record, sent_record))
    control = dataclasses.asdict(parsed.control) if parsed.control is not None else {}
    return_file = OffsetReturnFile.objects.create(
        kind=OffsetReturnKind.REJECTS, file_sha256=digest, file_name=path.name[:200], received_on=received_on,
        records=len(parsed.records) + len(parsed.rejected), recorded=len(matched), already=already,
        problems=len(bad), control=control, read_by=actor,
    )  # fmt: skip
    problems = _problems(return_file, bad)
    rejects = _record_rejects(matched, return_file)
    _task_officers(rejects, received_on=received_on)
    record_audit(actor=actor, action="enforcement.offset_rejects_read", target=return_file, summary=path.name[:200],
                 after={"received_on": received_on.isoformat(), "recorded": len(matched), "already": already,
                        "problems": len(bad),
                        "not_held": sum(1 for reject in rejects if reject.not_held)})  # fmt: skip
    return ReturnResult(file=return_file, problems=problems)


def record_text(record: fop.RejectRecord) -> str:
    """The reject as a short line for the problems report (the SSN masked by the caller)."""
    codes = ",".join(record.error_codes)
    return f"{record.ssn} {record.case_id} {record.transaction.value}{record.case_type.value} {codes}"


def _sent_records(records: tuple[fop.RejectRecord, ...], *, received_on: date) -> dict[int, OffsetTransaction | None]:
    """line number -> the record sent it answers: the latest of that SSN, case type and transaction type sent on
    or before `received_on`. One query."""
    indexes = {record.ssn: blind_index(record.ssn) for record in records}
    rows = (
        OffsetTransaction.objects.filter(
            Q(ssn_index__in=set(indexes.values()))
            | Q(ssn_index="", certification__ssn_index__in=set(indexes.values())),
            submission__as_of__lte=received_on,
        )
        .select_related("certification")
        .order_by("pk")
    )
    latest: dict[tuple[str, str, str], OffsetTransaction] = {}
    for row in rows:
        latest[(row.ssn_index or row.certification.ssn_index, row.case_type, row.transaction)] = row
    return {
        record.line_number: latest.get((indexes[record.ssn], record.case_type.value, record.transaction.value))
        for record in records
    }


def _record_rejects(matched: list[tuple[fop.RejectRecord, OffsetTransaction]],
                    return_file: OffsetReturnFile) -> list[OffsetReject]:  # fmt: skip
    """The rejects in one insert; the certifications OCSE does not hold marked so in one update."""
    certification_ids = {sent.certification_id for _, sent in matched}
    later = defaultdict(list)  # certification -> the adds and deletes sent, to see whether one came after
    for certification_id, pk in OffsetTransaction.objects.filter(
        certification_id__in=certification_ids, transaction__in=["A", "D"]
    ).values_list("certification_id", "pk"):
        later[certification_id].append(pk)
    rejects, not_held = [], {}
    for record, sent in matched:
        ends = not record.warning_only and (
            record.transaction is fop.Transaction.ADD or bool(set(record.error_codes) & fop.NOT_HELD_CODES)
        )
        certification = sent.certification
        superseded = any(pk > sent.pk for pk in later[certification.pk])
        marked = ends and certification.active and not superseded and record.transaction is not fop.Transaction.DELETE
        if marked:
            certification.active, certification.amount = False, 0
            not_held[certification.pk] = certification
        rejects.append(OffsetReject(
            transaction=sent, return_file=return_file, line_number=record.line_number,
            error_codes=",".join(record.error_codes),
            reasons="; ".join(f"{code} {fop.error_words(code)}" for code in record.error_codes)[:600],
            warning_only=record.warning_only, name_control=record.name_control[:4], not_held=marked,
        ))  # fmt: skip
    OffsetReject.objects.bulk_create(rejects)
    OffsetCertification.objects.bulk_update(list(not_held.values()), ["active", "amount"])
    return rejects


def _task_officers(rejects: list[OffsetReject], *, received_on: date) -> None:
    """A worklist task on the case each rejected record was sent for (a warning only: none)."""
    wanted = [reject for reject in rejects if not reject.warning_only]
    cases = dict(
        Case.objects.filter(number__in={r.transaction.case_number for r in wanted}).values_list("number", "pk")
    )
    items = []
    for reject in wanted:
        sent = reject.transaction
        if sent.case_number not in cases:
            continue
        kind = TRANSACTION_WORDS[fop.Transaction(sent.transaction)]
        again = " (it will be added again)" if reject.not_held else ""
        items.append((cases[sent.case_number], reject.pk,
                      f"Federal offset {kind} rejected{again}: {reject.reasons}"))  # fmt: skip
    if items:
        publish(OffsetSubmissionRejected(received_on=received_on, items=tuple(items)))


# --- Reconciliation ----------------------------------------------------------------------------------------


@transaction.atomic
def read_reconciliation(*, actor: User, path: Path, received_on: date) -> ReturnResult:
    """Compare a Case Reconciliation file received on `received_on` with what OpenCSE last sent (module doc)."""
    require(actor, "enforcement.act")
    text, digest, existing = _file(path, OffsetReturnKind.RECONCILIATION)
    if existing is not None:
        return _already(existing)
    parsed = fop.read_reconciliation(text)
    bad = [(line.line_number, line.raw, line.reason) for line in parsed.rejected]
    indexes = {record.ssn: blind_index(record.ssn) for record in parsed.records}
    held = {
        (c.ssn_index, c.case_type): c
        for c in OffsetCertification.objects.filter(
            Q(active=True, last_submitted_on__lte=received_on) | Q(ssn_index__in=set(indexes.values()))
        )
    }
    ocse: dict[tuple[str, str], fop.ReconciliationRecord] = {}
    for record in parsed.records:
        key = (indexes[record.ssn], record.case_type.value)
        if key in ocse:
            bad.append((record.line_number, mask_ssns(f"{record.ssn} {record.case_id}"),
                        f"the same SSN and case type as line {ocse[key].line_number}"))  # fmt: skip
            continue
        ocse[key] = record
    differences: list[OffsetReconciliationDifference] = []

    def differ(kind: DifferenceKind, record: fop.ReconciliationRecord | None, certification: OffsetCertification | None,
               case_type: str, at_ocse: str, in_opencse: str) -> None:  # fmt: skip
        differences.append(OffsetReconciliationDifference(
            line_number=record.line_number if record else None, certification=certification,
            obligor_id=certification.obligor_id if certification else None, case_type=case_type, kind=kind,
            at_ocse=at_ocse[:60], in_opencse=in_opencse[:60],
        ))  # fmt: skip

    def active(key: tuple[str, str]) -> OffsetCertification | None:
        certification = held.get(key)
        return certification if certification is not None and certification.active else None

    other = {"A": "N", "N": "A"}
    paired: set[tuple[str, str]] = set()
    for key, record in sorted(ocse.items(), key=lambda item: item[1].line_number):
        index, case_type = key
        certification = active(key)
        if certification is None:
            swapped = (index, other[case_type])
            mine = active(swapped)
            if mine is not None and swapped not in ocse:
                paired.add(swapped)
                differ(DifferenceKind.CASE_TYPE, record, mine, case_type, f"case type {case_type}",
                       f"case type {mine.case_type}")  # fmt: skip
                continue
            ended = held.get(key)
            why = "deleted" if ended is not None else "never sent under that SSN"
            differ(DifferenceKind.ONLY_AT_OCSE, record, ended, case_type,
                   f"${record.arrearage_dollars:,} on {record.case_id}", why)  # fmt: skip
            continue
        if record.case_id != certification.case_number:
            differ(DifferenceKind.CASE_ID, record, certification, case_type, record.case_id, certification.case_number)
        if record.arrearage_dollars != certification.amount:
            differ(DifferenceKind.AMOUNT, record, certification, case_type, f"${record.arrearage_dollars:,}",
                   f"${certification.amount:,}")  # fmt: skip
        if record.exclusions != _comparable(certification.exclusions):
            differ(DifferenceKind.EXCLUSIONS, record, certification, case_type, record.exclusions or "(none)",
                   certification.exclusions or "(none)")  # fmt: skip
    for key, certification in sorted(held.items(), key=lambda item: item[1].pk):
        listed = key in ocse or key in paired
        if certification.active and certification.last_submitted_on <= received_on and not listed:
            differ(DifferenceKind.ONLY_IN_OPENCSE, None, certification, certification.case_type, "not listed",
                   f"${certification.amount:,} on {certification.case_number}")  # fmt: skip
    return_file = OffsetReturnFile.objects.create(
        kind=OffsetReturnKind.RECONCILIATION, file_sha256=digest, file_name=path.name[:200], received_on=received_on,
        records=len(parsed.records) + len(parsed.rejected), recorded=len(ocse), differences=len(differences),
        problems=len(bad), read_by=actor,
    )  # fmt: skip
    for difference in differences:
        difference.return_file = return_file
    OffsetReconciliationDifference.objects.bulk_create(differences)
    problems = _problems(return_file, bad)
    by_kind: dict[str, int] = defaultdict(int)
    for difference in differences:
        by_kind[difference.kind] += 1
    record_audit(actor=actor, action="enforcement.offset_reconciliation_read", target=return_file,
                 summary=path.name[:200], after={"received_on": received_on.isoformat(), "compared": len(ocse),
                                                 "differences": dict(by_kind), "problems": len(bad)})  # fmt: skip
    return ReturnResult(file=return_file, problems=problems, differences=differences)


def _comparable(exclusions: str) -> str:
    """The indicators as the reconciliation record can show them (its seven slots: no INS, which OpenCSE never
    sends), alphabetical."""
    slots = {code.value for code in fop.RECONCILIATION_SLOTS}
    return ",".join(sorted(code for code in exclusions.split(",") if code in slots))
