"""Changing people: each service checks the policy, validates, writes one audit row, in one transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum.us import ein as ein_rules
from stdnum.us import ssn as ssn_rules

from opencse.common.events import publish
from opencse.common.validation import check_not_future, clean_or_raise, future_dates
from opencse.errors import Conflict, InvalidInput, InvalidInputs, TooManyRequests
from opencse.people import selectors
from opencse.people.events import EmploymentVerified
from opencse.people.models import Address, Alias, Employer, Employment, NameKey, Person
from opencse.people.names import person_keys
from opencse.people.selectors import person_for_viewer, ssn_search_terms, visible_people
from opencse.security.audit import changes, record_audit, snapshot
from opencse.security.crypto import blind_index, decrypt, encrypt
from opencse.security.models import AuditEvent, User
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


# An exact-SSN lookup (a search by the full number, or a number typed on a person and checked against
# everyone on file) could recover a full SSN from its masked last four by trying numbers: each one is
# audited and a user gets SSN_LOOKUPS_MAXIMUM of them in any SSN_LOOKUP_WINDOW_MINUTES (settings may
# change both). The count is read from the audit trail itself, so it holds across every worker process.
SSN_LOOKUP_ACTIONS = ("person.ssn_searched", "person.ssn_entered")


def _ssn_lookups_left(actor: User) -> int:
    """How many exact-SSN lookups `actor` may still make now. Locks the user's row: one lookup at a time."""
    User.objects.select_for_update().filter(pk=actor.pk).first()
    maximum: int = getattr(settings, "SSN_LOOKUPS_MAXIMUM", 20)
    window = timedelta(minutes=getattr(settings, "SSN_LOOKUP_WINDOW_MINUTES", 10))
    recent = AuditEvent.objects.filter(actor=actor, action__in=SSN_LOOKUP_ACTIONS, at__gte=timezone.now() - window)
    return maximum - recent.count()


def _too_many_lookups() -> TooManyRequests:
    minutes = getattr(settings, "SSN_LOOKUP_WINDOW_MINUTES", 10)
    return TooManyRequests(
        f"You have used every full-SSN search allowed in {minutes} minutes. Wait a few minutes, or search by"
        " name, date of birth and the last four digits. Every full-SSN search is in the audit trail.",
        field="ssn",
    )


def _masked(digits: str) -> str:
    return f"***-**-{digits[-4:]}"


def search_people(
    *, actor: User, name: str = "", date_of_birth: date | None = None, ssn: str = "", limit: int = 50
) -> list[Person]:
    """People the actor may see matching every criterion given: name, date of birth, SSN (the last four,
    or the full nine digits). A full-SSN search is audited (`person.ssn_searched`: the last four and the
    people found) and limited; a refused one is audited too (`person.ssn_search_refused`)."""
    require(actor, "people.view")
    kind, digits = ssn_search_terms(ssn) if ssn.strip() else ("", "")
    criteria: dict[str, Any] = {"viewer": actor, "name": name, "date_of_birth": date_of_birth, "limit": limit}
    if kind != "full":
        return list(selectors.search_people(**criteria, ssn_last4=digits))
    with transaction.atomic():
        allowed = _ssn_lookups_left(actor) > 0
        found = list(selectors.search_people(**criteria, ssn_index=blind_index(digits))) if allowed else []
        record_audit(
            actor=actor,
            action="person.ssn_searched" if allowed else "person.ssn_search_refused",
            target=actor,
            summary=f"{_masked(digits)}: {len(found)} found" if allowed else f"{_masked(digits)}: over the limit",
            after={"ssn": _masked(digits), "found": [person.pk for person in found]},
        )
    if not allowed:
        raise _too_many_lookups()
    return found


def _store_ssn(*, actor: User, person: Person, ssn: str) -> list[int]:
    """Put the SSN on `person` (not yet saved). A person the actor may see with the same SSN refuses it;
    people the actor may not see are not told of: their ids are returned, for a flag (`_audit_ssn_entered`)."""
    digits = normalized_ssn(ssn)
    if _ssn_lookups_left(actor) <= 0:
        raise _too_many_lookups()
    index = blind_index(digits)
    holders = Person.objects.filter(ssn_index=index).exclude(pk=person.pk or 0)
    if visible_people(actor).filter(pk__in=holders.values("pk")).exists():
        raise Conflict("A person you can see already has this SSN: search for them before adding a new person.")
    person.ssn_encrypted, person.ssn_index, person.ssn_last4 = encrypt(digits), index, digits[-4:]
    return sorted(holders.values_list("pk", flat=True))


