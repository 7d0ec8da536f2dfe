"""The establishment flow over the API: worksheet, PDF, proposal, approval, each by the role it needs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.api.conftest import CsrfClient
from tests.establishment.helpers import MS_EXAMPLE_1, WA_EXAMPLE_1, family_case, officers


def _client(user: Any) -> Client:
    client = CsrfClient()  # a browser session: writes go through the CSRF check
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_worksheet_proposal_and_approval_over_the_api_enter_the_order() -> None:
    seo1, seo2, _ = officers()
    case, *_ = family_case(seo1)
    worker, signer = _client(seo1), _client(seo2)

    computed = worker.post(f"/api/v1/cases/{case.number}/worksheets", MS_EXAMPLE_1, content_type="application/json")
    worksheet_id = computed.json()["id"]
    proposed = worker.post(
        f"/api/v1/cases/{case.number}/proposals",
        {"worksheet_id": worksheet_id, "effective_on": "2026-09-01"},
        content_type="application/json",
    )
    approved = signer.post(
        f"/api/v1/proposals/{proposed.json()['id']}/approve",
        {"docket_number": "AO-2026-0002", "signed_on": "2026-08-20"},
        content_type="application/json",
    )
    orders = worker.get(f"/api/v1/cases/{case.number}/orders").json()

    assert computed.status_code == 201
    assert computed.json()["guideline_support"] == "454.16"  # guideline.yaml MS Example 1
    assert proposed.status_code == 201
    assert proposed.json()["terms"][0]["amount"] == "454.16"
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert [order["docket_number"] for order in orders] == ["AO-2026-0002"]
    assert orders[0]["terms"][0]["steps"][0]["amount"] == "454.16"


@pytest.mark.django_db
def test_a_bad_worksheet_payload_is_a_400_naming_the_field() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    payload = {**WA_EXAMPLE_1, "children": []}

    response = _client(seo1).post(f"/api/v1/cases/{case.number}/worksheets", payload, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "children"
    assert _client(seo1).get(f"/api/v1/cases/{case.number}/worksheets").json() == []


@pytest.mark.django_db
def test_an_seo1_is_refused_approval_with_a_403() -> None:
    seo1, _, supervisor = officers()
    case, *_ = family_case(seo1)
    worker = _client(seo1)
    worksheet_id = worker.post(
        f"/api/v1/cases/{case.number}/worksheets", MS_EXAMPLE_1, content_type="application/json"
    ).json()["id"]
    proposal_id = worker.post(
        f"/api/v1/cases/{case.number}/proposals",
        {"worksheet_id": worksheet_id, "effective_on": "2026-09-01"},
        content_type="application/json",
    ).json()["id"]

    refused = worker.post(
        f"/api/v1/proposals/{proposal_id}/approve",
        {"docket_number": "AO-1", "signed_on": "2026-08-20"},
        content_type="application/json",
    )

    assert refused.status_code == 403
    assert _client(supervisor).get(f"/api/v1/cases/{case.number}/proposals").json()[0]["status"] == "draft"


@pytest.mark.django_db
def test_the_worksheet_pdf_download_is_audited() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    client = _client(seo1)
    worksheet_id = client.post(
        f"/api/v1/cases/{case.number}/worksheets", MS_EXAMPLE_1, content_type="application/json"
    ).json()["id"]

    response = client.get(f"/api/v1/worksheets/{worksheet_id}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="worksheet.exported", target_id=str(worksheet_id), actor=seo1).exists()


@pytest.mark.django_db
def test_a_worker_in_another_office_does_not_find_the_worksheet() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    worksheet_id = (
        _client(seo1)
        .post(f"/api/v1/cases/{case.number}/worksheets", MS_EXAMPLE_1, content_type="application/json")
        .json()["id"]
    )
    elsewhere = factories.user(Role.OFFICER_1, username="seo1-elsewhere", office_code="DES")

    response = _client(elsewhere).get(f"/api/v1/worksheets/{worksheet_id}/pdf")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="worksheet.exported").exists()
