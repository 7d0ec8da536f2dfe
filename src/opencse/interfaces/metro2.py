"""The Metro 2 format (Consumer Data Industry Association): the monthly file a data furnisher sends the consumer
reporting agencies. OpenCSE writes it for credit bureau reporting of overdue support (42 U.S.C. 666(a)(7);
15 U.S.C. 1681s-1): a Header Record, one Base Segment per account, a Trailer Record.

Layout (docs/interfaces/metro2.md). The character (unpacked) format of fixed-length records, `RECORD_LENGTH`
(426) characters each, one record per line; no block descriptor word (that variant is for blocked or variable
files; we write neither). Positions below are 1-based and inclusive, confirmed in two public references that
agree field for field:

- cfpb/Metro2 `django/parse_m2/fields.py` (the CFPB's evaluator: "The start and end positions for each field
  match those in the CRRG"), 1-based: `header_fields`, `base_fields`, and `seg_length` (header, base and
  trailer 426);
- moov-io/metro2 `pkg/lib/specifications.go` (0-based start and length): `headerRecordCharacterFormat`,
  `baseSegmentCharacterFormat`, `trailerRecordCharacterFormat` (the trailer's positions are from this one only;
  cfpb/Metro2 does not parse the trailer). The field rules (whole dollars, MMDDYYYY dates, zero-filled dates
  when not applicable, the code lists) are from the field comments of moov-io/metro2 `pkg/lib/base_segment.go`
  and `trailer_record.go`.

Alphanumeric fields are upper case, left-justified and blank-filled; numeric fields right-justified and
zero-filled; dates MMDDYYYY, zero-filled when there is none. Amounts are whole dollars: the caller rounds (this
module only refuses a negative amount or one too wide for its field). Pure: no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "BASE_FIELDS",
    "HEADER_FIELDS",
    "RECORD_LENGTH",
    "TRAILER_FIELDS",
    "AccountStatus",
    "BaseSegment",
    "Field",
    "Header",
    "base_segment",
    "generation_code",
    "header_record",
    "trailer_record",
    "write_file",
]

RECORD_LENGTH = 426
# Portfolio Type O (Open) and Account Type 50 (Family Support): account type 50 as issue #21 cites the CRRG's
# exhibits (neither public reference lists the account types: docs/interfaces/metro2.md); Terms Duration for
# Open is the constant 001 (moov-io/metro2 base_segment.go, field TermsDuration).
PORTFOLIO_OPEN = "O"
ACCOUNT_TYPE_FAMILY_SUPPORT = "50"
TERMS_DURATION_OPEN = "001"
ECOA_INDIVIDUAL = "1"  # Exhibit 10: individual account, the obligor alone is liable
_NAME_OUT = re.compile(r"[^A-Z\- ]")  # "Other than the hyphen, do not report special characters" in names
_TEXT_OUT = re.compile(r"[^A-Z0-9\-/#., ]")
_SPACES = re.compile(r" +")


class AccountStatus(StrEnum):
    """Account Status (Base Segment 124-125): the codes OpenCSE reports (Exhibit 4; docs/interfaces/metro2.md)."""

    CURRENT = "11"  # current account (0-29 days past the due date): the obligor owes no arrears
    PAID_OR_CLOSED = "13"  # paid or closed account / zero balance: the remedy released with nothing owed
    COLLECTIONS = "93"  # account assigned to internal or external collections: arrears the IV-D agency collects
    DELETE = "DA"  # delete entire account (for reasons other than fraud): reporting ends with a balance left


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    start: int  # 1-based
    end: int  # inclusive
    kind: str  # "A/N", "N" (numeric) or "D" (date MMDDYYYY; "T" time stamp MMDDYYYYHHMMSS)

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def cut(self, line: str) -> str:
        return line[self.start - 1 : self.end]


HEADER_FIELDS: tuple[Field, ...] = (
    Field("record_descriptor_word", 1, 4, "N"),
    Field("record_identifier", 5, 10, "A/N"),  # the constant HEADER
    Field("cycle_identifier", 11, 12, "A/N"),
    Field("innovis_program_identifier", 13, 22, "A/N"),
    Field("equifax_program_identifier", 23, 32, "A/N"),
    Field("experian_program_identifier", 33, 37, "A/N"),
    Field("transunion_program_identifier", 38, 47, "A/N"),
    Field("activity_date", 48, 55, "D"),
    Field("date_created", 56, 63, "D"),
    Field("program_date", 64, 71, "D"),
    Field("program_revision_date", 72, 79, "D"),
    Field("reporter_name", 80, 119, "A/N"),
    Field("reporter_address", 120, 215, "A/N"),
    Field("reporter_telephone_number", 216, 225, "N"),
    Field("software_vendor_name", 226, 265, "A/N"),
    Field("software_version_number", 266, 270, "A/N"),
    Field("prbc_program_identifier", 271, 280, "A/N"),
    Field("reserved", 281, 426, "A/N"),
)

BASE_FIELDS: tuple[Field, ...] = (
    Field("record_descriptor_word", 1, 4, "N"),
    Field("processing_indicator", 5, 5, "N"),  # the constant 1
    Field("time_stamp", 6, 19, "T"),
    Field("reserved", 20, 20, "N"),  # zero-filled (moov: CorrectionIndicator)
    Field("identification_number", 21, 40, "A/N"),
    Field("cycle_identifier", 41, 42, "A/N"),
    Field("consumer_account_number", 43, 72, "A/N"),
    Field("portfolio_type", 73, 73, "A/N"),
    Field("account_type", 74, 75, "A/N"),
    Field("date_opened", 76, 83, "D"),
    Field("credit_limit", 84, 92, "N"),
    Field("highest_credit", 93, 101, "N"),
    Field("terms_duration", 102, 104, "A/N"),
    Field("terms_frequency", 105, 105, "A/N"),
    Field("scheduled_monthly_payment_amount", 106, 114, "N"),
    Field("actual_payment_amount", 115, 123, "N"),
    Field("account_status", 124, 125, "A/N"),
    Field("payment_rating", 126, 126, "A/N"),
    Field("payment_history_profile", 127, 150, "A/N"),
    Field("special_comment", 151, 152, "A/N"),
    Field("compliance_condition_code", 153, 154, "A/N"),
    Field("current_balance", 155, 163, "N"),
    Field("amount_past_due", 164, 172, "N"),
    Field("original_charge_off_amount", 173, 181, "N"),
    Field("date_of_account_information", 182, 189, "D"),
    Field("date_of_first_delinquency", 190, 197, "D"),
    Field("date_closed", 198, 205, "D"),
    Field("date_of_last_payment", 206, 213, "D"),
    Field("interest_type_indicator", 214, 214, "A/N"),
    Field("reserved_2", 215, 231, "A/N"),
    Field("surname", 232, 256, "A/N"),
    Field("first_name", 257, 276, "A/N"),
    Field("middle_name", 277, 296, "A/N"),
    Field("generation_code", 297, 297, "A/N"),
    Field("social_security_number", 298, 306, "N"),
    Field("date_of_birth", 307, 314, "D"),
    Field("telephone_number", 315, 324, "N"),
    Field("ecoa_code", 325, 325, "A/N"),
    Field("consumer_information_indicator", 326, 327, "A/N"),
    Field("country_code", 328, 329, "A/N"),
    Field("first_line_of_address", 330, 361, "A/N"),
    Field("second_line_of_address", 362, 393, "A/N"),
    Field("city", 394, 413, "A/N"),
    Field("state", 414, 415, "A/N"),
    Field("zip_code", 416, 424, "A/N"),
    Field("address_indicator", 425, 425, "A/N"),
    Field("residence_code", 426, 426, "A/N"),
)

_TRAILER_COUNTS = ("DF", "J1", "J2", "BLOCKS", "DA", "05", "11", "13", "61", "62", "63", "64", "65", "71", "78",
                   "80", "82", "83", "84", "88", "89", "93", "94", "95", "96", "97")  # fmt: skip
TRAILER_FIELDS: tuple[Field, ...] = (
    Field("record_descriptor_word", 1, 4, "N"),
    Field("record_identifier", 5, 11, "A/N"),  # the constant TRAILER
    Field("total_base_records", 12, 20, "N"),
    Field("reserved", 21, 29, "A/N"),
    Field("total_status_code_DF", 30, 38, "N"),
    Field("total_j1_segments", 39, 47, "N"),
    Field("total_j2_segments", 48, 56, "N"),
    Field("block_count", 57, 65, "N"),
    *(Field(f"total_status_code_{code}", 66 + 9 * i, 74 + 9 * i, "N") for i, code in enumerate(_TRAILER_COUNTS[4:])),
    Field("total_ecoa_code_Z", 264, 272, "N"),
    Field("total_employment_segments", 273, 281, "N"),
    Field("total_original_creditor_segments", 282, 290, "N"),
    Field("total_purchased_to_segments", 291, 299, "N"),
    Field("total_mortgage_information_segments", 300, 308, "N"),
    Field("total_payment_information_segments", 309, 317, "N"),
    Field("total_change_segments", 318, 326, "N"),
    Field("total_ssns_all_segments", 327, 335, "N"),
    Field("total_ssns_base_segments", 336, 344, "N"),
    Field("total_ssns_j1_segments", 345, 353, "N"),
    Field("total_ssns_j2_segments", 354, 362, "N"),
    Field("total_dates_of_birth_all_segments", 363, 371, "N"),
    Field("total_dates_of_birth_base_segments", 372, 380, "N"),
    Field("total_dates_of_birth_j1_segments", 381, 389, "N"),
    Field("total_dates_of_birth_j2_segments", 390, 398, "N"),
    Field("total_telephone_numbers_all_segments", 399, 407, "N"),
    Field("reserved_2", 408, 426, "A/N"),
)


@dataclass(frozen=True, slots=True)
class Header:
    activity_on: date  # the date of the information reported (the business date of the run)
    created_on: date
    reporter_name: str
    reporter_address: str
    reporter_telephone: str  # digits are kept, anything else dropped
    equifax_program_identifier: str = ""
    experian_program_identifier: str = ""
    transunion_program_identifier: str = ""
    innovis_program_identifier: str = ""
    software_vendor_name: str = "OPENCSE"
    software_version_number: str = ""


@dataclass(frozen=True, slots=True)
class BaseSegment:
    """One account: what the furnisher reports of one consumer this month. Amounts are whole dollars."""

    updated_at: datetime  # the Time Stamp: when the account information was last updated
    identification_number: str  # the furnisher's identification number assigned by the agencies
    account_number: str  # never the SSN, in whole or in part
    opened_on: date
    highest_credit: int
    status: AccountStatus
    payment_history: str  # 24 codes, the previous month first; "B" where there is no history
    current_balance: int
    amount_past_due: int
    information_on: date  # Date of Account Information
    surname: str
    first_name: str
    payment_rating: str = ""  # required with status 13 (and 05, 65, 88, 89, 94, 95); blank otherwise
    first_delinquency_on: date | None = None
    closed_on: date | None = None
    last_payment_on: date | None = None
    actual_payment: int = 0  # received during the reporting period
    middle_name: str = ""
    generation_code: str = ""
    ssn: str = ""  # nine digits, or blank (zero-filled: "if not available")
    birth_on: date | None = None
    telephone: str = ""
    ecoa_code: str = ECOA_INDIVIDUAL
    consumer_information_indicator: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    address_indicator: str = ""
    portfolio_type: str = PORTFOLIO_OPEN
    account_type: str = ACCOUNT_TYPE_FAMILY_SUPPORT
    terms_duration: str = TERMS_DURATION_OPEN


def _alphanumeric(value: str, length: int, *, pattern: re.Pattern[str] = _TEXT_OUT) -> str:
    text = _SPACES.sub(" ", pattern.sub(" ", value.upper())).strip()
    return text[:length].ljust(length)


def _numeric(value: int, length: int) -> str:
    assert isinstance(value, int) and not isinstance(value, bool), value  # whole dollars: the caller rounds
    assert 0 <= value < 10**length, (value, length)
    return str(value).rjust(length, "0")


def _date(value: date | None) -> str:
    return value.strftime("%m%d%Y") if value is not None else "0" * 8


def _digits(value: str, length: int) -> str:
    digits = "".join(character for character in value if character.isdigit())
    return digits[-length:].rjust(length, "0") if digits else "0" * length


def _record(fields: tuple[Field, ...], values: dict[str, str]) -> str:
    line = "".join(values[field.name] for field in fields)
    assert len(line) == RECORD_LENGTH, (len(line), fields[1].name)
    return line


def _fill(fields: tuple[Field, ...], given: dict[str, str]) -> dict[str, str]:
    """Every field's text: the given ones (checked against the field's length), the rest blank or zero."""
    values = {}
    for field in fields:
        text = given.get(field.name)
        if text is None:
            text = ("0" if field.kind in ("N", "D", "T") else " ") * field.length
        assert len(text) == field.length, (field.name, text)
        values[field.name] = text
    return values


def header_record(header: Header) -> str:
    return _record(HEADER_FIELDS, _fill(HEADER_FIELDS, {
        "record_descriptor_word": _numeric(RECORD_LENGTH, 4),
        "record_identifier": "HEADER",
        "cycle_identifier": "  ",
        "innovis_program_identifier": _alphanumeric(header.innovis_program_identifier, 10),
        "equifax_program_identifier": _alphanumeric(header.equifax_program_identifier, 10),
        "experian_program_identifier": _alphanumeric(header.experian_program_identifier, 5),
        "transunion_program_identifier": _alphanumeric(header.transunion_program_identifier, 10),
        "activity_date": _date(header.activity_on),
        "date_created": _date(header.created_on),
        "reporter_name": _alphanumeric(header.reporter_name, 40),
        "reporter_address": _alphanumeric(header.reporter_address, 96),
        "reporter_telephone_number": _digits(header.reporter_telephone, 10),
        "software_vendor_name": _alphanumeric(header.software_vendor_name, 40),
        "software_version_number": _alphanumeric(header.software_version_number, 5),
        "reserved": " " * 146,
    }))  # fmt: skip


GENERATION_CODES = {"JR": "J", "SR": "S", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7",
                    "VIII": "8", "IX": "9"}  # fmt: skip


def generation_code(suffix: str) -> str:
    """The Generation Code (297) of a name suffix ("Jr." -> J, "III" -> 3), blank when it has none."""
    return GENERATION_CODES.get(re.sub(r"[^A-Z]", "", suffix.upper()), "")


def base_segment(account: BaseSegment) -> str:
    assert len(account.payment_history) == 24, account.payment_history
    assert account.status is not AccountStatus.CURRENT or account.amount_past_due == 0  # 11: "should be zero"
    assert (account.payment_rating != "") == (account.status is AccountStatus.PAID_OR_CLOSED), account.status
    assert account.ssn == "" or (len(account.ssn) == 9 and account.ssn.isdigit()), "SSN: nine digits or blank"
    account_number = re.sub(r"[^A-Z0-9]", "", account.account_number.upper())  # no blanks or special characters
    assert account_number and account_number == account.account_number.upper(), account.account_number
    has_address = bool(account.address_line_1.strip())
    return _record(BASE_FIELDS, _fill(BASE_FIELDS, {
        "record_descriptor_word": _numeric(RECORD_LENGTH, 4),
        "processing_indicator": "1",
        "time_stamp": account.updated_at.strftime("%m%d%Y%H%M%S"),
        "identification_number": _alphanumeric(account.identification_number, 20),
        "cycle_identifier": "  ",
        "consumer_account_number": account_number.ljust(30),
        "portfolio_type": account.portfolio_type,
        "account_type": account.account_type,
        "date_opened": _date(account.opened_on),
        "highest_credit": _numeric(account.highest_credit, 9),
        "terms_duration": account.terms_duration,
        "terms_frequency": " ",
        "actual_payment_amount": _numeric(account.actual_payment, 9),
        "account_status": account.status.value,
        "payment_rating": account.payment_rating.ljust(1),
        "payment_history_profile": account.payment_history,
        "special_comment": "  ",
        "compliance_condition_code": "  ",
        "current_balance": _numeric(account.current_balance, 9),
        "amount_past_due": _numeric(account.amount_past_due, 9),
        "date_of_account_information": _date(account.information_on),
        "date_of_first_delinquency": _date(account.first_delinquency_on),
        "date_closed": _date(account.closed_on),
        "date_of_last_payment": _date(account.last_payment_on),
        "interest_type_indicator": " ",
        "reserved_2": " " * 17,
        "surname": _alphanumeric(account.surname, 25, pattern=_NAME_OUT),
        "first_name": _alphanumeric(account.first_name, 20, pattern=_NAME_OUT),
        "middle_name": _alphanumeric(account.middle_name, 20, pattern=_NAME_OUT),
        "generation_code": account.generation_code.ljust(1)[:1],
        "social_security_number": account.ssn or "0" * 9,
        "date_of_birth": _date(account.birth_on),
        "telephone_number": _digits(account.telephone, 10),
        "ecoa_code": account.ecoa_code,
        "consumer_information_indicator": account.consumer_information_indicator.ljust(2),
        "country_code": "US" if has_address else "  ",
        "first_line_of_address": _alphanumeric(account.address_line_1, 32),
        "second_line_of_address": _alphanumeric(account.address_line_2, 32),
        "city": _alphanumeric(account.city, 20),
        "state": _alphanumeric(account.state, 2),
        # "Use entire field if reporting 9-digit zip codes. Otherwise, left-justify and blank fill."
        "zip_code": re.sub(r"\D", "", account.zip_code)[:9].ljust(9),
        "address_indicator": account.address_indicator.ljust(1)[:1],
        "residence_code": " ",
    }))  # fmt: skip


def trailer_record(accounts: Sequence[BaseSegment]) -> str:
    """The Trailer Record: the counts of the Base Segments by status, SSN, date of birth and telephone."""
    statuses = Counter(account.status.value for account in accounts)
    ssns = sum(1 for account in accounts if account.ssn)
    births = sum(1 for account in accounts if account.birth_on is not None)
    phones = sum(1 for account in accounts if _digits(account.telephone, 10) != "0" * 10)
    given = {
        "record_descriptor_word": _numeric(RECORD_LENGTH, 4),
        "record_identifier": "TRAILER",
        "total_base_records": _numeric(len(accounts), 9),
        "reserved": " " * 9,
        "total_ssns_all_segments": _numeric(ssns, 9),
        "total_ssns_base_segments": _numeric(ssns, 9),
        "total_dates_of_birth_all_segments": _numeric(births, 9),
        "total_dates_of_birth_base_segments": _numeric(births, 9),
        "total_telephone_numbers_all_segments": _numeric(phones, 9),
        "reserved_2": " " * 19,
    }
    for code in ("DF", *_TRAILER_COUNTS[4:]):
        given[f"total_status_code_{code}"] = _numeric(statuses.get(code, 0), 9)
    # block_count stays zero: "the number of blocks on the file, if applicable" (unblocked records).
    return _record(TRAILER_FIELDS, _fill(TRAILER_FIELDS, given))


def write_file(header: Header, accounts: Sequence[BaseSegment]) -> str:
    """The whole file: the header, one Base Segment per account, the trailer, each 426 characters and a line."""
    lines = [header_record(header), *(base_segment(account) for account in accounts), trailer_record(accounts)]
    assert all(len(line) == RECORD_LENGTH for line in lines)
    return "\n".join(lines) + "\n"
