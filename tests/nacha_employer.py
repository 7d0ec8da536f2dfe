"""An employer's CCD+ remittance file with DED addenda, for tests and benchmarks (not part of the product).

OpenCSE reads these files (`opencse.interfaces.nacha.read_nacha`) but never writes one: an employer does.
The tests and `bench/ledger_bench.py` need them in quantity, so this builds one with the product's own
credit-file writer and record layouts (`write_credit_file`, `entry_detail`, `ded_addenda`), which is what
makes a file written here and read there a test of both halves of one layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from stdnum.us import rtn as stdnum_rtn

from opencse.errors import InvalidInput
from opencse.interfaces.ded import DedSegment
from opencse.interfaces.nacha import (
    CREDIT_CODES,
    ZERO_DOLLAR_CODES,
    CreditBatch,
    CreditEntry,
    ded_addenda,
    entry_detail,
    write_credit_file,
)
from opencse.interfaces.nacha_layout import field_text, number_text
from opencse.interfaces.payments import (
    AMOUNT_CENTS_MAX,
    CASE_IDENTIFIER_LENGTH_MAX,
    PaymentRecord,
    amount_to_cents,
    is_valid_fips,
    is_valid_ssn,
)
from opencse.rules.money import ZERO, is_whole_cents

_PRINTABLE = re.compile(r"[\x20-\x7e]*")
_DIGITS = re.compile(r"[0-9]+")


def write_nacha_ccd(
    payments: Sequence[PaymentRecord],
    *,
    immediate_destination: str,
    immediate_destination_name: str,
    immediate_origin: str,
    immediate_origin_name: str,
    originating_dfi: str,
    receiving_routing_number: str,
    receiving_account_number: str,
    receiving_name: str,
    created_at: datetime,
    file_id_modifier: str = "A",
    effective_entry_date: date | None = None,
    receiving_account_type: Literal["checking", "savings"] = "checking",
    company_entry_description: str = "CHILD SUPP",
) -> str:
    """A CCD+ file with one DED addenda per payment, ready for `read_nacha`.

    Payments are grouped into one batch per employer (name, FEIN) and effective entry date, in
    first-appearance order; each payment's own `effective_entry_date` wins over the argument. A payment
    with a 15-digit trace number keeps it (it must begin with `originating_dfi`); one with an empty trace
    number is given the next unused sequence number. Anything that does not fit raises `InvalidInput`.
    """
    _check_file_arguments(immediate_destination, immediate_origin, originating_dfi, receiving_routing_number)
    traces = _trace_numbers(payments, originating_dfi)
    code = "22" if receiving_account_type == "checking" else "32"
    account = field_text(receiving_account_number, 17, name="receiving_account_number")
    name = field_text(receiving_name[:22], 22, name="receiving_name")
    grouped: dict[tuple[str, str, date], list[CreditEntry]] = {}
    for payment, trace_number in zip(payments, traces, strict=True):
        effective = payment.effective_entry_date or effective_entry_date
        if effective is None:
            raise InvalidInput("is needed when a payment has none", field="effective_entry_date")
        segment = _ded_for(payment)
        entry = entry_detail(
            transaction_code=ZERO_DOLLAR_CODES[CREDIT_CODES.index(code)] if segment.amount_cents == 0 else code,
            routing_number=receiving_routing_number,
            account_number=account,
            cents=segment.amount_cents,
            identification_number=" " * 15,
            receiving_name=name,
            has_addenda=True,
            trace_number=trace_number,
        )
        records = (entry, ded_addenda(segment, trace_number))
        key = (payment.employer_name, payment.employer_fein, effective)
        grouped.setdefault(key, []).append(CreditEntry(records, receiving_routing_number, segment.amount_cents))
    batches = [
        CreditBatch(
            company_name=employer_name,
            company_identification=_company_identification(employer_fein),
            standard_entry_class="CCD",
            company_entry_description=company_entry_description,
            effective_on=effective,
            entries=entries,
        )
        for (employer_name, employer_fein, effective), entries in grouped.items()
    ]
    return write_credit_file(
        batches,
        immediate_destination=immediate_destination,
        immediate_destination_name=immediate_destination_name,
        immediate_origin=immediate_origin,
        immediate_origin_name=immediate_origin_name,
        originating_dfi=originating_dfi,
        created_at=created_at,
        file_id_modifier=file_id_modifier,
    )


def _is_digits(text: str, length: int) -> bool:
    return len(text) == length and bool(_DIGITS.fullmatch(text))


def _check_file_arguments(destination: str, origin: str, originating_dfi: str, receiving_routing: str) -> None:
    if not (_is_digits(destination, 9) and stdnum_rtn.is_valid(destination)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="immediate_destination")
    if not origin.strip() or len(origin) > 10:
        raise InvalidInput("must be 1 to 10 characters", field="immediate_origin")
    if not _is_digits(originating_dfi, 8):
        raise InvalidInput("must be the first 8 digits of a routing number", field="originating_dfi")
    if not (_is_digits(receiving_routing, 9) and stdnum_rtn.is_valid(receiving_routing)):
        raise InvalidInput("must be a 9-digit ABA routing number", field="receiving_routing_number")


def _company_identification(employer_fein: str) -> str:
    if _is_digits(employer_fein, 9):
        return "1" + employer_fein
    return field_text(employer_fein, 10, name="employer_fein")


def _trace_numbers(payments: Sequence[PaymentRecord], originating_dfi: str) -> list[str]:
    given = [payment.trace_number for payment in payments]
    for trace_number in given:
        if trace_number and not (_is_digits(trace_number, 15) and trace_number.startswith(originating_dfi)):
            raise InvalidInput("must be empty or 15 digits beginning with the originating DFI", field="trace_number")
    if len(set(filter(None, given))) != len(list(filter(None, given))):
        raise InvalidInput("must be unique within a file", field="trace_number")
    used = {int(trace_number[8:]) for trace_number in given if trace_number}
    sequence = 0
    traces = []
    for trace_number in given:
        if not trace_number:
            sequence += 1
            while sequence in used:
                sequence += 1
            trace_number = originating_dfi + number_text(sequence, 7, name="trace_number")
        traces.append(trace_number)
    return traces


def _ded_for(payment: PaymentRecord) -> DedSegment:
    amount = payment.amount
    if not is_whole_cents(amount) or amount < ZERO or amount_to_cents(amount) > AMOUNT_CENTS_MAX:
        raise InvalidInput("must be whole cents from 0.00 to 99999999.99", field="amount")
    if amount == ZERO and not payment.employment_terminated:
        raise InvalidInput("may be zero only with employment_terminated", field="amount")
    if not is_valid_ssn(payment.obligor_ssn):
        raise InvalidInput("must be a valid 9-digit SSN (DED05 is mandatory)", field="obligor_ssn")
    case_identifier = payment.case_identifier.strip()
    if not 1 <= len(case_identifier) <= CASE_IDENTIFIER_LENGTH_MAX:
        raise InvalidInput(f"must be 1 to {CASE_IDENTIFIER_LENGTH_MAX} characters", field="case_identifier")
    if payment.fips_code and not is_valid_fips(payment.fips_code):
        raise InvalidInput("must be empty or 5 to 7 letters or digits", field="fips_code")
    for name, value in (
        ("case_identifier", case_identifier),
        ("obligor_last_name", payment.obligor_last_name),
        ("obligor_first_name", payment.obligor_first_name),
    ):
        if any(character in value for character in "*\\,") or not _PRINTABLE.fullmatch(value):
            raise InvalidInput("must not hold '*', '\\', ',' or non-ASCII characters", field=name)
    return DedSegment(
        case_identifier=case_identifier,
        payment_date=payment.payment_date,
        amount_cents=amount_to_cents(amount),
        obligor_ssn=payment.obligor_ssn,
        medical_support_code="Y" if payment.medical_support else "N",
        obligor_last_name=payment.obligor_last_name,
        obligor_first_name=payment.obligor_first_name,
        fips_code=payment.fips_code,
        employment_terminated=payment.employment_terminated,
    )
