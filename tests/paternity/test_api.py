"""The paternity API: the same services as the web pages, the same refusals."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.paternity.services import order_genetic_test
from tests.paternity.conftest import PaternityCase

pytestmark = pytest.mark.django_db


def _client(family: PaternityCase, client_for: Any) -> Any:
    return client_for(family.officer)


def test_the_api_lists_each_child_with_status_and_history(family: PaternityCase, client_for: Any) -> None:
    response = _client(family, client_for).get(f"/api/v1/cases/{family.case.number}/paternity")

    body = response.json()
    assert response.status_code == 200
    assert {child["status"] for child in body} == {"alleged"}
    assert body[0]["alleged_father_ids"] == [family.father.pk]
    assert body[0]["history"][0]["effective_on"] == "2026-03-04"


def test_an_acknowledgment_over_the_api_carries_its_rescission_date(family: PaternityCase, client_for: Any) -> None:
    payload = {"child_id": family.child.pk, "father_id": family.father.pk, "signed_on": "2026-03-02",
               "filed_on": "2026-03-02"}  # fmt: skip

    response = _client(family, client_for).post(f"/api/v1/cases/{family.case.number}/paternity/acknowledgments",
                                                payload, content_type="application/json")  # fmt: skip

    # 42 U.S.C. 666(a)(5)(D)(ii): 60 days from Mar 2, 2026.
    assert response.status_code == 201
    assert response.json()["rescission_ends_on"] == "2026-05-01"


def test_a_result_with_bad_fields_is_refused_with_every_field(family: PaternityCase, client_for: Any) -> None:
    from datetime import date

    test = order_genetic_test(actor=family.officer, case=family.case, child=family.child, father=family.father,
                              ordered_on=date(2026, 3, 16))  # fmt: skip
    payload = {"lab": "Lab", "received_on": "2026-03-01", "probability": "99.5", "combined_index": "200"}

    response = _client(family, client_for).post(
        f"/api/v1/cases/{family.case.number}/paternity/tests/{test.pk}/result", payload,
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["received_on"]
