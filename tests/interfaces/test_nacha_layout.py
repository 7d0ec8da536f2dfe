"""One record layout drives reading and writing (NACHA Operating Rules, Appendix Three)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from opencse.interfaces.nacha import read_nacha
from opencse.interfaces.nacha_layout import (
    ADDENDA,
    BATCH_CONTROL,
    BATCH_HEADER,
    ENTRY_DETAIL,
    FILE_CONTROL,
    FILE_HEADER,
    RECORD_LENGTH,
)
from opencse.interfaces.nacha_ppd import Credit, Originator, write_ppd_credits

ORIGINATOR = Originator(bank_routing="011000015", bank_name="DISBURSEMENT BANK", company_name="MS SDU",
                        company_id="1640000000")  # fmt: skip
CREDIT = Credit(routing_number="061000104", account_number="7712345678", account_type="savings",
                amount=Decimal("412.34"), individual_id="MS260000001", individual_name="Jane Doe",
                trace_number="011000010000007")  # fmt: skip


@pytest.mark.parametrize("layout", [FILE_HEADER, BATCH_HEADER, ENTRY_DETAIL, ADDENDA, BATCH_CONTROL, FILE_CONTROL])
def test_every_layout_covers_the_94_positions_once(layout: object) -> None:
    fields = list(layout.fields.values())  # type: ignore[attr-defined]
    covered = [position for field in fields for position in range(field.first, field.last + 1)]

    assert covered == list(range(1, RECORD_LENGTH + 1))


def test_the_positions_are_those_nacha_publishes() -> None:
    # Appendix Three: entry amount 30-39, trace number 80-94; addenda payment related information 4-83;
    # batch header effective entry date 70-75; file control total credits 44-55.
    assert (ENTRY_DETAIL.fields["amount"].first, ENTRY_DETAIL.fields["amount"].last) == (30, 39)
    assert (ENTRY_DETAIL.fields["trace_number"].first, ENTRY_DETAIL.fields["trace_number"].last) == (80, 94)
    info = ADDENDA.fields["payment_related_information"]
    assert (info.first, info.last) == (4, 83)
    assert (BATCH_HEADER.fields["effective_entry_date"].first, BATCH_HEADER.fields["effective_entry_date"].last) == (
        70,
        75,
    )
    assert (FILE_CONTROL.fields["total_credits"].first, FILE_CONTROL.fields["total_credits"].last) == (44, 55)


def test_a_written_file_cuts_back_into_the_values_written() -> None:
    text = write_ppd_credits([CREDIT], originator=ORIGINATOR, effective_on=date(2026, 2, 18),
                             created_at=datetime(2026, 2, 17, 9, 30, tzinfo=UTC))  # fmt: skip
    header, batch, entry, control, file_control = text.splitlines()[:5]

    assert FILE_HEADER.cut(header, "immediate_destination") == " 011000015"
    assert FILE_HEADER.cut(header, "creation_date") + FILE_HEADER.cut(header, "creation_time") == "2602170930"
    assert BATCH_HEADER.cut(batch, "standard_entry_class") == "PPD"
    assert BATCH_HEADER.cut(batch, "effective_entry_date") == "260218"
    assert ENTRY_DETAIL.cut(entry, "transaction_code") == "32"  # savings credit
    assert ENTRY_DETAIL.cut(entry, "receiving_dfi") + ENTRY_DETAIL.cut(entry, "check_digit") == "061000104"
    assert ENTRY_DETAIL.cut(entry, "amount") == "0000041234"
    assert ENTRY_DETAIL.cut(entry, "trace_number") == "011000010000007"
    assert BATCH_CONTROL.cut(control, "entry_hash") == "0006100010"
    assert FILE_CONTROL.cut(file_control, "total_credits") == "000000041234"


def test_the_reader_reads_a_credit_file_the_writer_wrote_field_for_field() -> None:
    text = write_ppd_credits([CREDIT], originator=ORIGINATOR, effective_on=date(2026, 2, 18),
                             created_at=datetime(2026, 2, 17, 9, 30, tzinfo=UTC))  # fmt: skip

    read = read_nacha(text)

    # The file's controls reconcile (the reader's positions are the writer's); a PPD batch is not CCD+
    # child support, so the reader refuses it by its SEC code, read from the same position it was written to.
    assert read.file_id == "011000015-2602170930-A"
    assert any("standard entry class 'PPD' is not CCD" in rejection.reason for rejection in read.rejected)
    assert not any("control" in rejection.reason for rejection in read.rejected)


def test_a_field_of_the_wrong_width_is_never_written() -> None:
    with pytest.raises(AssertionError):
        ENTRY_DETAIL.record(transaction_code="2", receiving_dfi="06100010", check_digit="4")
