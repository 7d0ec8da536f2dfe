"""Posting collections: distribution by the federal rules, disbursement, suspense, reversal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.errors import Conflict
from opencse.ledger.models import Collection, CollectionShare, CollectionStatus
from opencse.ledger.selectors import balances
from opencse.ledger.services import (
    hold_in_suspense,
    post_collection,
    record_assistance,
    resolve_suspense,
    reverse_collection,
)
from opencse.ledger.verify import verify_ledger
from opencse.security.services import system_actor
from tests.ledger.helpers import case_with_order


def _payees(collection: Collection) -> dict[str, Decimal]:
    return {row.payee: row.amount for row in CollectionShare.objects.filter(collection=collection)}


@pytest.mark.django_db
def test_a_payment_pays_this_months_current_support_then_arrears_and_goes_to_the_family(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")

    # January unpaid (rolls into arrears), then 450.00 received in February.
    collection = post_collection(
        actor=officer,
        case=case,
        amount=Decimal("450.00"),
        source="income_withholding",
        collected_on=date(2026, 2, 13),
        received_on=date(2026, 2, 16),
    )

    owed = balances(case=case, as_of=date(2026, 2, 28))
    assert owed["current_support"] == Decimal("0.00")
    assert owed["never_assigned"] == Decimal("150.00")
    assert _payees(collection) == {"family": Decimal("450.00")}
    assert verify_ledger() == []


@pytest.mark.django_db
def test_the_family_is_paid_within_two_business_days_of_receipt(officer: object) -> None:
    case, _ = case_with_order(officer)

    # Received Friday 2026-07-02 ... Independence Day observed Friday 2026-07-03: due Tuesday 07-07.
    collection = post_collection(
        actor=officer,
        case=case,
        amount=Decimal("100.00"),
        source="direct_payment",
        collected_on=date(2026, 7, 2),
        received_on=date(2026, 7, 2),
    )

    assert CollectionShare.objects.get(collection=collection).due_on == date(2026, 7, 7)


@pytest.mark.django_db
def test_on_assistance_the_state_keeps_support_up_to_unreimbursed_assistance(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00", program="current_assistance")
    record_assistance(actor=officer, case=case, starts_on=date(2026, 1, 1), grant_monthly=Decimal("200.00"))

    collection = post_collection(
        actor=officer,
        case=case,
        amount=Decimal("300.00"),
        source="income_withholding",
        collected_on=date(2026, 1, 20),
        received_on=date(2026, 1, 20),
    )

    # URA through January is one month's grant, 200.00 (42 U.S.C. 657(a)(1)); the rest goes to the family.
    assert _payees(collection) == {"state": Decimal("200.00"), "family": Decimal("100.00")}
    assert verify_ledger() == []


@pytest.mark.django_db
def test_an_overpayment_is_held_and_nothing_is_lost(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")

    collection = post_collection(
        actor=officer,
        case=case,
        amount=Decimal("1000.00"),
        source="direct_payment",
        collected_on=date(2026, 1, 9),
        received_on=date(2026, 1, 9),
    )

    assert sum(_payees(collection).values()) == Decimal("1000.00")
    assert _payees(collection)["held"] == Decimal("700.00")


@pytest.mark.django_db
def test_reversing_an_nsf_payment_restores_the_debt_exactly(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    collection = post_collection(
        actor=officer,
        case=case,
        amount=Decimal("250.00"),
        source="direct_payment",
        collected_on=date(2026, 1, 9),
        received_on=date(2026, 1, 9),
    )

    reverse_collection(
        actor=officer, collection=collection, reason="NSF: returned by the bank", reversed_on=date(2026, 1, 20)
    )

    assert balances(case=case, as_of=date(2026, 12, 31))["current_support"] == Decimal("300.00")
    net_disbursed = sum(CollectionShare.objects.filter(collection=collection).values_list("amount", flat=True))
    assert net_disbursed == Decimal("0.00")
    assert Collection.objects.get(pk=collection.pk).status == CollectionStatus.REVERSED
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_reversed_collection_cannot_be_reversed_twice(officer: object) -> None:
    case, _ = case_with_order(officer)
    collection = post_collection(
        actor=officer,
        case=case,
        amount=Decimal("50.00"),
        source="direct_payment",
        collected_on=date(2026, 1, 9),
        received_on=date(2026, 1, 9),
    )
    reverse_collection(actor=officer, collection=collection, reason="posting error", reversed_on=date(2026, 1, 9))

    with pytest.raises(Conflict):
        reverse_collection(actor=officer, collection=collection, reason="again", reversed_on=date(2026, 1, 9))


@pytest.mark.django_db
def test_an_unidentified_payment_waits_in_suspense_then_posts_when_identified(officer: object) -> None:
    case, _ = case_with_order(officer)
    held = hold_in_suspense(
        actor=system_actor(),
        amount=Decimal("120.00"),
        source="income_withholding",
        collected_on=date(2026, 1, 9),
        received_on=date(2026, 1, 12),
        reason="case identifier not found",
        reference="091000019000001",
    )

    posted = resolve_suspense(actor=officer, collection=held, case=case)

    assert posted.status == CollectionStatus.POSTED
    assert balances(case=case, as_of=date(2026, 1, 31))["current_support"] == Decimal("180.00")
    assert verify_ledger() == []
