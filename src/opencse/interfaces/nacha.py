"""NACHA files: the reader of CCD+ child support payments with DED addenda, and the one credit-file writer.

Why over 400 lines: the reader checks every record of a file (fields, addenda, batch and file controls)
and says why it rejects each line; the writer is the other half of the same format.

Both take every position from one table per record type, `opencse.interfaces.nacha_layout` (NACHA
Operating Rules, Appendix Three "ACH Record Format Specifications"; NACHA's "User Guide for Electronic
Child Support Payments Using the Child Support Application Banking Convention", version 9.0, 2017):
a position changed there changes the reader and every writer at once. Every record is 94 characters;
files are blocked in tens, the last block filled with records of 94 "9"s.

- `read_nacha` reads an employer's (or another agency's) CCD+ file into `PaymentRecord`s and
  `RejectedLine`s. The DED segment in the addenda is `opencse.interfaces.ded`.
- `write_credit_file` writes a file of credit batches: file header, per batch a batch header, the
  entries (built with `entry_detail` and `ded_addenda`), a batch control; the file control; blocking.
  The disbursement unit's PPD direct deposits (`nacha_ppd`) and CCD+ payments to other agencies
  (`nacha_interstate`) are both written by it.

The entry hash is the sum of the 8-digit receiving DFI identifications (positions 4-11), keeping the
last 10 digits.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from stdnum.us import rtn as stdnum_rtn

from opencse.errors import InvalidInput
from opencse.interfaces.ded import PAYMENT_RELATED_INFORMATION_LENGTH, DedSegment, DedSyntaxError, format_ded, parse_ded
from opencse.interfaces.nacha_layout import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    BLOCKING_FACTOR,
    ENTRY_DETAIL,
    FILE_CONTROL,
    FILE_HEADER,
    PADDING_RECORD,
    RECORD_LENGTH,
    TRACE_SEQUENCE,
    field_text,
    number_text,
)
from opencse.interfaces.payments import (
    PaymentFile,
    PaymentRecord,
    RejectedLine,
    cents_to_amount,
    mask_ssns,
    parse_yymmdd,
)
from opencse.rules.money import ZERO

__all__ = ["CreditBatch", "CreditEntry", "ded_addenda", "entry_detail", "read_nacha", "write_credit_file"]

logger = logging.getLogger(__name__)

ENTRY_HASH_MODULUS = 10**10
SERVICE_CLASS_CODES = ("200", "220", "225")
SERVICE_CLASS_CREDITS = "220"  # credits only: every file OpenCSE writes
# Checking and savings credits: live (22, 32) and zero-dollar with remittance data (24, 34).
CREDIT_CODES = ("22", "32", "24", "34")
ZERO_DOLLAR_CODES = ("24", "34")
PRENOTE_CODES = ("23", "33")
_PRINTABLE = re.compile(r"[\x20-\x7e]*")
_DIGITS = re.compile(r"[0-9]+")
_MODIFIER = re.compile(r"[A-Z0-9]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _is_digits(text: str, length: int) -> bool:
    return len(text) == length and bool(_DIGITS.fullmatch(text))


def _shape_error(text: str) -> str | None:
    if len(text) != RECORD_LENGTH:
        return f"record is {len(text)} characters, not {RECORD_LENGTH}"
    if not _PRINTABLE.fullmatch(text):
        return "record holds characters outside printable ASCII"
    return None


def _masked(text: str, *, from_position: int = 0) -> str:
    """`text` with SSN-like numbers masked from `from_position` on (the routing number before it is kept)."""
    return text[:from_position] + mask_ssns(text[from_position:])


# ----------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    text: str


@dataclass(frozen=True, slots=True)
class _BatchHeader:
    company_name: str
    company_identification: str
    employer_fein: str
    effective_entry_date: date | None
    originating_dfi: str
    batch_number: str
    service_class: str


@dataclass(slots=True)
class _Entry:
    line: _Line
    addenda: list[_Line] = field(default_factory=list)


@dataclass(slots=True)
class _Batch:
    header_line: _Line
    header: _BatchHeader | None
    header_errors: list[str]
    entries: list[_Entry] = field(default_factory=list)
    entry_addenda_count: int = 0
    entry_hash: int = 0
    debit_cents: int = 0
    credit_cents: int = 0
    totals_readable: bool = True


@dataclass(slots=True)
class _FileTotals:
    batch_count: int = 0
    entry_addenda_count: int = 0
    entry_hash: int = 0
    debit_cents: int = 0
    credit_cents: int = 0
    totals_readable: bool = True


def _split_records(text: str) -> list[str]:
    """One string per record. A file with no line breaks at all is cut every 94 characters."""
    if "\n" not in text and "\r" not in text and text and len(text) % RECORD_LENGTH == 0:
        return [text[i : i + RECORD_LENGTH] for i in range(0, len(text), RECORD_LENGTH)]
    # Only CR, LF and CRLF end a record: str.splitlines would also split on form feeds and other
    # separators inside a corrupted record, and the line numbers would no longer be a text editor's.
    lines = _LINE_BREAK.split(text)
    while lines and lines[-1] == "":
        lines.pop()  # blank lines at the very end carry nothing and are common after a final newline
    return lines


def _file_control_index(lines: Sequence[str]) -> int | None:
    """The file control: the first type 9 record that is not padding and is followed only by type 9s.

    Searching from the end, not stopping at the first "9", keeps one corrupted record that happens
    to start with "9" from swallowing the batches after it.
    """
    index: int | None = None
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].startswith("9"):
            break
        if lines[i] != PADDING_RECORD:
            index = i
    return index


def read_nacha(text: str, *, max_lines: int = 2_000_000) -> PaymentFile:
    """Read a NACHA CCD+ file of child support payments with DED addenda into validated records.

    Every record is checked (length, type, fields, DED syntax and SSN, addenda against its entry,
    batch and file controls). A bad payment becomes a `RejectedLine` with a specific reason while
    the good ones are kept. A batch whose control record does not reconcile (count, entry hash,
    totals, identification) is rejected whole: the mismatch shows that the batch was changed or cut
    after it was built, so no entry in it can be trusted to be what the employer sent, and posting
    part of it would leave the rest to be re-sent and posted twice. A file control mismatch is
    reported but rejects nothing, because each batch has already reconciled on its own. A file
    without a valid file header rejects every payment: its origin is unknown, so the payments could
    not be posted idempotently (the file ID is the re-import key).

    Raises `InvalidInput` only when the file has more than `max_lines` records.
    """
    records = _split_records(text.removeprefix("\ufeff"))
    if len(records) > max_lines:
        raise InvalidInput(f"file has {len(records)} lines, more than the limit of {max_lines}", field="text")
    reader = _NachaReader([_Line(number=i + 1, text=line) for i, line in enumerate(records)], text)
    result = reader.run()
    logger.info("read NACHA file %s: %d payments accepted", result.file_id, len(result.records))
    if result.rejected:
        logger.warning("NACHA file %s: %d lines rejected", result.file_id, len(result.rejected))
    return result


class _NachaReader:
    """One pass over the records of one file. Holds the open batch and what has been accepted."""

    def __init__(self, lines: list[_Line], text: str) -> None:
        self.lines = lines
        self.text = text
        self.records: list[PaymentRecord] = []
        self.rejected: list[RejectedLine] = []
        self.first_trace_line: dict[str, int] = {}
        self.entries: list[_Entry] = []  # every entry detail read inside a batch, to account for at the end
        self.batch: _Batch | None = None
        self.file_totals = _FileTotals()
        self.file_id: str | None = None

    def reject(self, line: _Line, reason: str, *, mask_from: int = 0) -> None:
        self.rejected.append(RejectedLine(line.number, reason, _masked(line.text, from_position=mask_from)))

    def run(self) -> PaymentFile:
        control_index = _file_control_index([line.text for line in self.lines])
        if not self.lines or not self.lines[0].text.startswith("1"):
            self.rejected.append(RejectedLine(1, "no file header record (type 1) on the first line", ""))
        for index, line in enumerate(self.lines):
            if control_index is not None and index > control_index:
                if line.text != PADDING_RECORD:
                    self.reject(line, "block padding record after the file control is not all 9s")
                continue
            self.dispatch(index, line, is_file_control=index == control_index)
        if self.batch is not None:
            self.close_batch(None)
        if control_index is None:
            self.rejected.append(RejectedLine(0, "no file control record (type 9) at the end of the file", ""))
        else:
            self.check_file_control(self.lines[control_index])
        return self.finish()

    def dispatch(self, index: int, line: _Line, *, is_file_control: bool) -> None:
        record_type = line.text[:1]
        if record_type == "1":
            if index == 0:
                self.read_file_header(line)
            else:
                self.reject(line, "file header record (type 1) after the first line")
        elif record_type == "5":
            if self.batch is not None:
                self.close_batch(None)
            self.open_batch(line)
        elif record_type in ("6", "7"):
            if self.batch is None:
                self.reject(line, f"{'entry detail' if record_type == '6' else 'addenda'} record outside a batch")
            else:
                self.add_to_batch(self.batch, line)
        elif record_type == "8":
            if self.batch is None:
                self.reject(line, "batch control record (type 8) without a batch header before it")
            else:
                self.close_batch(line)
        elif record_type == "9" and is_file_control:
            if self.batch is not None:
                self.close_batch(None)
        elif record_type == "9":
            reason = "padding" if line.text == PADDING_RECORD else "file control"
            self.reject(line, f"{reason} record (type 9) before the end of the file")
        else:
            shape = _shape_error(line.text)
            reason = f"unknown record type {record_type!r}" + (f"; {shape}" if shape else "")
            self.reject(line, reason)

    # -- file header and control ---------------------------------------------------------------

    def read_file_header(self, line: _Line) -> None:
        text, cut = line.text, FILE_HEADER.cut
        origin, created_on = cut(text, "immediate_origin"), cut(text, "creation_date")
        created_time, modifier = cut(text, "creation_time"), cut(text, "file_id_modifier")
        identity_errors = []
        if not origin.strip():
            identity_errors.append("immediate origin is blank")
        if parse_yymmdd(created_on) is None:
            identity_errors.append(f"file creation date {created_on!r} is not YYMMDD")
        if created_time.strip() and not _is_hhmm(created_time):
            identity_errors.append(f"file creation time {created_time!r} is not HHMM")
        if not _MODIFIER.fullmatch(modifier):
            identity_errors.append(f"file ID modifier {modifier!r} is not A-Z or 0-9")
        other_errors = []
        shape = _shape_error(line.text)
        if shape:
            other_errors.append(shape)
        for name, key in (
            ("priority code", "priority_code"),
            ("record size", "record_size"),
            ("blocking factor", "blocking_factor"),
            ("format code", "format_code"),
        ):
            found, expected = cut(text, key), FILE_HEADER.fields[key].fixed
            if found != expected:
                other_errors.append(f"{name} {found!r} is not {expected!r}")
        if identity_errors:
            reasons = "; ".join(identity_errors + other_errors)
            self.reject(line, f"invalid file header ({reasons}): the file cannot be identified")
            return
        if other_errors:
            self.reject(line, "file header: " + "; ".join(other_errors) + " (payments kept)")
        self.file_id = f"{origin.strip()}-{created_on}{created_time.strip()}-{modifier}"

    def check_file_control(self, line: _Line) -> None:
        text, cut = line.text, FILE_CONTROL.cut
        totals = self.file_totals
        expected = (
            ("batch count", cut(text, "batch_count"), totals.batch_count, 6),
            ("block count", cut(text, "block_count"), math.ceil(len(self.lines) / BLOCKING_FACTOR), 6),
            ("entry/addenda count", cut(text, "entry_addenda_count"), totals.entry_addenda_count, 8),
            ("entry hash", cut(text, "entry_hash"), totals.entry_hash % ENTRY_HASH_MODULUS, 10),
            ("total debit amount", cut(text, "total_debits"), totals.debit_cents, 12),
            ("total credit amount", cut(text, "total_credits"), totals.credit_cents, 12),
        )
        reasons = [shape] if (shape := _shape_error(line.text)) else []
        for name, found, computed, width in expected:
            if not totals.totals_readable and name in ("entry hash", "total debit amount", "total credit amount"):
                reasons.append(f"file control {name} cannot be checked: an entry in the file is unreadable")
            elif found != str(computed).zfill(width):
                reasons.append(f"file control {name} {found!r} does not match {str(computed).zfill(width)!r}")
        if reasons:
            self.reject(line, "; ".join(reasons) + " (batches that reconciled on their own are kept)")

    def finish(self) -> PaymentFile:
        records = self.records
        if self.file_id is None:
            reason = "payment not accepted: the file has no valid file header, so its origin is unknown"
            for record in records:
                self.reject(self.lines[record.line_number - 1], reason, mask_from=1)
            records = []
            self.file_id = "sha256-" + hashlib.sha256(self.text.encode("utf-8", "replace")).hexdigest()
        rejected = sorted(self.rejected, key=lambda rejection: rejection.line_number)
        _assert_every_entry_accounted_for(self.entries, records, rejected)
        total = sum((record.amount for record in records), ZERO)
        return PaymentFile(tuple(records), tuple(rejected), self.file_id, total)

    # -- batches -------------------------------------------------------------------------------

    def open_batch(self, line: _Line) -> None:
        header, errors = _parse_batch_header(line.text)
        self.batch = _Batch(header_line=line, header=header, header_errors=errors)
        self.file_totals.batch_count += 1

    def add_to_batch(self, batch: _Batch, line: _Line) -> None:
        batch.entry_addenda_count += 1
        if line.text.startswith("7"):
            if not batch.entries:
                self.reject(line, "addenda record with no entry detail record before it", mask_from=1)
            else:
                batch.entries[-1].addenda.append(line)
            return
        batch.entries.append(_Entry(line))
        self.entries.append(batch.entries[-1])
        text, cut = line.text, ENTRY_DETAIL.cut
        receiving_dfi, code, amount = cut(text, "receiving_dfi"), cut(text, "transaction_code"), cut(text, "amount")
        if not _is_digits(receiving_dfi, 8) or not _is_digits(amount, 10) or code[1] not in tuple("234789"):
            batch.totals_readable = False
            return
        batch.entry_hash += int(receiving_dfi)
        if code[1] in "234":
            batch.credit_cents += int(amount)
        else:
            batch.debit_cents += int(amount)

    def close_batch(self, control: _Line | None) -> None:
        batch = self.batch
        assert batch is not None
        self.batch = None
        totals = self.file_totals
        totals.entry_addenda_count += batch.entry_addenda_count
        totals.entry_hash += batch.entry_hash
        totals.debit_cents += batch.debit_cents
        totals.credit_cents += batch.credit_cents
        totals.totals_readable = totals.totals_readable and batch.totals_readable

        candidates: list[tuple[_Entry, PaymentRecord]] = []
        for entry in batch.entries:
            outcome = _read_entry(entry, batch.header) if batch.header is not None else None
            if isinstance(outcome, PaymentRecord):
                candidates.append((entry, outcome))
            elif outcome is not None:
                rejected_line, reason = outcome
                self.reject(rejected_line, reason, mask_from=1 if rejected_line is entry.line else 0)

        batch_errors = list(batch.header_errors) + _batch_control_errors(batch, control)
        if batch_errors:
            self.reject_batch(batch, control, batch_errors, candidates)
            return
        for entry, record in candidates:
            first_line = self.first_trace_line.get(record.trace_number)
            if first_line is not None:
                self.reject(entry.line, f"duplicate trace number {record.trace_number} (first on line {first_line})")
                continue
            self.first_trace_line[record.trace_number] = entry.line.number
            self.records.append(record)

    def reject_batch(
        self,
        batch: _Batch,
        control: _Line | None,
        errors: list[str],
        candidates: list[tuple[_Entry, PaymentRecord]],
    ) -> None:
        where = control if control is not None and not batch.header_errors else batch.header_line
        self.reject(where, "batch rejected: " + "; ".join(errors))
        if batch.header is None:
            for entry in batch.entries:
                self.reject(entry.line, f"entry in a batch whose header is invalid (line {where.number})", mask_from=1)
            return
        for entry, _record in candidates:
            reason = f"entry in batch {batch.header.batch_number}, which was rejected (line {where.number})"
            self.reject(entry.line, reason, mask_from=1)


def _assert_every_entry_accounted_for(
    entries: list[_Entry], records: list[PaymentRecord], rejected: list[RejectedLine]
) -> None:
    """Each entry detail (a payment) ends as exactly one record, or rejected on its own line or its addenda's;
    an entry outside a batch was rejected when read. Paired with the CSV reader's check of every line."""
    accepted = {record.line_number for record in records}
    assert len(accepted) == len(records), "no entry is accepted twice"
    rejected_lines = {rejection.line_number for rejection in rejected}
    for entry in entries:
        lines = {entry.line.number, *(addenda.number for addenda in entry.addenda)}
        is_accepted = entry.line.number in accepted
        assert is_accepted or lines & rejected_lines, f"entry detail on line {entry.line.number} is accounted for"
        assert not (is_accepted and entry.line.number in rejected_lines), "an accepted entry is not also rejected"


