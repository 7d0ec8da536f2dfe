"""The OpenCSE payments CSV: one child support payment per row, for employers that cannot send ACH.

Layout (docs/interfaces/payment-files.md): UTF-8 text (a leading byte-order mark is ignored), comma
separated, quoted as RFC 4180 except that a field may not hold a line break (each line is one row),
with this exact header row in any column order and no other column:

    trace_number,payment_date,amount,case_identifier,obligor_ssn,obligor_last_name,
    obligor_first_name,employer_name,employer_fein,fips_code,medical_support,employment_terminated

The fields mean what the DED elements of the same name mean (opencse.interfaces.payments), with the
CSV's own forms: ISO dates (YYYY-MM-DD), amounts as "123.45", Y/N flags, an SSN and EIN with or
without dashes. The sender's `trace_number` is its unique reference for the payment.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from datetime import date

from stdnum.us import ein as stdnum_ein

from opencse.errors import InvalidInput
from opencse.interfaces.payments import (
    AMOUNT_CENTS_MAX,
    CASE_IDENTIFIER_LENGTH_MAX,
    MEDICAL_SUPPORT_CODES,
    SSN_MASK,
    PaymentFile,
    PaymentRecord,
    RejectedLine,
    cents_to_amount,
    is_valid_fips,
    is_valid_ssn,
    mask_ssns,
)
from opencse.rules.money import ZERO

__all__ = ["COLUMNS", "read_payments_csv"]

logger = logging.getLogger(__name__)

COLUMNS = (
    "trace_number",
    "payment_date",
    "amount",
    "case_identifier",
    "obligor_ssn",
    "obligor_last_name",
    "obligor_first_name",
    "employer_name",
    "employer_fein",
    "fips_code",
    "medical_support",
    "employment_terminated",
)
TRACE_NUMBER_LENGTH_MAX = 50
NAME_LENGTH_MAX = 100
_TRACE = re.compile(rf"[A-Za-z0-9._:/-]{{1,{TRACE_NUMBER_LENGTH_MAX}}}")
_AMOUNT = re.compile(r"([0-9]{1,8})\.([0-9]{2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SSN_FORM = re.compile(r"[0-9]{3}-?[0-9]{2}-?[0-9]{4}")
_EIN_FORM = re.compile(r"[0-9]{2}-?[0-9]{7}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CSV_ERRORS = {
    "unexpected end of data": "malformed CSV: a quote opens a field that this line does not close "
    "(a stray quote, or a line break inside a quoted field, which this layout does not allow)",
    "',' expected after '\"'": "malformed CSV: text follows the closing quote of a field (a stray quote?)",
}


class _RowError(ValueError):
    """A field is invalid; the message is the reason shown to a person and never holds the SSN."""


def read_payments_csv(text: str, *, max_rows: int = 2_000_000) -> PaymentFile:
    """Read the payments CSV into validated records, rejecting bad rows with a specific reason.

    The file is read one physical line at a time, and each line is parsed as CSV on its own, so no line
    can swallow another: a stray quote rejects its own line ("a quote opens a field this line does not
    close"), never the rows after it, and a field cannot hold a line break. Line numbers are physical
    lines (the header is line 1). Every non-blank line after the header ends as a record or a rejection
    with its line number (asserted). A bad header rejects every row, since no field can then be trusted
    to be what its position suggests. Duplicate trace numbers: the later row is rejected. The file ID is
    the SHA-256 of the text, so re-reading the same file gives the same ID; the sender's identity
    (which the CSV does not carry) is the posting service's to add to the idempotency key.

    Raises `InvalidInput` only when the file has more than `max_rows` data rows.
    """
    file_id = "sha256-" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    lines = _physical_lines(text.removeprefix("\ufeff"))
    if not lines:
        return PaymentFile((), (RejectedLine(1, "the file is empty: no header row", ""),), file_id, ZERO)
    if len(lines) - 1 > max_rows:
        raise InvalidInput(f"file has more than the limit of {max_rows} rows", field="text")
    header, header_error = _fields(lines[0])
    positions, header_error = _header(header) if header_error is None else ({}, header_error)
    records: list[PaymentRecord] = []
    rejected: list[RejectedLine] = []
    if header_error is not None:
        rejected.append(RejectedLine(1, f"invalid header row: {header_error}", _raw(header, {})))
    data_lines = _read_rows(lines, positions, header_error, records, rejected)
    accounted = [record.line_number for record in records] + [line.line_number for line in rejected]
    assert sorted(number for number in accounted if number > 1) == data_lines, "every data line accounted for once"
    total = sum((record.amount for record in records), ZERO)
    logger.info("read payments CSV %s: %d payments accepted", file_id, len(records))
    if rejected:
        logger.warning("payments CSV %s: %d rows rejected", file_id, len(rejected))
    return PaymentFile(tuple(records), tuple(rejected), file_id, total)


def _read_rows(
    lines: list[str],
    positions: dict[str, int],
    header_error: str | None,
    records: list[PaymentRecord],
    rejected: list[RejectedLine],
) -> list[int]:
    """Append each data line's record or rejection; return the numbers of the data (non-blank) lines."""
    data_lines: list[int] = []
    first_trace_line: dict[str, int] = {}
    for line_number, line in enumerate(lines[1:], start=2):
        row, error = _fields(line)
        if error is not None:  # malformed CSV: the row is the line's text, shown as it was
            data_lines.append(line_number)
            rejected.append(RejectedLine(line_number, error, mask_ssns(line)))
            continue
        if not any(value.strip() for value in row):
            continue  # a blank line carries no payment, and spreadsheets often end with one
        data_lines.append(line_number)
        outcome = _record(line_number, row, positions) if header_error is None else None
        if outcome is None:
            outcome = "row not read: the header row is invalid (line 1)"
        if isinstance(outcome, PaymentRecord) and outcome.trace_number in first_trace_line:
            first = first_trace_line[outcome.trace_number]
            outcome = f"duplicate trace number {outcome.trace_number} (first on line {first})"
        if isinstance(outcome, str):
            rejected.append(RejectedLine(line_number, outcome, _raw(row, positions)))
            continue
        first_trace_line[outcome.trace_number] = line_number
        records.append(outcome)
    return data_lines


def _physical_lines(text: str) -> list[str]:
    """The file's lines. Only CR, LF and CRLF end a line (as a text editor counts them); an empty last
    line (after the final line break) is no line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _fields(line: str) -> tuple[list[str], str | None]:
    """The fields of one physical line parsed as CSV on its own, or the line and why it is not CSV."""
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error as error:
        return [line], _CSV_ERRORS.get(str(error), f"malformed CSV: {error}")
    assert len(rows) <= 1, "one physical line is at most one row"
    return (rows[0] if rows else []), None


def _header(row: list[str]) -> tuple[dict[str, int], str | None]:
    names = [name.strip() for name in row]
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    repeated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s) " + ", ".join(unknown))
    if repeated:
        problems.append("repeated column(s) " + ", ".join(repeated))
    if problems:
        return {}, "; ".join(problems)
    return {name: names.index(name) for name in COLUMNS}, None


def _raw(row: list[str], positions: dict[str, int] | None = None) -> str:
    """The row as CSV again, the SSN column reduced to its last four and any SSN-like number masked."""
    fields = list(row)
    ssn_position = (positions or {}).get("obligor_ssn")
    if ssn_position is not None and ssn_position < len(fields) and fields[ssn_position]:
        fields[ssn_position] = SSN_MASK + fields[ssn_position][-4:]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return mask_ssns(buffer.getvalue())


def _record(line_number: int, row: list[str], positions: dict[str, int]) -> PaymentRecord | str:
    if len(row) != len(COLUMNS):
        return f"row has {len(row)} fields, the header has {len(COLUMNS)}"
    values = {name: row[position].strip() for name, position in positions.items()}
    try:
        return _record_from(line_number, values)
    except _RowError as error:
        return str(error)


def _record_from(line_number: int, values: dict[str, str]) -> PaymentRecord:
    trace_number = values["trace_number"]
    if not _TRACE.fullmatch(trace_number):
        raise _RowError(f"trace_number must be 1 to {TRACE_NUMBER_LENGTH_MAX} letters, digits or ._:/-")
    amount_cents = _amount_cents(values["amount"])
    terminated = _flag(values["employment_terminated"], "employment_terminated", allow_blank=True)
    if amount_cents == 0 and not terminated:
        raise _RowError("zero amount without employment_terminated Y")
    medical = values["medical_support"].upper()
    if medical not in MEDICAL_SUPPORT_CODES:
        raise _RowError(f"medical_support {values['medical_support']!r} is not Y, N or W")
    case_identifier = values["case_identifier"]
    if not 1 <= len(case_identifier) <= CASE_IDENTIFIER_LENGTH_MAX or any(c in case_identifier for c in "*\\"):
        raise _RowError(f"case_identifier must be 1 to {CASE_IDENTIFIER_LENGTH_MAX} characters without * or \\")
    fips_code = values["fips_code"].upper()
    if fips_code and not is_valid_fips(fips_code):
        raise _RowError(f"fips_code {values['fips_code']!r} is not 5 to 7 letters or digits")
    if not values["employer_name"]:
        raise _RowError("employer_name is blank")
    for name in ("obligor_last_name", "obligor_first_name", "employer_name"):
        if len(values[name]) > NAME_LENGTH_MAX:
            raise _RowError(f"{name} is longer than {NAME_LENGTH_MAX} characters")
    return PaymentRecord(
        line_number=line_number,
        trace_number=trace_number,
        amount=cents_to_amount(amount_cents),
        payment_date=_iso_date(values["payment_date"]),
        effective_entry_date=None,
        case_identifier=case_identifier,
        obligor_ssn=_ssn(values["obligor_ssn"]),
        obligor_last_name=values["obligor_last_name"],
        obligor_first_name=values["obligor_first_name"],
        fips_code=fips_code,
        medical_support=medical == "Y",
        employment_terminated=terminated,
        employer_name=values["employer_name"],
        employer_fein=_fein(values["employer_fein"]),
        source="csv",
    )


def _amount_cents(text: str) -> int:
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise _RowError(f"amount {mask_ssns(text)!r} is not dollars and two-digit cents, like 123.45")
    cents = int(match.group(1)) * 100 + int(match.group(2))
    assert 0 <= cents <= AMOUNT_CENTS_MAX, cents
    return cents


def _iso_date(text: str) -> date:
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise _RowError(f"payment_date {text!r} is not a date in YYYY-MM-DD form")


def _ssn(text: str) -> str:
    if not text:
        return ""
    compact = text.replace("-", "")
    if not _SSN_FORM.fullmatch(text) or not is_valid_ssn(compact):
        raise _RowError("invalid SSN")
    return compact


def _fein(text: str) -> str:
    compact = text.replace("-", "")
    if not _EIN_FORM.fullmatch(text) or not stdnum_ein.is_valid(compact):
        raise _RowError(f"employer_fein {mask_ssns(text)!r} is not a valid EIN")
    return compact


def _flag(text: str, name: str, *, allow_blank: bool) -> bool:
    value = text.upper()
    if value == "Y":
        return True
    if value == "N" or (allow_blank and value == ""):
        return False
    raise _RowError(f"{name} {text!r} is not Y or N")
