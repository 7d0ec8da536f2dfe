"""Bearer-token writes are not CSRF-checked; session writes are (issue #16, finding 5).

Every client here enforces CSRF checks, as a browser and a real integration do."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.security.services import issue_api_token
from tests.api.conftest import CsrfClient

NOTE = {"kind": "phone", "text": "Called the obligee."}


def _notes_url(officer: Any) -> str:
    from tests import factories

    return f"/api/v1/cases/{factories.case(officer).number}/notes"


@pytest.mark.django_db
def test_a_bearer_token_writes_through_a_client_that_enforces_csrf(officer: Any) -> None:
    token = issue_api_token(user=officer, label="integration")
    client = CsrfClient()

    response = client.post(
        _notes_url(officer), NOTE, content_type="application/json", csrf=False, HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_bearer_token_wins_over_a_session_cookie_without_csrf(officer: Any, technician: Any) -> None:
    token = issue_api_token(user=officer, label="integration")
    client = CsrfClient()
    client.force_login(technician)

    response = client.post(
        _notes_url(officer), NOTE, content_type="application/json", csrf=False, HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 201, response.content
    assert response.json()["author"] == officer.username


@pytest.mark.django_db
def test_a_bad_bearer_token_is_a_401_and_never_falls_back_to_the_session(officer: Any) -> None:
    client = CsrfClient()
    client.force_login(officer)

    response = client.post(_notes_url(officer), NOTE, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")

    assert response.status_code == 401


@pytest.mark.django_db
def test_a_session_write_without_the_csrf_token_is_refused(officer: Any) -> None:
    client = CsrfClient()
    client.force_login(officer)

    response = client.post(_notes_url(officer), NOTE, content_type="application/json", csrf=False)

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


@pytest.mark.django_db
def test_a_session_write_with_the_csrf_token_succeeds(officer: Any) -> None:
    client = CsrfClient()
    client.force_login(officer)

    response = client.post(_notes_url(officer), NOTE, content_type="application/json")

    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_session_read_needs_no_csrf_token(officer: Any) -> None:
    client = CsrfClient()
    client.force_login(officer)

    assert client.get(_notes_url(officer)).status_code == 200
