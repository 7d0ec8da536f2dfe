"""The posting form carries a one-time key: a double submit posts once (issue #16, finding 12)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from opencse.ledger.models import Collection
from tests.ledger.helpers import case_with_order

PAYMENT = {"amount": "150.00", "source": "direct_payment", "collected_on": "2026-03-06", "received_on": "2026-03-09"}
HIDDEN_KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([A-Za-z0-9_-]{32})"')


def _key_of(page: bytes) -> str:
    found = HIDDEN_KEY.search(page.decode())
    assert found is not None, "the form has no one-time key"
    return found.group(1)


@pytest.mark.django_db
def test_a_double_submit_of_the_posting_form_posts_once(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)
    url = f"/cases/{case.number}/collections/new/"
    key = _key_of(client.get(url).content)

    first = client.post(url, {**PAYMENT, "idempotency_key": key})
    second = client.post(url, {**PAYMENT, "idempotency_key": key})
    changed = client.post(url, {**PAYMENT, "amount": "160.00", "idempotency_key": key})

    collection = Collection.objects.get(case=case)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/collections/{collection.pk}/"
    assert changed.status_code == 409  # a conflict with the payment already posted under the key, as the API says
    assert "This form was already used to post a different payment; nothing was posted." in changed.content.decode()
    assert Collection.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_each_showing_of_the_form_has_a_new_key(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)
    obligor = case.members.get(role="noncustodial_parent").person

    keys = {_key_of(client.get(f"/cases/{case.number}/collections/new/").content) for _ in range(3)}
    keys.add(_key_of(client.get(f"/people/{obligor.pk}/collections/new/").content))

    assert len(keys) == 4


@pytest.mark.django_db
def test_a_double_submit_of_the_obligor_posting_form_posts_once(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)
    obligor = case.members.get(role="noncustodial_parent").person
    client = client_for(officer)
    url = f"/people/{obligor.pk}/collections/new/"
    key = _key_of(client.get(url).content)

    first = client.post(url, {**PAYMENT, "idempotency_key": key})
    second = client.post(url, {**PAYMENT, "idempotency_key": key})

    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Collection.objects.filter(obligor=obligor).count() == 1
