"""The license certification file to a licensing agency, and the agency's response file read back
(docs/interfaces/license-certification.md).

There is no federal layout: 42 U.S.C. 666(a)(16) requires the procedure, not a file. This is OpenCSE's own
layout, which a State maps to each agency's (a Department of Public Safety's, a board's). Both files are CSV
(RFC 4180, UTF-8, a header row naming the columns in this order, one record a line, no line break in a field):

- certification: `CERTIFICATION_COLUMNS`, one row per request (S: suspend, R: release and reinstate);
- response: `RESPONSE_COLUMNS`, one row per answer (S: suspended on the date, N: no license found,
  M: the name does not match the license, R: reinstated on the date).

Dates are ISO (YYYY-MM-DD). The obligor is identified by name, date of birth and the last four digits of the
SSN with the license number: the agency holds the full SSN of its licensees (42 U.S.C. 666(a)(13)), so the file
does not carry it. Pure: no Django, no database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

CERTIFICATION_COLUMNS = (
    "record_type", "certification_id", "agency_code", "license_kind", "license_number", "license_state",
    "last_name", "first_name", "middle_name", "suffix", "date_of_birth", "ssn_last4", "address_line_1",
    "address_line_2", "city", "state", "zip_code", "case_number", "effective_date", "sent_date",
)  # fmt: skip
RESPONSE_COLUMNS = ("certification_id", "result", "result_date", "license_number", "note")
KIND_CODES = {"drivers": "DL", "professional": "PR", "recreational": "RC"}
REQUESTS = frozenset({"S", "R"})
RESULTS = {"S": "suspended", "N": "no license found", "M": "name mismatch", "R": "reinstated"}
NOTE_MAXIMUM = 200
LINE_MAXIMUM = 1000


@dataclass(frozen=True, slots=True)
class CertificationRecord:
    record_type: str  # S or R
    certification_id: int
    agency_code: str
    license_kind: str  # drivers, professional, recreational
    license_number: str
    license_state: str
    last_name: str
    first_name: str
    middle_name: str
    suffix: str
    date_of_birth: date | None
    ssn_last4: str
    address_line_1: str
    address_line_2: str
    city: str
    state: str
    zip_code: str
    case_number: str
    effective_date: date
    sent_date: date

    def __post_init__(self) -> None:
        assert self.record_type in REQUESTS, self.record_type
        assert self.license_kind in KIND_CODES, self.license_kind
        assert not self.ssn_last4 or (len(self.ssn_last4) == 4 and self.ssn_last4.isdigit()), "last four digits"


def _text(value: str) -> str:
    """A field on one line: line breaks and tabs become spaces (a field never spans lines)."""
    return " ".join(value.split())


def write_certifications(records: list[CertificationRecord]) -> str:
    """The file's text: the header row, then one row per record, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CERTIFICATION_COLUMNS)
    for r in records:
        writer.writerow([
            r.record_type, str(r.certification_id), r.agency_code, KIND_CODES[r.license_kind],
            _text(r.license_number), r.license_state, _text(r.last_name), _text(r.first_name), _text(r.middle_name),
            _text(r.suffix), r.date_of_birth.isoformat() if r.date_of_birth else "", r.ssn_last4,
            _text(r.address_line_1), _text(r.address_line_2), _text(r.city), r.state, r.zip_code, r.case_number,
            r.effective_date.isoformat(), r.sent_date.isoformat(),
        ])  # fmt: skip
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    line_number: int
    text: str
    certification_id: int
    result: str  # S, N, M, R
    result_date: date
    license_number: str
    note: str


@dataclass(frozen=True, slots=True)
class BadLine:
    line_number: int
    text: str
    problem: str


@dataclass
class ParsedResponse:
    records: list[ResponseRecord]
    bad: list[BadLine]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def read_response(text: str) -> ParsedResponse:
    """Every line of a response file: the well-formed ones as records, each other line (not the header) as a bad
    line with its number (counted from 1, the header being line 1) and every problem found on it."""
    parsed = ParsedResponse(records=[], bad=[])
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or tuple(cell.strip() for cell in next(csv.reader([lines[0]]), [])) != RESPONSE_COLUMNS:
        first = lines[0] if lines else ""
        parsed.bad.append(BadLine(1, first[:LINE_MAXIMUM], f"the header row must be {','.join(RESPONSE_COLUMNS)}"))
        return parsed
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        shown = line[:LINE_MAXIMUM]
        if len(line) > LINE_MAXIMUM:
            parsed.bad.append(BadLine(number, shown, f"longer than {LINE_MAXIMUM} characters"))
            continue
        try:
            cells = [cell.strip() for cell in next(csv.reader([line]))]
        except csv.Error as error:
            parsed.bad.append(BadLine(number, shown, f"not a CSV row: {error}"))
            continue
        if len(cells) != len(RESPONSE_COLUMNS):
            parsed.bad.append(BadLine(number, shown, f"has {len(cells)} fields, not {len(RESPONSE_COLUMNS)}"))
            continue
        ident, result, on, license_number, note = cells
        problems = []
        if not ident.isdigit() or len(ident) > 12:
            problems.append(f"certification_id {ident!r} is not a certification number")
        if result not in RESULTS:
            problems.append(f"result {result!r} is not one of {', '.join(RESULTS)}")
        result_date = _date(on)
        if result_date is None:
            problems.append(f"result_date {on!r} is not a date (YYYY-MM-DD)")
        if len(note) > NOTE_MAXIMUM:
            problems.append(f"note is longer than {NOTE_MAXIMUM} characters")
        if problems or result_date is None:
            parsed.bad.append(BadLine(number, shown, "; ".join(problems)))
            continue
        parsed.records.append(ResponseRecord(line_number=number, text=shown, certification_id=int(ident),
                                             result=result, result_date=result_date,
                                             license_number=license_number[:40], note=note))  # fmt: skip
    return parsed
