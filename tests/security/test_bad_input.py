"""Input no database can store is refused as bad input (400), never a server error."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/cases/MS26%000001", "/api/v1/cases?number=A%00B", "/cases/X%00Y/"])
def test_a_nul_character_in_the_address_is_refused(officer: object, client_for: object, url: str) -> None:
    response = client_for(officer).get(url)

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_character_in_a_json_body_is_refused_and_nothing_is_written(officer: object, client_for: object) -> None:
    response = client_for(officer).post(
        "/api/v1/people", '{"first_name": "A\\u0000", "last_name": "B"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("The request contains a NUL")


@pytest.mark.django_db
def test_a_huge_page_offset_is_a_validation_error(officer: object, client_for: object) -> None:
    assert client_for(officer).get("/api/v1/cases?offset=99999999999999999999").status_code == 422
