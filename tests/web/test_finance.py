"""The finance tab shows the order, the balances, the collections and the ledger of a case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.services import post_collection
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
def test_an_officer_sees_the_order_balances_and_distribution_of_a_case(officer: object, client_for: object) -> None:
    case, order = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))
    post_collection(
        actor=officer,
        case=case,
        amount=Decimal("125.00"),
        source="income_withholding",
        collected_on=date(2026, 2, 6),
        received_on=date(2026, 2, 9),
    )

    response = client_for(officer).get(f"/cases/{case.number}/finance/")

    page = response.content.decode()
    assert response.status_code == 200
    assert order.docket_number in page
    assert "Never-assigned arrears" in page
    assert "Family $125.00 (due 02/11/2026)" in page
    assert "<polyline" in page


@pytest.mark.django_db
def test_an_administrator_may_not_see_a_cases_finances(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)

    response = client_for(factories.user(Role.ADMINISTRATOR)).get(f"/cases/{case.number}/finance/")

    assert response.status_code == 403
