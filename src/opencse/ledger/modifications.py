"""Entering a modification of a support order: the order's new terms, and the ledger made to say what they
say from the day they take effect (`opencse.ledger.retroactive`).

This is the ledger's use case, not the orders app's: a modification effective on a day already accrued
re-posts months of the ledger, so the orders app (which knows nothing of the ledger) only ends the old
order's terms and saves the new ones, and refuses a modification of an order accrued past its effective
day unless it comes through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from opencse.cases.models import Case
from opencse.ledger import retroactive
from opencse.orders.models import Order
from opencse.orders.services import TermInput, enter_order
from opencse.security.models import User


@transaction.atomic
def enter_modification(
    *,
    actor: User,
    case: Case,
    modifies: Order,
    entered_on: date,
    tribunal_kind: str,
    tribunal_name: str,
    issuing_jurisdiction: str,
    docket_number: str,
    signed_on: date,
    effective_on: date,
    terms: Sequence[TermInput],
    filed_on: date | None = None,
) -> Order:
    """Enter the order that modifies `modifies`, then adjust the ledger month by month when the old order
    was accrued past `effective_on` (docs/ledger.md, "Retroactive modifications"). `entered_on` is the
    business day the modification is recorded: it decides which months are closed."""
    modifies = Order.objects.select_for_update().get(pk=modifies.pk)
    before = retroactive.terms_before(modifies)  # as they stand before their end dates change
    order = enter_order(
        actor=actor,
        case=case,
        tribunal_kind=tribunal_kind,
        tribunal_name=tribunal_name,
        issuing_jurisdiction=issuing_jurisdiction,
        docket_number=docket_number,
        signed_on=signed_on,
        effective_on=effective_on,
        terms=terms,
        filed_on=filed_on,
        modifies=modifies,
        adjusted_by_ledger=True,
    )
    retroactive.adjust_for_modification(
        actor=actor, case=case, order=order, before=before, effective_on=effective_on, entered_on=entered_on
    )
    return order
