"""Amounts and dates at the edges (issue #16, low findings): one amount parser for web, API and files;
a date of collection outside what the ledger counts with is a field error, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.ledger.models import Collection
from tests.ledger.helpers import case_with_order

PAYMENT = {"source": "direct_payment", "collected_on": "2026-03-06", "received_on": "2026-03-09"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amount",
    ["1_000", "１２３", "1,000.00", "1e3", "-5", "+5", "12.345", " ", "NaN", "Infinity", True, None, [], 1e-07,
     "99999999999.99", "100000000.00", 100000000],
)  # fmt: skip
def test_an_amount_not_in_ascii_dollars_and_cents_or_over_the_cap_is_refused(
    officer: Any, client_for: Any, amount: object
) -> None:
    case, _ = case_with_order(officer)

    response = client_for(officer).post(
        f"/api/v1/cases/{case.number}/collections", {**PAYMENT, "amount": amount}, content_type="application/json"
    )

    assert response.status_code == 422, response.content
    assert "amount" in response.content.decode()
    assert not Collection.objects.filter(case=case).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("amount", "posted"), [("150", "150.00"), ("150.5", "150.50"), (150.25, "150.25"),
                                                ("99999999.99", "99999999.99")])  # fmt: skip
def test_a_plain_amount_up_to_the_cap_is_posted(officer: Any, client_for: Any, amount: object, posted: str) -> None:
    case, _ = case_with_order(officer)

    response = client_for(officer).post(
        f"/api/v1/cases/{case.number}/collections", {**PAYMENT, "amount": amount}, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == posted


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("collected_on", "received_on", "field"),
    [
        ("0001-01-01", "2026-03-09", "collected_on"),
        ("1899-12-31", "2026-03-09", "collected_on"),
        ("1974-12-31", "1975-01-02", "collected_on"),
        ("2026-03-06", "0001-01-01", "collected_on"),
        ("2026-03-06", "9999-12-31", "received_on"),
    ],
)
def test_a_date_of_collection_outside_the_ledger_is_a_field_error(
    officer: Any, client_for: Any, collected_on: str, received_on: str, field: str
) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)
    payment = {**PAYMENT, "amount": "150.00", "collected_on": collected_on, "received_on": received_on}
    obligor = case.members.get(role="noncustodial_parent").person

    by_case = client.post(f"/api/v1/cases/{case.number}/collections", payment, content_type="application/json")
    by_obligor = client.post(f"/api/v1/people/{obligor.pk}/collections", payment, content_type="application/json")

    for response in (by_case, by_obligor):
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["field"] == field
    assert not Collection.objects.filter(case=case).exists()