def _is_hhmm(text: str) -> bool:
    return _is_digits(text, 4) and int(text[:2]) < 24 and int(text[2:]) < 60


def _employer_fein(company_identification: str) -> str:
    """NACHA puts an IRS EIN in the company identification as "1" followed by the nine digits."""
    compact = company_identification.strip()
    if len(compact) == 10 and compact.startswith("1") and compact[1:].isdigit():
        return compact[1:]
    return compact


def _parse_batch_header(text: str) -> tuple[_BatchHeader | None, list[str]]:
    errors = [shape] if (shape := _shape_error(text)) else []
    cut = BATCH_HEADER.cut
    service_class, company_name = cut(text, "service_class"), cut(text, "company_name").strip()
    company_identification, sec = cut(text, "company_identification"), cut(text, "standard_entry_class")
    effective, originating_dfi = cut(text, "effective_entry_date"), cut(text, "originating_dfi")
    batch_number = cut(text, "batch_number")
    if service_class not in SERVICE_CLASS_CODES:
        errors.append(f"service class code {service_class!r} is not 200, 220 or 225")
    if not company_name:
        errors.append("company name (the employer) is blank")
    if not company_identification.strip():
        errors.append("company identification (the employer) is blank")
    if sec != "CCD":
        errors.append(f"standard entry class {sec!r} is not CCD (only CCD+ child support payments are read)")
    effective_entry_date = parse_yymmdd(effective)
    if effective.strip() and effective_entry_date is None:
        errors.append(f"effective entry date {effective!r} is not YYMMDD")
    if not _is_digits(originating_dfi, 8):
        errors.append(f"originating DFI {originating_dfi!r} is not 8 digits")
    if not _is_digits(batch_number, 7):
        errors.append(f"batch number {batch_number!r} is not 7 digits")
    if errors:
        return None, ["invalid batch header: " + "; ".join(errors)]
    header = _BatchHeader(
        company_name=company_name,
        company_identification=company_identification,
        employer_fein=_employer_fein(company_identification),
        effective_entry_date=effective_entry_date,
        originating_dfi=originating_dfi,
        batch_number=batch_number,
        service_class=service_class,
    )
    return header, []


