"""Locate data files: the NDNH new-hire (W-4), quarterly wage (QW) and unemployment insurance (UI)
records, the FCR's NDNH locate response ('FN'), and the OpenCSE locate CSV.

The readers turn a whole file into validated `LocateRecord`s plus a `RejectedLine` for every line that
could not be accepted, with its line number and a specific reason; a reader never raises on bad content
(only on a file over its line limit). No Django: the app (`opencse.locate.imports`) matches and posts.

Layouts (docs/locate.md, docs/interfaces/locate-csv.md): fixed-length, 1-based inclusive positions, upper
case, A/N fields left-justified and space-filled, N fields right-justified and zero-filled, dates CCYYMMDD
(NDNH Guide for Data Submission, "Input Transaction Layouts"; OMB 0970-0166). Each field below carries its
evidence: `seen` (read in an official chart or its excerpt), `inferred` (derived from programs that write
the layout), `assumed` (no public source found: an OpenCSE choice, to check against the official PDF).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opencse.errors import InvalidInput
from opencse.interfaces.fixed_width import Field, ccyymmdd, implied_cents
from opencse.interfaces.payments import RejectedLine, is_valid_ssn, mask_ssns

__all__ = [
    "CSV_COLUMNS",
    "KINDS",
    "LAYOUTS",
    "Field",
    "LocateFile",
    "LocateRecord",
    "Skipped",
    "iter_locate_file",
    "read_locate_file",
]

LINES_MAXIMUM = 2_000_000  # a quarterly wage file for a large State; more is refused, never truncated
RECORD_LENGTH = 801
KINDS = ("new-hire", "quarterly-wage", "unemployment", "fcr", "csv")
_CCYYQ = re.compile(r"[0-9]{4}[1-4]")
_ZIP = re.compile(r"[0-9]{5}")
_FEIN = re.compile(r"[0-9]{9}")
_CSV_AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{2})?")


def _fields(*rows: tuple[str, int, int, str]) -> tuple[Field, ...]:
    """The layout from rows of (name, start, length, evidence: seen | inferred | assumed)."""
    return tuple(Field(name, start, start + length - 1, evidence=evidence) for name, start, length, evidence in rows)


_EMPLOYEE = (
    ("ssn", 3, 9, "seen"),
    ("first_name", 12, 16, "seen"),
    ("middle_name", 28, 16, "seen"),
    ("last_name", 44, 30, "seen"),
)
# NDNH W-4 new-hire record (Alaska CSSD's copy of the NDNH layout for 1-271; 272-801 inferred from Oracle
# PER_NEW_HIRE_PKG and the TAREP4C.asm DSECT, which agree with the Nevada layout shifted by two positions).
NEW_HIRE = _fields(
    ("record_id", 1, 2, "seen"),
    *_EMPLOYEE,
    ("address_line1", 74, 40, "seen"),
    ("address_line2", 114, 40, "seen"),
    ("address_line3", 154, 40, "seen"),
    ("city", 194, 25, "seen"),
    ("state", 219, 2, "seen"),
    ("postal_code", 221, 5, "seen"),
    ("foreign_country", 230, 2, "seen"),
    ("date_of_birth", 272, 8, "inferred"),
    ("hired_on", 280, 8, "inferred"),
    ("state_of_hire", 288, 2, "inferred"),
    ("employer_fein", 290, 9, "inferred"),
    ("employer_name", 311, 45, "inferred"),
    ("employer_line1", 356, 40, "inferred"),
    ("employer_city", 476, 25, "inferred"),
    ("employer_state", 501, 2, "inferred"),
    ("employer_postal_code", 503, 5, "inferred"),
)
# NDNH quarterly wage record: only the cover pages of the QW/UI record specifications were reachable. The
# employee block repeats the W-4's positions (the NDNH charts share it); the rest is an OpenCSE choice.
QUARTERLY_WAGE = _fields(
    ("record_id", 1, 2, "assumed"),
    *((name, start, length, "assumed") for name, start, length, _ in _EMPLOYEE),
    ("amount", 74, 11, "assumed"),  # cents
    ("period", 85, 5, "assumed"),  # CCYYQ
    ("employer_fein", 90, 9, "assumed"),
    ("employer_name", 111, 45, "assumed"),
    ("employer_line1", 156, 40, "assumed"),
    ("employer_city", 276, 25, "assumed"),
    ("employer_state", 301, 2, "assumed"),
    ("employer_postal_code", 303, 5, "assumed"),
)
# NDNH unemployment insurance record: the claimant's block as the W-4 employee block (name and address),
# then the benefit amount and the reporting period (OpenCSE choice, unverified).
UNEMPLOYMENT = _fields(
    ("record_id", 1, 2, "assumed"),
    *((name, start, length, "assumed") for name, start, length, _ in _EMPLOYEE),
    ("address_line1", 74, 40, "assumed"),
    ("address_line2", 114, 40, "assumed"),
    ("address_line3", 154, 40, "assumed"),
    ("city", 194, 25, "assumed"),
    ("state", 219, 2, "assumed"),
    ("postal_code", 221, 5, "assumed"),
    ("amount", 272, 11, "assumed"),  # cents
    ("period", 283, 5, "assumed"),  # CCYYQ
    ("paying_state", 288, 2, "assumed"),
)
# FCR NDNH locate/proactive match response 'FN' (FCR Release Specifications 02-02 and 03-01, Appendix
# "Response Record Layout": positions 1-80 seen). Positions 81 onward were not found: OpenCSE reads the rest
# of the person block as the FCR person records (FS) order it (middle 16, last 30, SSN 9, member ID 15,
# case ID 15), then the NDNH payload as the W-4 employee/employer blocks, shifted to start at 200.
FCR_RESPONSE = _fields(
    ("record_id", 1, 2, "seen"),
    ("match_type", 3, 1, "seen"),
    ("transmitter_state", 19, 2, "seen"),
    ("agency_code", 61, 3, "seen"),
    ("name_matched", 64, 1, "seen"),
    ("first_name", 65, 16, "seen"),
    ("middle_name", 81, 16, "assumed"),
    ("last_name", 97, 30, "assumed"),
    ("ssn", 127, 9, "assumed"),
    ("member_id", 136, 15, "assumed"),
    ("case_id", 151, 15, "assumed"),
    ("address_line1", 200, 40, "assumed"),
    ("address_line2", 240, 40, "assumed"),
    ("city", 280, 25, "assumed"),
    ("state", 305, 2, "assumed"),
    ("postal_code", 307, 5, "assumed"),
    ("hired_on", 312, 8, "assumed"),
    ("employer_fein", 320, 9, "assumed"),
    ("employer_name", 329, 45, "assumed"),
    ("employer_line1", 374, 40, "assumed"),
    ("employer_city", 414, 25, "assumed"),
    ("employer_state", 439, 2, "assumed"),
    ("employer_postal_code", 441, 5, "assumed"),
    ("amount", 446, 11, "assumed"),  # QW wage or UI benefit, cents
    ("period", 457, 5, "assumed"),  # CCYYQ
)
LAYOUTS: dict[str, tuple[str, tuple[Field, ...]]] = {
    "new-hire": ("W4", NEW_HIRE),
    "quarterly-wage": ("QW", QUARTERLY_WAGE),
    "unemployment": ("UI", UNEMPLOYMENT),
    "fcr": ("FN", FCR_RESPONSE),
}
# Header and trailer records of each file, skipped (not records): H4/T4 (W-4, seen/inferred), and the QW/UI
# and FCR equivalents by the same convention.
CONTROL_RECORDS = frozenset({"H4", "T4", "HQ", "TQ", "HU", "TU", "FA", "FB", "FZ", "FY"})
# FN Locate Source Response Agency Code (seen): which NDNH file the response comes from.
FCR_AGENCY_KINDS = {"H99": "new-hire", "H98": "quarterly-wage", "H97": "unemployment"}
FCR_NOT_AVAILABLE = "H01"

CSV_COLUMNS = (
    "record_type", "ssn", "first_name", "middle_name", "last_name", "date_of_birth", "address_line1",
    "address_line2", "city", "state", "postal_code", "employer_name", "employer_fein", "employer_line1",
    "employer_city", "employer_state", "employer_postal_code", "hired_on", "amount", "period", "reference",
)  # fmt: skip
CSV_RECORD_TYPES = ("new-hire", "quarterly-wage", "unemployment")


@dataclass(frozen=True, slots=True)
class LocateRecord:
    """One person's record from a locate file, as the file gave it (names upper case as sent)."""

    line_number: int
    kind: str  # new-hire | quarterly-wage | unemployment (an FCR response takes its NDNH file's kind)
    key: str  # the record's identity: the same record in a re-sent file has the same key
    ssn: str  # 9 digits, valid; "" when the file gave none (CSV only). Never logged.
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: date | None
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    employer_name: str
    employer_fein: str
    employer_line1: str
    employer_city: str
    employer_state: str
    employer_postal_code: str
    hired_on: date | None
    amount: Decimal | None  # QW wages or UI benefit for the period
    period: str  # CCYYQ, for QW and UI
    source: str  # the file format: new-hire | quarterly-wage | unemployment | fcr | csv


