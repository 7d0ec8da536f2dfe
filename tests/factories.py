"""Test data built through the services, as a real officer would build it (style.md 3.11)."""

from __future__ import annotations

from datetime import date
from typing import Any

from opencse.cases.models import Case, CaseMember
from opencse.cases.services import add_member, open_case
from opencse.people.models import Person
from opencse.people.services import add_address, create_person
from opencse.security.models import Office, User
from opencse.security.roles import Role

PASSWORD = "correct-horse-battery"


def office(code: str = "HIN", name: str = "Hinds County") -> Office:
    return Office.objects.get_or_create(code=code, defaults={"name": name})[0]


def user(role: str, *, username: str | None = None, office_code: str = "HIN") -> User:
    needs_office = role not in (Role.STAFF_ATTORNEY, Role.AUDITOR, Role.ADMINISTRATOR)
    account = User(
        username=username or f"{role}-{office_code.lower()}",
        role=role,
        office=office(office_code) if needs_office else None,
        first_name=role.title(),
        last_name="Test",
    )
    account.set_password(PASSWORD)
    account.save()
    return account


def person(actor: User, **fields: Any) -> Person:
    values: dict[str, Any] = {
        "first_name": "Dana",
        "last_name": "Whitfield",
        "date_of_birth": date(1990, 5, 17),
        "sex": "F",
    }
    values.update(fields)
    return create_person(actor=actor, **values)


def case(actor: User, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "program": "never_assistance",
        "referral_received_on": date(2026, 3, 2),
        "opened_on": date(2026, 3, 4),
    }
    values.update(fields)
    return open_case(actor=actor, **values)


def family(actor: User, *, protected: bool = False) -> tuple[Case, CaseMember, CaseMember, CaseMember]:
    """A case with a custodial party (with an address), a child and a noncustodial parent."""
    opened = case(actor)
    custodial = person(actor, first_name="Alicia", last_name="Moreno", ssn="401-23-4567")
    add_address(
        actor=actor, person=custodial, line1="118 Magnolia Street", city="Jackson", state="MS", postal_code="39201"
    )
    if protected:
        custodial.family_violence = True
        custodial.save(update_fields=["family_violence"])
    child = person(actor, first_name="Mateo", last_name="Moreno", date_of_birth=date(2018, 2, 3), sex="M")
    obligor = person(
        actor, first_name="Curtis", last_name="Boone", date_of_birth=date(1986, 11, 9), sex="M", ssn="512-34-9876"
    )
    return (
        opened,
        add_member(actor=actor, case=opened, person=custodial, role="custodial_party"),
        add_member(actor=actor, case=opened, person=child, role="dependent_child"),
        add_member(actor=actor, case=opened, person=obligor, role="noncustodial_parent"),
    )


def direct_deposit(actor: User, *, person: Person, **fields: Any) -> Any:
    """A direct deposit account in effect: requested by `actor`, approved by a second officer (an SEO 2)."""
    from opencse.ledger.direct_deposit import approve_direct_deposit, request_direct_deposit

    approver = User.objects.filter(username="deposit-approver").first() or user(
        Role.OFFICER_2, username="deposit-approver"
    )
    requested = request_direct_deposit(actor=actor, person=person, **fields)
    return approve_direct_deposit(actor=approver, deposit_request=requested)


CLOSURE_NOTE = "Criterion met and verified; documents in the case file"  # why a case closes (45 CFR 303.11(b))
