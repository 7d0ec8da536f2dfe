"""Money is neither created nor lost, over random orders, assistance and payment streams."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from opencse.common.money import MoneySum
from opencse.ledger.models import CollectionShare, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection, record_assistance, reverse_collection
from opencse.ledger.verify import verify_ledger
from tests.ledger.helpers import case_with_order

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000"), places=2)
payments = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=300),
        amounts,
        st.booleans(),
        st.sampled_from(["income_withholding", "direct_payment", "federal_tax_offset", "state_tax_offset"]),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    monthly=amounts,
    payment_stream=payments,
    assisted=st.booleans(),
    grant=st.decimals(min_value=Decimal("0"), max_value=Decimal("900"), places=2),
)
def test_every_cent_received_is_disbursed_and_every_balance_is_the_sum_of_its_entries(
    officer: object,
    monthly: Decimal,
    payment_stream: list[tuple[int, Decimal, bool, str]],
    assisted: bool,
    grant: Decimal,
) -> None:
    case, _ = case_with_order(
        officer, monthly=str(monthly), program="current_assistance" if assisted else "never_assistance"
    )
    if assisted:
        record_assistance(
            actor=officer, case=case, starts_on=date(2026, 1, 1), ends_on=date(2026, 5, 31), grant_monthly=grant
        )
    received = Decimal("0.00")
    for days, amount, reverse, source in sorted(payment_stream):
        on = date(2026, 1, 1) + timedelta(days=days)
        collection = post_collection(
            actor=officer, case=case, amount=amount, source=source, collected_on=on, received_on=on
        )
        received += amount
        if reverse:
            reverse_collection(actor=officer, collection=collection, reason="NSF", reversed_on=on)
            received -= amount

    disbursed = CollectionShare.objects.filter(case=case).aggregate(total=MoneySum("amount"))["total"]
    assert disbursed == received
    owed = balances(case=case, as_of=date(2027, 12, 31))
    entries_total = LedgerEntry.objects.filter(case=case).aggregate(total=MoneySum("amount"))["total"]
    assert sum(owed.values()) == entries_total
    assert all(balance >= 0 for balance in owed.values())
    assert verify_ledger() == []