def _batch_control_errors(batch: _Batch, control: _Line | None) -> list[str]:
    if control is None:
        return ["batch has no batch control record (type 8)"]
    if batch.header is None:
        return []
    header = batch.header
    errors = [f"batch control {shape}"] if (shape := _shape_error(control.text)) else []
    text, cut = control.text, BATCH_CONTROL.cut
    checks = (
        ("service class code", cut(text, "service_class"), header.service_class),
        ("entry/addenda count", cut(text, "entry_addenda_count"), str(batch.entry_addenda_count).zfill(6)),
        ("entry hash", cut(text, "entry_hash"), str(batch.entry_hash % ENTRY_HASH_MODULUS).zfill(10)),
        ("total debit amount", cut(text, "total_debits"), str(batch.debit_cents).zfill(12)),
        ("total credit amount", cut(text, "total_credits"), str(batch.credit_cents).zfill(12)),
        ("company identification", cut(text, "company_identification"), header.company_identification),
        ("originating DFI", cut(text, "originating_dfi"), header.originating_dfi),
        ("batch number", cut(text, "batch_number"), header.batch_number),
    )
    for name, found, expected in checks:
        if name in ("entry hash", "total debit amount", "total credit amount") and not batch.totals_readable:
            errors.append(f"batch control {name} cannot be checked: an entry's amount, code or routing is unreadable")
        elif found != expected:
            errors.append(f"batch control {name} mismatch: {found!r} in the file, {expected!r} computed")
    return errors


