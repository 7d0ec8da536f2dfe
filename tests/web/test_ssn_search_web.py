"""A search by SSN is a POST in the web app and the API: the number never goes in a URL, where access logs,
proxies and browser history keep it (issue #16, finding 10); it is audited and limited (finding 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.web.conftest import Family, signed_in

pytestmark = pytest.mark.django_db


def _ssn_searches() -> int:
    return AuditEvent.objects.filter(action="person.ssn_searched").count()


def test_the_case_search_form_posts_with_a_csrf_token(family: Family) -> None:
    body = signed_in(Role.TECHNICIAN).get("/search/").content.decode()

    assert 'method="post" action="/search/"' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_the_case_search_refuses_an_ssn_in_the_url_and_searches_nothing(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).get("/search/", {"ssn": "512-34-9876"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_ssn-error"' in body and "not in the page address" in body
    assert f'href="/cases/{family.case.number}/"' not in body
    assert _ssn_searches() == 0


def test_a_posted_full_ssn_finds_the_case_and_is_audited(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).post("/search/", {"ssn": "512-34-9876"})

    assert f'href="/cases/{family.case.number}/"' in response.content.decode()
    assert _ssn_searches() == 1


def test_the_member_search_posts_and_refuses_an_ssn_in_the_url(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)
    page = f"/cases/{family.case.number}/members/new/"

    form = client.get(page).content.decode()
    in_url = client.get(page, {"ssn": "512-34-9876"})
    posted = client.post(page, {"find": "1", "ssn": "512-34-9876"})

    assert 'method="post" action="' + page + '" role="search"' in form
    assert in_url.status_code == 400 and "not in the page address" in in_url.content.decode()
    assert f'name="person" value="{family.obligor.person.pk}"' in posted.content.decode()
    assert _ssn_searches() == 1


def test_over_the_limit_the_search_says_so_beside_the_field_with_429(family: Family, settings: Any) -> None:
    settings.SSN_LOOKUPS_MAXIMUM = 1
    client = signed_in(Role.TECHNICIAN)
    client.post("/search/", {"ssn": "512-34-9876"})

    response = client.post("/search/", {"ssn": "401-23-4567"})

    assert response.status_code == 429
    assert 'id="id_ssn-error"' in response.content.decode()
    assert AuditEvent.objects.filter(action="person.ssn_search_refused").count() == 1


def _api(role: Role) -> Client:
    return signed_in(role, username=f"api-{role}")


def test_the_api_refuses_an_ssn_in_the_query_string(family: Family) -> None:
    response = _api(Role.TECHNICIAN).get("/api/v1/people", {"ssn": "512349876"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ssn"
    assert "POST /api/v1/people/search" in response.json()["errors"][0]["message"]
    assert _ssn_searches() == 0


def test_the_api_searches_by_ssn_with_a_post_and_audits_it(family: Family) -> None:
    response = _api(Role.TECHNICIAN).post("/api/v1/people/search", {"ssn": "512-34-9876"}, "application/json")

    assert response.status_code == 200
    assert [person["id"] for person in response.json()] == [family.obligor.person.pk]
    assert _ssn_searches() == 1


def test_the_api_answers_429_over_the_limit(family: Family, settings: Any) -> None:
    settings.SSN_LOOKUPS_MAXIMUM = 1
    client = _api(Role.TECHNICIAN)
    client.post("/api/v1/people/search", {"ssn": "512-34-9876"}, "application/json")

    response = client.post("/api/v1/people/search", {"ssn": "401-23-4567"}, "application/json")

    assert response.status_code == 429
    assert response.json()["errors"][0]["field"] == "ssn"


def test_the_api_search_needs_a_criterion(family: Family) -> None:
    response = _api(Role.TECHNICIAN).post("/api/v1/people/search", {}, "application/json")

    assert response.status_code == 400