@dataclass(frozen=True, slots=True)
class LocateFile:
    kind: str
    records: tuple[LocateRecord, ...]
    rejected: tuple[RejectedLine, ...]
    skipped: int  # header/trailer records, and FCR "no NDNH data" responses (H01)


def _key(source: str, text: str) -> str:
    """The record's identity: its format and the hash of its content (a re-sent record has the same key)."""
    return f"{source}:{hashlib.sha256(text.encode()).hexdigest()}"


class _Refused(Exception):
    pass


def _check(values: dict[str, str], kind: str) -> tuple[date | None, date | None, Decimal | None]:
    """The values' own validity: every refusal names the field and what is wrong."""
    if not is_valid_ssn(values.get("ssn", "")):
        raise _Refused("the SSN is missing or not a valid SSN")
    if not values.get("last_name"):
        raise _Refused("the last name is missing")
    born = ccyymmdd(values["date_of_birth"]) if values.get("date_of_birth", "").strip("0 ") else None
    if values.get("date_of_birth", "").strip("0 ") and born is None:
        raise _Refused(f"the date of birth {values['date_of_birth']!r} is not a date CCYYMMDD")
    hired = None
    if kind == "new-hire":
        hired = ccyymmdd(values.get("hired_on", ""))
        if hired is None:
            raise _Refused(f"the date of hire {values.get('hired_on', '')!r} is not a date CCYYMMDD")
        if not values.get("employer_name"):
            raise _Refused("the employer name is missing")
    fein = values.get("employer_fein", "")
    if fein and not _FEIN.fullmatch(fein):
        raise _Refused(f"the employer FEIN {fein!r} is not nine digits")
    for zip_field in ("postal_code", "employer_postal_code"):
        if values.get(zip_field) and not _ZIP.fullmatch(values[zip_field]):
            raise _Refused(f"the ZIP code {values[zip_field]!r} is not five digits")
    amount = None
    if kind in ("quarterly-wage", "unemployment"):
        amount = implied_cents(values.get("amount", ""))
        if amount is None:
            raise _Refused(f"the amount {values.get('amount', '')!r} is not a number of cents")
        if not _CCYYQ.fullmatch(values.get("period", "")):
            raise _Refused(f"the reporting period {values.get('period', '')!r} is not CCYYQ (year and quarter 1-4)")
        if kind == "quarterly-wage" and not values.get("employer_name"):
            raise _Refused("the employer name is missing")
    return born, hired, amount


