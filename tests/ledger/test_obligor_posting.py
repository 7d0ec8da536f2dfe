"""One payment from an obligor with several families: current support of every case first, pro rata."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.cases.services import add_member
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection_for_obligor
from opencse.ledger.verify import verify_ledger
from opencse.orders.services import TermInput, enter_order
from tests import factories
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
def test_a_payment_too_small_for_both_families_pays_their_current_support_pro_rata(officer: object) -> None:
    first, order = case_with_order(officer, monthly="300.00")
    obligor = order.terms.get().obligor
    second = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    add_member(actor=officer, case=second, person=obligor, role="noncustodial_parent")
    enter_order(
        actor=officer,
        case=second,
        tribunal_kind="court",
        tribunal_name="Harrison County Chancery Court",
        issuing_jurisdiction="MS",
        docket_number="H-2026-9",
        signed_on=date(2026, 1, 1),
        effective_on=date(2026, 1, 1),
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=date(2026, 1, 1),
                obligor=obligor,
                steps=[(date(2026, 1, 1), Decimal("200.00"))],
            )
        ],
    )

    collections = post_collection_for_obligor(
        actor=officer,
        obligor=obligor,
        amount=Decimal("250.00"),
        source="income_withholding",
        collected_on=date(2026, 1, 9),
        received_on=date(2026, 1, 12),
    )

    # 45 CFR 303.100(a)(5): 250.00 prorated by current support due, 300:200 -> 150.00 and 100.00.
    assert sorted(collection.amount for collection in collections) == [Decimal("100.00"), Decimal("150.00")]
    assert balances(case=first, as_of=date(2026, 1, 31))["current_support"] == Decimal("150.00")
    assert balances(case=second, as_of=date(2026, 1, 31))["current_support"] == Decimal("100.00")
    assert verify_ledger() == []


@pytest.mark.django_db
def test_who_owes_is_the_obligor_of_the_order_terms_not_a_member_role(officer: object) -> None:
    """`orders.selectors.cases_owed_by`: a custodial party ordered to pay (here a medical support share) owes
    on the case, and a parent with no order on a case owes nothing there."""
    case, custodial, _, _ = factories.family(officer)
    no_order = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    add_member(actor=officer, case=no_order, person=custodial.person, role="noncustodial_parent")
    enter_order(
        actor=officer,
        case=case,
        tribunal_kind="court",
        tribunal_name="Hinds County Chancery Court",
        issuing_jurisdiction="MS",
        docket_number="H-2026-10",
        signed_on=date(2026, 1, 1),
        effective_on=date(2026, 1, 1),
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=date(2026, 1, 1),
                obligor=custodial.person,
                steps=[(date(2026, 1, 1), Decimal("40.00"))],
            )
        ],
    )

    collections = post_collection_for_obligor(
        actor=officer,
        obligor=custodial.person,
        amount=Decimal("40.00"),
        source="direct_payment",
        collected_on=date(2026, 1, 9),
        received_on=date(2026, 1, 12),
    )

    assert [(collection.case_id, collection.amount) for collection in collections] == [(case.pk, Decimal("40.00"))]
    assert verify_ledger() == []