def _read_entry(entry: _Entry, header: _BatchHeader) -> PaymentRecord | tuple[_Line, str]:
    """The payment in one entry and its addenda, or the line at fault and the reason."""
    line = entry.line
    error = _entry_error(line.text, header)
    if error:
        return line, error
    text, cut = line.text, ENTRY_DETAIL.cut
    code, amount_cents = cut(text, "transaction_code"), int(cut(text, "amount"))
    trace_number, indicator = cut(text, "trace_number"), cut(text, "addenda_indicator")
    if indicator == "0" or not entry.addenda:
        if entry.addenda:
            return line, "addenda record indicator is 0 but an addenda record follows"
        if indicator == "1":
            return line, "addenda record indicator is 1 but no addenda record follows"
        return line, "CCD entry without a DED addenda record: the case cannot be identified"
    if len(entry.addenda) > 1:
        return entry.addenda[1], f"a CCD entry carries one addenda record; the entry on line {line.number} has more"
    addenda = entry.addenda[0]
    outcome = _read_addenda(addenda.text, trace_number)
    if isinstance(outcome, str):
        return addenda, f"{outcome} (entry on line {line.number})"
    segment = outcome
    if segment.amount_cents != amount_cents:
        found, expected = cents_to_amount(segment.amount_cents), cents_to_amount(amount_cents)
        return addenda, f"addenda payment amount {found} does not match entry amount {expected}"
    if amount_cents == 0 and not segment.employment_terminated:
        return line, "zero amount without the employment termination indicator (DED09 'Y')"
    if code in ZERO_DOLLAR_CODES and amount_cents != 0:
        return line, f"transaction code {code} is for zero-dollar entries but the amount is not zero"
    return _record(line.number, trace_number, segment, header)


