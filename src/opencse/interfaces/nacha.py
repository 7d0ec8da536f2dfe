"""NACHA CCD+ payment files with child support DED addenda: the reader and the writer.

Why over 400 lines: the reader and the writer share one table of record positions, and keeping them
side by side is what makes a position change impossible to apply to one and forget in the other.

Record layouts (NACHA Operating Rules, Appendix Three "ACH Record Format Specifications"; the same
positions are in NACHA's "User Guide for Electronic Child Support Payments Using the Child Support
Application Banking Convention", version 9.0, 2017, "NACHA Record Formats"). Every record is 94
characters; files are blocked in tens, the last block filled with records of 94 "9"s.

    1 File Header     1 type "1" | 2-3 priority "01" | 4-13 immediate destination (blank + routing)
                      | 14-23 immediate origin | 24-29 creation date YYMMDD | 30-33 time HHMM
                      | 34 file ID modifier | 35-37 "094" | 38-39 "10" | 40 format "1"
                      | 41-63 destination name | 64-86 origin name | 87-94 reference code
    5 Batch Header    1 "5" | 2-4 service class | 5-20 company name | 21-40 discretionary data
                      | 41-50 company identification | 51-53 SEC "CCD" | 54-63 entry description
                      | 64-69 descriptive date | 70-75 effective entry date YYMMDD | 76-78 settlement
                      | 79 originator status | 80-87 originating DFI | 88-94 batch number
    6 Entry Detail    1 "6" | 2-3 transaction code | 4-11 receiving DFI | 12 check digit
                      | 13-29 DFI account number | 30-39 amount (cents) | 40-54 identification number
                      | 55-76 receiving company name | 77-78 discretionary | 79 addenda indicator
                      | 80-94 trace number (80-87 originating DFI, 88-94 sequence)
    7 Addenda         1 "7" | 2-3 addenda type "05" | 4-83 payment related information (the DED)
                      | 84-87 addenda sequence "0001" | 88-94 entry detail sequence (trace 88-94)
    8 Batch Control   1 "8" | 2-4 service class | 5-10 entry/addenda count | 11-20 entry hash
                      | 21-32 total debits | 33-44 total credits | 45-54 company identification
                      | 55-73 message authentication code | 74-79 reserved | 80-87 originating DFI
                      | 88-94 batch number
    9 File Control    1 "9" | 2-7 batch count | 8-13 block count | 14-21 entry/addenda count
                      | 22-31 entry hash | 32-43 total debits | 44-55 total credits | 56-94 reserved

The entry hash is the sum of the 8-digit receiving DFI identifications (positions 4-11), keeping the
last 10 digits. The DED segment itself is described in `opencse.interfaces.payments`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

from stdnum.us import rtn as stdnum_rtn

from opencse.errors import InvalidInput
from opencse.interfaces.payments import (
    AMOUNT_CENTS_MAX,
    CASE_IDENTIFIER_LENGTH_MAX,
    PAYMENT_RELATED_INFORMATION_LENGTH,
    DedSegment,
    DedSyntaxError,
    PaymentFile,
    PaymentRecord,
    RejectedLine,
    amount_to_cents,
    cents_to_amount,
    format_ded,
    is_valid_fips,
    is_valid_ssn,
    mask_ssns,
    parse_ded,
    parse_yymmdd,
)
from opencse.rules.money import ZERO, is_whole_cents

__all__ = ["PaymentLike", "field_text", "number_text", "read_nacha", "write_nacha_ccd"]

logger = logging.getLogger(__name__)

RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
PADDING_RECORD = "9" * RECORD_LENGTH
ENTRY_HASH_MODULUS = 10**10
SERVICE_CLASS_CODES = ("200", "220", "225")
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
        text = line.text.ljust(RECORD_LENGTH)
        origin, created_on, created_time, modifier = text[13:23], text[23:29], text[29:33], text[33]
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
        for name, found, expected in (
            ("priority code", text[1:3], "01"),
            ("record size", text[34:37], "094"),
            ("blocking factor", text[37:39], "10"),
            ("format code", text[39], "1"),
        ):
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
        text = line.text.ljust(RECORD_LENGTH)
        totals = self.file_totals
        expected = (
            ("batch count", text[1:7], totals.batch_count, 6),
            ("block count", text[7:13], math.ceil(len(self.lines) / BLOCKING_FACTOR), 6),
            ("entry/addenda count", text[13:21], totals.entry_addenda_count, 8),
            ("entry hash", text[21:31], totals.entry_hash % ENTRY_HASH_MODULUS, 10),
            ("total debit amount", text[31:43], totals.debit_cents, 12),
            ("total credit amount", text[43:55], totals.credit_cents, 12),
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
        text = line.text.ljust(RECORD_LENGTH)
        receiving_dfi, code, amount = text[3:11], text[1:3], text[29:39]
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
    text = text.ljust(RECORD_LENGTH)
    service_class, company_name, company_identification = text[1:4], text[4:20].strip(), text[40:50]
    sec, effective, originating_dfi, batch_number = text[50:53], text[69:75], text[79:87], text[87:94]
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
    text = control.text.ljust(RECORD_LENGTH)
    checks = (
        ("service class code", text[1:4], header.service_class),
        ("entry/addenda count", text[4:10], str(batch.entry_addenda_count).zfill(6)),
        ("entry hash", text[10:20], str(batch.entry_hash % ENTRY_HASH_MODULUS).zfill(10)),
        ("total debit amount", text[20:32], str(batch.debit_cents).zfill(12)),
        ("total credit amount", text[32:44], str(batch.credit_cents).zfill(12)),
        ("company identification", text[44:54], header.company_identification),
        ("originating DFI", text[79:87], header.originating_dfi),
        ("batch number", text[87:94], header.batch_number),
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
    text = line.text
    code, amount_cents, trace_number, indicator = text[1:3], int(text[29:39]), text[79:94], text[78]
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
    code, routing, account, amount = text[1:3], text[3:12], text[12:29], text[29:39]
    indicator, trace_number = text[78], text[79:94]
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
    if text[1:3] != "05":
        return f"addenda type code {text[1:3]!r} is not 05"
    if text[83:87] != "0001":
        return f"addenda sequence number {text[83:87]!r} is not 0001"
    if text[87:94] != trace_number[8:]:
        found, expected = text[87:94], trace_number[8:]
        return f"addenda entry detail sequence number {found!r} does not match the trace number's {expected!r}"
    try:
        return parse_ded(text[3:83])
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
# Writing


class PaymentLike(Protocol):
    """What the writer needs from a payment; `PaymentRecord` is one."""

    @property
    def trace_number(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def payment_date(self) -> date: ...
    @property
    def effective_entry_date(self) -> date | None: ...
    @property
    def case_identifier(self) -> str: ...
    @property
    def obligor_ssn(self) -> str: ...
    @property
    def obligor_last_name(self) -> str: ...
    @property
    def obligor_first_name(self) -> str: ...
    @property
    def fips_code(self) -> str: ...
    @property
    def medical_support(self) -> bool: ...
    @property
    def employment_terminated(self) -> bool: ...
    @property
    def employer_name(self) -> str: ...
    @property
    def employer_fein(self) -> str: ...


def field_text(value: str, width: int, *, name: str) -> str:
    if len(value) > width:
        raise InvalidInput(f"is longer than {width} characters", field=name)
    if not _PRINTABLE.fullmatch(value):
        raise InvalidInput("holds characters outside printable ASCII", field=name)
    return value.ljust(width)


def number_text(value: int, width: int, *, name: str) -> str:
    text = str(value).zfill(width)
    if value < 0 or len(text) > width:
        raise InvalidInput(f"does not fit in {width} digits", field=name)
    return text


def write_nacha_ccd(
    payments: Sequence[PaymentLike],
    *,
    immediate_destination: str,
    immediate_destination_name: str,
    immediate_origin: str,
    immediate_origin_name: str,
    originating_dfi: str,
    receiving_routing_number: str,
    receiving_account_number: str,
    receiving_name: str,
    created_at: datetime,
    file_id_modifier: str = "A",
    effective_entry_date: date | None = None,
    receiving_account_type: Literal["checking", "savings"] = "checking",
    company_entry_description: str = "CHILD SUPP",
) -> str:
    """Build a NACHA CCD+ file with one DED addenda per payment, ready for `read_nacha`.

    Payments are grouped into one batch per employer (name, FEIN) and effective entry date, in
    first-appearance order; each payment's own `effective_entry_date` wins over the argument. Entry
    and file controls, the entry hash and the blocking to ten records are computed here. A payment
    with a 15-digit trace number keeps it (it must begin with `originating_dfi`); one with an empty
    trace number is given the next unused sequence number. Names are truncated as the formats say
    (company name 16 characters, DED07 7 + 3 letters); anything else that does not fit raises
    `InvalidInput`. Every line ends with a newline.
    """
    _check_file_arguments(immediate_destination, immediate_origin, originating_dfi, receiving_routing_number)
    if created_at.tzinfo is None:
        raise InvalidInput("must be timezone-aware", field="created_at")
    if not _MODIFIER.fullmatch(file_id_modifier):
        raise InvalidInput("must be one of A-Z or 0-9", field="file_id_modifier")
    batches = _group_into_batches(payments, _trace_numbers(payments, originating_dfi), effective_entry_date)
    lines = [
        "101"
        + field_text(immediate_destination.rjust(10), 10, name="immediate_destination")
        + field_text(immediate_origin.rjust(10), 10, name="immediate_origin")
        + created_at.strftime("%y%m%d%H%M")
        + file_id_modifier
        + "094101"
        + field_text(immediate_destination_name[:23], 23, name="immediate_destination_name")
        + field_text(immediate_origin_name[:23], 23, name="immediate_origin_name")
        + " " * 8
    ]
    receiver = _Receiver(
        transaction_code="22" if receiving_account_type == "checking" else "32",
        routing_number=receiving_routing_number,
        account_number=field_text(receiving_account_number, 17, name="receiving_account_number"),
        name=field_text(receiving_name[:22], 22, name="receiving_name"),
    )
    totals = _FileTotals()
    for batch_number, ((employer_name, employer_fein, effective), members) in enumerate(batches.items(), start=1):
        header = _BatchHeader(
            company_name=employer_name,
            company_identification=_company_identification(employer_fein),
            employer_fein=employer_fein,
            effective_entry_date=effective,
            originating_dfi=originating_dfi,
            batch_number=number_text(batch_number, 7, name="batch_number"),
            service_class="220",
        )
        lines += _batch_lines(header, members, receiver, company_entry_description, totals)
    lines.append(_file_control_line(totals, len(lines) + 1))
    while len(lines) % BLOCKING_FACTOR:
        lines.append(PADDING_RECORD)
    assert all(len(line) == RECORD_LENGTH for line in lines)
    return "\n".join(lines) + "\n"


def _group_into_batches(
    payments: Sequence[PaymentLike], traces: list[str], effective_entry_date: date | None
) -> dict[tuple[str, str, date], list[tuple[PaymentLike, str]]]:
    """One batch per employer and effective entry date, in the order each first appears."""
    batches: dict[tuple[str, str, date], list[tuple[PaymentLike, str]]] = {}
    for payment, trace_number in zip(payments, traces, strict=True):
        effective = payment.effective_entry_date or effective_entry_date
        if effective is None:
            raise InvalidInput("is needed when a payment has none", field="effective_entry_date")
        key = (payment.employer_name, payment.employer_fein, effective)
        batches.setdefault(key, []).append((payment, trace_number))
    return batches


@dataclass(frozen=True, slots=True)
class _Receiver:
    transaction_code: str
    routing_number: str
    account_number: str
    name: str


def _check_file_arguments(destination: str, origin: str, originating_dfi: str, receiving_routing: str) -> None:
    if not (_is_digits(destination, 9) and stdnum_rtn.is_valid(destination)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="immediate_destination")
    if not origin.strip() or len(origin) > 10:
        raise InvalidInput("must be 1 to 10 characters", field="immediate_origin")
    if not _is_digits(originating_dfi, 8):
        raise InvalidInput("must be the first 8 digits of a routing number", field="originating_dfi")
    if not (_is_digits(receiving_routing, 9) and stdnum_rtn.is_valid(receiving_routing)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="receiving_routing_number")


def _company_identification(employer_fein: str) -> str:
    if _is_digits(employer_fein, 9):
        return "1" + employer_fein
    return field_text(employer_fein, 10, name="employer_fein")


def _trace_numbers(payments: Sequence[PaymentLike], originating_dfi: str) -> list[str]:
    given = [payment.trace_number for payment in payments]
    for trace_number in given:
        if trace_number and not (_is_digits(trace_number, 15) and trace_number.startswith(originating_dfi)):
            raise InvalidInput("must be empty or 15 digits beginning with the originating DFI", field="trace_number")
    if len(set(filter(None, given))) != len(list(filter(None, given))):
        raise InvalidInput("must be unique within a file", field="trace_number")
    used = {int(trace_number[8:]) for trace_number in given if trace_number}
    sequence = 0
    traces = []
    for trace_number in given:
        if not trace_number:
            sequence += 1
            while sequence in used:
                sequence += 1
            trace_number = originating_dfi + number_text(sequence, 7, name="trace_number")
        traces.append(trace_number)
    return traces


def _ded_for(payment: PaymentLike) -> DedSegment:
    amount = payment.amount
    if not is_whole_cents(amount) or amount < ZERO or amount_to_cents(amount) > AMOUNT_CENTS_MAX:
        raise InvalidInput("must be whole cents from 0.00 to 99999999.99", field="amount")
    if amount == ZERO and not payment.employment_terminated:
        raise InvalidInput("may be zero only with employment_terminated", field="amount")
    if not is_valid_ssn(payment.obligor_ssn):
        raise InvalidInput("must be a valid 9-digit SSN (DED05 is mandatory)", field="obligor_ssn")
    case_identifier = payment.case_identifier.strip()
    if not 1 <= len(case_identifier) <= CASE_IDENTIFIER_LENGTH_MAX:
        raise InvalidInput(f"must be 1 to {CASE_IDENTIFIER_LENGTH_MAX} characters", field="case_identifier")
    if payment.fips_code and not is_valid_fips(payment.fips_code):
        raise InvalidInput("must be empty or 5 to 7 letters or digits", field="fips_code")
    for name, value in (
        ("case_identifier", case_identifier),
        ("obligor_last_name", payment.obligor_last_name),
        ("obligor_first_name", payment.obligor_first_name),
    ):
        if any(character in value for character in "*\\,") or not _PRINTABLE.fullmatch(value):
            raise InvalidInput("must not hold '*', '\\', ',' or non-ASCII characters", field=name)
    return DedSegment(
        case_identifier=case_identifier,
        payment_date=payment.payment_date,
        amount_cents=amount_to_cents(amount),
        obligor_ssn=payment.obligor_ssn,
        medical_support_code="Y" if payment.medical_support else "N",
        obligor_last_name=payment.obligor_last_name,
        obligor_first_name=payment.obligor_first_name,
        fips_code=payment.fips_code,
        employment_terminated=payment.employment_terminated,
    )


def _batch_lines(
    header: _BatchHeader,
    members: list[tuple[PaymentLike, str]],
    receiver: _Receiver,
    company_entry_description: str,
    totals: _FileTotals,
) -> list[str]:
    assert header.effective_entry_date is not None
    lines = [
        "5"
        + header.service_class
        + field_text(header.company_name[:16], 16, name="employer_name")
        + " " * 20
        + header.company_identification
        + "CCD"
        + field_text(company_entry_description, 10, name="company_entry_description")
        + " " * 6
        + header.effective_entry_date.strftime("%y%m%d")
        + "   "
        + "1"
        + header.originating_dfi
        + header.batch_number
    ]
    entry_hash = credit_cents = 0
    for payment, trace_number in members:
        segment = _ded_for(payment)
        code = receiver.transaction_code
        if segment.amount_cents == 0:
            code = ZERO_DOLLAR_CODES[CREDIT_CODES.index(code)]
        lines.append(
            "6"
            + code
            + receiver.routing_number
            + receiver.account_number
            + number_text(segment.amount_cents, 10, name="amount")
            + " " * 15
            + receiver.name
            + "  "
            + "1"
            + trace_number
        )
        lines.append("705" + format_ded(segment).ljust(PAYMENT_RELATED_INFORMATION_LENGTH) + "0001" + trace_number[8:])
        entry_hash += int(receiver.routing_number[:8])
        credit_cents += segment.amount_cents
    count = 2 * len(members)
    lines.append(
        "8"
        + header.service_class
        + number_text(count, 6, name="entry/addenda count")
        + str(entry_hash % ENTRY_HASH_MODULUS).zfill(10)
        + "0" * 12
        + number_text(credit_cents, 12, name="total credit amount")
        + header.company_identification
        + " " * 19
        + " " * 6
        + header.originating_dfi
        + header.batch_number
    )
    totals.batch_count += 1
    totals.entry_addenda_count += count
    totals.entry_hash += entry_hash
    totals.credit_cents += credit_cents
    return lines


def _file_control_line(totals: _FileTotals, record_count: int) -> str:
    return (
        "9"
        + number_text(totals.batch_count, 6, name="batch count")
        + number_text(math.ceil(record_count / BLOCKING_FACTOR), 6, name="block count")
        + number_text(totals.entry_addenda_count, 8, name="entry/addenda count")
        + str(totals.entry_hash % ENTRY_HASH_MODULUS).zfill(10)
        + "0" * 12
        + number_text(totals.credit_cents, 12, name="total credit amount")
        + " " * 39
    )
