"""A family whose noncustodial parent owes support under an order, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from opencse.cases.models import Case, CaseMember
from opencse.orders.services import TermInput, enter_order
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories


@dataclass(frozen=True)
class Family:
    officer: User
    case: Case
    custodial: CaseMember
    obligor: CaseMember


@pytest.fixture
def family(db: None) -> Family:
    officer = factories.user(Role.OFFICER_1, username="locate-officer")
    case, custodial, _, obligor = factories.family(officer)
    case.assigned_worker = officer
    case.save(update_fields=["assigned_worker"])
    enter_order(
        actor=officer, case=case, tribunal_kind="court", tribunal_name="Hinds County Chancery Court",
        issuing_jurisdiction="MS", docket_number="LOC-1", signed_on=date(2026, 3, 10), effective_on=date(2026, 3, 10),
        terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 3, 10),
                         obligor=obligor.person, steps=[(date(2026, 3, 10), Decimal("300.00"))])],
    )  # fmt: skip
    return Family(officer=officer, case=case, custodial=custodial, obligor=obligor)