def _entry_error(text: str, header: _BatchHeader) -> str | None:
    shape = _shape_error(text)
    if shape:
        return shape
    cut = ENTRY_DETAIL.cut
    code, routing = cut(text, "transaction_code"), cut(text, "receiving_dfi") + cut(text, "check_digit")
    account, amount = cut(text, "account_number"), cut(text, "amount")
    indicator, trace_number = cut(text, "addenda_indicator"), cut(text, "trace_number")
    if code in PRENOTE_CODES:
        return f"prenotification entry (transaction code {code}) carries no payment"
    if code not in CREDIT_CODES:
        return f"transaction code {code!r} is not a checking or savings credit (22, 24, 32, 34)"
    if not _is_digits(routing, 9) or not stdnum_rtn.is_valid(routing):
        return f"receiving DFI routing number {routing!r} is not valid (ABA check digit)"
    if not account.strip():
        return "DFI account number is blank"
    if not _is_digits(amount, 10):
        return f"entry amount {amount!r} is not 10 digits"
    if indicator not in ("0", "1"):
        return f"addenda record indicator {indicator!r} is not 0 or 1"
    if not _is_digits(trace_number, 15):
        return f"trace number {trace_number!r} is not 15 digits"
    if not trace_number.startswith(header.originating_dfi):
        return f"trace number {trace_number} does not begin with the batch's originating DFI {header.originating_dfi}"
    return None


