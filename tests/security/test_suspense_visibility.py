"""The suspense "identify" URL shows nothing of another office's collections: a collection that is not in
suspense and not on a case the viewer may see is not found, so its amount cannot be enumerated by id
(issue #16, low finding)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger.models import Collection, CollectionStatus
from opencse.ledger.services import hold_in_suspense, post_collection
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.conftest import HTMX


def _posted_in_hinds(officer: object) -> Collection:
    case, _ = case_with_order(officer)
    return post_collection(actor=officer, case=case, amount=Decimal("987.65"), source="direct_payment",
                           collected_on=date(2026, 2, 6), received_on=date(2026, 2, 6))  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False])
def test_another_offices_posted_collection_is_not_found_on_the_identify_page(
    officer: object, client_for: object, htmx: bool
) -> None:
    posted = _posted_in_hinds(officer)
    elsewhere = client_for(factories.user(Role.OFFICER_1, username="gulfport", office_code="HAR"))

    response = elsewhere.post(f"/suspense/{posted.pk}/identify/", {"case_number": "X"}, **(HTMX if htmx else {}))

    assert response.status_code == 404
    assert "987" not in response.content.decode()


@pytest.mark.django_db
def test_another_offices_posted_collection_is_not_found_over_the_api(officer: object, client_for: object) -> None:
    posted = _posted_in_hinds(officer)
    harrison = factories.user(Role.OFFICER_1, username="gulfport", office_code="HAR")
    case, _ = case_with_order(harrison)

    response = client_for(harrison).post(
        f"/api/v1/suspense/{posted.pk}/identify", {"case_number": case.number}, content_type="application/json"
    )

    assert response.status_code == 404
    assert "987" not in response.content.decode()
    assert Collection.objects.get(pk=posted.pk).case_id == posted.case_id


@pytest.mark.django_db
def test_a_payment_in_suspense_is_open_to_every_office_and_one_of_ones_own_cases_says_it_left(
    officer: object, client_for: object
) -> None:
    posted = _posted_in_hinds(officer)
    on = date(2026, 2, 6)
    waiting = hold_in_suspense(actor=officer, amount=Decimal("40.00"), source="direct_payment", collected_on=on,
                               received_on=on, reason="no case number")  # fmt: skip
    harrison = factories.user(Role.OFFICER_1, username="gulfport", office_code="HAR")
    case, _ = case_with_order(harrison)

    identified = client_for(harrison).post(f"/suspense/{waiting.pk}/identify/", {"case_number": case.number}, **HTMX)
    own = client_for(officer).post(f"/suspense/{posted.pk}/identify/", {"case_number": "X"}, **HTMX)

    assert identified.status_code == 200
    assert Collection.objects.get(pk=waiting.pk).status == CollectionStatus.POSTED
    assert own.status_code == 409
    assert "already identified" in own.content.decode()
