"""The outgoing interstate file: NACHA CCD+ credits with the child support DED addenda, from this state's
disbursement unit to other IV-D agencies (responding interstate cases; 45 CFR 303.7(d)(6)(v)).

Record layouts: the tables of `opencse.interfaces.nacha_layout` (NACHA Operating Rules, Appendix Three;
NACHA, "User Guide for Electronic Child Support Payments Using the Child Support Application Banking
Convention", v9.0); the file is written by the one credit-file writer (`nacha.write_credit_file`, through
`nacha_ppd.credit_file`), and this module builds only the entries and their DED addenda:

    5 Batch Header    SEC "CCD", service class "220" (credits only); company: the disbursement unit
    6 Entry Detail    1 "6" | 2-3 "22" checking credit | 4-12 the agency's routing number | 13-29 its
                      account | 30-39 amount (cents) | 40-54 identification number: this state's case
                      number | 55-76 receiving company name: the agency | 79 addenda indicator "1"
                      | 80-94 trace number
    7 Addenda         "705" + the DED segment + "0001" + the entry's sequence (trace positions 88-94)

A disbursement run pays many agencies, so each entry has its own receiver; the DED segment
(`opencse.interfaces.ded`) is validated here before it is written. One batch per effective entry date. The
file ID modifier is "B" so that the run's PPD file ("A"), created the same minute for the same bank, has
a different file ID (NACHA: origin, creation date and time and modifier identify a file).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from stdnum.us import rtn as stdnum_rtn

from opencse.errors import InvalidInput
from opencse.interfaces.ded import DedSegment
from opencse.interfaces.nacha import CreditEntry, ded_addenda, entry_detail
from opencse.interfaces.nacha_layout import field_text
from opencse.interfaces.nacha_ppd import Originator, check_originator, credit_file
from opencse.interfaces.payments import CASE_IDENTIFIER_LENGTH_MAX, amount_to_cents, is_valid_fips, is_valid_ssn
from opencse.rules.money import ZERO, is_whole_cents

FILE_ID_MODIFIER = "B"
CHECKING_CREDIT = "22"
_DED_TEXT = re.compile(r"[\x20-\x7e]*")
_NOT_A_NAME_LETTER = re.compile(r"[^A-Za-z '\-]")


@dataclass(frozen=True, slots=True)
class AgencyCredit:
    """One payment to another IV-D agency: its account, and the DED that identifies the case to it."""

    routing_number: str
    account_number: str
    agency_name: str
    case_number: str  # this state's case number (the entry's identification number)
    trace_number: str
    amount: Decimal
    case_identifier: str  # DED02: the receiving agency's case number
    payment_date: date  # DED03: the collection date
    obligor_ssn: str  # DED05
    obligor_last_name: str
    obligor_first_name: str
    fips_code: str  # DED08: the receiving agency's


def ded_segment(credit: AgencyCredit) -> DedSegment:
    """DED for an interstate payment: medical support "N" (not a medical support payment), employment
    termination omitted (DED09 is "Y" or absent)."""
    if credit.amount <= ZERO or not is_whole_cents(credit.amount):
        raise InvalidInput("must be a positive amount in whole cents", field="amount")
    if not is_valid_ssn(credit.obligor_ssn):
        raise InvalidInput("must be a valid 9-digit SSN (DED05 is mandatory)", field="obligor_ssn")
    identifier = credit.case_identifier.strip()
    if not 1 <= len(identifier) <= CASE_IDENTIFIER_LENGTH_MAX or any(c in identifier for c in "*\\,"):
        raise InvalidInput(f"must be 1 to {CASE_IDENTIFIER_LENGTH_MAX} characters, no '*', '\\' or ','",
                           field="case_identifier")  # fmt: skip
    if not _DED_TEXT.fullmatch(identifier):
        raise InvalidInput("holds characters outside printable ASCII", field="case_identifier")
    if not is_valid_fips(credit.fips_code):
        raise InvalidInput("must be 5 to 7 letters or digits", field="fips_code")
    return DedSegment(
        case_identifier=identifier,
        payment_date=credit.payment_date,
        amount_cents=amount_to_cents(credit.amount),
        obligor_ssn=credit.obligor_ssn,
        medical_support_code="N",
        # DED07 takes letters: accents are dropped (Peña: PENA), separators ("*", "\", ",") would break it.
        obligor_last_name=_NOT_A_NAME_LETTER.sub("", _ascii(credit.obligor_last_name).upper()),
        obligor_first_name=_NOT_A_NAME_LETTER.sub("", _ascii(credit.obligor_first_name).upper()),
        fips_code=credit.fips_code,
        employment_terminated=False,
    )


def _ascii(text: str) -> str:
    """`text` in ASCII, accents dropped: NACHA records hold printable ASCII only."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def write_ccd_credits(
    credits: Sequence[AgencyCredit], *, originator: Originator, effective_on: date, created_at: datetime
) -> str:
    """A complete, blocked CCD+ credit file for `credits` (one batch, dated `effective_on`)."""
    if len({credit.trace_number for credit in credits}) != len(credits):
        raise InvalidInput("must be unique within a file", field="trace_number")
    odfi = check_originator(originator)
    entries = [
        CreditEntry(records=_entry_and_addenda(credit, odfi), routing_number=credit.routing_number,
                    cents=amount_to_cents(credit.amount))
        for credit in credits
    ]  # fmt: skip
    return credit_file(originator, entries, standard_entry_class="CCD", effective_on=effective_on,
                       created_at=created_at, file_id_modifier=FILE_ID_MODIFIER)  # fmt: skip


def _entry_and_addenda(credit: AgencyCredit, odfi: str) -> tuple[str, str]:
    if not (len(credit.routing_number) == 9 and credit.routing_number.isdigit()
            and stdnum_rtn.is_valid(credit.routing_number)):  # fmt: skip
        raise InvalidInput("must be a 9-digit ABA routing number", field="routing_number")
    trace = credit.trace_number
    if not (len(trace) == 15 and trace.isdigit() and trace.startswith(odfi)):
        raise InvalidInput("must be 15 digits beginning with the originating DFI", field="trace_number")
    segment = ded_segment(credit)
    addenda = ded_addenda(segment, trace)
    entry = entry_detail(
        transaction_code=CHECKING_CREDIT,
        routing_number=credit.routing_number,
        account_number=field_text(credit.account_number, 17, name="account_number"),
        cents=segment.amount_cents,
        identification_number=field_text(credit.case_number[:15], 15, name="case_number"),
        receiving_name=field_text(_ascii(credit.agency_name).upper()[:22], 22, name="agency_name"),
        has_addenda=True,
        trace_number=trace,
    )
    return entry, addenda
