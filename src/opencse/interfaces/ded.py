"""The child support DED segment: the payment related information of a CCD+ addenda record.

The DED segment, as defined by the Child Support Application Banking Convention (NACHA, "User Guide
for Electronic Child Support Payments Using the Child Support Application Banking Convention",
version 9.0, 2017; the same table is published by the U.S. Treasury, FMS "DED Child Support Segment
Structure", and by state SDUs, e.g. Virginia DSS "Child Support DED Record", and is the X12 DED
segment, Stedi X12 003070 "DED Deductions"):

    DED*CS*<case id>*<pay date YYMMDD>*<amount $$$$$$$$cc>*<SSN>*<medical Y/N/W>*<name>*<FIPS>*<term Y>\\

    element  name                              req  length  notes
    DED01    application identifier            M    2       "CS" (child support, employer)
    DED02    case identifier                   M    1-20
    DED03    pay date (income withholding)     M    6       YYMMDD (CCD+; CTX uses CCYYMMDD)
    DED04    payment amount                    M    1-10    cents, no decimal point
    DED05    obligor (non-custodial parent) SSN M   9
    DED06    medical support indicator         M    1       Y, N, or W (not applicable)
    DED07    obligor name                      O    1-10    first 7 letters of the last name, then
                                                            first 3 of the first name; a comma
                                                            separates them when the last name is
                                                            shorter than 7 letters
    DED08    FIPS code                         O    5-7
    DED09    employment termination indicator  O    1       "Y", or omitted; DED04 may then be zero

Elements are separated by "*" and the segment ends with "\\". Omitted trailing optional elements
are left off together with their separators. The segment sits in the 80-character payment related
information field (positions 4-83) of the CCD+ addenda record (type 7, addenda type code 05).
The NACHA reader parses it with `parse_ded` (`opencse.interfaces.nacha_layout.ADDENDA` has its positions);
the writers build it with `format_ded`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from opencse.interfaces.payments import (
    CASE_IDENTIFIER_LENGTH_MAX,
    MEDICAL_SUPPORT_CODES,
    is_valid_fips,
    is_valid_ssn,
    mask_ssns,
    parse_yymmdd,
)

__all__ = [
    "PAYMENT_RELATED_INFORMATION_LENGTH",
    "DedSegment",
    "DedSyntaxError",
    "ded_name",
    "format_ded",
    "parse_ded",
    "split_ded_name",
]

DED_NAME_LAST_LENGTH = 7
DED_NAME_FIRST_LENGTH = 3
PAYMENT_RELATED_INFORMATION_LENGTH = 80
_CENTS = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True, slots=True)
class DedSegment:
    case_identifier: str
    payment_date: date
    amount_cents: int
    obligor_ssn: str
    medical_support_code: str  # "Y", "N" or "W"
    obligor_last_name: str
    obligor_first_name: str
    fips_code: str
    employment_terminated: bool


class DedSyntaxError(ValueError):
    """The payment related information is not a valid DED segment. The message is the reason shown
    to a person; it never contains the SSN."""


def split_ded_name(name: str) -> tuple[str, str]:
    """DED07 to (last name, first name): "SMITH,JOH" or "JOHNSONJAC" (7 + 3, no comma)."""
    if "," in name:
        last, first = name.split(",", 1)
        return last.strip(), first.strip()
    if len(name) <= DED_NAME_LAST_LENGTH:
        return name.strip(), ""
    return name[:DED_NAME_LAST_LENGTH].strip(), name[DED_NAME_LAST_LENGTH:].strip()


def ded_name(last_name: str, first_name: str) -> str:
    """DED07 from the obligor's names: first seven letters of the last name, a comma if it is shorter
    than seven, then the first three letters of the first name (the convention truncates)."""
    last = last_name.strip()[:DED_NAME_LAST_LENGTH]
    first = first_name.strip()[:DED_NAME_FIRST_LENGTH]
    if not first:
        return last
    separator = "," if len(last) < DED_NAME_LAST_LENGTH else ""
    return f"{last}{separator}{first}"


def parse_ded(payment_related_information: str) -> DedSegment:
    """Parse the DED segment of a CCD+ addenda record; raise `DedSyntaxError` with the reason."""
    text = payment_related_information.rstrip(" ")
    if not text.startswith("DED*"):
        raise DedSyntaxError("addenda does not hold a DED segment (it must start with 'DED*')")
    if "\\" not in text:
        raise DedSyntaxError("DED segment has no terminator '\\'")
    segment, _, after = text.partition("\\")
    if after.strip():
        raise DedSyntaxError("text after the DED segment terminator '\\'")
    elements = segment.split("*")
    if len(elements) < 7:
        raise DedSyntaxError(f"DED segment has {len(elements) - 1} elements; DED01 to DED06 are mandatory")
    if len(elements) > 10:
        raise DedSyntaxError(f"DED segment has {len(elements) - 1} elements; at most 9 are defined")
    elements += [""] * (10 - len(elements))
    _, application, case_identifier, pay_date, amount, ssn, medical, name, fips, termination = elements
    if application != "CS":
        raise DedSyntaxError(f"DED01 application identifier {application!r} is not 'CS'")
    case_identifier = case_identifier.strip()
    if not case_identifier:
        raise DedSyntaxError("DED02 case identifier is missing")
    if len(case_identifier) > CASE_IDENTIFIER_LENGTH_MAX:
        raise DedSyntaxError(f"DED02 case identifier is longer than {CASE_IDENTIFIER_LENGTH_MAX} characters")
    payment_date = parse_yymmdd(pay_date)
    if payment_date is None:
        raise DedSyntaxError(f"DED03 pay date {pay_date!r} is not a date in YYMMDD form")
    if not _CENTS.fullmatch(amount):
        raise DedSyntaxError(f"DED04 payment amount {mask_ssns(amount)!r} is not 1 to 10 digits of cents")
    if not ssn:
        raise DedSyntaxError("DED05 SSN is missing")
    if not is_valid_ssn(ssn):
        raise DedSyntaxError("invalid SSN")
    if medical not in MEDICAL_SUPPORT_CODES:
        raise DedSyntaxError(f"DED06 medical support indicator {medical!r} is not Y, N or W")
    if fips and not is_valid_fips(fips):
        raise DedSyntaxError(f"DED08 FIPS code {fips!r} is not 5 to 7 letters or digits")
    if termination not in ("", "Y"):
        raise DedSyntaxError(f"DED09 employment termination indicator {termination!r} is not Y or omitted")
    last_name, first_name = split_ded_name(name)
    return DedSegment(
        case_identifier=case_identifier,
        payment_date=payment_date,
        amount_cents=int(amount),
        obligor_ssn=ssn,
        medical_support_code=medical,
        obligor_last_name=last_name,
        obligor_first_name=first_name,
        fips_code=fips,
        employment_terminated=termination == "Y",
    )


def format_ded(segment: DedSegment) -> str:
    """The DED segment text, trailing omitted optional elements left off, ending with the terminator."""
    elements = [
        "DED",
        "CS",
        segment.case_identifier,
        segment.payment_date.strftime("%y%m%d"),
        str(segment.amount_cents),
        segment.obligor_ssn,
        segment.medical_support_code,
        ded_name(segment.obligor_last_name, segment.obligor_first_name),
        segment.fips_code,
        "Y" if segment.employment_terminated else "",
    ]
    while elements[-1] == "":
        elements.pop()
    text = "*".join(elements) + "\\"
    assert len(text) <= PAYMENT_RELATED_INFORMATION_LENGTH, len(text)
    return text
