"""`Idempotency-Key` on the API's postings (issue #16, finding 12): a retry after a timeout posts once."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.ledger.models import Collection
from opencse.security.services import issue_api_token
from tests.api.conftest import CsrfClient
from tests.ledger.helpers import case_with_order

PAYMENT = {"amount": "150.00", "source": "direct_payment", "collected_on": "2026-03-06", "received_on": "2026-03-09"}


@pytest.mark.django_db
def test_a_retried_bearer_posting_returns_the_same_collection(officer: Any) -> None:
    case, _ = case_with_order(officer)
    client = CsrfClient(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=officer, label='integration')}")
    url = f"/api/v1/cases/{case.number}/collections"

    first = client.post(url, PAYMENT, content_type="application/json", csrf=False, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post(url, PAYMENT, content_type="application/json", csrf=False, HTTP_IDEMPOTENCY_KEY="retry-1")
    other = client.post(url, {**PAYMENT, "amount": "151.00"}, content_type="application/json", csrf=False,
                        HTTP_IDEMPOTENCY_KEY="retry-1")  # fmt: skip
    malformed = client.post(url, PAYMENT, content_type="application/json", csrf=False, HTTP_IDEMPOTENCY_KEY="a b")

    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again.json() == first.json()
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "idempotency_key"
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["field"] == "idempotency_key"
    assert Collection.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_the_obligor_posting_is_idempotent_too(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)
    obligor = case.members.get(role="noncustodial_parent").person
    client = client_for(officer)
    url = f"/api/v1/people/{obligor.pk}/collections"

    first = client.post(url, PAYMENT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="obligor-1")
    again = client.post(url, PAYMENT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="obligor-1")

    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json()
    assert Collection.objects.filter(obligor=obligor).count() == 1


@pytest.mark.django_db
def test_the_openapi_document_names_the_idempotency_header(officer: Any, client_for: Any) -> None:
    schema = client_for(officer).get("/api/v1/openapi.json").json()

    parameters = schema["paths"]["/api/v1/cases/{number}/collections"]["post"]["parameters"]

    assert "Idempotency-Key" in [parameter["name"] for parameter in parameters]
