"""The demo caseload: plausible families, deterministic by seed."""

from __future__ import annotations

import pytest
from django.db.models import Count

from opencse.cases.models import Case, CaseMember
from opencse.demo import DEMO_USERS, _Generator, build_demo_caseload
from opencse.people.models import Person
from opencse.security.models import User


def test_the_same_seed_gives_the_same_people() -> None:
    first, second = _Generator(7), _Generator(7)

    assert [first.fake.name() for _ in range(5)] == [second.fake.name() for _ in range(5)]


@pytest.mark.django_db
def test_the_demo_builds_families_with_shared_noncustodial_parents_and_protected_addresses() -> None:
    counts = build_demo_caseload(cases=400, seed=3)

    assert counts["cases"] == Case.objects.count() == 400
    assert set(User.objects.values_list("username", flat=True)) >= {username for username, _ in DEMO_USERS}
    every_case_has_a_child = not Case.objects.exclude(members__role="dependent_child").exists()
    assert every_case_has_a_child
    shared = (
        CaseMember.objects.filter(role__in=["noncustodial_parent", "alleged_father"])
        .values("person")
        .annotate(cases=Count("case"))
        .filter(cases__gt=1)
    )
    assert shared.exists()
    assert Person.objects.filter(family_violence=True).exists()
    assert Case.objects.exclude(category="in_state").exists()
