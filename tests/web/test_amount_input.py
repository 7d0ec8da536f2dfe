"""The web forms read amounts with the one parser (issue #16, low finding): no "1_000", no full-width
digits, nothing over $99,999,999.99, and a date of collection before 1975 is refused beside its field."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.ledger.models import Collection
from tests.ledger.helpers import case_with_order

PAYMENT = {"source": "direct_payment", "collected_on": "2026-03-06", "received_on": "2026-03-09"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1_000", "must be dollars and cents in digits 0-9"),
        ("１２３", "must be dollars and cents in digits 0-9"),
        ("12.345", "Ensure that there are no more than 2 decimal places."),
        ("99999999999.99", "must be at most 99,999,999.99"),
        ("100000000", "must be at most 99,999,999.99"),
    ],
)
def test_the_posting_form_refuses_an_amount_beside_its_field(
    officer: Any, client_for: Any, amount: str, message: str
) -> None:
    case, _ = case_with_order(officer)

    response = client_for(officer).post(f"/cases/{case.number}/collections/new/", {**PAYMENT, "amount": amount})

    assert response.status_code == 400
    assert f'id="id_amount-error">{message}' in response.content.decode()
    assert not Collection.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_the_posting_form_posts_the_cap(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)

    response = client_for(officer).post(f"/cases/{case.number}/collections/new/", {**PAYMENT, "amount": "99999999.99"})

    assert response.status_code == 302
    assert str(Collection.objects.get(case=case).amount) == "99999999.99"


@pytest.mark.django_db
def test_the_order_form_reads_its_amounts_with_the_same_parser() -> None:
    from opencse.web.orders.forms import StepForm

    form = StepForm({"amount": "1_000"}, first=True)

    assert not form.is_valid()
    assert "must be dollars and cents in digits 0-9" in str(form.errors["amount"])


@pytest.mark.django_db
def test_a_date_of_collection_before_1975_is_refused_beside_its_field(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)

    response = client_for(officer).post(
        f"/cases/{case.number}/collections/new/", {**PAYMENT, "amount": "10.00", "collected_on": "0001-01-01"}
    )

    assert response.status_code == 400
    assert 'id="id_collected_on-error">must be between 01/01/1975' in response.content.decode()
