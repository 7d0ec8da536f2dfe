"""The demo caseload is consistent with paternity: alleged fathers carry no support order and their children's
paternity record says "alleged"."""

from __future__ import annotations

import pytest

from opencse.cases.models import CaseMember
from opencse.demo import build_demo_caseload
from opencse.orders.models import OrderTerm
from opencse.paternity.models import AllegedFather, PaternityStatus


@pytest.mark.django_db
def test_demo_alleged_fathers_are_named_for_their_children_and_carry_no_order() -> None:
    build_demo_caseload(cases=120, seed=3)

    alleged = set(CaseMember.objects.filter(role="alleged_father").values_list("case_id", "person_id"))
    ordered = set(OrderTerm.objects.values_list("case_id", "obligor_id"))
    named = set(AllegedFather.objects.values_list("case_id", "father_id"))
    assert alleged, "the demo has alleged fathers"
    assert not alleged & ordered
    assert named == alleged
    assert set(PaternityStatus.objects.values_list("status", flat=True)) == {"alleged"}
