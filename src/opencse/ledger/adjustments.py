"""Adjustments to what is owed: credits, reductions, write-offs, satisfaction of judgment, settlements.

Each needs two people: a worker requests it with a reason; an officer with signature authority (SEO 2
or supervisor, `orders.sign`) approves or rejects it, never their own request (a database constraint
refuses it too). Approval posts one ledger entry; nothing is edited. Every step is audited.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from opencse.cases.models import Case
from opencse.common.approval import check_rejection_reason, check_second_person, stamp_decision
from opencse.common.validation import check_not_future
from opencse.errors import Conflict, InvalidInput
from opencse.ledger import selectors
from opencse.ledger.models import Account, Adjustment, AdjustmentKind, AdjustmentStatus, EntryKind, LedgerEntry
from opencse.rules.money import ZERO, is_whole_cents
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

INCREASES = frozenset({AdjustmentKind.DEBT_INCREASE})


@transaction.atomic
def request_adjustment(
    *, actor: User, case: Case, account: str, kind: str, amount: Decimal, effective_on: date, reason: str
) -> Adjustment:
    require(actor, "ledger.post", case)
    if account not in Account.values:
        raise InvalidInput(f"{account[:32]!r} is not a ledger account", field="account")
    if kind not in AdjustmentKind.values:
        raise InvalidInput(f"{kind[:32]!r} is not a kind of adjustment", field="kind")
    if amount <= ZERO or not is_whole_cents(amount):
        raise InvalidInput("must be a positive amount in whole cents", field="amount")
    check_not_future(effective_on, field="effective_on")
    if len(reason.strip()) < 10:
        raise InvalidInput("explain the adjustment (at least 10 characters)", field="reason")
    adjustment = Adjustment.objects.create(
        case=case,
        account=account,
        kind=kind,
        amount=amount,
        effective_on=effective_on,
        reason=reason.strip()[:500],
        requested_by=actor,
    )
    record_audit(
        actor=actor,
        action="adjustment.requested",
        target=adjustment,
        case_number=case.number,
        summary=reason[:300],
        after={"account": account, "kind": kind, "amount": str(amount)},
    )
    return adjustment


@transaction.atomic
def approve_adjustment(*, actor: User, adjustment: Adjustment, note: str = "") -> Adjustment:
    """Approve with signature authority and post the entry. A reduction may not exceed the balance."""
    adjustment = _pending_for_decision(actor, adjustment)
    signed = adjustment.amount if adjustment.kind in INCREASES else -adjustment.amount
    owed = selectors.balances(case=adjustment.case, as_of=adjustment.effective_on)[adjustment.account]
    if owed + signed < ZERO:
        raise Conflict(f"The reduction of {adjustment.amount} is more than the {owed} owed on that account.")
    LedgerEntry.objects.create(
        case=adjustment.case,
        account=adjustment.account,
        kind=EntryKind.ADJUSTMENT,
        amount=signed,
        effective_on=adjustment.effective_on,
        actor=actor,
        source_key=f"adjustment:{adjustment.pk}",
        memo=f"{AdjustmentKind(adjustment.kind).label}: {adjustment.reason}"[:200],
    )
    return _decide(actor, adjustment, AdjustmentStatus.APPROVED, note)


@transaction.atomic
def reject_adjustment(*, actor: User, adjustment: Adjustment, note: str) -> Adjustment:
    adjustment = _pending_for_decision(actor, adjustment)
    check_rejection_reason(note)
    return _decide(actor, adjustment, AdjustmentStatus.REJECTED, note)


def _pending_for_decision(actor: User, adjustment: Adjustment) -> Adjustment:
    require(actor, "orders.sign", adjustment.case)
    adjustment = Adjustment.objects.select_for_update().select_related("case").get(pk=adjustment.pk)
    check_second_person(
        actor_id=actor.pk,
        requester_id=adjustment.requested_by_id,
        status=adjustment.status,
        waiting=AdjustmentStatus.PENDING,
        what="adjustment",
        refusal="You may not approve or reject your own request.",
    )
    return adjustment


def _decide(actor: User, adjustment: Adjustment, status: str, note: str) -> Adjustment:
    stamp_decision(adjustment, actor=actor, status=status, note=note)
    record_audit(
        actor=actor,
        action=f"adjustment.{status}",
        target=adjustment,
        case_number=adjustment.case.number,
        summary=note[:300],
        before={"status": AdjustmentStatus.PENDING},
        after={"status": status},
    )
    return adjustment
