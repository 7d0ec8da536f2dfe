"""The posting service's own guard (issue #16, low finding): whatever parsed the input, an amount over
$99,999,999.99 or a date of collection before 1975 is a field error, never a 500."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from opencse.errors import InvalidInput
from opencse.ledger.models import Collection
from opencse.ledger.services import post_collection
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "collected_on", "field"),
    [
        ("99999999999.99", date(2026, 3, 6), "amount"),
        ("100000000.00", date(2026, 3, 6), "amount"),
        ("150.00", date(1, 1, 1), "collected_on"),
        ("150.00", date(1974, 12, 31), "collected_on"),
    ],
)
def test_the_service_refuses_an_amount_over_the_cap_and_a_date_before_the_ledger(
    officer: Any, amount: str, collected_on: date, field: str
) -> None:
    case, _ = case_with_order(officer)

    with pytest.raises(InvalidInput) as refused:
        post_collection(actor=officer, case=case, amount=Decimal(amount), source="direct_payment",
                        collected_on=collected_on, received_on=date(2026, 3, 9))  # fmt: skip

    assert refused.value.field == field
    assert not Collection.objects.filter(case=case).exists()
