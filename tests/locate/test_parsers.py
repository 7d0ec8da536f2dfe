"""The locate file readers (pure: no database). Positions are cited in tests/locate/records.py."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.interfaces.locate_files import CSV_COLUMNS, LAYOUTS, RECORD_LENGTH, read_locate_file
from tests.locate import records


def test_a_new_hire_record_is_read_at_the_ndnh_positions() -> None:
    parsed = read_locate_file("\n".join([records.header(), records.new_hire(), records.trailer(1)]), "new-hire")

    assert parsed.rejected == () and parsed.skipped == 2
    (record,) = parsed.records
    assert (record.ssn, record.first_name, record.last_name) == ("512349876", "CURTIS", "BOONE")
    assert (record.address_line1, record.city, record.state, record.postal_code) == (
        "22 PINE ST",
        "GULFPORT",
        "MS",
        "39501",
    )
    assert record.date_of_birth == date(1986, 11, 9)
    assert record.hired_on == date(2026, 11, 2)
    assert (record.employer_fein, record.employer_name) == ("640123456", "GULF COAST SHIPYARDS")
    assert (record.employer_line1, record.employer_city, record.employer_state, record.employer_postal_code) == (
        "100 SHIPYARD RD", "PASCAGOULA", "MS", "39567")  # fmt: skip
    assert record.kind == "new-hire" and record.line_number == 2


def test_every_layout_fits_the_801_byte_record_and_no_fields_overlap() -> None:
    for kind, (_, layout) in LAYOUTS.items():
        taken: set[int] = set()
        for field in layout:
            positions = set(range(field.start, field.start + field.length))
            assert not positions & taken, (kind, field.name)
            assert max(positions) <= RECORD_LENGTH, (kind, field.name)
            taken |= positions


def test_bad_lines_are_kept_with_their_line_number_and_reason_and_the_ssn_masked() -> None:
    lines = [
        records.header(),
        records.new_hire(ssn="000123456"),  # 45 CFR/SSA: area 000 is never issued
        records.new_hire(hired="20261340"),
        records.new_hire(employer=""),
        "XX" + records.new_hire()[2:],
        records.new_hire(fein="64-012345"),
        records.new_hire(),
    ]
    parsed = read_locate_file("\n".join(lines), "new-hire")

    reasons = {line.line_number: line.reason for line in parsed.rejected}
    assert reasons == {
        2: "the SSN is missing or not a valid SSN",
        3: "the date of hire '20261340' is not a date CCYYMMDD",
        4: "the employer name is missing",
        5: "record identifier 'XX' is not 'W4'",
        6: "the employer FEIN '64-012345' is not nine digits",
    }
    assert all("512349876" not in line.raw for line in parsed.rejected)
    assert [record.line_number for record in parsed.records] == [7]


def test_the_same_record_has_the_same_key_in_any_file() -> None:
    first = read_locate_file(records.new_hire(), "new-hire").records[0]
    again = read_locate_file("\n".join([records.header(), records.new_hire()]), "new-hire").records[0]
    other = read_locate_file(records.new_hire(hired="20261103"), "new-hire").records[0]

    assert first.key == again.key != other.key


def test_quarterly_wage_and_unemployment_records_carry_the_amount_in_cents_and_the_quarter() -> None:
    wage = read_locate_file(records.quarterly_wage(), "quarterly-wage").records[0]
    claim = read_locate_file(records.unemployment(), "unemployment").records[0]

    assert (wage.amount, wage.period, wage.employer_name) == (Decimal("8450.00"), "20263", "GULF COAST SHIPYARDS")
    assert (claim.amount, claim.period, claim.city) == (Decimal("1234.00"), "20263", "HATTIESBURG")
    bad = read_locate_file(records.quarterly_wage(period="20265"), "quarterly-wage")
    assert bad.rejected[0].reason == "the reporting period '20265' is not CCYYQ (year and quarter 1-4)"


def test_an_fcr_response_takes_the_kind_of_its_ndnh_file_and_skips_no_data_responses() -> None:
    """Agency codes H99 W-4, H98 QW, H97 UI, H01 no NDNH data (FCR response record, seen)."""
    parsed = read_locate_file("\n".join([records.fcr_response(), records.fcr_response(agency="H01"),
                                         records.fcr_response(agency="Z99")]), "fcr")  # fmt: skip

    (record,) = parsed.records
    assert (record.kind, record.source, record.first_name, record.hired_on) == ("new-hire", "fcr", "CURTIS",
                                                                                date(2026, 11, 2))  # fmt: skip
    assert parsed.skipped == 1
    assert parsed.rejected[0].reason == "the locate source agency code 'Z99' is not H97, H98 or H99"


def test_the_csv_layout_reads_dashes_and_iso_dates_and_rejects_per_row() -> None:
    header = ",".join(CSV_COLUMNS)
    row = {name: "" for name in CSV_COLUMNS} | {
        "record_type": "new-hire", "ssn": "512-34-9876", "first_name": "Curtis", "last_name": "Boone",
        "employer_name": "Gulf Coast Shipyards", "employer_fein": "64-0123456", "hired_on": "2026-11-02",
        "reference": "NH-1",
    }  # fmt: skip
    bad = row | {"record_type": "lottery"}
    text = "\n".join([header, ",".join(row.values()), ",".join(bad.values())])

    parsed = read_locate_file(text, "csv")

    (record,) = parsed.records
    assert (record.ssn, record.employer_fein, record.hired_on, record.last_name) == (
        "512349876", "640123456", date(2026, 11, 2), "BOONE")  # fmt: skip
    assert parsed.rejected[0].line_number == 3
    assert "record_type 'LOTTERY'" in parsed.rejected[0].reason


def test_a_csv_without_its_header_is_refused_naming_the_columns() -> None:
    with pytest.raises(InvalidInput, match="missing columns"):
        read_locate_file("ssn,last_name\n512349876,BOONE", "csv")


KNOWN_LINES = st.sampled_from([records.new_hire(), records.header(), records.new_hire(ssn="12345")])


@given(st.lists(st.one_of(st.text(max_size=900), KNOWN_LINES), max_size=20))
def test_every_line_is_accepted_rejected_or_skipped_never_lost(lines: list[str]) -> None:
    """Style 3.9: nothing is dropped without a trace. Whatever the lines, each non-blank one ends as a record,
    a rejected line (with a reason) or a control record; the reader never raises on content."""
    text = "\n".join(line.replace("\r", " ").replace("\n", " ") for line in lines)
    parsed = read_locate_file(text, "new-hire")

    non_blank = sum(1 for line in io.StringIO(text, newline=None) if line.strip())
    assert len(parsed.records) + len(parsed.rejected) + parsed.skipped == non_blank
    assert all(line.reason for line in parsed.rejected)
