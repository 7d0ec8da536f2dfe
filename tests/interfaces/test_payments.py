"""Payment file readers: NACHA CCD+ with DED addenda, and the payments CSV.

Expected values in the sample-file tests come from tests/interfaces/data/ccd_ded_sample.ach, which
was written by hand from the published record layouts (NACHA Operating Rules Appendix Three; NACHA
"User Guide for Electronic Child Support Payments", DED segment), its controls added up by hand:
entry hash 2 x 06500009 = 0013000018 per batch, credits 125.00 + 230.77 and 46.15 + 0.00.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.interfaces.ded import parse_ded
from opencse.interfaces.nacha import read_nacha
from opencse.interfaces.payments import PaymentFile, PaymentRecord, mask_ssns
from opencse.interfaces.payments_csv import read_payments_csv
from tests.nacha_employer import write_nacha_ccd

DATA = Path(__file__).parent / "data"
SAMPLE_ACH = (DATA / "ccd_ded_sample.ach").read_text()
SAMPLE_CSV = (DATA / "payments_sample.csv").read_text()


def payment(**changes: object) -> PaymentRecord:
    values: dict[str, object] = {
        "line_number": 0,
        "trace_number": "",
        "amount": Decimal("125.00"),
        "payment_date": date(2026, 11, 20),
        "effective_entry_date": date(2026, 11, 24),
        "case_identifier": "000123456",
        "obligor_ssn": "123456789",
        "obligor_last_name": "SMITH",
        "obligor_first_name": "JOH",
        "fips_code": "28049",
        "medical_support": False,
        "employment_terminated": False,
        "employer_name": "ACME WIDGETS INC",
        "employer_fein": "123456789",
        "source": "nacha",
    }
    values.update(changes)
    return PaymentRecord(**values)  # type: ignore[arg-type]  # the test passes each field by name


def write(payments: list[PaymentRecord]) -> str:
    return write_nacha_ccd(
        payments,
        immediate_destination="065000090",
        immediate_destination_name="MS SDU BANK",
        immediate_origin="1123456789",
        immediate_origin_name="ACME PAYROLL",
        originating_dfi="02100002",
        receiving_routing_number="065000090",
        receiving_account_number="8001234567",
        receiving_name="MS SDU",
        created_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def joined(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def two_batches() -> list[str]:
    """Batch 1 (lines 2-8): two payments from ACME; batch 2 (lines 9-12): one from BETA."""
    return lines_of(
        write(
            [
                payment(),
                payment(amount=Decimal("230.77"), case_identifier="CS-778899", obligor_ssn="234567890"),
                payment(employer_name="BETA FOODS LLC", employer_fein="987654321", amount=Decimal("46.15")),
            ]
        )
    )


def without_line_numbers(records: tuple[PaymentRecord, ...] | list[PaymentRecord]) -> list[PaymentRecord]:
    return [dataclasses.replace(record, line_number=0) for record in records]


def reasons(result: PaymentFile) -> dict[int, str]:
    return {rejection.line_number: rejection.reason for rejection in result.rejected}


# --- the hand-written sample -------------------------------------------------------------------


def test_the_sample_file_yields_its_four_payments_and_rejects_nothing() -> None:
    result = read_nacha(SAMPLE_ACH)

    assert result.rejected == ()
    assert [record.line_number for record in result.records] == [3, 5, 9, 11]
    assert [record.amount for record in result.records] == [
        Decimal("125.00"),
        Decimal("230.77"),
        Decimal("46.15"),
        Decimal("0.00"),
    ]
    assert result.total_amount == Decimal("401.92")


def test_the_sample_file_is_identified_by_origin_creation_time_and_modifier() -> None:
    result = read_nacha(SAMPLE_ACH)

    assert result.file_id == "1123456789-2611200930-A"


def test_the_sample_files_ded_elements_are_read_field_by_field() -> None:
    first, second, third, fourth = read_nacha(SAMPLE_ACH).records

    assert first == PaymentRecord(
        line_number=3,
        trace_number="021000020000001",
        amount=Decimal("125.00"),
        payment_date=date(2026, 11, 20),
        effective_entry_date=date(2026, 11, 24),
        case_identifier="000123456",
        obligor_ssn="123456789",
        obligor_last_name="SMITH",
        obligor_first_name="JOH",
        fips_code="28049",
        medical_support=False,
        employment_terminated=False,
        employer_name="ACME WIDGETS INC",
        employer_fein="123456789",
        source="nacha",
    )
    # "JOHNSONMAR": a seven-letter last name takes no comma (DED07 convention).
    assert (second.obligor_last_name, second.obligor_first_name, second.medical_support) == ("JOHNSON", "MAR", True)
    # "W" (not applicable) is not medical support; an omitted DED07 leaves the names empty.
    assert (third.medical_support, third.obligor_last_name, third.employment_terminated) == (False, "", True)
    # A zero-dollar entry (transaction code 24) that reports a termination is kept, with amount 0.00.
    assert (fourth.amount, fourth.employment_terminated, fourth.fips_code) == (Decimal("0.00"), True, "")


def test_amounts_are_decimals_with_two_places() -> None:
    result = read_nacha(SAMPLE_ACH)

    for record in result.records:
        assert isinstance(record.amount, Decimal)
        assert record.amount.as_tuple().exponent == -2


# --- writing --------------------------------------------------------------------------------


def test_a_written_file_is_blocked_in_tens_with_94_character_records() -> None:
    lines = two_batches()

    assert len(lines) % 10 == 0
    assert all(len(line) == 94 for line in lines)
    assert lines[-1] == "9" * 94


def test_a_written_file_reads_back_to_the_same_payments() -> None:
    payments = [payment(trace_number="021000020000007"), payment(employer_name="BETA", employer_fein="987654321")]

    result = read_nacha(write(payments))

    assert result.rejected == ()
    assert result.records[0].trace_number == "021000020000007"
    assert result.records[1].trace_number == "021000020000001"
    assert without_line_numbers(result.records) == [
        dataclasses.replace(payments[0], line_number=0),
        dataclasses.replace(payments[1], trace_number="021000020000001"),
    ]


def test_the_writer_puts_one_batch_per_employer_with_correct_controls() -> None:
    lines = two_batches()

    batch_controls = [line for line in lines if line.startswith("8")]
    assert batch_controls[0][4:10] == "000004"
    assert batch_controls[0][10:20] == "0013000018"
    assert batch_controls[0][32:44] == "000000035577"
    assert batch_controls[1][32:44] == "000000004615"
    file_control = next(line for line in lines if line.startswith("9"))
    assert file_control[1:7] == "000002"
    assert file_control[43:55] == "000000040192"


def test_the_writer_refuses_a_payment_without_a_valid_ssn() -> None:
    with pytest.raises(InvalidInput) as error:
        write([payment(obligor_ssn="000123456")])

    assert error.value.field == "obligor_ssn"


def test_the_writer_refuses_fractions_of_a_cent() -> None:
    with pytest.raises(InvalidInput) as error:
        write([payment(amount=Decimal("1.005"))])

    assert error.value.field == "amount"


def test_the_writer_refuses_duplicate_trace_numbers() -> None:
    with pytest.raises(InvalidInput):
        write([payment(trace_number="021000020000001"), payment(trace_number="021000020000001")])


def test_the_ded_segment_omits_trailing_optional_elements() -> None:
    lines = lines_of(write([payment(fips_code="", obligor_last_name="", obligor_first_name="")]))

    assert lines[3][3:83].rstrip() == "DED*CS*000123456*261120*12500*123456789*N\\"


# --- rejections: one entry --------------------------------------------------------------------


def with_addenda(lines: list[str], number: int, ded: str) -> list[str]:
    """`lines` with the addenda on line `number` carrying the DED text `ded`."""
    changed = list(lines)
    old = changed[number - 1]
    changed[number - 1] = old[:3] + ded.ljust(80) + old[83:]
    return changed


def test_an_addenda_amount_that_differs_from_its_entry_rejects_that_payment_only() -> None:
    lines = with_addenda(two_batches(), 4, "DED*CS*000123456*261120*12000*123456789*N*SMITH,JOH*28049\\")

    result = read_nacha(joined(lines))

    assert reasons(result) == {4: "addenda payment amount 120.00 does not match entry amount 125.00"}
    assert [record.amount for record in result.records] == [Decimal("230.77"), Decimal("46.15")]
    assert result.total_amount == Decimal("276.92")


def test_an_invalid_ssn_is_rejected_and_masked_in_the_report() -> None:
    lines = with_addenda(two_batches(), 4, "DED*CS*000123456*261120*12500*666123456*N*SMITH,JOH*28049\\")

    result = read_nacha(joined(lines))

    (rejection,) = result.rejected
    assert rejection.reason == "invalid SSN (entry on line 3)"
    assert "666123456" not in rejection.raw
    assert "XXXXX3456" in rejection.raw
    assert len(result.records) == 2


@pytest.mark.parametrize(
    ("ded", "reason"),
    [
        ("DED*CS*000123456*261120*12500*123456789*N", "DED segment has no terminator '\\'"),
        ("DED*CS*000123456*261120*12500*123456789\\", "DED segment has 5 elements; DED01 to DED06 are mandatory"),
        ("DED*XX*000123456*261120*12500*123456789*N\\", "DED01 application identifier 'XX' is not 'CS'"),
        ("DED*CS**261120*12500*123456789*N\\", "DED02 case identifier is missing"),
        ("DED*CS*000123456*261340*12500*123456789*N\\", "DED03 pay date '261340' is not a date in YYMMDD form"),
        (
            "DED*CS*000123456*261120*125.00*123456789*N\\",
            "DED04 payment amount '125.00' is not 1 to 10 digits of cents",
        ),
        ("DED*CS*000123456*261120*12500**N\\", "DED05 SSN is missing"),
        ("DED*CS*000123456*261120*12500*123456789*X\\", "DED06 medical support indicator 'X' is not Y, N or W"),
        ("DED*CS*000123456*261120*12500*123456789*N**2804\\", "DED08 FIPS code '2804' is not 5 to 7 letters or digits"),
        ("DED*CS*000123456*261120*12500*123456789*N***N\\", "DED09 employment termination indicator 'N' is not Y"),
        ("PMT*CS*000123456*261120*12500*123456789*N\\", "addenda does not hold a DED segment"),
    ],
)
def test_bad_ded_syntax_rejects_the_payment_with_the_element_at_fault(ded: str, reason: str) -> None:
    lines = with_addenda(two_batches(), 4, ded)

    result = read_nacha(joined(lines))

    assert list(reasons(result)) == [4]
    assert reasons(result)[4].startswith(reason)
    assert len(result.records) == 2


def test_a_record_of_the_wrong_length_is_rejected() -> None:
    lines = two_batches()
    lines[3] = lines[3][:93]

    result = read_nacha(joined(lines))

    assert reasons(result) == {4: "addenda record is 93 characters, not 94 (entry on line 3)"}
    assert len(result.records) == 2


def test_an_unknown_record_type_is_rejected_and_the_payments_around_it_kept() -> None:
    lines = two_batches()
    lines.insert(4, "X" + "0" * 93)

    result = read_nacha(joined(lines))

    assert reasons(result)[5] == "unknown record type 'X'"
    assert len(result.records) == 3


def test_a_zero_amount_without_a_termination_is_rejected() -> None:
    lines = with_addenda(two_batches(), 4, "DED*CS*000123456*261120*0*123456789*N\\")
    lines[2] = lines[2][:29] + "0000000000" + lines[2][39:]
    batch_control = lines[6]
    lines[6] = batch_control[:32] + "000000023077" + batch_control[44:]
    file_control = lines[11]
    lines[11] = file_control[:43] + "000000027692" + file_control[55:]

    result = read_nacha(joined(lines))

    assert reasons(result) == {3: "zero amount without the employment termination indicator (DED09 'Y')"}


def test_a_prenotification_is_not_a_payment() -> None:
    lines = two_batches()
    lines[2] = "623" + lines[2][3:]

    result = read_nacha(joined(lines))

    assert reasons(result)[3] == "prenotification entry (transaction code 23) carries no payment"


def test_a_debit_entry_is_rejected() -> None:
    lines = two_batches()
    lines[2] = "627" + lines[2][3:]

    result = read_nacha(joined(lines))

    # The batch also fails: its control counted the 125.00 as a credit, the file now says debit.
    assert reasons(result)[3].startswith("transaction code '27' is not a checking or savings credit")
    assert "total debit amount mismatch" in reasons(result)[7]


def test_a_trace_number_from_another_originating_dfi_is_rejected() -> None:
    lines = two_batches()
    lines[2] = lines[2][:79] + "011000010000001"

    result = read_nacha(joined(lines))

    assert reasons(result) == {
        3: "trace number 011000010000001 does not begin with the batch's originating DFI 02100002"
    }


def test_a_blank_effective_entry_date_is_read_as_none() -> None:
    lines = two_batches()
    lines[1] = lines[1][:69] + "      " + lines[1][75:]

    result = read_nacha(joined(lines))

    assert result.rejected == ()
    assert [record.effective_entry_date for record in result.records] == [None, None, date(2026, 11, 24)]


def test_a_later_duplicate_trace_number_is_rejected() -> None:
    lines = two_batches()
    lines[8] = lines[8][:79] + "021000020000001"
    lines[9] = lines[9][:87] + "0000001"

    result = read_nacha(joined(lines))

    assert reasons(result) == {9: "duplicate trace number 021000020000001 (first on line 3)"}
    assert [record.line_number for record in result.records] == [3, 5]


# --- rejections: batches and the file ----------------------------------------------------------


def test_a_batch_control_entry_hash_mismatch_rejects_the_whole_batch_and_keeps_the_others() -> None:
    lines = two_batches()
    lines[6] = lines[6][:10] + "0013000019" + lines[6][20:]

    result = read_nacha(joined(lines))

    assert reasons(result)[7] == (
        "batch rejected: batch control entry hash mismatch: '0013000019' in the file, '0013000018' computed"
    )
    assert reasons(result)[3] == "entry in batch 0000001, which was rejected (line 7)"
    assert reasons(result)[5] == "entry in batch 0000001, which was rejected (line 7)"
    assert [record.employer_name for record in result.records] == ["BETA FOODS LLC"]
    assert result.total_amount == Decimal("46.15")


def test_a_batch_control_count_or_total_mismatch_rejects_the_batch() -> None:
    lines = two_batches()
    lines[6] = lines[6][:4] + "000003" + lines[6][10:32] + "000000035576" + lines[6][44:]

    result = read_nacha(joined(lines))

    assert "entry/addenda count mismatch" in reasons(result)[7]
    assert "total credit amount mismatch" in reasons(result)[7]
    assert len(result.records) == 1


def test_a_batch_without_its_control_record_is_rejected() -> None:
    lines = two_batches()
    del lines[6]

    result = read_nacha(joined(lines))

    assert reasons(result)[2] == "batch rejected: batch has no batch control record (type 8)"
    assert [record.employer_name for record in result.records] == ["BETA FOODS LLC"]


def test_a_batch_that_is_not_ccd_is_rejected() -> None:
    lines = two_batches()
    lines[1] = lines[1][:50] + "PPD" + lines[1][53:]

    result = read_nacha(joined(lines))

    assert reasons(result)[2].startswith("batch rejected: invalid batch header: standard entry class 'PPD' is not CCD")
    assert len(result.records) == 1


def test_a_file_control_mismatch_is_reported_but_rejects_no_reconciled_batch() -> None:
    lines = two_batches()
    lines[11] = lines[11][:43] + "000000040193" + lines[11][55:]

    result = read_nacha(joined(lines))

    assert list(reasons(result)) == [12]
    assert "file control total credit amount '000000040193' does not match '000000040192'" in reasons(result)[12]
    assert len(result.records) == 3


def test_a_file_without_a_file_header_accepts_no_payment() -> None:
    lines = two_batches()[1:]

    result = read_nacha(joined(lines))

    assert result.records == ()
    assert reasons(result)[1] == "no file header record (type 1) on the first line"
    assert result.total_amount == Decimal("0.00")


def test_without_a_file_header_each_payment_is_reported_on_its_entry_line() -> None:
    lines = two_batches()
    lines[0] = lines[0][:13] + " " * 10 + lines[0][23:]

    result = read_nacha(joined(lines))

    assert reasons(result)[1].startswith("invalid file header (immediate origin is blank")
    assert {rejection.line_number for rejection in result.rejected} == {1, 3, 5, 9}
    assert all(rejection.raw.startswith("622") for rejection in result.rejected if rejection.line_number != 1)


def test_a_byte_order_mark_before_the_file_header_is_ignored() -> None:
    result = read_nacha("\ufeff" + SAMPLE_ACH)

    assert result.rejected == ()


def test_a_file_without_a_file_control_is_reported() -> None:
    lines = two_batches()[:11]

    result = read_nacha(joined(lines))

    assert reasons(result) == {0: "no file control record (type 9) at the end of the file"}
    assert len(result.records) == 3


def test_a_file_over_the_line_limit_is_refused_not_truncated() -> None:
    with pytest.raises(InvalidInput) as error:
        read_nacha(SAMPLE_ACH, max_lines=19)

    assert error.value.field == "text"


def test_a_file_without_line_breaks_is_read_in_94_character_records() -> None:
    result = read_nacha(SAMPLE_ACH.replace("\n", ""))

    assert result.rejected == ()
    assert result.total_amount == Decimal("401.92")


def test_an_empty_file_is_rejected_without_raising() -> None:
    result = read_nacha("")

    assert result.records == ()
    assert {rejection.line_number for rejection in result.rejected} == {0, 1}


# --- the DED segment and masking ----------------------------------------------------------------


def test_a_ded_name_with_a_comma_splits_at_the_comma() -> None:
    segment = parse_ded("DED*CS*1*261120*1*123456789*Y*O'NEIL,PAT\\")

    assert (segment.obligor_last_name, segment.obligor_first_name) == ("O'NEIL", "PAT")


def test_masking_keeps_only_the_last_four_digits_of_ssn_like_numbers() -> None:
    assert mask_ssns("ssn 123-45-6789 and 987654321 but not 0219876543210") == (
        "ssn XXXXX6789 and XXXXX4321 but not 0219876543210"
    )


# --- CSV ----------------------------------------------------------------------------------------


def test_the_sample_csv_yields_its_payments() -> None:
    result = read_payments_csv(SAMPLE_CSV)

    assert result.rejected == ()
    assert [record.line_number for record in result.records] == [2, 3]
    assert result.records[0] == PaymentRecord(
        line_number=2,
        trace_number="ACME-2026-0001",
        amount=Decimal("125.00"),
        payment_date=date(2026, 11, 20),
        effective_entry_date=None,
        case_identifier="000123456",
        obligor_ssn="123456789",
        obligor_last_name="Smith",
        obligor_first_name="John",
        fips_code="28049",
        medical_support=False,
        employment_terminated=False,
        employer_name="Acme Widgets Inc",
        employer_fein="123456789",
        source="csv",
    )
    assert result.total_amount == Decimal("355.77")


CSV_HEADER = (
    "trace_number,payment_date,amount,case_identifier,obligor_ssn,obligor_last_name,obligor_first_name,"
    "employer_name,employer_fein,fips_code,medical_support,employment_terminated\n"
)
GOOD_ROW = "T1,2026-11-20,125.00,000123456,123-45-6789,Smith,John,Acme,12-3456789,28049,N,N\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("T2,2026-11-20,125,000123456,123456789,Smith,John,Acme,123456789,28049,N,N", "amount '125' is not dollars"),
        ("T2,2026-11-20,1.5e2,000123456,123456789,Smith,John,Acme,123456789,,N,N", "amount '1.5e2' is not dollars"),
        ("T2,2026-02-30,125.00,000123456,123456789,Smith,John,Acme,123456789,,N,N", "payment_date '2026-02-30'"),
        ("T2,2026-11-20,125.00,000123456,666-12-3456,Smith,John,Acme,123456789,,N,N", "invalid SSN"),
        ("T2,2026-11-20,125.00,,123456789,Smith,John,Acme,123456789,,N,N", "case_identifier must be 1 to 20"),
        ("T2,2026-11-20,125.00,000123456,123456789,Smith,John,Acme,071234567,,N,N", "employer_fein"),
        ("T2,2026-11-20,125.00,000123456,123456789,Smith,John,Acme,123456789,,Q,N", "medical_support 'Q'"),
        ("T2,2026-11-20,0.00,000123456,123456789,Smith,John,Acme,123456789,,N,N", "zero amount without"),
        ("T2,2026-11-20,125.00,000123456", "row has 4 fields, the header has 12"),
        ("T1,2026-11-20,125.00,000123456,123456789,Smith,John,Acme,123456789,,N,N", "duplicate trace number T1"),
        ('T2,"2026-11-20"x,125.00,000123456,123-45-6789,Smith,John,Acme,123456789,,N,N', "malformed CSV"),
    ],
)
def test_a_bad_csv_row_is_rejected_with_its_reason_and_the_good_row_kept(row: str, reason: str) -> None:
    result = read_payments_csv(CSV_HEADER + GOOD_ROW + row + "\n")

    assert [record.trace_number for record in result.records] == ["T1"]
    (rejection,) = result.rejected
    assert rejection.line_number == 3
    assert reason in rejection.reason
    assert "123456789" not in rejection.raw
    assert "666-12-3456" not in rejection.raw


def test_a_malformed_csv_row_is_reported_with_its_text_masked() -> None:
    bad_row = 'T2,"2026-11-20"x,125.00,1,123-45-6789,S,J,Acme,123456789,,N,N\n'
    result = read_payments_csv(CSV_HEADER + bad_row + GOOD_ROW)

    (rejection,) = result.rejected
    assert rejection.raw == 'T2,"2026-11-20"x,125.00,1,XXXXX6789,S,J,Acme,XXXXX6789,,N,N'
    assert [record.trace_number for record in result.records] == ["T1"]


def test_a_csv_with_a_missing_column_rejects_every_row() -> None:
    result = read_payments_csv(CSV_HEADER.replace(",fips_code", "") + GOOD_ROW)

    assert result.records == ()
    assert reasons(result) == {
        1: "invalid header row: missing column(s) fips_code",
        2: "row not read: the header row is invalid (line 1)",
    }


def test_a_quoted_line_break_rejects_both_its_lines_and_the_next_row_is_read() -> None:
    # Each physical line is one row: a field holding a line break cannot be told from a stray quote.
    text = CSV_HEADER + GOOD_ROW.replace("Acme", '"Acme\nWidgets"') + GOOD_ROW.replace("T1", "T2")

    result = read_payments_csv(text)

    assert [record.line_number for record in result.records] == [4]
    assert "a quote opens a field that this line does not close" in reasons(result)[2]
    assert reasons(result)[3] == "row has 5 fields, the header has 12"


def test_a_csv_over_the_row_limit_is_refused_not_truncated() -> None:
    with pytest.raises(InvalidInput):
        read_payments_csv(CSV_HEADER + GOOD_ROW + GOOD_ROW.replace("T1", "T2"), max_rows=1)


def test_csv_payments_can_be_written_to_nacha_and_read_back() -> None:
    records = read_payments_csv(SAMPLE_CSV).records
    ach_ready = [
        dataclasses.replace(record, trace_number="", effective_entry_date=date(2026, 11, 24)) for record in records
    ]

    result = read_nacha(write(ach_ready))

    assert [record.case_identifier for record in result.records] == [record.case_identifier for record in records]
    assert result.total_amount == Decimal("355.77")


# --- properties ---------------------------------------------------------------------------------

VALID_SSNS = st.builds(
    lambda area, group, serial: f"{area:03d}{group:02d}{serial:04d}",
    st.integers(1, 899).filter(lambda area: area != 666),
    st.integers(1, 99),
    st.integers(1, 9999),
).filter(lambda ssn: ssn not in ("078051120", "457555462", "219099999"))
UPPER = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=7)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def payments(draw: st.DrawFn) -> PaymentRecord:
    terminated = draw(st.booleans())
    cents = draw(st.integers(min_value=0 if terminated else 1, max_value=9_999_999_999))
    last = draw(UPPER)
    first = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=3)) if last else ""
    employer = draw(st.sampled_from([("ACME WIDGETS INC", "123456789"), ("BETA FOODS LLC", "987654321")]))
    return payment(
        amount=Decimal(cents).scaleb(-2),
        payment_date=draw(DATES),
        effective_entry_date=draw(st.sampled_from([date(2026, 11, 24), date(2026, 11, 25)])),
        case_identifier=draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=20)),
        obligor_ssn=draw(VALID_SSNS),
        obligor_last_name=last,
        obligor_first_name=first,
        fips_code=draw(st.sampled_from(["", "28049", "2804900", "06037"])),
        medical_support=draw(st.booleans()),
        employment_terminated=terminated,
        employer_name=employer[0],
        employer_fein=employer[1],
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(payments(), max_size=25))
def test_reading_a_written_file_returns_the_same_payments_and_their_sum(records: list[PaymentRecord]) -> None:
    result = read_nacha(write(records))

    assert result.rejected == ()
    expected = sorted(
        without_line_numbers(records), key=lambda record: (record.employer_name, record.effective_entry_date)
    )
    found = without_line_numbers([dataclasses.replace(record, trace_number="") for record in result.records])
    assert sorted(found, key=lambda record: (record.employer_name, record.effective_entry_date)) == expected
    assert result.total_amount == sum((record.amount for record in records), Decimal("0.00"))


def batch_of_each_line(lines: list[str]) -> list[int | None]:
    """For each line, the number of the batch (0, 1, ...) it belongs to, or None outside batches."""
    owners: list[int | None] = []
    batch = -1
    inside = False
    for line in lines:
        if line.startswith("5"):
            batch, inside = batch + 1, True
        owners.append(batch if inside else None)
        if line.startswith("8"):
            inside = False
    return owners


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(payments(), min_size=1, max_size=8),
    line_pick=st.integers(min_value=1),
    position=st.integers(min_value=0, max_value=93),
    replacement=st.sampled_from(["", "X", "0", "9", "*", "\\", "5", "8", " ", "AB", "\t", "é"]),
)
def test_corrupting_one_line_rejects_at_most_its_entry_or_batch_and_never_raises(
    records: list[PaymentRecord], line_pick: int, position: int, replacement: str
) -> None:
    original_text = write(records)
    lines = lines_of(original_text)
    original = read_nacha(original_text)
    index = 1 + line_pick % (len(lines) - 1)  # not the file header; see the next test
    lines[index] = lines[index][:position] + replacement + lines[index][position + 1 :]

    result = read_nacha(joined(lines))

    owners = batch_of_each_line(lines_of(original_text))
    affected_batch = owners[index]
    for record in original.records:
        record_batch = owners[record.line_number - 1]
        if affected_batch is None or record_batch != affected_batch:
            assert record in result.records
    assert len(result.records) <= len(original.records)
    assert result.total_amount == sum((record.amount for record in result.records), Decimal("0.00"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(payments(), min_size=1, max_size=8),
    line_pick=st.integers(min_value=1),
    record_type=st.sampled_from(list("1567890X ")),
)
def test_changing_one_records_type_rejects_at_most_its_entry_or_batch(
    records: list[PaymentRecord], line_pick: int, record_type: str
) -> None:
    original_text = write(records)
    lines = lines_of(original_text)
    original = read_nacha(original_text)
    index = 1 + line_pick % (len(lines) - 1)
    lines[index] = record_type + lines[index][1:]

    result = read_nacha(joined(lines))

    owners = batch_of_each_line(lines_of(original_text))
    kept = [r for r in original.records if owners[index] is None or owners[r.line_number - 1] != owners[index]]
    assert all(record in result.records for record in kept)


def test_a_form_feed_inside_a_record_does_not_split_it() -> None:
    lines = two_batches()
    lines[3] = lines[3][:50] + "\f" + lines[3][51:]

    result = read_nacha(joined(lines))

    assert reasons(result) == {4: "addenda record holds characters outside printable ASCII (entry on line 3)"}


@settings(max_examples=100)
@given(position=st.integers(min_value=0, max_value=93), replacement=st.sampled_from(["", "X", "0", " ", "é"]))
def test_corrupting_the_file_header_keeps_all_payments_or_none(position: int, replacement: str) -> None:
    lines = lines_of(SAMPLE_ACH)
    lines[0] = lines[0][:position] + replacement + lines[0][position + 1 :]

    result = read_nacha(joined(lines))

    assert len(result.records) in (0, 4)
    assert len(result.records) + len({r.line_number for r in result.rejected} & {3, 5, 9, 11}) == 4


def csv_text(records: list[PaymentRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER.strip().split(","))
    for number, record in enumerate(records):
        writer.writerow(
            [
                f"T{number}",
                record.payment_date.isoformat(),
                f"{record.amount:.2f}",
                record.case_identifier,
                record.obligor_ssn,
                record.obligor_last_name,
                record.obligor_first_name,
                record.employer_name,
                record.employer_fein,
                record.fips_code,
                "Y" if record.medical_support else "N",
                "Y" if record.employment_terminated else "N",
            ]
        )
    return buffer.getvalue()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(payments(), min_size=1, max_size=8),
    row_pick=st.integers(min_value=0),
    position=st.integers(min_value=0, max_value=200),
    replacement=st.sampled_from(["", "X", "0", ",", "*", "\\", " ", "é", "-", '"']),
)
def test_corrupting_one_csv_row_rejects_at_most_that_row_and_never_raises(
    records: list[PaymentRecord], row_pick: int, position: int, replacement: str
) -> None:
    original = read_payments_csv(csv_text(records))
    lines = csv_text(records).split("\r\n")
    index = 1 + row_pick % len(records)
    lines[index] = lines[index][:position] + replacement + lines[index][position + 1 :]

    result = read_payments_csv("\r\n".join(lines))

    assert original.rejected == ()
    assert [record.trace_number for record in original.records] == [f"T{n}" for n in range(len(records))]
    untouched = [record for record in original.records if record.line_number != index + 1]
    assert all(record in result.records for record in untouched)
    assert result.total_amount == sum((record.amount for record in result.records), Decimal("0.00"))


def test_a_nacha_file_with_crlf_line_ends_is_read() -> None:
    result = read_nacha(SAMPLE_ACH.replace("\n", "\r\n"))

    assert result.rejected == ()
    assert len(result.records) == 4


@settings(max_examples=300)
@given(st.text(max_size=400) | st.lists(st.sampled_from(lines_of(SAMPLE_ACH)), max_size=25).map(joined))
def test_arbitrary_text_never_makes_a_reader_raise(text: str) -> None:
    nacha = read_nacha(text)
    from_csv = read_payments_csv(text)

    for result in (nacha, from_csv):
        assert result.total_amount == sum((record.amount for record in result.records), Decimal("0.00"))
