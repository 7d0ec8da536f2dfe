"""Adjustments need a reason, another person's signature authority, and never overdraw an account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.errors import Conflict, NotAuthorized
from opencse.ledger.accrual import accrue
from opencse.ledger.adjustments import approve_adjustment, reject_adjustment, request_adjustment
from opencse.ledger.models import AdjustmentStatus, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order


def _credit(actor: object, case: object, amount: str = "200.00") -> object:
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
def test_an_seo2_approves_a_credit_and_the_debt_goes_down(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    accrue(through=date(2026, 1, 31))
    approver = factories.user(Role.OFFICER_2)

    adjustment = approve_adjustment(actor=approver, adjustment=_credit(officer, case), note="Statement on file.")

    assert adjustment.status == AdjustmentStatus.APPROVED
    assert balances(case=case, as_of=date(2026, 1, 31))["current_support"] == Decimal("100.00")
    assert AuditEvent.objects.filter(action="adjustment.approved", actor=approver).exists()


@pytest.mark.django_db
def test_an_seo1_has_no_signature_authority(officer: object) -> None:
    case, _ = case_with_order(officer)
    other_seo1 = factories.user(Role.OFFICER_1, username="another-seo1")

    with pytest.raises(NotAuthorized):
        approve_adjustment(actor=other_seo1, adjustment=_credit(officer, case))

    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


@pytest.mark.django_db
def test_no_one_approves_their_own_request() -> None:
    seo2 = factories.user(Role.OFFICER_2)
    case, _ = case_with_order(seo2)
    accrue(through=date(2026, 1, 31))

    with pytest.raises(NotAuthorized):
        approve_adjustment(actor=seo2, adjustment=_credit(seo2, case))


@pytest.mark.django_db
def test_a_reduction_larger_than_the_balance_is_refused(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    accrue(through=date(2026, 1, 31))

    with pytest.raises(Conflict):
        approve_adjustment(actor=factories.user(Role.OFFICER_2), adjustment=_credit(officer, case, "300.01"))

    assert balances(case=case, as_of=date(2026, 1, 31))["current_support"] == Decimal("300.00")


@pytest.mark.django_db
def test_a_rejection_posts_nothing_and_keeps_the_reason(officer: object) -> None:
    case, _ = case_with_order(officer)

    rejected = reject_adjustment(
        actor=factories.user(Role.SUPERVISOR), adjustment=_credit(officer, case), note="No proof of payment."
    )

    assert rejected.decision_note == "No proof of payment."
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()
