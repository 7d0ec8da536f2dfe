"""Building orders and collections through the services, for the ledger tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from opencse.cases.models import Case
from opencse.orders.models import Order
from opencse.orders.services import TermInput, enter_order
from opencse.security.models import User
from tests import factories


def case_with_order(
    actor: User,
    *,
    monthly: str = "300.00",
    starts_on: date = date(2026, 1, 1),
    program: str = "never_assistance",
    steps: list[tuple[date, str]] | None = None,
    ends_on: date | None = None,
) -> tuple[Case, Order]:
    case = factories.case(actor, program=program, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    obligor = factories.person(actor, first_name="Curtis", last_name="Boone", sex="M")
    child = factories.person(actor, first_name="Mateo", last_name="Moreno", date_of_birth=date(2018, 2, 3))
    from opencse.cases.services import add_member

    add_member(actor=actor, case=case, person=obligor, role="noncustodial_parent")
    add_member(actor=actor, case=case, person=child, role="dependent_child")
    amounts = [(on, Decimal(amount)) for on, amount in (steps or [(starts_on, monthly)])]
    order = enter_order(
        actor=actor,
        case=case,
        tribunal_kind="administrative",
        tribunal_name="MDHS Division of Child Support",
        issuing_jurisdiction="MS",
        docket_number=f"AO-{case.number}",
        signed_on=starts_on,
        effective_on=starts_on,
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=starts_on,
                obligor=obligor,
                steps=amounts,
                ends_on=ends_on,
            )
        ],
    )
    return case, order
