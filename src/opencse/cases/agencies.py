"""The directory of other IV-D agencies, and the link from a responding interstate case to the agency
that asked for services and its case number there.

On a responding interstate case the collections belong to the initiating agency, which pays the family;
this state forwards them within two business days of receipt (45 CFR 303.7(d)(6)(v)). With an agency and
its remittance account on file, the disbursement run pays by EFT, a NACHA CCD+ credit with the child
support DED addenda (`opencse.ledger.disbursement`); otherwise by check to the address here. The account
number is encrypted at rest (`opencse.security.crypto`) and never logged or audited: only its last four.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from stdnum.us import rtn as stdnum_rtn

from opencse.cases.models import AgencyKind, Case, OtherAgency
from opencse.cases.services import _locked_open_case
from opencse.common.validation import clean_or_raise
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.interfaces.payments import CASE_IDENTIFIER_LENGTH_MAX, is_valid_fips
from opencse.security import crypto
from opencse.security.audit import changes, record_audit, snapshot
from opencse.security.models import User
from opencse.security.policy import require

AGENCY_FIELDS = ["name", "kind", "fips_code", "routing_number", "account_last4", "address_line1", "address_line2",
                 "address_line3", "active"]  # fmt: skip
# DED element separators and terminator: they cannot appear inside DED02 (case identifier).
DED_RESERVED = "*\\,"


@dataclass(frozen=True, slots=True)
class AgencyInput:
    """What an officer enters for an agency. `account_number` None keeps the account on file; "" (with
    an empty routing number) removes it."""

    name: str
    kind: str
    fips_code: str
    routing_number: str = ""
    account_number: str | None = None
    address_line1: str = ""
    address_line2: str = ""
    address_line3: str = ""
    active: bool = True


def _validated(data: AgencyInput, *, has_account: bool) -> list[InvalidInput]:
    errors = []
    if not data.name.strip():
        errors.append(InvalidInput("give the agency's name", field="name"))
    if data.kind not in AgencyKind.values:
        errors.append(InvalidInput("must be state, tribe or country", field="kind"))
    if not is_valid_fips(data.fips_code):
        errors.append(InvalidInput("must be 5 to 7 digits or capital letters (state, county, local)",
                                   field="fips_code"))  # fmt: skip
    routing = data.routing_number
    if routing and not (len(routing) == 9 and routing.isdigit() and stdnum_rtn.is_valid(routing)):
        errors.append(InvalidInput("is not a valid 9-digit ABA routing number", field="routing_number"))
    account = data.account_number
    if account and not (4 <= len(account) <= 17 and account.isalnum() and account.isascii()):
        errors.append(InvalidInput("must be 4 to 17 letters or digits", field="account_number"))
    will_have_account = bool(account) or (account is None and has_account)
    if bool(routing) != will_have_account:
        errors.append(InvalidInput("give both the routing number and the account number, or neither",
                                   field="account_number"))  # fmt: skip
    return errors


def _apply(agency: OtherAgency, data: AgencyInput) -> None:
    agency.name = data.name.strip()
    agency.kind = data.kind
    agency.fips_code = data.fips_code
    agency.routing_number = data.routing_number
    if data.account_number is not None:
        agency.account_number_encrypted = crypto.encrypt(data.account_number) if data.account_number else ""
        agency.account_last4 = data.account_number[-4:]
    agency.address_line1 = data.address_line1.strip()
    agency.address_line2 = data.address_line2.strip()
    agency.address_line3 = data.address_line3.strip()
    agency.active = data.active


@transaction.atomic
def register_agency(*, actor: User, data: AgencyInput) -> OtherAgency:
    """Add another IV-D agency to the directory."""
    require(actor, "agencies.manage")
    errors = _validated(data, has_account=False)
    if errors:
        raise InvalidInputs(errors)
    if OtherAgency.objects.filter(fips_code=data.fips_code).exists():
        raise Conflict(f"An agency with FIPS code {data.fips_code} is already in the directory.")
    agency = OtherAgency()
    _apply(agency, data)
    clean_or_raise(agency)
    agency.save()
    record_audit(actor=actor, action="agency.registered", target=agency, summary=agency.name[:300],
                 after=snapshot(agency, AGENCY_FIELDS))  # fmt: skip
    return agency


@transaction.atomic
def update_agency(*, actor: User, agency: OtherAgency, data: AgencyInput) -> OtherAgency:
    """Change an agency's entry (name, FIPS code, remittance account, check address, active)."""
    require(actor, "agencies.manage")
    agency = OtherAgency.objects.select_for_update().get(pk=agency.pk)
    errors = _validated(data, has_account=agency.has_bank_account)
    if errors:
        raise InvalidInputs(errors)
    if OtherAgency.objects.filter(fips_code=data.fips_code).exclude(pk=agency.pk).exists():
        raise Conflict(f"An agency with FIPS code {data.fips_code} is already in the directory.")
    before = snapshot(agency, AGENCY_FIELDS)
    _apply(agency, data)
    if not agency.routing_number:
        agency.account_number_encrypted, agency.account_last4 = "", ""
    clean_or_raise(agency)
    agency.save()
    old, new = changes(before, snapshot(agency, AGENCY_FIELDS))
    record_audit(actor=actor, action="agency.updated", target=agency, summary=agency.name[:300], before=old,
                 after=new)  # fmt: skip
    return agency


@transaction.atomic
def link_case_to_agency(*, actor: User, case: Case, agency: OtherAgency | None, other_case_identifier: str) -> Case:
    """Name the other agency of an interstate case and its case number there (DED02 of the payments to
    it), or remove the link (`agency` None)."""
    case = _locked_open_case(actor, case, "cases.update")
    identifier = other_case_identifier.strip()
    if agency is None:
        identifier = ""
    elif not 1 <= len(identifier) <= CASE_IDENTIFIER_LENGTH_MAX:
        raise InvalidInput(f"must be 1 to {CASE_IDENTIFIER_LENGTH_MAX} characters", field="other_case_identifier")
    elif not identifier.isascii() or not identifier.isprintable() or any(c in identifier for c in DED_RESERVED):
        raise InvalidInput("must be printable ASCII without '*', '\\' or ','", field="other_case_identifier")
    elif not agency.active:
        raise Conflict(f"{agency.name} is not active in the directory.")
    before = snapshot(case, ["other_agency", "other_case_identifier"])
    case.other_agency = agency
    case.other_case_identifier = identifier
    case.save(update_fields=["other_agency", "other_case_identifier"])
    old, new = changes(before, snapshot(case, ["other_agency", "other_case_identifier"]))
    record_audit(actor=actor, action="case.agency_linked", target=case, case_number=case.number, before=old,
                 after=new)  # fmt: skip
    return case


def other_agencies(*, include_inactive: bool = False) -> QuerySet[OtherAgency]:
    """The directory, by name (a public directory of agencies: any officer who sees cases may read it)."""
    agencies = OtherAgency.objects.order_by("name", "pk")
    return agencies if include_inactive else agencies.filter(active=True)


def other_agency(*, agency_id: int) -> OtherAgency:
    agency = OtherAgency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(f"No agency {agency_id} in the directory.")
    return agency


def agency_directory(*, name: str, kind: str, limit: int) -> list[OtherAgency]:
    """The directory, inactive agencies included, narrowed by part of the name and by kind."""
    found: QuerySet[OtherAgency] = other_agencies(include_inactive=True)
    if name:
        found = found.filter(name__icontains=name)
    if kind:
        found = found.filter(kind=kind)
    return list(found[:limit])