def _read_addenda(text: str, trace_number: str) -> DedSegment | str:
    shape = _shape_error(text)
    if shape:
        return f"addenda {shape}"
    cut = ADDENDA.cut
    if cut(text, "addenda_type") != "05":
        return f"addenda type code {cut(text, 'addenda_type')!r} is not 05"
    if cut(text, "addenda_sequence") != "0001":
        return f"addenda sequence number {cut(text, 'addenda_sequence')!r} is not 0001"
    if cut(text, "entry_detail_sequence") != trace_number[TRACE_SEQUENCE]:
        found, expected = cut(text, "entry_detail_sequence"), trace_number[TRACE_SEQUENCE]
        return f"addenda entry detail sequence number {found!r} does not match the trace number's {expected!r}"
    try:
        return parse_ded(cut(text, "payment_related_information"))
    except DedSyntaxError as error:
        return str(error)


def _record(line_number: int, trace_number: str, segment: DedSegment, header: _BatchHeader) -> PaymentRecord:
    return PaymentRecord(
        line_number=line_number,
        trace_number=trace_number,
        amount=cents_to_amount(segment.amount_cents),
        payment_date=segment.payment_date,
        effective_entry_date=header.effective_entry_date,
        case_identifier=segment.case_identifier,
        obligor_ssn=segment.obligor_ssn,
        obligor_last_name=segment.obligor_last_name,
        obligor_first_name=segment.obligor_first_name,
        fips_code=segment.fips_code,
        medical_support=segment.medical_support_code == "Y",
        employment_terminated=segment.employment_terminated,
        employer_name=header.company_name,
        employer_fein=header.employer_fein,
        source="nacha",
    )


