"""Payment files from employers: NACHA CCD+ with the child support DED addenda, and a CSV layout.

The readers turn a whole file into validated `PaymentRecord`s plus a `RejectedLine` for every line
that could not be accepted, with a specific reason. Nothing is dropped without a trace (style 3.9),
and a reader never raises on bad content: only a file over its line limit raises `InvalidInput`
(style 3.10, "passing a limit is an error, not a truncation").

This module holds the records, the DED segment (shared by the NACHA reader and writer) and SSN
masking. The NACHA reader and writer live in `opencse.interfaces.nacha`, the CSV reader in
`opencse.interfaces.payments_csv`; `read_nacha`, `write_nacha_ccd` and `read_payments_csv` are
re-exported here so that callers import one module.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.us import ssn as stdnum_ssn

from opencse.rules.money import AMOUNT_MAXIMUM, CENT, ZERO, is_whole_cents

__all__ = [
    "AMOUNT_CENTS_MAX",
    "SSN_MASK",
    "DedSegment",
    "DedSyntaxError",
    "PaymentFile",
    "PaymentRecord",
    "RejectedLine",
    "format_ded",
    "mask_ssns",
    "parse_ded",
    "read_nacha",
    "read_payments_csv",
    "split_ded_name",
    "write_nacha_ccd",
]

# DED04 and the NACHA entry amount are both at most 10 digits of cents: $99,999,999.99, the cap of every
# amount (`opencse.rules.money.AMOUNT_MAXIMUM`, also for postings by hand and over the API).
AMOUNT_CENTS_MAX = int(AMOUNT_MAXIMUM * 100)
assert AMOUNT_CENTS_MAX == 9_999_999_999  # ten digits
CASE_IDENTIFIER_LENGTH_MAX = 20
DED_NAME_LAST_LENGTH = 7
DED_NAME_FIRST_LENGTH = 3
PAYMENT_RELATED_INFORMATION_LENGTH = 80
MEDICAL_SUPPORT_CODES = ("Y", "N", "W")
_FIPS = re.compile(r"[0-9A-Z]{5,7}")
_DIGITS_9 = re.compile(r"[0-9]{9}")
_YYMMDD = re.compile(r"[0-9]{6}")
_CENTS = re.compile(r"[0-9]{1,10}")
# Any run of exactly nine digits, or 3-2-4 with dashes or spaces, not touching other digits.
# Not asterisks: "*" is the DED element separator, and a masked segment should still read as one.
SSN_MASK = "XXXXX"
_SSN_LIKE = re.compile(r"(?<![0-9])[0-9]{3}[- ]?[0-9]{2}[- ]?([0-9]{4})(?![0-9])")


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """One child support payment from an employer, as the file reported it."""

    line_number: int  # the entry detail line (or CSV row) it came from
    trace_number: str  # 15 digits for ACH; the CSV's own unique reference otherwise
    amount: Decimal  # the DED payment amount, two places
    payment_date: date  # the income withholding (pay) date, DED03
    effective_entry_date: date | None  # NACHA batch header; None for CSV
    case_identifier: str
    obligor_ssn: str  # 9 digits, or "" (CSV only); never logged
    obligor_last_name: str
    obligor_first_name: str
    fips_code: str
    medical_support: bool  # DED06 "Y"; "N" and "W" (not applicable) are False
    employment_terminated: bool
    employer_name: str  # batch header company name
    employer_fein: str  # batch header company identification, the "1" prefix removed
    source: str  # "nacha" or "csv"


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """A line that was not accepted, and why. `raw` has every SSN-like number masked to its last four."""

    line_number: int
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class PaymentFile:
    records: tuple[PaymentRecord, ...]
    rejected: tuple[RejectedLine, ...]
    file_id: str  # NACHA: immediate origin, creation date and time, file ID modifier; CSV: content hash
    total_amount: Decimal  # of the accepted records

    def __post_init__(self) -> None:
        assert self.total_amount == sum((record.amount for record in self.records), ZERO), self.total_amount


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


def cents_to_amount(cents: int) -> Decimal:
    """Integer cents to a two-place Decimal (never through float)."""
    assert 0 <= cents <= AMOUNT_CENTS_MAX, cents
    amount = Decimal(cents).scaleb(-2)
    assert amount.as_tuple().exponent == -2, amount
    return amount


def amount_to_cents(amount: Decimal) -> int:
    assert is_whole_cents(amount), amount
    cents = int(amount / CENT)
    assert cents_to_amount(cents) == amount, amount
    return cents


def parse_yymmdd(text: str) -> date | None:
    """A YYMMDD date, or None if it is not one. Two-digit years are 2000-2099: the convention has
    no century, and OpenCSE reads no payment dated before 2000."""
    if not _YYMMDD.fullmatch(text):
        return None
    try:
        return date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None


def is_valid_ssn(value: str) -> bool:
    return bool(_DIGITS_9.fullmatch(value)) and stdnum_ssn.is_valid(value)


def is_valid_fips(value: str) -> bool:
    return bool(_FIPS.fullmatch(value))


def mask_ssns(text: str) -> str:
    """Replace every SSN-like number (nine digits, alone or 3-2-4) with "XXXXX" and its last four.

    It masks more than SSNs (a nine-digit case number or account number loses its first five digits):
    a rejected-lines report goes to people and logs, and an SSN must never reach either.
    """
    return _SSN_LIKE.sub(lambda match: SSN_MASK + match.group(1), text)


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


# The readers and the writer live in their own modules, which import the records above; importing
# them last (and `opencse.interfaces` importing this module first) keeps the cycle harmless.
from opencse.interfaces.nacha import read_nacha, write_nacha_ccd  # noqa: E402
from opencse.interfaces.payments_csv import read_payments_csv  # noqa: E402
