"""No support order against a man whose paternity of the order's children is not established (docs/paternity.md):
an alleged father is not a legal parent until an acknowledgment is past its rescission period (42 U.S.C.
666(a)(5)(D)(ii)) or a court adjudicates him."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.errors import InvalidInput, InvalidInputs
from opencse.orders.models import Order
from opencse.orders.services import TermInput, check_order_terms, enter_order
from opencse.paternity.services import finalize_acknowledgments, record_acknowledgment, record_determination
from opencse.people.models import Person
from tests.paternity.conftest import PaternityCase

pytestmark = pytest.mark.django_db


def _enter(family: PaternityCase, child: Person | None = None) -> Order:
    return enter_order(
        actor=family.officer, case=family.case, tribunal_kind="court", tribunal_name="Hinds County Chancery Court",
        issuing_jurisdiction="MS", docket_number="2026-0412", signed_on=date(2026, 6, 8), effective_on=date(2026, 7, 1),
        terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 7, 1), obligor=family.father,
                         steps=[(date(2026, 7, 1), Decimal("350.00"))], child=child)],
    )  # fmt: skip


def test_an_order_against_an_alleged_father_is_refused_beside_the_obligor(family: PaternityCase) -> None:
    with pytest.raises(InvalidInput) as refused:
        _enter(family)

    assert refused.value.field == "terms[0].obligor"
    assert "alleged father" in refused.value.message and "Mateo Moreno" in refused.value.message
    assert not Order.objects.exists()


def test_the_order_preview_gives_the_same_refusal(family: PaternityCase) -> None:
    terms = [TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 7, 1), obligor=family.father,
                       steps=[(date(2026, 7, 1), Decimal("350.00"))])]  # fmt: skip

    with pytest.raises(InvalidInputs) as refused:
        check_order_terms(actor=family.officer, case=family.case, terms=terms)

    assert [error.field for error in refused.value.errors] == ["terms[0].obligor"]


def test_an_adjudicated_father_may_be_ordered_to_pay_for_that_child_only(family: PaternityCase) -> None:
    record_determination(actor=family.officer, case=family.case, child=family.child, father=family.father,
                         outcome="adjudicated", order_signed_on=date(2026, 6, 8),
                         court="Hinds County Chancery Court")  # fmt: skip

    order = _enter(family, child=family.child)
    with pytest.raises(InvalidInput, match="Lucia Moreno"):
        _enter(family)  # every child of the case: the sibling's paternity is not established

    assert order.terms.count() == 1


def test_an_acknowledgment_supports_an_order_only_after_its_rescission_period(family: PaternityCase) -> None:
    record_acknowledgment(actor=family.officer, case=family.case, child=family.child, father=family.father,
                          signed_on=date(2026, 3, 2), filed_on=date(2026, 3, 2))  # fmt: skip

    with pytest.raises(InvalidInput):
        _enter(family, child=family.child)
    finalize_acknowledgments(as_of=date(2026, 5, 2))

    assert _enter(family, child=family.child).pk is not None
