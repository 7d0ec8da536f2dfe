"""Manual and API postings are idempotent (issue #16, finding 12): a retry with the same key posts once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from opencse.cases.services import add_member
from opencse.errors import Conflict, InvalidInput
from opencse.ledger.models import Collection, LedgerEntry
from opencse.ledger.services import post_collection, post_collection_for_obligor
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order

KEY = "5f0c2a8e-7d3b-4c1e-9a6f-2b8d4e1c7a90"


def _post(actor: Any, case: Any, *, amount: str = "150.00", key: str | None = KEY) -> Collection:
    return post_collection(actor=actor, case=case, amount=Decimal(amount), source="direct_payment",
                           collected_on=date(2026, 3, 6), received_on=date(2026, 3, 9),
                           idempotency_key=key)  # fmt: skip


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_collection_and_posts_nothing(officer: Any) -> None:
    case, _ = case_with_order(officer)

    first = _post(officer, case)
    entries = LedgerEntry.objects.filter(case=case).count()
    again = _post(officer, case)

    assert again.pk == first.pk
    assert Collection.objects.filter(case=case).count() == 1
    assert LedgerEntry.objects.filter(case=case).count() == entries
    assert first.idempotency_key == f"{officer.pk}:{KEY}"


@pytest.mark.django_db
def test_the_same_key_for_another_payment_is_refused_and_nothing_is_posted(officer: Any) -> None:
    case, _ = case_with_order(officer)
    _post(officer, case)

    with pytest.raises(Conflict) as refused:
        _post(officer, case, amount="151.00")

    assert refused.value.field == "idempotency_key" and "different payment" in refused.value.message
    assert Collection.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_keys_are_per_poster_and_postings_without_a_key_are_not_deduplicated(officer: Any) -> None:
    case, _ = case_with_order(officer)
    other = factories.user(Role.OFFICER_1, username="second-officer")

    _post(officer, case)
    _post(other, case)  # another user's key is another key
    _post(officer, case, key=None)
    _post(officer, case, key=None)  # two real payments of the same amount: both posted

    assert Collection.objects.filter(case=case).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "a" * 101, "key with spaces", "key#1", "ключ", "１２３"])
def test_a_malformed_key_is_refused_beside_its_field(officer: Any, key: str) -> None:
    case, _ = case_with_order(officer)

    with pytest.raises(InvalidInput) as refused:
        _post(officer, case, key=key)

    assert refused.value.field == "idempotency_key"
    assert not Collection.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_retried_posting_across_an_obligors_cases_returns_the_same_shares(officer: Any) -> None:
    first_case, _ = case_with_order(officer)
    obligor = first_case.members.get(role="noncustodial_parent").person
    second_case = factories.case(officer)
    add_member(actor=officer, case=second_case, person=obligor, role="noncustodial_parent")

    def post(amount: str) -> list[Collection]:
        return post_collection_for_obligor(actor=officer, obligor=obligor, amount=Decimal(amount),
                                           source="income_withholding", collected_on=date(2026, 3, 6),
                                           received_on=date(2026, 3, 9), idempotency_key=KEY)  # fmt: skip

    first = post("400.00")
    again = post("400.00")

    assert [collection.pk for collection in again] == [collection.pk for collection in first]
    assert Collection.objects.filter(obligor=obligor).count() == len(first)
    with pytest.raises(Conflict):
        post("401.00")
    with pytest.raises(Conflict):
        _post(officer, first_case)  # the obligor posting's key, on one case: another request


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_posts_with_one_key_make_exactly_one_collection(officer: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections are tested on PostgreSQL")
    case, _ = case_with_order(officer)

    def post(_: int) -> int:
        try:
            return _post(officer, case).pk
        finally:
            connections.close_all()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=10) as pool:
        ids = list(pool.map(post, range(10)))

    assert Collection.objects.filter(case=case).count() == 1
    assert set(ids) == {Collection.objects.get(case=case).pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_key_sent_in_parallel_for_two_cases_posts_one_and_refuses_the_other(officer: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections are tested on PostgreSQL")
    cases = [case_with_order(officer)[0], case_with_order(officer)[0]]

    def post(case: Any) -> str:
        try:
            _post(officer, case)
            return "posted"
        except Conflict:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(post, cases))

    assert outcomes == ["posted", "refused"]
    assert Collection.objects.filter(case__in=cases).count() == 1
