"""The disbursement run over the API: run, payouts, the bank file (audited), a returned deposit, timeliness."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.services import post_collection
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
def test_a_signer_runs_disbursement_and_a_technician_records_the_returned_deposit(
    officer: object, client_for: object
) -> None:
    signer = factories.user(Role.OFFICER_2, username="signer")
    technician = factories.user(Role.TECHNICIAN, username="tech")
    case, _ = case_with_order(officer, monthly="300.00")
    custodial = factories.person(officer, first_name="Alicia", last_name="Moreno")
    from opencse.cases.services import add_member

    add_member(actor=officer, case=case, person=custodial, role="custodial_party")
    deposit = client_for(officer).post(
        f"/api/v1/people/{custodial.pk}/direct-deposit",
        {"routing_number": "061000104", "account_number": "987654321", "account_type": "checking",
         "starts_on": "2026-01-01"},
        content_type="application/json",
    )  # fmt: skip
    own_approval = client_for(officer).post(f"/api/v1/direct-deposit-requests/{deposit.json()['id']}/approve", {},
                                            content_type="application/json")  # fmt: skip
    approved = client_for(signer).post(f"/api/v1/direct-deposit-requests/{deposit.json()['id']}/approve", {},
                                       content_type="application/json")  # fmt: skip
    post_collection(actor=officer, case=case, amount=Decimal("300.00"), source="direct_payment",
                    collected_on=date(2026, 2, 13), received_on=date(2026, 2, 13))  # fmt: skip

    refused = client_for(technician).post("/api/v1/disbursement-runs", {"run_on": "2026-02-17"},
                                          content_type="application/json")  # fmt: skip
    run = client_for(signer).post("/api/v1/disbursement-runs", {"run_on": "2026-02-17"},
                                  content_type="application/json")  # fmt: skip
    bank_file = client_for(signer).get(f"/api/v1/disbursement-runs/{run.json()['id']}/bank-file")
    payouts = client_for(officer).get(f"/api/v1/cases/{case.number}/payouts").json()
    returned = client_for(technician).post(
        f"/api/v1/payouts/{payouts[0]['id']}/return",
        {"kind": "eft_returned", "returned_on": "2026-02-20", "reason": "R02 account closed"},
        content_type="application/json",
    )
    report = client_for(officer).get("/api/v1/reports/disbursement-timeliness?start=2026-02-01&end=2026-02-28")

    assert deposit.status_code == 201 and deposit.json()["account_last4"] == "4321"
    assert deposit.json()["status"] == "pending" and deposit.json()["deposit_id"] is None
    assert own_approval.status_code == 403  # an SEO 1 lacks signature authority
    assert approved.status_code == 200 and approved.json()["status"] == "approved" and approved.json()["deposit_id"]
    assert "987654321" not in deposit.content.decode()
    assert refused.status_code == 403
    assert run.status_code == 201 and run.json()["payouts"] == 1 and run.json()["total_amount"] == "300.00"
    assert bank_file.status_code == 200 and "987654321" in bank_file.content.decode()
    assert AuditEvent.objects.filter(action="export.bank_file", actor=signer).count() == 1
    assert payouts[0]["method"] == "eft" and payouts[0]["amount"] == "300.00" and payouts[0]["due_on"] == "2026-02-18"
    assert returned.status_code == 200 and returned.json()["returned"] is True
    assert report.json()["issued"] == 1 and report.json()["on_time"] == 1


@pytest.mark.django_db
def test_a_bad_routing_number_is_refused_with_the_field(officer: object, client_for: object) -> None:
    person = factories.person(officer)
    response = client_for(officer).post(
        f"/api/v1/people/{person.pk}/direct-deposit",
        {"routing_number": "061000105", "account_number": "987654321", "account_type": "checking",
         "starts_on": "2026-01-01"},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 400
    assert "routing_number" in response.content.decode()
