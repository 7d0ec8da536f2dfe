"""The outgoing CCD+ file to other IV-D agencies: one receiver per entry, DED addenda, read back by
`read_nacha` (layouts: NACHA Operating Rules, Appendix Three; CSABC user guide v9.0)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from opencse.errors import InvalidInput
from opencse.interfaces.nacha import read_nacha
from opencse.interfaces.nacha_interstate import AgencyCredit, ded_segment, write_ccd_credits
from opencse.interfaces.nacha_ppd import Originator

ORIGINATOR = Originator(bank_routing="011000015", bank_name="DISBURSEMENT BANK", company_name="MS SDU",
                        company_id="1640000000")  # fmt: skip
TEXAS = AgencyCredit(
    routing_number="061000104",
    account_number="7712345678",
    agency_name="Texas OAG Child Support",
    case_number="MS260000001",
    trace_number="011000010000007",
    amount=Decimal("412.34"),
    case_identifier="TX0012345678",
    payment_date=date(2026, 2, 13),
    obligor_ssn="512349876",
    obligor_last_name="Peña",
    obligor_first_name="José",
    fips_code="48000",
)
CREATED_AT = datetime(2026, 2, 17, 9, 30, tzinfo=UTC)


def test_two_agencies_at_two_banks_are_two_entries_of_one_file_that_reads_back() -> None:
    navajo = replace(TEXAS, routing_number="122100024", account_number="55501", agency_name="Navajo Nation CSE",
                     trace_number="011000010000008", case_identifier="NN-77", fips_code="04NN0",
                     amount=Decimal("5"))  # fmt: skip

    text = write_ccd_credits([TEXAS, navajo], originator=ORIGINATOR, effective_on=date(2026, 2, 17),
                             created_at=CREATED_AT)  # fmt: skip

    read = read_nacha(text)
    assert read.rejected == ()
    assert [(record.case_identifier, record.amount, record.fips_code) for record in read.records] == [
        ("TX0012345678", Decimal("412.34"), "48000"), ("NN-77", Decimal("5.00"), "04NN0")]  # fmt: skip
    entries = [line for line in text.splitlines() if line.startswith("6")]
    assert [entry[3:12] for entry in entries] == ["061000104", "122100024"]
    assert text.splitlines()[0][33] == "B"  # file ID modifier: the run's PPD file is "A"


def test_the_obligor_name_is_ascii_letters_in_ded07() -> None:
    segment = ded_segment(TEXAS)

    assert (segment.obligor_last_name, segment.obligor_first_name) == ("PENA", "JOSE")
    assert (segment.medical_support_code, segment.employment_terminated) == ("N", False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"obligor_ssn": ""}, "obligor_ssn"),
        ({"case_identifier": ""}, "case_identifier"),
        ({"case_identifier": "TX*1"}, "case_identifier"),
        ({"fips_code": "48"}, "fips_code"),
        ({"amount": Decimal("0.00")}, "amount"),
        ({"routing_number": "061000105"}, "routing_number"),
        ({"trace_number": "021000020000001"}, "trace_number"),
    ],
)
def test_a_payment_the_ded_cannot_carry_is_refused_by_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        write_ccd_credits([replace(TEXAS, **change)], originator=ORIGINATOR, effective_on=date(2026, 2, 17),
                          created_at=CREATED_AT)  # fmt: skip

    assert refused.value.field == field
