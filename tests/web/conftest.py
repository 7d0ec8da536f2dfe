"""A case of the Hinds County office with three members, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from opencse.cases.models import Case, CaseMember
from opencse.people.services import add_employment
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories


@dataclass(frozen=True)
class Family:
    officer: User
    case: Case
    custodial: CaseMember
    child: CaseMember
    obligor: CaseMember


def build_family(*, protected: bool = False) -> Family:
    officer = factories.user(Role.OFFICER_1, username="web-officer")
    case, custodial, child, obligor = factories.family(officer, protected=protected)
    add_employment(
        actor=officer, person=obligor.person, employer_name="Gulf Coast Shipyards", started_on=date(2024, 6, 3)
    )
    return Family(officer=officer, case=case, custodial=custodial, child=child, obligor=obligor)


@pytest.fixture
def family(db: None) -> Family:
    return build_family()


@pytest.fixture
def protected_family(db: None) -> Family:
    return build_family(protected=True)


def signed_in(role: Role, *, username: str | None = None, office_code: str = "HIN") -> Client:
    client = Client()
    client.force_login(factories.user(role, username=username or f"web-{role}-{office_code}", office_code=office_code))
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}
