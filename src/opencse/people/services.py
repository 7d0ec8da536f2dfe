"""Changing people: each service checks the policy, validates, writes one audit row, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.us import ein as ein_rules
from stdnum.us import ssn as ssn_rules

from opencse.common.validation import clean_or_raise
from opencse.errors import Conflict, InvalidInput
from opencse.people.models import Address, Alias, Employer, Employment, Person
from opencse.people.selectors import person_for_viewer
from opencse.security.audit import changes, record_audit, snapshot
from opencse.security.crypto import blind_index, decrypt, encrypt
from opencse.security.models import User
from opencse.security.policy import require

PERSON_FIELDS = [
    "first_name", "middle_name", "last_name", "suffix", "date_of_birth", "sex", "phone", "email", "language",
    "date_of_death", "tribal_affiliation", "family_violence", "family_violence_since",
]  # fmt: skip
EDITABLE_FIELDS = frozenset(PERSON_FIELDS) - {"family_violence", "family_violence_since"}


def normalized_ssn(text: str) -> str:
    """The nine digits of a valid SSN (python-stdnum's rules: no 000/666/9xx area, no 00 group...)."""
    try:
        return str(ssn_rules.validate(text))
    except Exception:  # stdnum raises several ValidationError subclasses; all mean the same to a user
        raise InvalidInput("is not a valid Social Security number", field="ssn") from None


def _store_ssn(person: Person, ssn: str) -> None:
    digits = normalized_ssn(ssn)
    index = blind_index(digits)
    if Person.objects.filter(ssn_index=index).exclude(pk=person.pk).exists():
        raise Conflict("Another person already has this SSN: search for them before adding a new person.")
    person.ssn_encrypted, person.ssn_index, person.ssn_last4 = encrypt(digits), index, digits[-4:]


def _check_dates(person: Person) -> None:
    today = timezone.localdate()
    if person.date_of_birth and person.date_of_birth > today:
        raise InvalidInput("cannot be in the future", field="date_of_birth")
    if person.date_of_death and person.date_of_death > today:
        raise InvalidInput("cannot be in the future", field="date_of_death")
    if person.date_of_birth and person.date_of_birth.year < 1900:
        raise InvalidInput("must be in 1900 or later", field="date_of_birth")


@transaction.atomic
def create_person(*, actor: User, ssn: str = "", **fields: Any) -> Person:
    require(actor, "people.create")
    unknown = set(fields) - EDITABLE_FIELDS
    assert not unknown, f"not person fields: {unknown}"
    person = Person(**fields)
    _check_dates(person)
    if ssn:
        _store_ssn(person, ssn)
    clean_or_raise(person)
    person.save()
    record_audit(
        actor=actor,
        action="person.created",
        target=person,
        summary=person.full_name,
        after=snapshot(person, PERSON_FIELDS) | {"ssn": person.ssn_masked},
    )
    return person


@transaction.atomic
def update_person(*, actor: User, person: Person, ssn: str = "", **fields: Any) -> Person:
    require(actor, "people.update")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    unknown = set(fields) - EDITABLE_FIELDS
    assert not unknown, f"not person fields: {unknown}"
    before = snapshot(person, PERSON_FIELDS) | {"ssn": person.ssn_masked}
    for name, value in fields.items():
        setattr(person, name, value)
    _check_dates(person)
    if ssn:
        _store_ssn(person, ssn)
    clean_or_raise(person)
    person.save()
    old, new = changes(before, snapshot(person, PERSON_FIELDS) | {"ssn": person.ssn_masked})
    record_audit(actor=actor, action="person.updated", target=person, summary=person.full_name, before=old, after=new)
    return person


@transaction.atomic
def set_family_violence(*, actor: User, person: Person, protected: bool, since: date | None = None) -> Person:
    """Set or clear the family violence indicator (42 U.S.C. 653(b)(2); 45 CFR 307.11(f)(1)(x))."""
    require(actor, "people.set_family_violence")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    before = {"family_violence": person.family_violence}
    person.family_violence = protected
    person.family_violence_since = (since or timezone.localdate()) if protected else None
    person.save(update_fields=["family_violence", "family_violence_since"])
    record_audit(
        actor=actor,
        action="person.family_violence_set",
        target=person,
        before=before,
        after={"family_violence": protected},
    )
    return person


@transaction.atomic
def reveal_ssn(*, actor: User, person: Person) -> str:
    """The full SSN, for a permitted role; every reveal is audited."""
    require(actor, "people.reveal_ssn")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    if not person.ssn_encrypted:
        raise InvalidInput("This person has no SSN on file.", field="ssn")
    record_audit(actor=actor, action="person.ssn_revealed", target=person, summary=person.ssn_masked)
    return decrypt(person.ssn_encrypted)


def record_protected_view(*, actor: User, person: Person) -> None:
    """Audit a cleared viewer's look at a family-violence-protected address."""
    if person.family_violence:
        record_audit(actor=actor, action="person.protected_address_viewed", target=person)


@transaction.atomic
def add_alias(
    *, actor: User, person: Person, last_name: str, first_name: str = "", kind: str = Alias.Kind.ALIAS
) -> Alias:
    require(actor, "people.update")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    alias = Alias(person=person, last_name=last_name, first_name=first_name, kind=kind)
    clean_or_raise(alias)
    alias.save()
    record_audit(
        actor=actor, action="alias.added", target=alias, after=snapshot(alias, ["kind", "first_name", "last_name"])
    )
    return alias


ADDRESS_FIELDS = [
    "kind",
    "line1",
    "line2",
    "city",
    "state",
    "postal_code",
    "source",
    "verification",
    "verified_on",
    "effective_on",
    "ended_on",
]


@transaction.atomic
def add_address(*, actor: User, person: Person, **fields: Any) -> Address:
    require(actor, "people.update")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    address = Address(person=person, **fields)
    if address.verification == Address.Verification.VERIFIED and address.verified_on is None:
        address.verified_on = timezone.localdate()
    clean_or_raise(address)
    address.save()
    after = {"protected": True} if person.family_violence else snapshot(address, ADDRESS_FIELDS)
    record_audit(actor=actor, action="address.added", target=address, after=after)
    return address


def normalized_fein(text: str) -> str:
    try:
        return str(ein_rules.compact(ein_rules.validate(text)))
    except Exception:  # any stdnum ValidationError
        raise InvalidInput("is not a valid FEIN (nine digits, a valid IRS prefix)", field="fein") from None


@transaction.atomic
def add_employment(
    *,
    actor: User,
    person: Person,
    employer_name: str,
    fein: str = "",
    started_on: date | None = None,
    verified: bool = False,
    employer: Employer | None = None,
    **employer_fields: Any,
) -> Employment:
    """Record that a person works for an employer: the `employer` chosen from a search, else the one
    matched by FEIN when given, else a new employer."""
    require(actor, "people.update")
    person = person_for_viewer(viewer=actor, person_id=person.pk)
    fein_digits = normalized_fein(fein) if fein else ""
    if employer is None and fein_digits:
        employer = Employer.objects.filter(fein=fein_digits).first()
    if employer is None:
        employer = Employer(name=employer_name, fein=fein_digits, **employer_fields)
        clean_or_raise(employer)
        employer.save()
    employment = Employment(
        person=person,
        employer=employer,
        started_on=started_on,
        verified=verified,
        verified_on=timezone.localdate() if verified else None,
    )
    clean_or_raise(employment)
    employment.save()
    record_audit(
        actor=actor,
        action="employment.added",
        target=employment,
        after={"employer": employer.name, "fein": employer.fein, "started_on": str(started_on or "")},
    )
    return employment


@transaction.atomic
def end_address(*, actor: User, address: Address, ended_on: date, bad: bool = False) -> Address:
    """Record that a person no longer lives or receives mail at an address; `bad` marks it a bad address
    (returned mail, a false report), so no document is sent there again (selectors.address_lines_for_documents)."""
    require(actor, "people.update")
    person = person_for_viewer(viewer=actor, person_id=address.person_id)
    address = Address.objects.select_for_update().get(pk=address.pk, person=person)
    if address.ended_on is not None:
        raise Conflict(f"This address already ended on {address.ended_on:%m/%d/%Y}.")
    if ended_on > timezone.localdate():
        raise InvalidInput("cannot be in the future", field="ended_on")
    if ended_on < address.effective_on:
        raise InvalidInput("cannot be before the address took effect", field="ended_on")
    before = snapshot(address, ["ended_on", "verification"])
    address.ended_on = ended_on
    if bad:
        address.verification = Address.Verification.BAD
    clean_or_raise(address)
    address.save(update_fields=["ended_on", "verification"])
    old, new = changes(before, snapshot(address, ["ended_on", "verification"]))
    record_audit(actor=actor, action="address.ended", target=address, before=old, after=new)
    return address
