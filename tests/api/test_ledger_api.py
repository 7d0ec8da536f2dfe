"""An officer enters an order, posts a payment and reads the balances, all over the API."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.mark.django_db
def test_an_order_entered_and_a_payment_posted_show_in_the_balances(officer: object, client_for: object) -> None:
    case, _, child, obligor = factories.family(officer)
    client = client_for(officer)
    order = {
        "tribunal_kind": "court", "tribunal_name": "Hinds County Chancery Court", "issuing_jurisdiction": "MS",
        "docket_number": "G-2026-114", "signed_on": "2026-01-05", "effective_on": "2026-01-05",
        "terms": [{"kind": "current_support", "frequency": "monthly", "starts_on": "2026-01-05",
                   "obligor_id": obligor.person.pk, "child_id": child.person.pk,
                   "steps": [{"starts_on": "2026-01-05", "amount": "412.00"}]}],
    }  # fmt: skip

    entered = client.post(f"/api/v1/cases/{case.number}/orders", order, content_type="application/json")
    posted = client.post(
        f"/api/v1/cases/{case.number}/collections",
        {"amount": "300.00", "source": "income_withholding", "collected_on": "2026-02-06", "received_on": "2026-02-09"},
        content_type="application/json",
    )
    balances = client.get(f"/api/v1/cases/{case.number}/balances?as_of=2026-02-28").json()

    assert entered.status_code == 201
    assert posted.status_code == 201
    # January's 412.00 rolled into arrears; February's 412.00 is current, 300.00 paid it down to 112.00.
    assert balances["accounts"]["current_support"] == "112.00"
    assert balances["accounts"]["never_assigned"] == "412.00"
    assert posted.json()["disbursements"] == [{"payee": "family", "amount": "300.00", "due_on": "2026-02-11"}]


@pytest.mark.django_db
def test_an_order_whose_obligor_is_not_on_the_case_is_refused(officer: object, client_for: object) -> None:
    case, _, _, _ = factories.family(officer)
    stranger = factories.person(officer, first_name="Not", last_name="OnCase")
    order = {
        "tribunal_kind": "court", "tribunal_name": "Court", "issuing_jurisdiction": "MS", "docket_number": "X-1",
        "signed_on": "2026-01-05", "effective_on": "2026-01-05",
        "terms": [{"kind": "current_support", "frequency": "monthly", "starts_on": "2026-01-05",
                   "obligor_id": stranger.pk, "steps": [{"starts_on": "2026-01-05", "amount": "100.00"}]}],
    }  # fmt: skip

    response = client_for(officer).post(f"/api/v1/cases/{case.number}/orders", order, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "terms[0].obligor"


@pytest.mark.django_db
def test_the_certified_payment_history_comes_as_csv_and_pdf(officer: object, client_for: object) -> None:
    from tests.ledger.helpers import case_with_order

    case, _ = case_with_order(officer, monthly="300.00")
    client = client_for(officer)
    client.post(
        f"/api/v1/cases/{case.number}/collections",
        {"amount": "125.00", "source": "direct_payment", "collected_on": "2026-02-10", "received_on": "2026-02-10"},
        content_type="application/json",
    )

    as_csv = client.get(f"/api/v1/cases/{case.number}/payment-history?start=2026-01-01&end=2026-02-28")
    as_pdf = client.get(f"/api/v1/cases/{case.number}/payment-history?start=2026-01-01&end=2026-02-28&format=pdf")

    lines = as_csv.content.decode().splitlines()
    assert as_csv.status_code == 200
    payments = [line for line in lines if line.startswith("2026-02-10,Payment received")]
    assert len(payments) == 1
    assert ",125.00," in payments[0]
    assert lines[-1].endswith("Never-assigned arrears,300.00")
    assert as_pdf.status_code == 200
    assert as_pdf.content.startswith(b"%PDF")
