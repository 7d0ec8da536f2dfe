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

Pure: no Django. The writer takes plain records and returns text; the reader never raises on bad content:
each bad line comes back as a `RejectedLine` with its number and a specific reason (SSNs masked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from opencse.interfaces.fixed_width import Field, alpha, assemble, ccyymmdd, implied_cents, zero_filled
from opencse.interfaces.payments import RejectedLine, is_valid_ssn, mask_ssns

__all__ = [
    "COLLECTION_FIELDS",
    "RECORD_LENGTH",
    "SUBMISSION_FIELDS",
    "CaseType",
    "CollectionFile",
    "CollectionRecord",
    "Exclusion",
    "Field",
    "SubmissionRecord",
    "Transaction",
    "collection_line",
    "control_record",
    "fop_name",
    "read_collections",
    "submission_record",
    "write_submission",
]

RECORD_LENGTH = 245
LINES_MAXIMUM = 2_000_000  # a file over this is refused, not truncated
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
    """Chart E-1 transaction types OpenCSE sends (others: B name, L local code, T transfer, Z address,
    C case ID). Kansas writes every record of a run from the same certification data (all fields filled,
    "ignored when the transaction is processed" where the type does not use them) and adds the amounts of
    A and M records only into the control totals (`LeB520WriteFdsoToTape`)."""

    ADD = "A"  # certify the obligor for this case type
    MODIFY = "M"  # a new arrearage amount (increase or decrease)
    DELETE = "D"  # withdraw the certification
    REPLACE_EXCLUSIONS = "R"  # replace the offset exclusion indicators (positions 188-227)


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


def submission_record(record: SubmissionRecord) -> str:
    """One 245-byte Case Submission and Update Record (Chart E-1)."""
    assert is_valid_ssn(record.ssn), "a valid nine-digit SSN"
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
        "zip": re.sub(r"[^0-9]", "", record.zip_code)[:9].ljust(9, "0") if record.zip_code else "0" * 9,
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
    lines = text.splitlines()
    if len(lines) > LINES_MAXIMUM:
        raise ValueError(f"the file has more than {LINES_MAXIMUM:,} lines")
    records: list[CollectionRecord] = []
    rejected: list[RejectedLine] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line[2:5] == "CTL":
            continue
        record, reason = _collection(number, line)
        if record is None:
            rejected.append(RejectedLine(line_number=number, reason=reason, raw=mask_ssns(line.rstrip())[:300]))
        else:
            records.append(record)
    return CollectionFile(records=tuple(records), rejected=tuple(rejected))


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
