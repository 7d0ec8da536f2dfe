"""Adjustments on the web: a worker requests one on the finance tab; another officer with signature
authority approves or rejects it on the Approvals queue; nobody decides their own request."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.accrual import accrue
from opencse.ledger.adjustments import request_adjustment
from opencse.ledger.models import Adjustment, AdjustmentStatus, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.test_posting import text_of

CREDIT = {
    "account": "current_support",
    "kind": "credit_direct_payment",
    "amount": "200.00",
    "effective_on": "2026-01-20",
    "reason": "Obligee confirmed a direct payment of cash on 1/15 (signed statement).",
}


def _requested(actor: object, case: object, amount: str = "200.00") -> Adjustment:
    return request_adjustment(
        actor=actor,
        case=case,
        account="current_support",
        kind="credit_direct_payment",
        amount=Decimal(amount),
        effective_on=date(2026, 1, 20),
        reason="Obligee confirmed a direct payment of cash on 1/15 (signed statement).",
    )


@pytest.mark.django_db
def test_a_request_waits_on_the_finance_tab_and_in_the_approvals_queue(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    approver = client_for(factories.user(Role.OFFICER_2, username="approver"))

    response = client_for(officer).post(f"/cases/{case.number}/adjustments/new/", CREDIT, follow=True)
    queue = text_of(approver.get("/approvals/").content)

    finance = text_of(response.content)
    assert response.redirect_chain == [(f"/cases/{case.number}/finance/", 302)]
    assert "Credit for a payment made directly to the obligee Current support (this month) 200.00" in finance
    assert "Waiting for approval" in finance
    assert f"Case {case.number} : Credit for a payment made directly to the obligee, 200.00" in queue
    assert "Requested by Seo1 Test" in queue
    assert "signed statement" in queue
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


@pytest.mark.django_db
def test_bad_adjustment_input_gets_messages_beside_the_fields(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)

    parsed = client.post(f"/cases/{case.number}/adjustments/new/", {**CREDIT, "amount": "-5", "kind": ""})
    refused = client.post(f"/cases/{case.number}/adjustments/new/", {**CREDIT, "reason": "because"})

    assert parsed.status_code == 400
    assert 'id="id_amount-error"' in parsed.content.decode()
    assert 'id="id_kind-error"' in parsed.content.decode()
    assert refused.status_code == 400
    assert 'id="id_reason-error">explain the adjustment (at least 10 characters)' in refused.content.decode()
    assert not Adjustment.objects.exists()


@pytest.mark.django_db
def test_an_officer_without_signature_authority_may_not_open_the_approvals_queue(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer)
    adjustment = _requested(officer, case)
    client = client_for(officer)

    assert client.get("/approvals/").status_code == 403
    assert client.post(f"/adjustments/{adjustment.pk}/decide/", {"decision": "approve"}).status_code == 403
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.PENDING


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_adjustment(client_for: object) -> None:
    seo2 = factories.user(Role.OFFICER_2)
    case, _ = case_with_order(seo2, monthly="300.00")
    accrue(through=date(2026, 1, 31))
    adjustment = _requested(seo2, case)

    response = client_for(seo2).post(f"/adjustments/{adjustment.pk}/decide/", {"decision": "approve", "note": "ok"})

    page = response.content.decode()
    assert response.status_code == 403
    assert "You may not approve or reject your own request." in page
    assert f'data-testid="adjustment-{adjustment.pk}"' in page  # still in the queue
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.PENDING
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


@pytest.mark.django_db
def test_another_officer_approves_and_the_debt_goes_down_by_the_credit(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    accrue(through=date(2026, 1, 31))
    adjustment = _requested(officer, case)
    supervisor = factories.user(Role.SUPERVISOR, username="the-supervisor")

    response = client_for(supervisor).post(
        f"/adjustments/{adjustment.pk}/decide/", {"decision": "approve", "note": "Statement on file."}, follow=True
    )

    page = text_of(response.content)
    assert response.redirect_chain == [("/approvals/", 302)]
    assert f"Adjustment on case {case.number} approved and posted." in page
    assert "No adjustment is waiting for approval." in page
    # January's 300.00 less the 200.00 credit.
    assert balances(case=case, as_of=date(2026, 1, 31))["current_support"] == Decimal("100.00")
    finance = text_of(client_for(officer).get(f"/cases/{case.number}/finance/").content)
    assert "Approved and posted the-supervisor" in finance
    assert "Statement on file." in finance


@pytest.mark.django_db
def test_a_rejection_needs_a_note_and_then_posts_nothing(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    adjustment = _requested(officer, case)
    approver = client_for(factories.user(Role.OFFICER_2))

    bare = approver.post(f"/adjustments/{adjustment.pk}/decide/", {"decision": "reject", "note": ""})
    noted = approver.post(f"/adjustments/{adjustment.pk}/decide/", {"decision": "reject", "note": "No statement."})

    assert bare.status_code == 400
    assert re.search(rf'id="id_{adjustment.pk}_note-error">give the reason for rejecting', bare.content.decode())
    assert noted.status_code == 302
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.REJECTED
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


@pytest.mark.django_db
def test_a_reduction_larger_than_the_balance_is_refused_with_the_figures(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    accrue(through=date(2026, 1, 31))
    adjustment = _requested(officer, case, amount="450.00")

    response = client_for(factories.user(Role.OFFICER_2)).post(
        f"/adjustments/{adjustment.pk}/decide/", {"decision": "approve"}
    )

    assert response.status_code == 409
    assert "The reduction of 450.00 is more than the 300.00 owed on that account." in response.content.decode()
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.PENDING


@pytest.mark.django_db
def test_an_adjustment_already_decided_is_not_decided_twice(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    adjustment = _requested(officer, case)
    approver = client_for(factories.user(Role.OFFICER_2))
    approver.post(f"/adjustments/{adjustment.pk}/decide/", {"decision": "reject", "note": "No statement."})

    again = approver.post(f"/adjustments/{adjustment.pk}/decide/", {"decision": "approve"})

    assert again.status_code == 409
    assert "This adjustment was already rejected." in again.content.decode()
    assert Adjustment.objects.get(pk=adjustment.pk).status == AdjustmentStatus.REJECTED


@pytest.mark.django_db
def test_the_approvals_queue_lists_only_cases_of_the_approvers_office(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    _requested(officer, case)
    elsewhere = client_for(factories.user(Role.OFFICER_2, username="gulfport-seo2", office_code="HAR"))

    page = text_of(elsewhere.get("/approvals/").content)

    assert "0 waiting" in page
    assert case.number not in page


@pytest.mark.django_db
def test_a_proposed_order_waiting_for_approval_is_on_the_one_approval_queue() -> None:
    """Issue #17: an establishment proposal waiting for signature authority was on no queue."""
    from django.test import Client

    from opencse.establishment.services import compute_worksheet, propose_obligations
    from tests.establishment.helpers import MS_DEVIATION, family_case, officers

    seo1, seo2, _ = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_DEVIATION)
    proposal = propose_obligations(actor=seo1, case=case, worksheet=worksheet, effective_on=date(2026, 9, 1))
    client = Client()
    client.force_login(seo2)

    page = client.get("/approvals/").content.decode()

    assert f'data-testid="proposal-{proposal.pk}"' in page
    assert f'href="/proposals/{proposal.pk}/"' in page and "09/01/2026" in page
    assert "1 waiting" in page
