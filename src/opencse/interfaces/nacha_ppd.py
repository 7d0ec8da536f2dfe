"""The outgoing direct-deposit file: NACHA PPD credits from the disbursement unit to families' accounts.

Record layouts (NACHA Operating Rules, Appendix Three, "ACH Record Format Specifications"; the same
positions as the CCD+ file of `opencse.interfaces.nacha`, whose header and control writers this reuses):

    5 Batch Header    SEC code "PPD" (consumer accounts), service class "220" (credits only)
    6 Entry Detail    1 "6" | 2-3 transaction code: 22 checking credit, 32 savings credit
                      | 4-11 receiving DFI identification | 12 check digit | 13-29 DFI account number
                      | 30-39 amount in cents | 40-54 individual identification number (the case number)
                      | 55-76 individual name | 77-78 discretionary data | 79 addenda indicator "0"
                      | 80-94 trace number (80-87 originating DFI, 88-94 sequence)

One batch per effective entry date; no addenda (the payment is identified to the family by the case
number in the individual identification number).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from stdnum.us import rtn as stdnum_rtn

from opencse.errors import InvalidInput
from opencse.interfaces.nacha import BLOCKING_FACTOR, ENTRY_HASH_MODULUS, PADDING_RECORD, field_text, number_text
from opencse.interfaces.payments import amount_to_cents
from opencse.rules.money import ZERO, is_whole_cents

TRANSACTION_CODES = {"checking": "22", "savings": "32"}
SERVICE_CLASS_CREDITS = "220"


@dataclass(frozen=True, slots=True)
class Credit:
    """One direct deposit: who, which account, how much, and its trace number (15 digits)."""

    routing_number: str
    account_number: str
    account_type: str  # "checking" or "savings"
    amount: Decimal
    individual_id: str  # the case number
    individual_name: str
    trace_number: str


@dataclass(frozen=True, slots=True)
class Originator:
    """The disbursement unit as the bank knows it."""

    bank_routing: str  # the ODFI: immediate destination and originating DFI
    bank_name: str
    company_name: str
    company_id: str  # 10 characters: "1" + the agency's FEIN


def trace_number(originator: Originator, sequence: int) -> str:
    return originator.bank_routing[:8] + number_text(sequence, 7, name="trace_number")


def write_ppd_credits(
    credits: Sequence[Credit], *, originator: Originator, effective_on: date, created_at: datetime
) -> str:
    """A complete, blocked PPD credit file for `credits` (one batch, dated `effective_on`)."""
    odfi = _check_originator(originator, created_at)
    entries = [CreditRecords(lines=[_entry(credit, odfi)], routing_number=credit.routing_number,
                             cents=amount_to_cents(credit.amount)) for credit in credits]  # fmt: skip
    return credit_file(entries, originator=originator, effective_on=effective_on, created_at=created_at,
                       standard_entry_class="PPD", file_id_modifier="A")  # fmt: skip


@dataclass(frozen=True, slots=True)
class CreditRecords:
    """One credit's records in a file (the entry detail, and its addenda if any), for the controls."""

    lines: list[str]
    routing_number: str
    cents: int


def _check_originator(originator: Originator, created_at: datetime) -> str:
    """The originating DFI (the first 8 digits of the bank's routing number), once the arguments are valid."""
    if not (len(originator.bank_routing) == 9 and stdnum_rtn.is_valid(originator.bank_routing)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="bank_routing")
    if created_at.tzinfo is None:
        raise InvalidInput("must be timezone-aware", field="created_at")
    return originator.bank_routing[:8]


def credit_file(
    entries: Sequence[CreditRecords],
    *,
    originator: Originator,
    effective_on: date,
    created_at: datetime,
    standard_entry_class: str,
    file_id_modifier: str,
) -> str:
    """A blocked file of one credit batch: file header, batch header, the entries' records, batch and file
    controls (counts, entry hash, total credits), filled to a multiple of ten records."""
    odfi = _check_originator(originator, created_at)
    company_id = field_text(originator.company_id, 10, name="company_id")
    lines = [
        "101"
        + (" " + originator.bank_routing)
        + (" " + originator.bank_routing)
        + created_at.strftime("%y%m%d%H%M")
        + file_id_modifier
        + "094101"
        + field_text(originator.bank_name[:23], 23, name="bank_name")
        + field_text(originator.company_name[:23], 23, name="company_name")
        + " " * 8,
        "5"
        + SERVICE_CLASS_CREDITS
        + field_text(originator.company_name[:16], 16, name="company_name")
        + " " * 20
        + company_id
        + standard_entry_class
        + field_text("CHILD SUPP", 10, name="entry_description")
        + " " * 6
        + effective_on.strftime("%y%m%d")
        + "   "
        + "1"
        + odfi
        + "0000001",
    ]
    for entry in entries:
        lines += entry.lines
    count = sum(len(entry.lines) for entry in entries)
    hash_text = str(sum(int(entry.routing_number[:8]) for entry in entries) % ENTRY_HASH_MODULUS).zfill(10)
    credit_cents = sum(entry.cents for entry in entries)
    lines.append(
        "8"
        + SERVICE_CLASS_CREDITS
        + number_text(count, 6, name="entry/addenda count")
        + hash_text
        + "0" * 12
        + number_text(credit_cents, 12, name="total credit amount")
        + company_id
        + " " * 25
        + odfi
        + "0000001"
    )
    record_count = len(lines) + 1
    lines.append(
        "9"
        + number_text(1, 6, name="batch count")
        + number_text(math.ceil(record_count / BLOCKING_FACTOR), 6, name="block count")
        + number_text(count, 8, name="entry/addenda count")
        + hash_text
        + "0" * 12
        + number_text(credit_cents, 12, name="total credit amount")
        + " " * 39
    )
    lines += [PADDING_RECORD] * (-len(lines) % BLOCKING_FACTOR)
    assert all(len(line) == 94 for line in lines)
    return "\n".join(lines) + "\n"


def _entry(credit: Credit, odfi: str) -> str:
    if not (len(credit.routing_number) == 9 and stdnum_rtn.is_valid(credit.routing_number)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="routing_number")
    if credit.account_type not in TRANSACTION_CODES:
        raise InvalidInput("must be checking or savings", field="account_type")
    if credit.amount <= ZERO or not is_whole_cents(credit.amount):
        raise InvalidInput("must be a positive amount in whole cents", field="amount")
    if not (len(credit.trace_number) == 15 and credit.trace_number.isdigit() and credit.trace_number.startswith(odfi)):
        raise InvalidInput("must be 15 digits beginning with the originating DFI", field="trace_number")
    return (
        "6"
        + TRANSACTION_CODES[credit.account_type]
        + credit.routing_number
        + field_text(credit.account_number, 17, name="account_number")
        + number_text(amount_to_cents(credit.amount), 10, name="amount")
        + field_text(credit.individual_id[:15], 15, name="individual_id")
        + field_text(credit.individual_name.upper()[:22], 22, name="individual_name")
        + "  "
        + "0"
        + credit.trace_number
    )