def _record(line_number: int, kind: str, source: str, key_text: str, values: dict[str, str]) -> LocateRecord:
    born, hired, amount = _check(values, kind)
    get = values.get
    return LocateRecord(
        line_number=line_number, kind=kind, key=_key(source, key_text), ssn=values["ssn"],
        first_name=get("first_name", ""), middle_name=get("middle_name", ""), last_name=values["last_name"],
        date_of_birth=born, address_line1=get("address_line1", ""),
        address_line2=" ".join(part for part in (get("address_line2", ""), get("address_line3", "")) if part),
        city=get("city", ""), state=get("state", ""), postal_code=get("postal_code", ""),
        employer_name=get("employer_name", ""), employer_fein=get("employer_fein", ""),
        employer_line1=get("employer_line1", ""), employer_city=get("employer_city", ""),
        employer_state=get("employer_state", ""), employer_postal_code=get("employer_postal_code", ""),
        hired_on=hired, amount=amount, period=get("period", ""), source=source,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Skipped:
    """A control record (header, trailer) or an FCR response with no NDNH data: counted, not a record."""

    line_number: int


Item = LocateRecord | RejectedLine | Skipped


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """The lines with their numbers, without line ends; a file over `LINES_MAXIMUM` lines is refused."""
    for number, raw in enumerate(lines, start=1):
        if number > LINES_MAXIMUM:
            raise InvalidInput(f"has more than {LINES_MAXIMUM:,} lines: split the file", field="file")
        yield number, raw.rstrip("\r\n")


def _fixed_items(lines: Iterable[str], kind: str) -> Iterator[Item]:
    record_id, layout = LAYOUTS[kind]
    for number, line in _numbered(lines):
        if not line.strip():
            continue
        reject = RejectedLine(number, "", _masked(line, layout))
        if line[:2] in CONTROL_RECORDS:
            yield Skipped(number)
            continue
        if line[:2] != record_id:
            yield _with(reject, f"record identifier {line[:2]!r} is not {record_id!r}")
            continue
        if len(line) > RECORD_LENGTH:
            yield _with(reject, f"the record is {len(line)} characters long, more than {RECORD_LENGTH}")
            continue
        values = {field.name: field.read(line) for field in layout}
        record_kind = kind
        if kind == "fcr":
            agency = values["agency_code"]
            if agency == FCR_NOT_AVAILABLE:
                yield Skipped(number)
                continue
            if agency not in FCR_AGENCY_KINDS:
                yield _with(reject, f"the locate source agency code {agency!r} is not H97, H98 or H99")
                continue
            record_kind = FCR_AGENCY_KINDS[agency]
        try:
            yield _record(number, record_kind, kind, line.rstrip(), values)
        except _Refused as refusal:
            yield _with(reject, str(refusal))


def _masked(line: str, layout: tuple[Field, ...]) -> str:
    """The line for the exceptions report: the SSN field shown as XXXXX and its last four (whatever it holds),
    and any other SSN-like number masked too."""
    for field in layout:
        if field.name == "ssn" and len(line) >= field.end:
            line = line[: field.start - 1] + "XXXXX" + field.cut(line)[-4:] + line[field.end :]
    return mask_ssns(line.rstrip())[:300]


def _with(line: RejectedLine, reason: str) -> RejectedLine:
    return RejectedLine(line.line_number, reason, line.raw)


def _csv_items(lines: Iterable[str]) -> Iterator[Item]:
    """The OpenCSE locate CSV (docs/interfaces/locate-csv.md): a header row with exactly `CSV_COLUMNS` in any
    order; ISO dates; amounts in dollars and cents; SSN and FEIN with or without dashes."""
    numbered = _numbered(lines)
    first = next(numbered, None)
    if first is None:
        raise InvalidInput("is empty", field="file")
    header = next(csv.reader([first[1].removeprefix("\ufeff")]))
    names = [name.strip().lower() for name in header]
    if sorted(names) != sorted(CSV_COLUMNS):
        missing = sorted(set(CSV_COLUMNS) - set(names))
        extra = sorted(set(names) - set(CSV_COLUMNS))
        raise InvalidInput(f"header row: missing columns {missing}, unknown columns {extra}", field="file")
    for number, raw in numbered:
        if not raw.strip():
            continue
        reject = RejectedLine(number, "", mask_ssns(raw)[:300])
        try:
            cells = next(csv.reader(io.StringIO(raw)))
        except (csv.Error, StopIteration) as error:
            yield _with(reject, f"not a CSV row ({error})")
            continue
        if len(cells) != len(names):
            yield _with(reject, f"{len(cells)} columns, the header has {len(names)}")
            continue
        values = {name: cell.strip().upper() for name, cell in zip(names, cells, strict=True)}
        kind = values["record_type"].lower()
        if kind not in CSV_RECORD_TYPES:
            yield _with(reject, f"record_type {values['record_type']!r} is not one of {CSV_RECORD_TYPES}")
            continue
        values["ssn"] = values["ssn"].replace("-", "")
        values["employer_fein"] = values["employer_fein"].replace("-", "")
        for name in ("date_of_birth", "hired_on"):
            values[name] = values[name].replace("-", "")
        amount = values["amount"]
        if amount:
            if not _CSV_AMOUNT.fullmatch(amount):
                yield _with(reject, f"the amount {amount!r} is not dollars and cents (1234.56)")
                continue
            values["amount"] = str(int(Decimal(amount) * 100))
        values["period"] = values["period"].replace("-Q", "").replace("Q", "")
        try:
            yield _record(number, kind, "csv", f"{values['reference']}|{raw}", values)
        except _Refused as refusal:
            yield _with(reject, str(refusal))


def iter_locate_file(lines: Iterable[str], kind: str) -> Iterator[Item]:
    """Each line of a locate file of `kind` (one of `KINDS`) as a record, a rejected line or a skipped control
    record, in order, one at a time (a file of a million records is never held whole)."""
    if kind not in KINDS:
        raise InvalidInput(f"must be one of {', '.join(KINDS)}", field="kind")
    return _csv_items(lines) if kind == "csv" else _fixed_items(lines, kind)


def read_locate_file(text: str, kind: str) -> LocateFile:
    """Read the whole of `text` as a locate file of `kind`: lines end at CR, LF or CR LF."""
    records: list[LocateRecord] = []
    rejected: list[RejectedLine] = []
    skipped = 0
    for item in iter_locate_file(io.StringIO(text, newline=None), kind):
        if isinstance(item, LocateRecord):
            records.append(item)
        elif isinstance(item, RejectedLine):
            rejected.append(item)
        else:
            skipped += 1
    return LocateFile(kind=kind, records=tuple(records), rejected=tuple(rejected), skipped=skipped)
