"""The license certification CSV and the agency's response (docs/interfaces/license-certification.md): pure."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO

import pytest

from opencse.interfaces.license_file import (
    CERTIFICATION_COLUMNS,
    RESPONSE_COLUMNS,
    CertificationRecord,
    read_response,
    write_certifications,
)


def _record(**changes: object) -> CertificationRecord:
    values: dict[str, object] = dict(
        record_type="S", certification_id=17, agency_code="ms_dps", license_kind="drivers", license_number="801234567",
        license_state="MS", last_name="O'Brien, Jr", first_name="Ann\nMarie", middle_name="", suffix="",
        date_of_birth=None, ssn_last4="9876", address_line_1='12 "B" Street', address_line_2="", city="Jackson",
        state="MS", zip_code="39201", case_number="2026-000123", effective_date=date(2026, 10, 1),
        sent_date=date(2026, 10, 2),
    )  # fmt: skip
    values.update(changes)
    return CertificationRecord(**values)  # type: ignore[arg-type]


def test_the_file_has_the_header_and_quotes_what_needs_it_on_one_line_per_record() -> None:
    text = write_certifications([_record(), _record(record_type="R", certification_id=18, license_kind="recreational")])

    lines = text.split("\r\n")
    assert lines[0] == ",".join(CERTIFICATION_COLUMNS) and lines[-1] == "" and len(lines) == 4
    first, second = csv.DictReader(StringIO(text))
    assert (first["last_name"], first["first_name"], first["address_line_1"]) == ("O'Brien, Jr", "Ann Marie",
                                                                                  '12 "B" Street')  # fmt: skip
    assert (first["license_kind"], first["date_of_birth"], second["record_type"], second["license_kind"]) == (
        "DL", "", "R", "RC")  # fmt: skip


def test_a_record_refuses_a_full_ssn_or_an_unknown_request() -> None:
    with pytest.raises(AssertionError):
        _record(ssn_last4="512349876")
    with pytest.raises(AssertionError):
        _record(record_type="X")


def test_a_response_without_its_header_is_refused_whole() -> None:
    parsed = read_response("17,S,2026-10-05,,\r\n")
    assert parsed.records == [] and [(b.line_number, b.problem) for b in parsed.bad] == [
        (1, f"the header row must be {','.join(RESPONSE_COLUMNS)}")
    ]


def test_a_response_line_is_read_or_kept_with_every_problem() -> None:
    text = "\ufeff" + ",".join(RESPONSE_COLUMNS) + "\n17,S,2026-10-05,801-234-567,done\n\nx,Q,10/05/2026,,\n"

    parsed = read_response(text)

    (record,) = parsed.records
    assert (record.line_number, record.certification_id, record.result, record.result_date) == (
        2, 17, "S", date(2026, 10, 5))  # fmt: skip
    (bad,) = parsed.bad
    assert bad.line_number == 4
    assert bad.problem == ("certification_id 'x' is not a certification number; result 'Q' is not one of S, N, M, R; "
                           "result_date '10/05/2026' is not a date (YYYY-MM-DD)")  # fmt: skip
