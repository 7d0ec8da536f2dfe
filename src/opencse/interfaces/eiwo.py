"""The e-IWO files (electronic Income Withholding for Support, OMB 0970-0154): the writer of the state's IWO
file and the reader of the employer's acknowledgment file. Pure: plain dataclasses in, text out.

Layouts: "A Guide to an Employer's Role in the Child Support Program, Appendix D: e-IWO Record Layouts"
(OCSE, v4.0, August 25 2021): Chart D-1 Universal Header, D-2 Universal Trailer, D-3 e-IWO Detail, D-4
Acknowledgment; /work/shared/domain/federal-interfaces.md section 3 gives what was confirmed and what was
inferred. docs/interfaces/eiwo.md says which positions are confirmed, inferred, or a choice of this project:

- Header (FHI/BHI) 1-3 code, 4-25 control number, 26-30 state FIPS, 31-39 EIN, 40-48 primary EIN, 49-56
  creation date CCYYMMDD, 57-62 time HHMMSS, 63-80 error field name (1-25 confirmed; the rest inferred).
- Trailer (BTI/FTI) 1-3 code, 4-25 control number, 26-30 batch count, 31-35 record count, 36-40 employer
  sent count, 41-45 state sent count, 46-63 error field name (inferred).
- Detail (DTL) 1-2242 (1-184 confirmed by the 2020 Chart D-3; 185-2242 inferred, see `DETAIL`).
- Acknowledgment (ACK): 1-3 'ACK' and 4-6 the action code are confirmed (2011 Chart D-4). Chart D-4's later
  positions were not found; the fields' order is read in source (Kansas `LeB589ReadFile`, the export view of the
  program that reads the employers' acknowledgments), their lengths come from the same fields of Chart D-3 or
  Kansas's view, so each position after 6 is inferred (`ACK`, each field's `evidence`).

Every record of a file is written at the detail record's length (`RECORD_LENGTH`), the headers and trailers
padded with blanks (the 2011 acknowledgment header shows the same practice: a filler to the record length).
Amounts are 11 digits with two implied decimals, zero-filled ($1,234.56 -> "00000123456"); dates CCYYMMDD;
text upper-case ASCII, left-justified, blank-filled, cut to the field's width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from opencse.interfaces.fixed_width import Field, alpha, ccyymmdd, consecutive, implied_cents

__all__ = [
    "ACK",
    "DETAIL",
    "HEADER",
    "RECORD_LENGTH",
    "TRAILER",
    "Acknowledgment",
    "BadLine",
    "EiwoBatch",
    "EiwoChild",
    "EiwoFile",
    "EiwoOrder",
    "ack_record",
    "amount_text",
    "parse_acknowledgments",
    "write_file",
]

RECORD_LENGTH = 2242
MONTHLY = "M"  # frequency code: the amounts on the order are monthly (form: "per month")
AMOUNT_WIDTH = 11
CHILDREN = 6


HEADER = consecutive(
    ("document_code", 3), ("control_number", 22), ("state_fips", 5), ("ein", 9), ("primary_ein", 9),
    ("creation_date", 8), ("creation_time", 6), ("error_field_name", 18),
)  # fmt: skip
TRAILER = consecutive(
    ("document_code", 3), ("control_number", 22), ("batch_count", 5), ("record_count", 5),
    ("employer_sent_count", 5), ("state_sent_count", 5), ("error_field_name", 18),
)  # fmt: skip

_AMOUNT_LINES = [
    "current_child_support", "past_due_child_support", "current_medical_support", "past_due_medical_support",
    "current_spousal_support", "past_due_spousal_support",
]  # fmt: skip
_CHILD = [("last", 20), ("first", 15), ("middle", 15), ("suffix", 4), ("birth_date", 8)]
_ADDRESS = [("line1", 25), ("line2", 25), ("city", 22), ("state", 2), ("zip", 5), ("zip4", 4)]

DETAIL = consecutive(
    ("document_code", 3), ("filler", 3), ("document_action_code", 3), ("document_date", 8),
    ("issuing_state_name", 35), ("issuing_jurisdiction_name", 35), ("case_id", 15), ("employer_name", 57),
    *[(f"employer_{name}", width) for name, width in _ADDRESS], ("employer_ein", 9),
    ("employee_last", 20), ("employee_first", 15), ("employee_middle", 15), ("employee_suffix", 4),
    ("employee_ssn", 9), ("employee_birth_date", 8),
    ("obligee_last", 57), ("obligee_first", 15), ("obligee_middle", 15), ("obligee_suffix", 4),
    ("issuing_tribunal_name", 35),
    *[item for line in _AMOUNT_LINES for item in ((line, AMOUNT_WIDTH), (f"{line}_frequency", 1))],
    ("other_amount", 11), ("other_frequency", 1), ("other_description", 35),
    ("total_amount", 11), ("total_frequency", 1), ("arrears_over_12_weeks", 1),
    ("per_weekly", 11), ("per_biweekly", 11), ("per_semimonthly", 11), ("per_monthly", 11),
    ("employer_state_name", 35), ("begin_within_days", 2), ("start_date", 8), ("remit_within_days", 2),
    ("limit_percent", 2),
    ("payee_name", 57), *[(f"payee_{name}", width) for name, width in _ADDRESS], ("payee_fips", 7),
    ("official_name", 70), ("official_title", 50), ("send_employee_copy", 1),
    ("penalty_text", 160), ("anti_discrimination_text", 160), ("payee_limit_text", 160),
    ("contact_name", 57), ("contact_phone", 10), ("contact_fax", 10), ("contact_email", 48),
    ("document_tracking_number", 30), ("order_identifier", 30),
    ("employer_contact_name", 57), *[(f"employer_contact_{name}", width) for name, width in _ADDRESS],
    ("employer_contact_phone", 10), ("employer_contact_fax", 10), ("employer_contact_email", 48),
    *[(f"child{n}_{name}", width) for n in range(1, CHILDREN + 1) for name, width in _CHILD],
    ("lump_sum_amount", 11), ("remittance_identifier", 20), ("document_image_text", 25),
)  # fmt: skip
assert DETAIL["document_tracking_number"].start == 1547 and DETAIL["child1_last"].start == 1815
assert DETAIL["document_image_text"].end == RECORD_LENGTH


def _in_order(*rows: tuple[str, int, str]) -> dict[str, Field]:
    """Fields in order from position 1, each `(name, length, evidence)`: seen (the chart), source (the order and
    the length read in Kansas's source), inferred (the order read in source, the length from Chart D-3)."""
    fields: dict[str, Field] = {}
    position = 1
    for name, length, evidence in rows:
        fields[name] = Field(name, position, position + length - 1, evidence=evidence)
        position += length
    return fields


# Chart D-4 as far as it is known (docs/interfaces/eiwo.md). Kansas reads the disposition status into 2
# characters and the reason into 3 and takes the first non-blank one: so does `_code`.
ACK = _in_order(
    ("document_code", 3, "seen"), ("document_action_code", 3, "seen"), ("case_id", 15, "source"),
    ("employer_ein", 9, "source"), ("employee_ssn", 9, "source"), ("employee_last", 20, "inferred"),
    ("employee_first", 15, "inferred"), ("employee_middle", 15, "inferred"), ("employee_suffix", 4, "source"),
    ("document_tracking_number", 30, "source"), ("order_identifier", 30, "inferred"),
    ("disposition_status", 2, "source"), ("disposition_reason", 3, "source"), ("termination_date", 8, "inferred"),
    *[(f"ncp_{name}", width, "inferred") for name, width in _ADDRESS],
    ("final_payment_date", 8, "inferred"), ("final_payment_amount", AMOUNT_WIDTH, "inferred"),
    ("new_employer_name", 57, "inferred"), *[(f"new_employer_{name}", width, "inferred") for name, width in _ADDRESS],
    ("lump_sum_date", 8, "inferred"), ("lump_sum_amount", AMOUNT_WIDTH, "inferred"), ("lump_sum_type", 35, "source"),
    ("ncp_phone", 10, "inferred"), ("first_error_field_name", 32, "source"), ("second_error_field_name", 32, "source"),
    ("multiple_error_indicator", 1, "source"), ("corrected_ein", 9, "source"), ("multi_iwo_state", 2, "source"),
)  # fmt: skip
assert ACK["document_tracking_number"].start == 94 and ACK["disposition_status"].start == 154
assert ACK["lump_sum_type"].start == 428 and ACK["multi_iwo_state"].end == 548
ACK_LENGTH = max(item.end for item in ACK.values())


@dataclass(frozen=True, slots=True)
class EiwoChild:
    last: str
    first: str
    middle: str = ""
    suffix: str = ""
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""  # 5 or 9 digits, a dash allowed


@dataclass(frozen=True, slots=True)
class EiwoOrder:
    """One DTL record: the form's items, the amounts monthly (frequency code M)."""

    action: str  # ORG, AMD, TRM, LUM
    document_date: date
    issuing_state_name: str
    issuing_jurisdiction_name: str
    case_id: str
    employer_name: str
    employer_address: Address
    employer_ein: str
    employee_last: str
    employee_first: str
    employee_middle: str
    employee_suffix: str
    employee_ssn: str  # the full nine digits: the e-IWO record carries it (Chart D-3)
    employee_birth_date: date | None
    obligee_last: str
    obligee_first: str
    issuing_tribunal_name: str
    current_child_support: Decimal
    past_due_child_support: Decimal
    current_medical_support: Decimal
    current_spousal_support: Decimal
    other_amount: Decimal
    other_description: str
    total_amount: Decimal
    arrears_over_12_weeks: bool
    per_weekly: Decimal
    per_biweekly: Decimal
    per_semimonthly: Decimal
    per_monthly: Decimal
    employer_state_name: str
    begin_within_days: int
    remit_within_days: int
    limit_percent: Decimal
    payee_name: str
    payee_address: Address
    official_name: str
    official_title: str
    send_employee_copy: bool
    document_tracking_number: str
    order_identifier: str
    remittance_identifier: str
    children: Sequence[EiwoChild] = ()
    lump_sum_amount: Decimal | None = None
    start_date: date | None = None


@dataclass(frozen=True, slots=True)
class EiwoBatch:
    """One employer's orders (BHI ... BTI): one batch per employer FEIN, its own control number."""

    control_number: str
    employer_ein: str
    orders: Sequence[EiwoOrder]


@dataclass(frozen=True, slots=True)
class EiwoFile:
    control_number: str
    state_fips: str  # 2-digit State FIPS code followed by "000" (Chart D-1's recommended format)
    state_ein: str
    created_at: datetime
    batches: Sequence[EiwoBatch] = field(default_factory=tuple)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.upper().split())


