"""Concurrent postings to one case give exactly the sequential result (PostgreSQL, real connections)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from opencse.ledger.models import CollectionShare
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection
from tests.ledger.helpers import case_with_order

PAYMENTS = [
    Decimal("50.00"),
    Decimal("75.25"),
    Decimal("120.00"),
    Decimal("33.33"),
    Decimal("410.00"),
    Decimal("12.01"),
    Decimal("99.99"),
    Decimal("250.00"),
]


def _post_all(officer: object, case: object, *, parallel: bool) -> None:
    def post(amount: Decimal) -> None:
        try:
            post_collection(
                actor=officer,
                case=case,
                amount=amount,
                source="income_withholding",
                collected_on=date(2026, 3, 6),
                received_on=date(2026, 3, 9),
            )
        finally:
            connections.close_all()  # each worker thread has its own connection

    if parallel:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(post, PAYMENTS))
    else:
        for amount in PAYMENTS:
            post_collection(
                actor=officer,
                case=case,
                amount=amount,
                source="income_withholding",
                collected_on=date(2026, 3, 6),
                received_on=date(2026, 3, 9),
            )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_postings_to_one_case_equal_the_sequential_result(officer: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) are tested on PostgreSQL")
    sequential, _ = case_with_order(officer, monthly="300.00")
    parallel, _ = case_with_order(officer, monthly="300.00")

    _post_all(officer, sequential, parallel=False)
    _post_all(officer, parallel, parallel=True)

    assert balances(case=parallel, as_of=date(2026, 12, 31)) == balances(case=sequential, as_of=date(2026, 12, 31))
    for case in (sequential, parallel):
        assert sum(CollectionShare.objects.filter(case=case).values_list("amount", flat=True)) == sum(PAYMENTS)
