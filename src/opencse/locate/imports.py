"""Importing a locate file (NDNH new hires, quarterly wages, unemployment claims, the FCR's locate responses,
or the OpenCSE CSV): every line validated, bad lines kept in the exceptions report with their line number and
reason, each new record matched (`locate.matching.match_to_people`) and posted as an unverified lead on its
person, or kept in the review queue. A record's key is its format and the hash of its content, unique in the
database: a re-sent file (or a record repeated in another file) posts nothing twice.

Set-based: chunks of `CHUNK` records, each in its own transaction: one query for the keys already received,
one for the exact SSN match, one insert of the records, then the leads in bulk (`locate.leads`). Then, once
per file, the probabilistic match (name, date of birth, address: `match_waiting`) of the records no SSN
matched, against the people on file loaded once. A run stopped midway and run again skips what was posted and
posts the rest (records still waiting for the probabilistic match are matched by the next run).
"""

from __future__ import annotations

import codecs
import hashlib
import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import F

from opencse.common.validation import check_not_future
from opencse.errors import InvalidInput
from opencse.interfaces.locate_files import KINDS, LINES_MAXIMUM, iter_locate_file
from opencse.interfaces.locate_files import LocateRecord as ParsedRecord
from opencse.interfaces.payments import RejectedLine
from opencse.locate.leads import post_leads, respond_on_cases
from opencse.locate.matching import (
    NO_MATCH,
    NO_SSN_MATCH,
    RECORD_FIELDS,
    Match,
    match_by_ssn,
    match_probably,
    people_table,
    records_table,
    thresholds,
)
from opencse.locate.models import LocateCandidate, LocateImport, LocateRecord, LocateRejection, RecordStatus
from opencse.locate.sources import source_of_record
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)

FILE_SIZE_MAXIMUM = 1024 * 1024 * 1024  # 1 GiB: a million 801-byte records is about 800 MB
CHUNK = 5_000


READ_BLOCK = 1024 * 1024


def check_file(path: Path) -> str:
    """The file's SHA-256, read once in blocks before anything is posted: a file that is too big, not text or
    over the line limit is refused whole, naming the file. The federal files are read as ASCII text (a
    mainframe's EBCDIC is converted by the transfer)."""
    if path.stat().st_size > FILE_SIZE_MAXIMUM:
        raise InvalidInput(f"is larger than {FILE_SIZE_MAXIMUM // (1024 * 1024)} MB", field="file")
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as stream:
        try:
            while block := stream.read(READ_BLOCK):
                digest.update(block)
                decoder.decode(block)
                lines += block.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InvalidInput("is not text (UTF-8 or ASCII): convert an EBCDIC file before importing it",
                               field="file") from None  # fmt: skip
    if lines > LINES_MAXIMUM:
        raise InvalidInput(f"has more than {LINES_MAXIMUM:,} lines: split the file", field="file")
    return digest.hexdigest()


def import_locate_file(*, actor: User, path: Path, kind: str, received_on: date) -> LocateImport:
    """Read, validate, match and post a locate file received on `received_on` (the business date the leads
    count from). Batch callers act as the system actor (`security.services.system_actor`). The file is read
    line by line: a chunk of records is matched and posted at a time (memory does not grow with the file)."""
    require(actor, "locate.import")
    check_not_future(received_on, field="received_on")
    if kind not in KINDS:
        raise InvalidInput(f"must be one of {', '.join(KINDS)}", field="kind")
    sha256 = check_file(path)
    locate_import = LocateImport.objects.create(kind=kind, file_name=path.name[:200], file_sha256=sha256,
                                                received_on=received_on, imported_by=actor)  # fmt: skip
    with path.open(encoding="utf-8", newline=None) as lines:
        chunk: list[ParsedRecord] = []
        rejected: list[RejectedLine] = []
        for item in iter_locate_file(lines, kind):
            if isinstance(item, ParsedRecord):
                chunk.append(item)
            elif isinstance(item, RejectedLine):
                rejected.append(item)
            else:
                locate_import.skipped += 1
            if len(chunk) >= CHUNK or len(rejected) >= CHUNK:
                _import_chunk(chunk, rejected, locate_import, actor=actor)
                chunk, rejected = [], []
        _import_chunk(chunk, rejected, locate_import, actor=actor)
    match_waiting(locate_import, actor=actor)
    assert locate_import.new_records + locate_import.duplicates == locate_import.records
    assert locate_import.matched + locate_import.to_review == locate_import.new_records
    with transaction.atomic():
        locate_import.save(update_fields=["records", "new_records", "matched", "to_review", "duplicates", "rejected",
                                          "skipped"])  # fmt: skip
        record_audit(actor=actor, action="locate.imported", target=locate_import, summary=path.name[:200],
                     after={"kind": kind, "records": locate_import.records, "new": locate_import.new_records,
                            "matched": locate_import.matched, "to_review": locate_import.to_review,
                            "duplicates": locate_import.duplicates, "rejected": locate_import.rejected,
                            "sha256": sha256})  # fmt: skip
    return locate_import


