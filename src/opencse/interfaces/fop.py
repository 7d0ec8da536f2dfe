"""The Federal Offset Program files (42 U.S.C. 664; 45 CFR 303.72; OMB 0970-0161): the Case Submission and
Update Record the State sends OCSE, and the Collection and Adjustment Record OCSE sends back.

Layouts and evidence (docs/interfaces/fop.md; shared/domain/federal-interfaces.md section 2). Positions are
1-based and inclusive; every record is `RECORD_LENGTH` (245) bytes. Alphabetic data is upper case, A and A/N
fields are left-justified and space-filled, N fields right-justified and zero-filled, dates CCYYMMDD.

- Case Submission and Update Record (Chart E-1): positions 1-73 seen in the official chart (2010 and 2013 E-1);
  74-245 inferred from a State system's writer (Kansas KAECSES `FdsoNtfyFedRefTapeRec1999`), which adds up to
  245 as the official reject control record (F-2, "Filler 60-245") does.
- Case Submission Control Record (Chart E-2): inferred (Kansas `FdsoCertificationTotalRecord`).
- Collection and Adjustment Record (Chart F-4; "F-1" of the 2019 payment file charts): positions 1-97 seen in
  the official chart, 225 (injured spouse indicator) in release 05-01. Positions 98-224 were not seen: the
  fields there (case type, collection date, tax year, joint return, trace number) are an OpenCSE layout,
  marked "OpenCSE" in `COLLECTION_FIELDS`, to be replaced by the official positions.
- Rejected Case Submission and Update Record (Chart F-1): 1-29 seen (2010 F-1), the echo of E-1 inferred, the
  six error codes and the name control after it in the order and lengths of Kansas's `FdsoReturnH`, their
  positions inferred; its control record (F-2) seen (2016 chart).
- Case Reconciliation Record (Chart F-6): fields, order and lengths read in Kansas's
  `FdsoReconciliationFileRecord` ("REC" detail, "RCT" control), positions inferred from them.

Pure: no Django. The writer takes plain records and returns text; the reader never raises on bad content:
each bad line comes back as a `RejectedLine` with its number and a specific reason (SSNs masked).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from opencse.interfaces.fixed_width import Field, alpha, assemble, ccyymmdd, implied_cents, zero_filled
from opencse.interfaces.payments import RejectedLine, is_valid_ssn, mask_ssns

__all__ = [
    "COLLECTION_FIELDS",
    "ERROR_CODES",
    "NOT_HELD_CODES",
    "RECONCILIATION_FIELDS",
    "RECORD_LENGTH",
    "REJECT_CONTROL_FIELDS",
    "REJECT_FIELDS",
    "SUBMISSION_FIELDS",
    "WARNING_CODES",
    "CaseType",
    "CollectionFile",
    "CollectionRecord",
    "Exclusion",
    "Field",
    "ReconciliationFile",
    "ReconciliationRecord",
    "RejectControl",
    "RejectFile",
    "RejectRecord",
    "SubmissionRecord",
    "Transaction",
    "collection_line",
    "control_record",
    "error_words",
    "fop_name",
    "is_complete_address",
    "read_collections",
    "read_reconciliation",
    "read_rejects",
    "reconciliation_line",
    "reject_control_line",
    "reject_line",
    "sent_address",
    "sent_name",
    "submission_record",
    "write_submission",
]

RECORD_LENGTH = 245
LINES_MAXIMUM = 2_000_000  # a file over this is refused, not truncated
R = TypeVar("R")  # a record type a reader returns
WHOLE_DOLLARS_MAXIMUM = 99_999_999  # the 8-digit arrearage field
_NAME_CHARACTERS = re.compile(r"[^A-Z\- ]")
_SPACES = re.compile(r" +")


SUBMISSION_FIELDS: tuple[Field, ...] = (
    Field("submitting_state", 1, 2, "A", "seen"),
    Field("local_code", 3, 5, "A/N", "seen"),
    Field("ssn", 6, 14, "N", "seen"),
    Field("case_id", 15, 29, "A/N", "seen"),
    Field("last_name", 30, 49, "A/N", "seen"),
    Field("first_name", 50, 64, "A/N", "seen"),
    Field("arrearage_amount", 65, 72, "N", "seen"),  # whole dollars: inferred (Kansas rounds to an integer)
    Field("transaction_type", 73, 73, "A", "seen"),
    Field("case_type", 74, 74, "A", "inferred"),
    Field("transfer_state", 75, 76, "A", "inferred"),
    Field("transfer_local_code", 77, 79, "A/N", "inferred"),
    Field("process_year", 80, 83, "N", "inferred"),
    Field("address_line_1", 84, 113, "A/N", "inferred"),
    Field("address_line_2", 114, 143, "A/N", "inferred"),
    Field("city", 144, 168, "A/N", "inferred"),
    Field("state", 169, 170, "A", "inferred"),
    Field("zip", 171, 179, "N", "inferred"),
    Field("date_issued", 180, 187, "N", "inferred"),  # the pre-offset notice date
    Field("exclusions", 188, 227, "A/N", "inferred"),
    Field("filler", 228, 245, "A/N", "inferred"),
)

CONTROL_FIELDS: tuple[Field, ...] = (
    Field("submitting_state", 1, 2, "A", "inferred"),
    Field("control", 3, 5, "A", "inferred"),  # "CTL", as on the reject control record (F-2, seen)
    Field("assistance_count", 6, 14, "N", "inferred"),
    Field("non_assistance_count", 15, 23, "N", "inferred"),
    Field("assistance_amount", 24, 34, "N", "inferred"),
    Field("non_assistance_amount", 35, 45, "N", "inferred"),
    Field("filler", 46, 245, "A/N", "inferred"),
)

COLLECTION_FIELDS: tuple[Field, ...] = (
    Field("submitting_state", 1, 2, "A", "seen"),
    Field("local_code", 3, 5, "A/N", "seen"),
    Field("ssn", 6, 14, "N", "seen"),
    Field("case_id", 15, 29, "A/N", "seen"),
    Field("last_name", 30, 49, "A/N", "seen"),
    Field("first_name", 50, 64, "A/N", "seen"),
    Field("certified_amount", 65, 75, "N", "seen"),  # cents implied
    Field("collection_amount", 76, 86, "N", "seen"),  # cents implied; zeros on an adjustment
    Field("adjustment_amount", 87, 97, "N", "seen"),  # cents implied; zeros on a collection
    Field("case_type", 98, 98, "A", "OpenCSE"),
    Field("collection_date", 99, 106, "N", "OpenCSE"),
    Field("tax_year", 107, 110, "N", "OpenCSE"),
    Field("joint_return", 111, 111, "A", "OpenCSE"),  # Y or N
    Field("joint_filer_name", 112, 146, "A/N", "OpenCSE"),
    Field("trace_number", 147, 161, "A/N", "OpenCSE"),  # the Treasury Offset Program trace number (05-02)
    Field("filler", 162, 224, "A/N", "OpenCSE"),
    Field("injured_spouse", 225, 225, "A", "seen"),  # Y claim processed; N no information (05-01)
    Field("filler_2", 226, 245, "A/N", "OpenCSE"),
)


class Transaction(StrEnum):
    """Chart E-1 transaction types OpenCSE sends (not sent: T transfer, C case ID, S State payment). Kansas
    writes every record of a run from the same certification data (all fields filled, "ignored when the
    transaction is processed" where the type does not use them) and adds the amounts of A and M records only
    into the control totals (`LeB520WriteFdsoToTape`). B, C and Z came with release 02-02: a name or address
    change on one case type changes the obligor's other case type too (one record per obligor)."""

    ADD = "A"  # certify the obligor for this case type
    MODIFY = "M"  # a new arrearage amount (increase or decrease)
    DELETE = "D"  # withdraw the certification
    REPLACE_EXCLUSIONS = "R"  # replace the offset exclusion indicators (positions 188-227)
    NAME = "B"  # the obligor's name changed (30-64)
    LOCAL_CODE = "L"  # the local code changed (3-5; "used with Transaction Types A and L")
    ADDRESS = "Z"  # the obligor's address changed (84-179): a complete address only (release 03-01)


class Exclusion(StrEnum):
    """Offset Exclusion Indicators (E-1 positions 188-227, comma-separated, e.g. "ADM,PAS"): each code takes
    the certified obligor out of one remedy of the program (federal-interfaces.md 2.3, read in the Kansas
    source `CabFdsoConcatExclusion`; INS from release 07-01)."""

    ADMINISTRATIVE_OFFSET = "ADM"  # federal payments other than tax refunds (31 CFR 285.1)
    FINANCIAL_INSTITUTION = "FIN"  # the multistate financial institution data match
    INSURANCE = "INS"  # the insurance match (release 07-01)
    PASSPORT = "PAS"  # passport denial (42 U.S.C. 652(k))
    RETIREMENT = "RET"  # federal retirement payments
    SALARY = "SAL"  # federal salary
    TAX_REFUND = "TAX"  # tax refund offset (42 U.S.C. 664)
    VENDOR = "VEN"  # vendor and miscellaneous payments


class CaseType(StrEnum):
    ASSISTANCE = "A"  # TANF: the arrears are assigned to the State ($150 threshold, 45 CFR 303.72(a)(2))
    NON_ASSISTANCE = "N"  # non-TANF ($500 threshold, 45 CFR 303.72(a)(3))


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    submitting_state: str
    local_code: str
    ssn: str  # nine digits
    case_id: str
    last_name: str
    first_name: str
    arrearage_dollars: int  # whole dollars; 0 on a delete
    transaction: Transaction
    case_type: CaseType
    process_year: int
    date_issued: date | None = None  # the pre-offset notice
    address_line_1: str = ""
    address_line_2: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    exclusions: tuple[Exclusion, ...] = ()  # written comma-separated in the order given


def fop_name(name: str) -> str:
    """Upper case, letters, hyphens and single spaces only (E-1: no special character but the hyphen)."""
    cleaned = _NAME_CHARACTERS.sub(" ", name.upper())
    return _SPACES.sub(" ", cleaned).strip()


def sent_name(last_name: str, first_name: str) -> tuple[str, str]:
    """The name as the record carries it (30-49, 50-64): what a B compares."""
    return fop_name(last_name)[:20], fop_name(first_name)[:15]


def is_complete_address(line_1: str, line_2: str, city: str, state: str) -> bool:
    """Release 03-01: "data in Address Line 1 or Address Line 2, City and State" (a Z without one is rejected,
    error 40; an A without one gets warning 47)."""
    return bool((line_1.strip() or line_2.strip()) and city.strip() and state.strip())


def _zip(zip_code: str) -> str:
    return re.sub(r"[^0-9]", "", zip_code)[:9].ljust(9, "0") if zip_code else "0" * 9


def sent_address(line_1: str, line_2: str, city: str, state: str, zip_code: str) -> str:
    """The address as the record carries it (84-179), each field as written and trimmed, joined by "|": what
    a Z compares. Blank when no address goes out."""
    if not (line_1.strip() or line_2.strip() or city.strip() or state.strip() or zip_code.strip()):
        return ""
    return "|".join((alpha(line_1, 30).rstrip(), alpha(line_2, 30).rstrip(), alpha(city, 25).rstrip(),
                     alpha(state, 2).rstrip(), _zip(zip_code)))  # fmt: skip


def submission_record(record: SubmissionRecord) -> str:
    """One 245-byte Case Submission and Update Record (Chart E-1)."""
    assert is_valid_ssn(record.ssn), "a valid nine-digit SSN"
    if record.transaction is Transaction.ADDRESS:
        assert is_complete_address(record.address_line_1, record.address_line_2, record.city, record.state)
    assert 0 <= record.arrearage_dollars <= WHOLE_DOLLARS_MAXIMUM, record.arrearage_dollars
    if record.transaction is not Transaction.DELETE:
        assert record.arrearage_dollars > 0 and fop_name(record.first_name), "an A, M or R has the amount held"
    assert len(",".join(record.exclusions)) <= 40 and len(set(record.exclusions)) == len(record.exclusions)
    values = {
        "submitting_state": alpha(record.submitting_state, 2),
        "local_code": alpha(record.local_code, 3),
        "ssn": record.ssn,
        "case_id": alpha(record.case_id, 15),
        "last_name": alpha(fop_name(record.last_name), 20),
        "first_name": alpha(fop_name(record.first_name), 15),
        "arrearage_amount": zero_filled(record.arrearage_dollars, 8),
        "transaction_type": record.transaction.value,
        "case_type": record.case_type.value,
        "transfer_state": "  ",
        "transfer_local_code": "   ",
        "process_year": zero_filled(record.process_year, 4),
        "address_line_1": alpha(record.address_line_1, 30),
        "address_line_2": alpha(record.address_line_2, 30),
        "city": alpha(record.city, 25),
        "state": alpha(record.state, 2),
        "zip": _zip(record.zip_code),
        "date_issued": record.date_issued.strftime("%Y%m%d") if record.date_issued else "0" * 8,
        "exclusions": alpha(",".join(record.exclusions), 40),
        "filler": " " * 18,
    }
    return assemble(SUBMISSION_FIELDS, values, record_length=RECORD_LENGTH)


def control_record(records: list[SubmissionRecord], *, submitting_state: str) -> str:
    """The Case Submission Control Record (Chart E-2, inferred): counts of every record and whole-dollar totals
    of the A and M records by case type (Kansas `LeB520WriteFdsoToTape`: an R repeats the amount held, a D
    carries none; neither is added)."""
    by_type = {case_type: [record for record in records if record.case_type is case_type] for case_type in CaseType}
    amounts = {
        case_type: sum(r.arrearage_dollars for r in rows if r.transaction in (Transaction.ADD, Transaction.MODIFY))
        for case_type, rows in by_type.items()
    }
    values = {
        "submitting_state": alpha(submitting_state, 2),
        "control": "CTL",
        "assistance_count": zero_filled(len(by_type[CaseType.ASSISTANCE]), 9),
        "non_assistance_count": zero_filled(len(by_type[CaseType.NON_ASSISTANCE]), 9),
        "assistance_amount": zero_filled(amounts[CaseType.ASSISTANCE], 11),
        "non_assistance_amount": zero_filled(amounts[CaseType.NON_ASSISTANCE], 11),
        "filler": " " * 200,
    }
    return assemble(CONTROL_FIELDS, values, record_length=RECORD_LENGTH)


def write_submission(records: list[SubmissionRecord], *, submitting_state: str) -> str:
    """The file: one record per line in the order given, then the control record; lines end with a newline."""
    lines = [submission_record(record) for record in records]
    lines.append(control_record(records, submitting_state=submitting_state))
    return "".join(line + "\n" for line in lines)


@dataclass(frozen=True, slots=True)
class CollectionRecord:
    """One offset (a collection) or an adjustment (money OCSE takes back) as the file reported it."""

    line_number: int
    submitting_state: str
    local_code: str
    ssn: str  # never logged
    case_id: str
    last_name: str
    first_name: str
    certified_amount: Decimal
    collection_amount: Decimal  # > 0 on a collection, else 0
    adjustment_amount: Decimal  # > 0 on an adjustment, else 0
    case_type: CaseType
    collection_date: date
    tax_year: int
    joint_return: bool
    joint_filer_name: str
    trace_number: str
    injured_spouse: bool  # an injured spouse claim was processed against the offset return

    @property
    def is_adjustment(self) -> bool:
        return self.adjustment_amount > 0

    @property
    def key(self) -> str:
        """What identifies the offset across files: the trace number, or (without one) SSN, type, date and amount."""
        if self.trace_number:
            return f"fop:{self.trace_number}"
        amount = self.collection_amount or self.adjustment_amount
        return f"fop:{self.ssn}:{self.case_type}:{self.collection_date:%Y%m%d}:{amount}:{int(self.is_adjustment)}"


@dataclass(frozen=True, slots=True)
class CollectionFile:
    records: tuple[CollectionRecord, ...]
    rejected: tuple[RejectedLine, ...]


def read_collections(text: str) -> CollectionFile:
    """Every line of a Collection and Adjustment file, as records or rejected lines (never raises on content).
    A control record (positions 3-5 "CTL") and blank lines are skipped."""
    records, rejected = _read_lines(text, skip=lambda line: line[2:5] == "CTL", parse=_collection)
    return CollectionFile(records=records, rejected=rejected)


def _collection(number: int, line: str) -> tuple[CollectionRecord | None, str]:
    if len(line) != RECORD_LENGTH:
        return None, f"the record is {len(line)} characters long, not {RECORD_LENGTH}"
    value = {field.name: field.cut(line) for field in COLLECTION_FIELDS}
    if not is_valid_ssn(value["ssn"]):
        return None, "the SSN (positions 6-14) is not a valid SSN"
    amounts: dict[str, Decimal] = {}
    for name, label in (("certified_amount", "certified arrearage (65-75)"),
                        ("collection_amount", "collection amount (76-86)"),
                        ("adjustment_amount", "adjustment amount (87-97)")):  # fmt: skip
        amount = implied_cents(value[name])
        if amount is None:
            return None, f"the {label} is not a number"
        amounts[name] = amount
    if (amounts["collection_amount"] > 0) == (amounts["adjustment_amount"] > 0):
        return None, "exactly one of the collection amount and the adjustment amount must be more than zero"
    if value["case_type"] not in {case_type.value for case_type in CaseType}:
        return None, f"the case type (98) is {value['case_type']!r}, not A or N"
    on = ccyymmdd(value["collection_date"])
    if on is None:
        return None, "the collection date (99-106) is not a date CCYYMMDD"
    if not value["tax_year"].isdigit():
        return None, "the tax year (107-110) is not a year"
    if value["joint_return"] not in ("Y", "N", " ") or value["injured_spouse"] not in ("Y", "N", " "):
        return None, "the joint return (111) and injured spouse (225) indicators are Y, N or blank"
    return CollectionRecord(
        line_number=number,
        submitting_state=value["submitting_state"].strip(),
        local_code=value["local_code"].strip(),
        ssn=value["ssn"],
        case_id=value["case_id"].strip(),
        last_name=value["last_name"].strip(),
        first_name=value["first_name"].strip(),
        certified_amount=amounts["certified_amount"],
        collection_amount=amounts["collection_amount"],
        adjustment_amount=amounts["adjustment_amount"],
        case_type=CaseType(value["case_type"]),
        collection_date=on,
        tax_year=int(value["tax_year"]),
        joint_return=value["joint_return"] == "Y",
        joint_filer_name=value["joint_filer_name"].strip(),
        trace_number=value["trace_number"].strip(),
        injured_spouse=value["injured_spouse"] == "Y",
    ), ""


def collection_line(record: CollectionRecord) -> str:
    """A Collection and Adjustment Record written back (tests and demo files use it)."""
    values = {
        "submitting_state": alpha(record.submitting_state, 2),
        "local_code": alpha(record.local_code, 3),
        "ssn": record.ssn,
        "case_id": alpha(record.case_id, 15),
        "last_name": alpha(record.last_name, 20),
        "first_name": alpha(record.first_name, 15),
        "certified_amount": zero_filled(int(record.certified_amount * 100), 11),
        "collection_amount": zero_filled(int(record.collection_amount * 100), 11),
        "adjustment_amount": zero_filled(int(record.adjustment_amount * 100), 11),
        "case_type": record.case_type.value,
        "collection_date": record.collection_date.strftime("%Y%m%d"),
        "tax_year": zero_filled(record.tax_year, 4),
        "joint_return": "Y" if record.joint_return else "N",
        "joint_filer_name": alpha(record.joint_filer_name, 35),
        "trace_number": alpha(record.trace_number, 15),
        "filler": " " * 63,
        "injured_spouse": "Y" if record.injured_spouse else "N",
        "filler_2": " " * 20,
    }
    return assemble(COLLECTION_FIELDS, values, record_length=RECORD_LENGTH)


# --- The Rejected Case Submission and Update file (Charts F-1 and F-2) -----------------------------------
# F-1 echoes the record the State sent: positions 1-29 seen in the 2010 F-1 chart ("the ... that was sent to
# OCSE ... on the Case Submission and Update Record"); the rest of the echo is inferred from E-1. After the
# echo, Kansas's reject view (`FdsoReturnH`) has six two-character error codes and a four-character "federal
# returned last name" (the name control on a name mismatch): their order and lengths were read in that source,
# their positions (the E-1 filler 228-245) are inferred. F-2 is seen (2016 chart).

REJECT_FIELDS: tuple[Field, ...] = (
    Field("submitting_state", 1, 2, "A", "seen"),
    Field("local_code", 3, 5, "A/N", "seen"),
    Field("ssn", 6, 14, "N", "seen"),
    Field("case_id", 15, 29, "A/N", "seen"),
    Field("last_name", 30, 49, "A/N", "inferred"),
    Field("first_name", 50, 64, "A/N", "inferred"),
    Field("arrearage_amount", 65, 72, "N", "inferred"),
    Field("transaction_type", 73, 73, "A", "inferred"),
    Field("case_type", 74, 74, "A", "inferred"),
    Field("echo", 75, 187, "A/N", "inferred"),  # transfer, process year, address, date issued as sent
    Field("exclusions", 188, 227, "A/N", "inferred"),
    Field("error_codes", 228, 239, "A/N", "inferred"),  # six codes of two characters (Kansas order and lengths)
    Field("name_control", 240, 243, "A/N", "inferred"),  # Kansas "FedReturnedLastName": OCSE's first 4 letters
    Field("filler", 244, 245, "A/N", "inferred"),
)

REJECT_CONTROL_FIELDS: tuple[Field, ...] = (
    Field("submitting_state", 1, 2, "A", "seen"),
    Field("control", 3, 5, "A", "seen"),  # "CTL"
    Field("assistance_accepted", 6, 14, "N", "seen"),
    Field("assistance_rejected", 15, 23, "N", "seen"),
    Field("non_assistance_accepted", 24, 32, "N", "seen"),
    Field("non_assistance_rejected", 33, 41, "N", "seen"),
    Field("assistance_warnings", 42, 50, "N", "seen"),
    Field("non_assistance_warnings", 51, 59, "N", "seen"),
    Field("filler", 60, 245, "A/N", "seen"),
)

# What each code means, in words. Read in the Kansas source (`CabFdsoReturnMessage`, the messages it prints
# for OCSE's codes), except 40 and 47, seen in release 03-01. A code not listed is reported as its number.
ERROR_CODES: dict[str, str] = {
    "01": "the submitting State code is not valid",
    "02": "the SSN is not valid",
    "03": "the last name is not valid",
    "04": "the first name is not valid",
    "05": "the arrearage amount is not valid",
    "06": "OCSE already holds the case (an add)",
    "07": "the transaction type is not valid",
    "08": "the same transaction was sent twice in one cycle",
    "09": "the case type indicator is not valid",
    "11": "the State payment equals the amount on OCSE's Case Master File",
    "12": "the SSN is not on OCSE's Case Master File",
    "17": "the last name does not match the SSN",
    "19": "a debt with a balance of $0 cannot be decreased",
    "23": "the transfer State is not valid",
    "26": "the processing year is not valid for a State payment",
    "29": "the local code change is not valid",
    "32": "the pre-offset notice date is not valid",
    "33": "the exclusion indicators are not valid",
    "34": "a State payment was sent but no offset was found for the year",
    "35": "the State payment is more than the offset",
    "38": "the case was deleted before",
    "40": "the address is not complete (line 1 or 2, city and State)",
    "47": "address warning: the case was added without a complete address",
}
WARNING_CODES = frozenset({"47"})  # the record was accepted (F-2 counts warnings apart; release 03-01)
NOT_HELD_CODES = frozenset({"12", "38"})  # OCSE does not hold the case: it must be added again (Kansas LeB525)


def error_words(code: str) -> str:
    return ERROR_CODES.get(code, f"error code {code} (not in OpenCSE's list)")


@dataclass(frozen=True, slots=True)
class RejectRecord:
    """One record OCSE rejected (or accepted with a warning), as it echoed it back."""

    line_number: int
    submitting_state: str
    local_code: str
    ssn: str  # never logged
    case_id: str
    last_name: str
    first_name: str
    arrearage_dollars: int
    transaction: Transaction
    case_type: CaseType
    exclusions: str
    error_codes: tuple[str, ...]
    name_control: str

    @property
    def warning_only(self) -> bool:
        return all(code in WARNING_CODES for code in self.error_codes)


@dataclass(frozen=True, slots=True)
class RejectControl:
    assistance_accepted: int
    assistance_rejected: int
    non_assistance_accepted: int
    non_assistance_rejected: int
    assistance_warnings: int
    non_assistance_warnings: int


@dataclass(frozen=True, slots=True)
class RejectFile:
    records: tuple[RejectRecord, ...]
    control: RejectControl | None
    rejected: tuple[RejectedLine, ...]


def _lines(text: str) -> list[str]:
    lines = text.splitlines()
    if len(lines) > LINES_MAXIMUM:
        raise ValueError(f"the file has more than {LINES_MAXIMUM:,} lines")
    return lines


def _read_lines(
    text: str, *, skip: Callable[[str], bool], parse: Callable[[int, str], tuple[R | None, str]]
) -> tuple[tuple[R, ...], tuple[RejectedLine, ...]]:
    """Each non-blank line not skipped (a control record) parsed into a record, or kept as a rejected line."""
    records: list[R] = []
    rejected: list[RejectedLine] = []
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip() or skip(line):
            continue
        record, reason = parse(number, line)
        if record is None:
            rejected.append(_rejected_line(number, line, reason))
        else:
            records.append(record)
    return tuple(records), tuple(rejected)


def _rejected_line(number: int, line: str, reason: str) -> RejectedLine:
    return RejectedLine(line_number=number, reason=reason, raw=mask_ssns(line.rstrip())[:300])


def read_rejects(text: str) -> RejectFile:
    """Every line of a Rejected Case Submission and Update file: records, the control record (positions 3-5
    "CTL"), or rejected lines with their number and reason (never raises on content; SSNs masked)."""
    records: list[RejectRecord] = []
    rejected: list[RejectedLine] = []
    control: RejectControl | None = None
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        reason = f"the record is {len(line)} characters long, not {RECORD_LENGTH}" if len(line) != RECORD_LENGTH else ""
        if not reason and line[2:5] == "CTL":
            counts = {field.name: field.cut(line) for field in REJECT_CONTROL_FIELDS[2:8]}
            if all(value.isdigit() for value in counts.values()):
                control = RejectControl(**{name: int(value) for name, value in counts.items()})
                continue
            reason = "a count of the control record (positions 6-59) is not a number"
        record = None
        if not reason:
            record, reason = _reject(number, line)
        if record is None:
            rejected.append(_rejected_line(number, line, reason))
        else:
            records.append(record)
    return RejectFile(records=tuple(records), control=control, rejected=tuple(rejected))


def _reject(number: int, line: str) -> tuple[RejectRecord | None, str]:
    value = {field.name: field.cut(line) for field in REJECT_FIELDS}
    if not is_valid_ssn(value["ssn"]):
        return None, "the SSN (positions 6-14) is not a valid SSN"
    if value["transaction_type"] not in {kind.value for kind in Transaction}:
        return None, f"the transaction type (73) is {value['transaction_type']!r}, not one OpenCSE sends"
    if value["case_type"] not in {case_type.value for case_type in CaseType}:
        return None, f"the case type (74) is {value['case_type']!r}, not A or N"
    if not value["arrearage_amount"].isdigit():
        return None, "the arrearage amount (65-72) is not a number"
    raw_codes = [value["error_codes"][i : i + 2] for i in range(0, 12, 2)]
    codes = tuple(code for code in raw_codes if code.strip() and code != "00")
    if any(not code.isdigit() for code in codes):
        return None, "an error code (228-239) is not two digits"
    if not codes:
        return None, "the record has no error code (228-239)"
    return RejectRecord(
        line_number=number,
        submitting_state=value["submitting_state"].strip(),
        local_code=value["local_code"].strip(),
        ssn=value["ssn"],
        case_id=value["case_id"].strip(),
        last_name=value["last_name"].strip(),
        first_name=value["first_name"].strip(),
        arrearage_dollars=int(value["arrearage_amount"]),
        transaction=Transaction(value["transaction_type"]),
        case_type=CaseType(value["case_type"]),
        exclusions=value["exclusions"].strip(),
        error_codes=codes,
        name_control=value["name_control"].strip(),
    ), ""


def reject_line(sent: SubmissionRecord, *codes: str, name_control: str = "") -> str:
    """The F-1 record OCSE returns for a record sent (tests and demo files use it)."""
    assert 1 <= len(codes) <= 6
    echo = submission_record(sent)
    return echo[:227] + "".join(codes).ljust(12) + alpha(name_control, 4) + "  "


def reject_control_line(*, submitting_state: str, counts: tuple[int, int, int, int, int, int]) -> str:
    names = [field.name for field in REJECT_CONTROL_FIELDS[2:8]]
    values = {"submitting_state": alpha(submitting_state, 2), "control": "CTL", "filler": " " * 186}
    values |= {name: zero_filled(count, 9) for name, count in zip(names, counts, strict=True)}
    return assemble(REJECT_CONTROL_FIELDS, values, record_length=RECORD_LENGTH)


# --- The Case Reconciliation file (Charts F-6 and F-7) ---------------------------------------------------
# Not seen in an official chart. The fields, their order and lengths were read in the Kansas source
# (`FdsoReconciliationFileRecord`; its reader `LeB5xx` takes "REC" as a detail record and "RCT" as the last,
# control record); the positions follow from that order and are inferred, as is the 245-byte length.

RECONCILIATION_FIELDS: tuple[Field, ...] = (
    Field("record_identifier", 1, 3, "A", "inferred"),  # "REC"; "RCT" the control record
    Field("submitting_state", 4, 5, "A", "inferred"),
    Field("local_code", 6, 8, "A/N", "inferred"),
    Field("ssn", 9, 17, "N", "inferred"),
    Field("case_id", 18, 32, "A/N", "inferred"),
    Field("last_name", 33, 52, "A/N", "inferred"),
    Field("first_name", 53, 67, "A/N", "inferred"),
    Field("arrearage_amount", 68, 75, "N", "inferred"),  # whole dollars
    Field("case_type", 76, 76, "A", "inferred"),
    Field("notice_date", 77, 84, "N", "inferred"),  # the most recent pre-offset notice, CCYYMMDD
    Field("hold", 85, 85, "A", "inferred"),  # H: on hold for the pre-offset notice period
    Field("exclusions", 86, 106, "A/N", "inferred"),  # seven slots of 3: ADM, RET, VEN, SAL, TAX, PAS, FIN
    Field("filler", 107, 245, "A/N", "inferred"),
)
RECONCILIATION_SLOTS = (Exclusion.ADMINISTRATIVE_OFFSET, Exclusion.RETIREMENT, Exclusion.VENDOR, Exclusion.SALARY,
                        Exclusion.TAX_REFUND, Exclusion.PASSPORT, Exclusion.FINANCIAL_INSTITUTION)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReconciliationRecord:
    """One case as OCSE's Case Master File holds it."""

    line_number: int
    submitting_state: str
    local_code: str
    ssn: str  # never logged
    case_id: str
    last_name: str
    first_name: str
    arrearage_dollars: int
    case_type: CaseType
    notice_date: date | None
    on_hold: bool
    exclusions: str  # the codes present, comma-separated, alphabetical (as OpenCSE keeps them)


@dataclass(frozen=True, slots=True)
class ReconciliationFile:
    records: tuple[ReconciliationRecord, ...]
    rejected: tuple[RejectedLine, ...]


def read_reconciliation(text: str) -> ReconciliationFile:
    """Every line of a Case Reconciliation file as records or rejected lines; the control record ("RCT") and
    blank lines are skipped (never raises on content; SSNs masked)."""
    records, rejected = _read_lines(text, skip=lambda line: line[:3] == "RCT", parse=_reconciliation)
    return ReconciliationFile(records=records, rejected=rejected)


def _reconciliation(number: int, line: str) -> tuple[ReconciliationRecord | None, str]:
    if len(line) != RECORD_LENGTH:
        return None, f"the record is {len(line)} characters long, not {RECORD_LENGTH}"
    value = {field.name: field.cut(line) for field in RECONCILIATION_FIELDS}
    if value["record_identifier"] != "REC":
        return None, f"the record identifier (1-3) is {value['record_identifier']!r}, not REC or RCT"
    if not is_valid_ssn(value["ssn"]):
        return None, "the SSN (positions 9-17) is not a valid SSN"
    if not value["arrearage_amount"].isdigit():
        return None, "the arrearage amount (68-75) is not a number"
    if value["case_type"] not in {case_type.value for case_type in CaseType}:
        return None, f"the case type (76) is {value['case_type']!r}, not A or N"
    notice = None
    if value["notice_date"].strip("0 "):
        notice = ccyymmdd(value["notice_date"])
        if notice is None:
            return None, "the pre-offset notice date (77-84) is not a date CCYYMMDD"
    if value["hold"] not in ("H", " "):
        return None, "the hold indicator (85) is H or blank"
    slots = [value["exclusions"][i : i + 3].strip() for i in range(0, 21, 3)]
    known = {code.value for code in Exclusion}
    if any(slot and slot not in known for slot in slots):
        return None, "an exclusion indicator (86-106) is not a known code"
    return ReconciliationRecord(
        line_number=number,
        submitting_state=value["submitting_state"].strip(),
        local_code=value["local_code"].strip(),
        ssn=value["ssn"],
        case_id=value["case_id"].strip(),
        last_name=value["last_name"].strip(),
        first_name=value["first_name"].strip(),
        arrearage_dollars=int(value["arrearage_amount"]),
        case_type=CaseType(value["case_type"]),
        notice_date=notice,
        on_hold=value["hold"] == "H",
        exclusions=",".join(sorted(slot for slot in slots if slot)),
    ), ""


def reconciliation_line(record: ReconciliationRecord) -> str:
    """A Case Reconciliation record written back (tests and demo files use it)."""
    present = set(record.exclusions.split(",")) - {""}
    values = {
        "record_identifier": "REC",
        "submitting_state": alpha(record.submitting_state, 2),
        "local_code": alpha(record.local_code, 3),
        "ssn": record.ssn,
        "case_id": alpha(record.case_id, 15),
        "last_name": alpha(record.last_name, 20),
        "first_name": alpha(record.first_name, 15),
        "arrearage_amount": zero_filled(record.arrearage_dollars, 8),
        "case_type": record.case_type.value,
        "notice_date": record.notice_date.strftime("%Y%m%d") if record.notice_date else "0" * 8,
        "hold": "H" if record.on_hold else " ",
        "exclusions": "".join(code.value if code.value in present else "   " for code in RECONCILIATION_SLOTS),
        "filler": " " * 139,
    }
    return assemble(RECONCILIATION_FIELDS, values, record_length=RECORD_LENGTH)
