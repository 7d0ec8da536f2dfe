"""The API: authentication, field-level errors (never a 500), the same policy as the web."""

from __future__ import annotations

import pytest
from django.test import Client

from opencse.security.services import issue_api_token
from tests import factories


@pytest.mark.django_db
def test_an_anonymous_request_is_refused_with_401() -> None:
    assert Client().get("/api/v1/cases").status_code == 401


@pytest.mark.django_db
def test_a_bearer_token_authenticates(officer: object) -> None:
    token = issue_api_token(user=officer, label="test")
    case = factories.case(officer)

    response = Client().get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["number"] == case.number


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"first_name": "A", "last_name": "B", "ssn": "000-00-0000"}, "ssn", 400),
        ({"first_name": "A", "last_name": "B", "date_of_birth": "2999-01-01"}, "date_of_birth", 400),
        ({"first_name": "A", "last_name": "B", "sex": "Q"}, "sex", 422),
        ({"first_name": "A" * 61, "last_name": "B"}, "first_name", 422),
        ({"first_name": "A", "last_name": "B", "date_of_birth": "1990-02-30"}, "date_of_birth", 422),
    ],
)
def test_bad_person_input_gets_a_field_level_error(
    officer: object, client_for: object, payload: dict[str, str], field: str, status: int
) -> None:
    response = client_for(officer).post("/api/v1/people", payload, content_type="application/json")

    assert response.status_code == status
    assert field in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_program_is_refused(officer: object, client_for: object) -> None:
    response = client_for(officer).post(
        "/api/v1/cases", {"program": "lottery", "referral_received_on": "2026-01-02"}, content_type="application/json"
    )

    assert response.status_code == 422


@pytest.mark.django_db
def test_an_officer_opens_a_case_and_adds_a_note(officer: object, client_for: object) -> None:
    client = client_for(officer)

    opened = client.post(
        "/api/v1/cases",
        {"program": "former_assistance", "referral_received_on": "2026-01-02"},
        content_type="application/json",
    )
    number = opened.json()["number"]
    noted = client.post(
        f"/api/v1/cases/{number}/notes",
        {"kind": "phone", "text": "Called the obligee."},
        content_type="application/json",
    )

    assert opened.status_code == 201
    assert noted.status_code == 201
    assert [note["text"] for note in client.get(f"/api/v1/cases/{number}/notes").json()] == ["Called the obligee."]


@pytest.mark.django_db
def test_the_rules_run_over_the_api_with_the_cli_envelope(officer: object, client_for: object) -> None:
    response = client_for(officer).post("/api/v1/rules/nonexistent", {}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rule"


@pytest.mark.django_db
def test_an_officer_records_that_a_child_left_the_case(officer: object, client_for: object) -> None:
    case, _, child, _ = factories.family(officer)
    today = child.joined_on.isoformat()

    response = client_for(officer).patch(
        f"/api/v1/cases/{case.number}/members/{child.pk}", {"left_on": today}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["left_on"] == today


@pytest.mark.django_db
def test_a_patch_with_null_clears_an_optional_name_part_and_leaves_a_required_one(
    officer: object, client_for: object
) -> None:
    # Found by the schemathesis walk: {"middle_name": null} was a server error (a NOT NULL text column).
    person = factories.person(officer, first_name="Mateo", last_name="Moreno")
    person.middle_name = "Luis"
    person.save(update_fields=["middle_name"])

    response = client_for(officer).patch(f"/api/v1/people/{person.pk}", {"middle_name": None, "first_name": None},
                                         content_type="application/json")  # fmt: skip

    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.middle_name, person.first_name) == ("", "Mateo")