# ----------------------------------------------------------------------------------------------
# Writing: one credit-file writer for every file OpenCSE sends (PPD direct deposits, CCD+ to agencies)


@dataclass(frozen=True, slots=True)
class CreditEntry:
    """One credit's records in a file (its entry detail, and its addenda if any), for the controls."""

    records: tuple[str, ...]
    routing_number: str
    cents: int


@dataclass(frozen=True, slots=True)
class CreditBatch:
    """One batch of credits: the company (originator) as its header names it, the SEC code and the date."""

    company_name: str  # truncated to 16 characters
    company_identification: str  # 10 characters: "1" and the FEIN
    standard_entry_class: str  # "PPD" (consumer accounts) or "CCD" (corporate, with the DED addenda)
    company_entry_description: str  # 10 characters at most
    effective_on: date
    entries: Sequence[CreditEntry]


def write_credit_file(
    batches: Sequence[CreditBatch],
    *,
    immediate_destination: str,
    immediate_destination_name: str,
    immediate_origin: str,
    immediate_origin_name: str,
    originating_dfi: str,
    created_at: datetime,
    file_id_modifier: str,
) -> str:
    """A complete, blocked credit file: the file header; per batch its header, the entries' records and
    its control (count, entry hash, total credits); the file control; records of 9s to a multiple of ten.
    Batches are numbered from 1 in the order given. Every line ends with a newline."""
    if created_at.tzinfo is None:
        raise InvalidInput("must be timezone-aware", field="created_at")
    if not _MODIFIER.fullmatch(file_id_modifier):
        raise InvalidInput("must be one of A-Z or 0-9", field="file_id_modifier")
    assert _is_digits(originating_dfi, 8), originating_dfi
    lines = [
        FILE_HEADER.record(
            immediate_destination=field_text(immediate_destination.rjust(10), 10, name="immediate_destination"),
            immediate_origin=field_text(immediate_origin.rjust(10), 10, name="immediate_origin"),
            creation_date=created_at.strftime("%y%m%d"),
            creation_time=created_at.strftime("%H%M"),
            file_id_modifier=file_id_modifier,
            immediate_destination_name=field_text(immediate_destination_name[:23], 23, name="bank_name"),
            immediate_origin_name=field_text(immediate_origin_name[:23], 23, name="company_name"),
        )
    ]
    totals = _FileTotals()
    for number, batch in enumerate(batches, start=1):
        lines += _credit_batch(batch, number_text(number, 7, name="batch_number"), originating_dfi, totals)
    lines.append(
        FILE_CONTROL.record(
            batch_count=number_text(totals.batch_count, 6, name="batch count"),
            block_count=number_text(math.ceil((len(lines) + 1) / BLOCKING_FACTOR), 6, name="block count"),
            entry_addenda_count=number_text(totals.entry_addenda_count, 8, name="entry/addenda count"),
            entry_hash=str(totals.entry_hash % ENTRY_HASH_MODULUS).zfill(10),
            total_debits="0" * 12,
            total_credits=number_text(totals.credit_cents, 12, name="total credit amount"),
        )
    )
    lines += [PADDING_RECORD] * (-len(lines) % BLOCKING_FACTOR)
    assert all(len(line) == RECORD_LENGTH for line in lines)
    return "\n".join(lines) + "\n"