def amount_text(amount: Decimal | None, width: int = AMOUNT_WIDTH) -> str:
    """Dollars with two implied decimals, zero-filled: Decimal("1234.56") -> "00000123456"."""
    if amount is None:
        return "0" * width
    cents = int((amount * 100).to_integral_value())
    if cents < 0 or len(str(cents)) > width:
        raise ValueError(f"amount {amount} does not fit {width} digits")
    return str(cents).zfill(width)


def _date(day: date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _record(layout: dict[str, Field], values: dict[str, str]) -> str:
    unknown = set(values) - set(layout)
    assert not unknown, unknown
    chars = [" "] * RECORD_LENGTH
    for name, value in values.items():
        spot = layout[name]
        chars[spot.start - 1 : spot.end] = alpha(_ascii(value), spot.length)
    return "".join(chars)


def _address(prefix: str, address: Address) -> dict[str, str]:
    digits = _digits(address.zip)
    return {
        f"{prefix}line1": address.line1,
        f"{prefix}line2": address.line2,
        f"{prefix}city": address.city,
        f"{prefix}state": address.state,
        f"{prefix}zip": digits[:5],
        f"{prefix}zip4": digits[5:9],
    }


def detail_record(order: EiwoOrder) -> str:
    """The DTL record of one order (Chart D-3)."""
    if order.action not in ("ORG", "AMD", "TRM", "LUM"):
        raise ValueError(f"unknown document action code {order.action!r}")
    ssn = _digits(order.employee_ssn)
    if ssn and len(ssn) != 9:
        raise ValueError("the employee SSN must have nine digits")
    values: dict[str, str] = {
        "document_code": "DTL",
        "document_action_code": order.action,
        "document_date": _date(order.document_date),
        "issuing_state_name": order.issuing_state_name,
        "issuing_jurisdiction_name": order.issuing_jurisdiction_name,
        "case_id": order.case_id.lstrip(" \\*"),
        "employer_name": order.employer_name,
        **_address("employer_", order.employer_address),
        "employer_ein": _digits(order.employer_ein),
        "employee_last": order.employee_last,
        "employee_first": order.employee_first,
        "employee_middle": order.employee_middle,
        "employee_suffix": order.employee_suffix,
        "employee_ssn": ssn,
        "employee_birth_date": _date(order.employee_birth_date),
        "obligee_last": order.obligee_last,
        "obligee_first": order.obligee_first,
        "issuing_tribunal_name": order.issuing_tribunal_name,
        "other_amount": amount_text(order.other_amount),
        "other_frequency": MONTHLY if order.other_amount else "",
        "other_description": order.other_description,
        "total_amount": amount_text(order.total_amount),
        "total_frequency": MONTHLY if order.total_amount else "",
        "arrears_over_12_weeks": "Y" if order.arrears_over_12_weeks else "N",
        "per_weekly": amount_text(order.per_weekly),
        "per_biweekly": amount_text(order.per_biweekly),
        "per_semimonthly": amount_text(order.per_semimonthly),
        "per_monthly": amount_text(order.per_monthly),
        "employer_state_name": order.employer_state_name,
        "begin_within_days": str(order.begin_within_days).zfill(2),
        "start_date": _date(order.start_date),
        "remit_within_days": str(order.remit_within_days).zfill(2),
        "limit_percent": str(int(order.limit_percent)).zfill(2),
        "payee_name": order.payee_name,
        **_address("payee_", order.payee_address),
        "official_name": order.official_name,
        "official_title": order.official_title,
        "send_employee_copy": "Y" if order.send_employee_copy else "N",
        "document_tracking_number": order.document_tracking_number,
        "order_identifier": order.order_identifier,
        "lump_sum_amount": amount_text(order.lump_sum_amount),
        "remittance_identifier": order.remittance_identifier,
    }
    lines = {
        "current_child_support": order.current_child_support,
        "past_due_child_support": order.past_due_child_support,
        "current_medical_support": order.current_medical_support,
        "past_due_medical_support": Decimal("0"),
        "current_spousal_support": order.current_spousal_support,
        "past_due_spousal_support": Decimal("0"),
    }
    for line, amount in lines.items():
        values[line] = amount_text(amount)
        values[f"{line}_frequency"] = MONTHLY if amount else ""
    if len(order.children) > CHILDREN:
        raise ValueError(f"the record holds {CHILDREN} children; the form's attachment lists the others")
    for n, child in enumerate(order.children, start=1):
        values |= {f"child{n}_last": child.last, f"child{n}_first": child.first, f"child{n}_middle": child.middle,
                   f"child{n}_suffix": child.suffix, f"child{n}_birth_date": _date(child.birth_date)}  # fmt: skip
    return _record(DETAIL, values)


def _header(code: str, control: str, fips: str, ein: str, created_at: datetime) -> str:
    return _record(HEADER, {"document_code": code, "control_number": control, "state_fips": fips,
                            "ein": _digits(ein), "creation_date": created_at.strftime("%Y%m%d"),
                            "creation_time": created_at.strftime("%H%M%S")})  # fmt: skip


def _trailer(code: str, control: str, batches: int, records: int) -> str:
    return _record(TRAILER, {"document_code": code, "control_number": control, "batch_count": str(batches).zfill(5),
                             "record_count": str(records).zfill(5), "employer_sent_count": "00000",
                             "state_sent_count": str(records).zfill(5)})  # fmt: skip


def write_file(eiwo: EiwoFile) -> str:
    """FHI, then per employer BHI + DTL... + BTI, then FTI; one record a line, CRLF-free ("\\n")."""
    lines = [_header("FHI", eiwo.control_number, eiwo.state_fips, eiwo.state_ein, eiwo.created_at)]
    total = 0
    for batch in eiwo.batches:
        lines.append(_header("BHI", batch.control_number, eiwo.state_fips, batch.employer_ein, eiwo.created_at))
        lines += [detail_record(order) for order in batch.orders]
        lines.append(_trailer("BTI", batch.control_number, 1, len(batch.orders)))
        total += len(batch.orders)
    lines.append(_trailer("FTI", eiwo.control_number, len(eiwo.batches), total))
    assert all(len(line) == RECORD_LENGTH for line in lines)
    return "\n".join(lines) + "\n"


# --- The employer's acknowledgment file -----------------------------------------------------------------------

STATUS = {"A": "accepted", "R": "rejected"}
# Chart D-4's disposition reasons as the domain note lists them (federal-interfaces.md 3.5).
REASONS = {
    "": "",
    "B": "the SSN matches an employee but the name differs",
    "D": "duplicate order",
    "S": "the employee is in suspense (between assignments, on leave or suspended)",
    "W": "wrong employer FEIN",
    "M": "an identical order from another State is already in place",
    "N": "the employee no longer works for the employer",
    "U": "the person is not known as an employee",
    "O": "other reason",
    "X": "the employer cannot process the order",
    "Z": "no termination",
}
ACTIONS = ("ORG", "AMD", "TRM", "LUM", "EMP")
# An employer-initiated record (action EMP) tells of a lump sum to be paid, a job ended or an employee suspended;
# Kansas reads the kind from the disposition status field (LeB589: L, S, T), the domain note lists them among
# the reasons: either field is read, the status first.
NOTICES = {"L": "lump sum", "T": "termination", "S": "suspension"}
SKIPPED = ("FHA", "BHA", "BTA", "FTA")  # headers and trailers of the acknowledgment file


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    """One ACK record: the employer's answer to an order (ORG, AMD, TRM, LUM) or its own notice (EMP)."""

    line_number: int
    text: str = field(repr=False)  # the record: it holds the employee's SSN
    action: str
    case_id: str
    employer_ein: str
    tracking_number: str  # blank on a notice about an employee the employer received no e-IWO for
    status: str  # "A" or "R"; on a notice, the notice's kind (L, T or S)
    reason: str  # "" or a key of REASONS
    termination_date: date | None
    employee_ssn: str = field(default="", repr=False)  # the nine digits: matches a notice to the employee
    final_payment_date: date | None = None
    final_payment_amount: Decimal | None = None
    new_employer_name: str = ""
    new_employer_address: Address = field(default_factory=Address)
    lump_sum_date: date | None = None
    lump_sum_amount: Decimal | None = None
    lump_sum_type: str = ""
    corrected_ein: str = ""
    multi_iwo_state: str = ""

    @property
    def is_notice(self) -> bool:
        return self.action == "EMP"

    @property
    def accepted(self) -> bool:
        return self.status == "A"

    @property
    def in_words(self) -> str:
        if self.is_notice:
            return f"Employer's notice: {NOTICES[self.status]}"
        words = STATUS[self.status].capitalize()
        return f"{words}: {REASONS[self.reason]}" if self.reason else words


@dataclass(frozen=True, slots=True)
class BadLine:
    line_number: int
    text: str = field(repr=False)  # the line holds the employee's SSN: never stored, never shown
    problem: str


def _read(line: str, name: str) -> str:
    return ACK[name].read(line)


def _code(line: str, name: str) -> str:
    """A one-letter code in a wider field (Kansas: the first non-blank character)."""
    return _read(line, name)[:1]


def _date_field(line: str, name: str) -> date | None:
    text = _read(line, name)
    if not text:
        return None
    day = ccyymmdd(text)
    if day is None:
        raise ValueError(f"the {name.replace('_', ' ')} is not a date CCYYMMDD")
    return day


def _amount_field(line: str, name: str) -> Decimal | None:
    text = _read(line, name)
    if not text or not text.strip("0"):
        return None
    amount = implied_cents(text) if len(text) == AMOUNT_WIDTH else None
    if amount is None:
        raise ValueError(f"the {name.replace('_', ' ')} is not {AMOUNT_WIDTH} digits (two implied decimals)")
    return amount


def _disposition(line: str, action: str) -> tuple[str, str]:
    status, reason = _code(line, "disposition_status"), _code(line, "disposition_reason")
    if action == "EMP":
        kind = status or reason
        if kind not in NOTICES:
            raise ValueError("an employer's notice (EMP) needs its kind: L lump sum, T termination, S suspension")
        return kind, ""
    if status not in STATUS:
        raise ValueError(f"unknown disposition status {status!r} (A accepted, R rejected)")
    if reason not in REASONS:
        raise ValueError(f"unknown disposition reason {reason!r}")
    return status, reason


def _acknowledgment(number: int, line: str) -> Acknowledgment:
    if len(line) < ACK["disposition_reason"].end:
        raise ValueError(f"the record is {len(line)} characters; an ACK record has at least {ACK_LENGTH}")
    action = _read(line, "document_action_code")
    if action not in ACTIONS:
        raise ValueError(f"unknown document action code {action!r}")
    status, reason = _disposition(line, action)
    tracking = _read(line, "document_tracking_number")
    ssn = _read(line, "employee_ssn")
    if action == "EMP":
        if not tracking and not (len(ssn) == 9 and ssn.isdigit()):
            raise ValueError("an employer's notice needs the document tracking number or the employee's SSN")
    elif not tracking:
        raise ValueError("the document tracking number is blank")
    corrected, state = _read(line, "corrected_ein"), _read(line, "multi_iwo_state")
    if corrected and not (len(corrected) == 9 and corrected.isdigit()):
        raise ValueError("the corrected FEIN is not 9 digits")
    if state and not (len(state) == 2 and state.isalpha()):
        raise ValueError("the multi-IWO State code is not two letters")
    return Acknowledgment(
        line_number=number, text=line, action=action, case_id=_read(line, "case_id"),
        employer_ein=_read(line, "employer_ein"), tracking_number=tracking, status=status, reason=reason,
        termination_date=_date_field(line, "termination_date"), employee_ssn=ssn,
        final_payment_date=_date_field(line, "final_payment_date"),
        final_payment_amount=_amount_field(line, "final_payment_amount"),
        new_employer_name=_read(line, "new_employer_name"),
        new_employer_address=Address(
            line1=_read(line, "new_employer_line1"), line2=_read(line, "new_employer_line2"),
            city=_read(line, "new_employer_city"), state=_read(line, "new_employer_state"),
            zip=_read(line, "new_employer_zip") + _read(line, "new_employer_zip4"),
        ),
        lump_sum_date=_date_field(line, "lump_sum_date"), lump_sum_amount=_amount_field(line, "lump_sum_amount"),
        lump_sum_type=_read(line, "lump_sum_type"), corrected_ein=corrected, multi_iwo_state=state,
    )  # fmt: skip


def parse_acknowledgments(lines: Iterable[str]) -> tuple[list[Acknowledgment], list[BadLine]]:
    """Each ACK record, and each line that is neither an ACK nor a header/trailer, with its line number and why."""
    good: list[Acknowledgment] = []
    bad: list[BadLine] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line[:3] in SKIPPED:
            continue
        if line[:3] != "ACK":
            bad.append(BadLine(number, line, f"unknown record type {line[:3]!r}"))
            continue
        try:
            good.append(_acknowledgment(number, line))
        except ValueError as problem:
            bad.append(BadLine(number, line, str(problem)))
    return good, bad


def ack_record(values: dict[str, str]) -> str:
    """An ACK record in the inferred layout (`ACK`), for tests and demonstration files."""
    return _record(ACK, {"document_code": "ACK", **values})[:ACK_LENGTH]
