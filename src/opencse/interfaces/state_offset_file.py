"""The State tax refund offset certification file to the State's revenue department, and the revenue
department's offset file read back (docs/interfaces/state-tax-offset.md).

There is no federal layout: 42 U.S.C. 666(a)(3) and 45 CFR 303.102 require the procedure, and Miss. Code Ann.
27-7-509(1) asks the claimant agency only to "supply the information necessary to identify each debtor ... and
certify the amount of the debt" within the time frame the Department of Revenue specifies. This is OpenCSE's
own layout, which a State maps to its revenue department's. Both files are CSV (RFC 4180, ASCII, a header row
naming the columns in this order, one record a line, CRLF line ends written, any line end read):

- certification: `CERTIFICATION_COLUMNS`, one row per change (A: add, U: update the amount, D: delete);
- offsets: `OFFSET_COLUMNS`, one row per refund set off.

Amounts are dollars and cents with a decimal point and no sign or separators (1234.50); dates are ISO
(YYYY-MM-DD); the SSN is nine digits, no dashes. Pure: no Django, no database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from opencse.interfaces.payments import is_valid_ssn

CERTIFICATION_COLUMNS = (
    "record_type", "submitting_agency", "ssn", "last_name", "first_name", "middle_name", "suffix",
    "amount_owed", "case_number", "certified_date",
)  # fmt: skip
OFFSET_COLUMNS = ("ssn", "amount", "offset_date", "tax_year", "joint_return")
TRANSACTIONS = {"A": "add", "U": "update", "D": "delete"}
LINE_MAXIMUM = 300
AMOUNT_MAXIMUM = Decimal("99999999.99")


@dataclass(frozen=True, slots=True)
class CertificationRecord:
    record_type: str  # A, U or D
    submitting_agency: str  # the State's IV-D agency code (e.g. "MS")
    ssn: str  # nine digits
    last_name: str
    first_name: str
    middle_name: str
    suffix: str
    amount_owed: Decimal  # 0.00 on a delete
    case_number: str
    certified_date: date

    def __post_init__(self) -> None:
        assert self.record_type in TRANSACTIONS, self.record_type
        assert len(self.ssn) == 9 and self.ssn.isdigit(), "nine digits"
        assert self.amount_owed >= 0 and self.amount_owed == self.amount_owed.quantize(Decimal("0.01"))


def _text(value: str) -> str:
    """A field on one line, in ASCII: line breaks and tabs become spaces, other characters are dropped."""
    return " ".join(value.split()).encode("ascii", "ignore").decode("ascii")


def write_certifications(records: list[CertificationRecord]) -> str:
    """The file's text: the header row, then one row per record, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CERTIFICATION_COLUMNS)
    for r in records:
        writer.writerow([
            r.record_type, r.submitting_agency, r.ssn, _text(r.last_name), _text(r.first_name),
            _text(r.middle_name), _text(r.suffix), f"{r.amount_owed:.2f}", r.case_number,
            r.certified_date.isoformat(),
        ])  # fmt: skip
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class OffsetRecord:
    line_number: int
    ssn: str
    amount: Decimal
    offset_date: date
    tax_year: int
    joint_return: bool
    occurrence: int  # 1 for the first line of the file with these values, 2 for the next, ...


@dataclass(frozen=True, slots=True)
class BadLine:
    line_number: int
    text: str  # the line with its SSN field masked
    problem: str


@dataclass
class ParsedOffsets:
    records: list[OffsetRecord]
    bad: list[BadLine]


def masked(ssn: str) -> str:
    """An SSN field as it may be shown or kept in a problem: the last four digits only."""
    return f"*****{ssn[-4:]}" if len(ssn) >= 4 else "*" * len(ssn)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _amount(value: str) -> Decimal | None:
    whole, dot, cents = value.partition(".")
    if not whole.isdigit() or (dot and (len(cents) != 2 or not cents.isdigit())):
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if 0 < amount <= AMOUNT_MAXIMUM else None


def read_offsets(text: str) -> ParsedOffsets:
    """Every line of an offset file: the well-formed ones as records, each other line (not the header, not a
    blank line) as a bad line with its number (the header is line 1), every problem found, the SSN masked."""
    parsed = ParsedOffsets(records=[], bad=[])
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or tuple(cell.strip() for cell in next(csv.reader([lines[0]]), [])) != OFFSET_COLUMNS:
        parsed.bad.append(BadLine(1, "", f"the header row must be {','.join(OFFSET_COLUMNS)}"))
        return parsed
    seen: dict[tuple[str, Decimal, date, int, bool], int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if len(line) > LINE_MAXIMUM:
            parsed.bad.append(BadLine(number, "", f"longer than {LINE_MAXIMUM} characters"))
            continue
        try:
            cells = [cell.strip() for cell in next(csv.reader([line]))]
        except csv.Error as error:
            parsed.bad.append(BadLine(number, "", f"not a CSV row: {error}"))
            continue
        shown = ",".join([masked(cells[0]), *cells[1:]])[:LINE_MAXIMUM]
        if len(cells) != len(OFFSET_COLUMNS):
            parsed.bad.append(BadLine(number, shown, f"has {len(cells)} fields, not {len(OFFSET_COLUMNS)}"))
            continue
        ssn, amount_text, on, year, joint = cells
        problems = []
        if not is_valid_ssn(ssn):
            problems.append("ssn is not a valid SSN (nine digits)")
        amount = _amount(amount_text)
        if amount is None:
            problems.append(f"amount {amount_text!r} is not a positive amount in dollars and cents (1234.50)")
        offset_on = _date(on)
        if offset_on is None:
            problems.append(f"offset_date {on!r} is not a date (YYYY-MM-DD)")
        if not (year.isdigit() and len(year) == 4 and 1990 <= int(year) <= 2999):
            problems.append(f"tax_year {year!r} is not a year (YYYY)")
        if joint not in ("Y", "N"):
            problems.append(f"joint_return {joint!r} is not Y or N")
        elif offset_on is not None and year.isdigit() and int(year) >= offset_on.year:
            problems.append(f"tax_year {year} is not before the year of the offset_date {on}")
        if problems or amount is None or offset_on is None:
            parsed.bad.append(BadLine(number, shown, "; ".join(problems)))
            continue
        values = (ssn, amount, offset_on, int(year), joint == "Y")
        seen[values] = seen.get(values, 0) + 1
        parsed.records.append(OffsetRecord(number, *values, occurrence=seen[values]))
    return parsed
