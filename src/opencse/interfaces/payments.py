"""Payment files from employers: NACHA CCD+ with the child support DED addenda, and a CSV layout.

The readers turn a whole file into validated `PaymentRecord`s plus a `RejectedLine` for every line
that could not be accepted, with a specific reason. Nothing is dropped without a trace (style 3.9),
and a reader never raises on bad content: only a file over its line limit raises `InvalidInput`
(style 3.10, "passing a limit is an error, not a truncation").

This module holds the records, amounts, dates and SSN masking the formats share; it imports none of
them. The DED segment is in `opencse.interfaces.ded`, the NACHA layouts in `opencse.interfaces.nacha_layout`,
the NACHA reader and credit-file writer in `opencse.interfaces.nacha`, the CSV reader in
`opencse.interfaces.payments_csv`: a caller imports the reader it uses from its own module.
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
    "PaymentFile",
    "PaymentRecord",
    "RejectedLine",
    "mask_ssns",
]

# DED04 and the NACHA entry amount are both at most 10 digits of cents: $99,999,999.99, the cap of every
# amount (`opencse.rules.money.AMOUNT_MAXIMUM`, also for postings by hand and over the API).
AMOUNT_CENTS_MAX = int(AMOUNT_MAXIMUM * 100)
assert AMOUNT_CENTS_MAX == 9_999_999_999  # ten digits
CASE_IDENTIFIER_LENGTH_MAX = 20
MEDICAL_SUPPORT_CODES = ("Y", "N", "W")
_FIPS = re.compile(r"[0-9A-Z]{5,7}")
_DIGITS_9 = re.compile(r"[0-9]{9}")
_YYMMDD = re.compile(r"[0-9]{6}")
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
