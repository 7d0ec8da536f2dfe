"""The outgoing direct-deposit file: NACHA PPD credits from the disbursement unit to families' accounts.

Record layouts (NACHA Operating Rules, Appendix Three, "ACH Record Format Specifications"): the positions
are the tables of `opencse.interfaces.nacha_layout`, and the file is written by the one credit-file writer,
`opencse.interfaces.nacha.write_credit_file`; this module builds only the PPD entries:

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from stdnum.us import rtn as stdnum_rtn

from opencse.errors import InvalidInput
from opencse.interfaces.nacha import CreditBatch, CreditEntry, entry_detail, write_credit_file
from opencse.interfaces.nacha_layout import field_text, number_text
from opencse.interfaces.payments import amount_to_cents
from opencse.rules.money import ZERO, is_whole_cents

TRANSACTION_CODES = {"checking": "22", "savings": "32"}
ENTRY_DESCRIPTION = "CHILD SUPP"


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
    odfi = check_originator(originator)
    entries = [
        CreditEntry(records=(_entry(credit, odfi),), routing_number=credit.routing_number,
                    cents=amount_to_cents(credit.amount))
        for credit in credits
    ]  # fmt: skip
    return credit_file(originator, entries, standard_entry_class="PPD", effective_on=effective_on,
                       created_at=created_at, file_id_modifier="A")  # fmt: skip


def check_originator(originator: Originator) -> str:
    """The originating DFI (the first 8 digits of the bank's routing number), once the routing number is valid."""
    if not (len(originator.bank_routing) == 9 and stdnum_rtn.is_valid(originator.bank_routing)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="bank_routing")
    return originator.bank_routing[:8]


def credit_file(
    originator: Originator,
    entries: Sequence[CreditEntry],
    *,
    standard_entry_class: str,
    effective_on: date,
    created_at: datetime,
    file_id_modifier: str,
) -> str:
    """The disbursement unit's file of one credit batch to its bank (`write_credit_file`): the bank is the
    immediate destination and origin and the originating DFI; the unit is the company."""
    batch = CreditBatch(
        company_name=originator.company_name,
        company_identification=originator.company_id,
        standard_entry_class=standard_entry_class,
        company_entry_description=ENTRY_DESCRIPTION,
        effective_on=effective_on,
        entries=entries,
    )
    return write_credit_file(
        [batch],
        immediate_destination=originator.bank_routing,
        immediate_destination_name=originator.bank_name,
        immediate_origin=originator.bank_routing,
        immediate_origin_name=originator.company_name,
        originating_dfi=check_originator(originator),
        created_at=created_at,
        file_id_modifier=file_id_modifier,
    )


def _entry(credit: Credit, odfi: str) -> str:
    if not (len(credit.routing_number) == 9 and stdnum_rtn.is_valid(credit.routing_number)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="routing_number")
    if credit.account_type not in TRANSACTION_CODES:
        raise InvalidInput("must be checking or savings", field="account_type")
    if credit.amount <= ZERO or not is_whole_cents(credit.amount):
        raise InvalidInput("must be a positive amount in whole cents", field="amount")
    if not (len(credit.trace_number) == 15 and credit.trace_number.isdigit() and credit.trace_number.startswith(odfi)):
        raise InvalidInput("must be 15 digits beginning with the originating DFI", field="trace_number")
    return entry_detail(
        transaction_code=TRANSACTION_CODES[credit.account_type],
        routing_number=credit.routing_number,
        account_number=field_text(credit.account_number, 17, name="account_number"),
        cents=amount_to_cents(credit.amount),
        identification_number=field_text(credit.individual_id[:15], 15, name="individual_id"),
        receiving_name=field_text(credit.individual_name.upper()[:22], 22, name="individual_name"),
        has_addenda=False,
        trace_number=credit.trace_number,
    )