def _row(record: ParsedRecord, locate_import: LocateImport) -> LocateRecord:
    return LocateRecord(
        locate_import=locate_import, line_number=record.line_number, key=record.key, kind=record.kind,
        source=source_of_record(file_kind=locate_import.kind, record_kind=record.kind),
        ssn_index=blind_index(record.ssn), ssn_last4=record.ssn[-4:], first_name=record.first_name[:60],
        middle_name=record.middle_name[:60], last_name=record.last_name[:60], date_of_birth=record.date_of_birth,
        address_line1=record.address_line1[:100], address_line2=record.address_line2[:100], city=record.city[:60],
        state=record.state[:2], postal_code=record.postal_code[:10], employer_name=record.employer_name[:120],
        employer_fein=record.employer_fein, employer_line1=record.employer_line1[:100],
        employer_city=record.employer_city[:60], employer_state=record.employer_state[:2],
        employer_postal_code=record.employer_postal_code[:10], hired_on=record.hired_on, amount=record.amount,
        period=record.period, received_on=locate_import.received_on, status=RecordStatus.REVIEW,
    )  # fmt: skip


@transaction.atomic
def _import_chunk(
    records: Sequence[ParsedRecord], rejected: Sequence[RejectedLine], locate_import: LocateImport, *, actor: User
) -> None:
    LocateRejection.objects.bulk_create(
        [LocateRejection(locate_import=locate_import, line_number=line.line_number, reason=line.reason[:300],
                         raw=line.raw[:300]) for line in rejected])  # fmt: skip
    locate_import.rejected += len(rejected)
    locate_import.records += len(records)
    logger.info("locate import %s: %d records so far", locate_import.pk, locate_import.records)
    seen = set(LocateRecord.objects.filter(key__in=[record.key for record in records]).values_list("key", flat=True))
    new: list[LocateRecord] = []
    for record in records:
        if record.key in seen:
            locate_import.duplicates += 1
            continue
        seen.add(record.key)
        new.append(_row(record, locate_import))
    matches = match_by_ssn(new)
    for position, row in enumerate(new):
        match = matches[position]
        if match.person_id is not None:
            row.status, row.person_id, row.match_basis = RecordStatus.MATCHED, match.person_id, match.basis
        else:
            row.review_reason, row.awaiting_match = match.reason, match.reason == NO_SSN_MATCH
    matched = [row for row in new if row.person_id is not None]
    post_leads(matched, actor=actor)  # sets the records' links to the leads before they are inserted
    LocateRecord.objects.bulk_create(new, batch_size=CHUNK)
    respond_on_cases(matched, actor=actor, on=locate_import.received_on)
    locate_import.new_records += len(new)
    locate_import.matched += len(matched)
    locate_import.to_review += len(new) - len(matched)


def match_waiting(locate_import: LocateImport, *, actor: User) -> None:
    """The probabilistic step, once per file: every record still waiting for it (this file's, and any left by
    an earlier run that stopped midway) against the people on file, loaded once (`people_table`), in one call
    of the engine. Then, a chunk at a time in its own transaction: the leads posted as the SSN matches are,
    the candidates of the records to review inserted, the rest left as "no match". Nothing waiting: nothing
    is loaded."""
    waiting = LocateRecord.objects.filter(awaiting_match=True).order_by()
    if not waiting.exists():
        return
    received = waiting.order_by("-received_on").values_list("received_on", flat=True).first()
    assert received is not None
    incoming = records_table(waiting.values_list(*RECORD_FIELDS).iterator(chunk_size=CHUNK))
    logger.info("locate import %s: %d records to match by name", locate_import.pk, incoming.num_rows)
    people = people_table()
    matches = match_probably(incoming, people, limits=thresholds(received))
    del people
    ids = sorted(int(key) for key in incoming.column("key").to_pylist())
    for start in range(0, len(ids), CHUNK):
        _post_probable(ids[start : start + CHUNK], matches, locate_import, actor=actor)


@transaction.atomic
def _post_probable(ids: Sequence[int], matches: dict[str, Match], locate_import: LocateImport, *, actor: User) -> None:
    rows = list(LocateRecord.objects.select_for_update().filter(pk__in=ids, awaiting_match=True,
                                                                status=RecordStatus.REVIEW).order_by("pk"))  # fmt: skip
    leads: list[LocateRecord] = []
    candidates: list[LocateCandidate] = []
    for row in rows:
        row.awaiting_match = False
        match = matches.get(str(row.pk))
        if match is None:
            row.review_reason = NO_MATCH
        elif match.person_id is not None:
            row.status, row.person_id, row.match_basis, row.review_reason = (
                RecordStatus.MATCHED, match.person_id, match.basis, "")  # fmt: skip
            row.match_probability, row.match_weight, row.field_weights = (
                match.probability, match.weight, match.field_weights)  # fmt: skip
            leads.append(row)
        else:
            row.review_reason = match.reason
            candidates += [LocateCandidate(record=row, person_id=each.person_id, match_probability=each.probability,
                                           match_weight=each.weight, field_weights=each.field_weights,
                                           note=each.note) for each in match.candidates]  # fmt: skip
    post_leads(leads, actor=actor)
    LocateRecord.objects.bulk_update(
        rows, ["awaiting_match", "review_reason", "status", "person", "match_basis", "match_probability",
               "match_weight", "field_weights", "address", "employment"], batch_size=CHUNK)  # fmt: skip
    LocateCandidate.objects.bulk_create(candidates, batch_size=CHUNK, ignore_conflicts=True)
    for received_on in sorted({row.received_on for row in leads}):
        respond_on_cases([row for row in leads if row.received_on == received_on], actor=actor, on=received_on)
    for import_id in {row.locate_import_id for row in leads}:
        posted = sum(1 for row in leads if row.locate_import_id == import_id)
        if import_id == locate_import.pk:
            locate_import.matched += posted
            locate_import.to_review -= posted
        else:  # a record left waiting by an earlier run that stopped midway
            LocateImport.objects.filter(pk=import_id).update(matched=F("matched") + posted,
                                                             to_review=F("to_review") - posted)  # fmt: skip