def _credit_batch(batch: CreditBatch, batch_number: str, originating_dfi: str, totals: _FileTotals) -> list[str]:
    company_identification = field_text(batch.company_identification, 10, name="company_id")
    lines = [
        BATCH_HEADER.record(
            service_class=SERVICE_CLASS_CREDITS,
            company_name=field_text(batch.company_name[:16], 16, name="company_name"),
            company_identification=company_identification,
            standard_entry_class=batch.standard_entry_class,
            company_entry_description=field_text(batch.company_entry_description, 10, name="entry_description"),
            effective_entry_date=batch.effective_on.strftime("%y%m%d"),
            originating_dfi=originating_dfi,
            batch_number=batch_number,
        )
    ]
    for entry in batch.entries:
        lines += entry.records
    count = sum(len(entry.records) for entry in batch.entries)
    entry_hash = sum(int(entry.routing_number[:8]) for entry in batch.entries)
    credit_cents = sum(entry.cents for entry in batch.entries)
    lines.append(
        BATCH_CONTROL.record(
            service_class=SERVICE_CLASS_CREDITS,
            entry_addenda_count=number_text(count, 6, name="entry/addenda count"),
            entry_hash=str(entry_hash % ENTRY_HASH_MODULUS).zfill(10),
            total_debits="0" * 12,
            total_credits=number_text(credit_cents, 12, name="total credit amount"),
            company_identification=company_identification,
            originating_dfi=originating_dfi,
            batch_number=batch_number,
        )
    )
    totals.batch_count += 1
    totals.entry_addenda_count += count
    totals.entry_hash += entry_hash
    totals.credit_cents += credit_cents
    return lines


def entry_detail(
    *,
    transaction_code: str,
    routing_number: str,
    account_number: str,
    cents: int,
    identification_number: str,
    receiving_name: str,
    has_addenda: bool,
    trace_number: str,
) -> str:
    """An entry detail record. The caller has fitted the texts (`field_text`, with its own field names) and
    checked the routing and trace numbers; the amount is zero-filled here."""
    assert transaction_code in CREDIT_CODES, transaction_code
    assert _is_digits(routing_number, 9) and _is_digits(trace_number, 15), (routing_number, trace_number)
    return ENTRY_DETAIL.record(
        transaction_code=transaction_code,
        receiving_dfi=routing_number[:8],
        check_digit=routing_number[8],
        account_number=account_number,
        amount=number_text(cents, 10, name="amount"),
        identification_number=identification_number,
        receiving_name=receiving_name,
        addenda_indicator="1" if has_addenda else "0",
        trace_number=trace_number,
    )


def ded_addenda(segment: DedSegment, trace_number: str) -> str:
    """The CCD+ addenda record (type 05) that carries `segment` for the entry with `trace_number`."""
    ded = format_ded(segment)
    if len(ded) > PAYMENT_RELATED_INFORMATION_LENGTH:
        raise InvalidInput("the DED segment does not fit in 80 characters", field="case_identifier")
    return ADDENDA.record(
        payment_related_information=ded.ljust(PAYMENT_RELATED_INFORMATION_LENGTH),
        entry_detail_sequence=trace_number[TRACE_SEQUENCE],
    )