def _audit_ssn_entered(*, actor: User, person: Person, shared_with: list[int]) -> None:
    """Audit an SSN typed on a person (it counts as an exact lookup); flag one also on file for people the
    actor may not see (`person.ssn_shared`), for a supervisor to review with the auditor."""
    record_audit(actor=actor, action="person.ssn_entered", target=person, after={"ssn": person.ssn_masked})
    if shared_with:
        record_audit(
            actor=actor,
            action="person.ssn_shared",
            target=person,
            summary=f"{person.ssn_masked} is also on file for another person: review",
            after={"ssn": person.ssn_masked, "also_on": shared_with},
        )


def _check_person(person: Person, ssn: str) -> None:
    """Every refusal of a person's values at once (dates, the SSN's form, the model's own checks), so an
    officer fixing three mistakes submits once, not three times."""
    errors: list[InvalidInput] = []
    errors += future_dates(date_of_birth=person.date_of_birth, date_of_death=person.date_of_death)
    if person.date_of_birth and person.date_of_birth.year < 1900:
        errors.append(InvalidInput("must be in 1900 or later", field="date_of_birth"))
    if ssn:
        try:
            normalized_ssn(ssn)
        except InvalidInput as error:
            errors.append(error)
    try:
        clean_or_raise(person)
    except InvalidInputs as refused:
        errors.extend(error for error in refused.errors if error.field not in {e.field for e in errors})
    if errors:
        raise InvalidInputs(errors)


def index_names(person: Person) -> None:
    """Rewrite the person's name search keys (`people.names`) from the legal name and every alias."""
    aliases = [(alias.first_name, alias.last_name) for alias in person.aliases.all()]
    keys = person_keys(first=person.first_name, middle=person.middle_name, last=person.last_name, aliases=aliases)
    NameKey.objects.filter(person=person).delete()
    NameKey.objects.bulk_create([NameKey(person=person, key=key) for key in sorted(keys)])


def check_person_values(*, ssn: str = "", **fields: Any) -> None:
    """The refusals `create_person` or `update_person` would give these values, all at once, without writing
    (the SSN's lookup against the people on file is left to them): a form shows them beside its own errors."""
    unknown = set(fields) - EDITABLE_FIELDS
    assert not unknown, f"not person fields: {unknown}"
    _check_person(Person(**fields), ssn)


@transaction.atomic
def create_person(*, actor: User, ssn: str = "", **fields: Any) -> Person:
    require(actor, "people.create")
    unknown = set(fields) - EDITABLE_FIELDS
    assert not unknown, f"not person fields: {unknown}"
    person = Person(**fields)
    _check_person(person, ssn)
    shared_with = _store_ssn(actor=actor, person=person, ssn=ssn) if ssn else []
    person.save()
    index_names(person)
    if ssn:
        _audit_ssn_entered(actor=actor, person=person, shared_with=shared_with)
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
    _check_person(person, ssn)
    shared_with = _store_ssn(actor=actor, person=person, ssn=ssn) if ssn else []
    person.save()
    index_names(person)
    if ssn:
        _audit_ssn_entered(actor=actor, person=person, shared_with=shared_with)
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
    index_names(person)
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
    if employment.verified_on is not None:
        publish(EmploymentVerified(employment_id=employment.pk, person_id=person.pk,
                                   verified_on=employment.verified_on, actor_id=actor.pk))  # fmt: skip
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
    check_not_future(ended_on, field="ended_on")
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


def record_person_read(*, viewer: User, person: Person) -> None:
    """Audit that `viewer` opened the person's page (web or API): IRS Publication 1075 and NIST SP 800-53 AU-2;
    45 CFR 307.13(a)(3). The row names the person, never their details."""
    record_audit(actor=viewer, action="person.viewed", target=person)
