"""A case with a custodial mother, two children and a man named as alleged father of both, built through the
services (as an officer would)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from opencse.cases.models import Case
from opencse.cases.services import add_member
from opencse.paternity.services import name_alleged_father
from opencse.people.models import Person
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories

NAMED_ON = date(2026, 3, 4)


@dataclass(frozen=True)
class PaternityCase:
    officer: User
    case: Case
    mother: Person
    child: Person
    sibling: Person
    father: Person


def build_paternity_case(officer: User | None = None) -> PaternityCase:
    officer = officer or factories.user(Role.OFFICER_1, username="paternity-officer")
    case = factories.case(officer)
    mother = factories.person(officer, first_name="Alicia", last_name="Moreno")
    child = factories.person(officer, first_name="Mateo", last_name="Moreno", date_of_birth=date(2025, 11, 2),
                             sex="M")  # fmt: skip
    sibling = factories.person(officer, first_name="Lucia", last_name="Moreno", date_of_birth=date(2024, 1, 9))
    father = factories.person(officer, first_name="Curtis", last_name="Boone", date_of_birth=date(1996, 11, 9),
                              sex="M")  # fmt: skip
    add_member(actor=officer, case=case, person=mother, role="custodial_party", joined_on=date(2026, 3, 4))
    for kid in (child, sibling):
        add_member(actor=officer, case=case, person=kid, role="dependent_child", joined_on=date(2026, 3, 4))
    name_alleged_father(actor=officer, case=case, father=father, children=[child, sibling], named_on=NAMED_ON)
    return PaternityCase(officer=officer, case=case, mother=mother, child=child, sibling=sibling, father=father)


@pytest.fixture
def family(db: None) -> PaternityCase:
    return build_paternity_case()
