"""Every line of a payments CSV is accounted for: a stray quote rejects its own line with its number and
never swallows the rows after it (issue #16, finding 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opencse.interfaces.payments_csv import read_payments_csv

HEADER = (
    "trace_number,payment_date,amount,case_identifier,obligor_ssn,obligor_last_name,obligor_first_name,"
    "employer_name,employer_fein,fips_code,medical_support,employment_terminated"
)


def stray_quote_file(case_identifier: str = "000123456") -> str:
    """Seven payments; the third has a stray quote before its amount, and the sixth a properly quoted
    employer name. Read as one CSV stream, the stray quote opens a field that runs on to the sixth row's
    quote: rows 4 to 6 (3 payments, 48.00) vanished with no trace."""
    row = "{trace},2026-02-06,{amount},{case},123-45-6789,Boone,Curtis,{employer},12-3456789,28049,N,N"
    rows = [
        row.format(trace="T1", amount="10.00", case=case_identifier, employer="Acme"),
        row.format(trace="T2", amount="12.00", case=case_identifier, employer="Acme"),
        row.format(trace="T3", amount='"15.00', case=case_identifier, employer="Acme"),
        row.format(trace="T4", amount="16.00", case=case_identifier, employer="Acme"),
        row.format(trace="T5", amount="16.00", case=case_identifier, employer="Acme"),
        row.format(trace="T6", amount="16.00", case=case_identifier, employer='"Acme, Inc"'),
        row.format(trace="T7", amount="20.00", case=case_identifier, employer="Acme"),
    ]
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def test_a_stray_quote_rejects_its_own_line_and_every_other_row_is_read() -> None:
    result = read_payments_csv(stray_quote_file())

    assert [record.trace_number for record in result.records] == ["T1", "T2", "T4", "T5", "T6", "T7"]
    assert [record.line_number for record in result.records] == [2, 3, 5, 6, 7, 8]
    (rejection,) = result.rejected
    assert rejection.line_number == 4
    assert "a quote opens a field that this line does not close" in rejection.reason
    assert rejection.raw.startswith('T3,2026-02-06,"15.00,')
    assert len(result.records) + len(result.rejected) == 7
    assert result.total_amount == Decimal("90.00")
    assert result.records[4].employer_name == "Acme, Inc"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('T9,2026-02-06,"5.00,1,,B,C,Acme,12-3456789,,N,N', "a quote opens a field that this line does not close"),
        ('T9,2026-02-06,"5.00"x,1,,B,C,Acme,12-3456789,,N,N', "text follows the closing quote of a field"),
        ('"T9,2026-02-06,5.00,1,,B,C,Acme,12-3456789,,N,N', "a quote opens a field that this line does not close"),
    ],
)
def test_each_malformed_line_is_rejected_with_its_number_and_the_next_line_is_read(line: str, reason: str) -> None:
    good = "T1,2026-02-06,10.00,1,,Boone,Curtis,Acme,12-3456789,,N,N"
    later = good.replace("T1", "T2")

    result = read_payments_csv("\n".join([HEADER, good, line, later, line, later.replace("T2", "T3")]))

    assert [record.line_number for record in result.records] == [2, 4, 6]
    assert [(rejection.line_number, reason in rejection.reason) for rejection in result.rejected] == [
        (3, True),
        (5, True),
    ]


def test_blank_lines_carry_nothing_and_every_other_line_ends_accepted_or_rejected() -> None:
    good = "T1,2026-02-06,10.00,1,,Boone,Curtis,Acme,12-3456789,,N,N"

    result = read_payments_csv("\n".join([HEADER, good, "", ",,,,,,,,,,,", '"', good.replace("T1", "T2"), ""]))

    assert [record.line_number for record in result.records] == [2, 6]
    assert [rejection.line_number for rejection in result.rejected] == [5]
