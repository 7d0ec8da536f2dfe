"""Sign in, caseload, search, the case page, and the styled refusals (403, 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from opencse.security.roles import Role
from tests import factories
from tests.web.conftest import Family, signed_in

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=/")


def test_the_sign_in_page_labels_its_fields() -> None:
    response = Client().get("/signin/")

    assert response.status_code == 200
    assert b'<label class="usa-label" for="id_username">' in response.content
    assert b'<label class="usa-label" for="id_password">' in response.content
    assert b'href="#main-content"' in response.content


def test_signing_in_with_the_right_password_opens_the_officers_worklist(family: Family) -> None:
    client = Client()

    response = client.post("/signin/", {"username": "web-officer", "password": factories.PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302), ("/worklist/", 302)]
    assert family.case.number in response.content.decode()  # the case's opening clock is on the list
    assert "Support Enforcement Officer 1" in response.content.decode()


def test_signing_in_with_a_wrong_password_says_so_and_stays_signed_out(family: Family) -> None:
    client = Client()

    response = client.post("/signin/", {"username": "web-officer", "password": "not-the-password"})

    assert response.status_code == 200
    assert "usa-alert--error" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(family: Family) -> None:
    client = Client()
    client.force_login(family.officer)

    response = client.post("/signout/")

    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_the_caseload_lists_only_the_officers_own_open_cases(family: Family) -> None:
    colleague = signed_in(Role.OFFICER_2)
    client = Client()
    client.force_login(family.officer)

    mine = client.get("/caseload/").content.decode()
    theirs = colleague.get("/caseload/").content.decode()

    assert family.case.number in mine
    assert family.case.number not in theirs


@pytest.mark.parametrize(
    "query",
    [{"name": "Boone"}, {"ssn": "9876"}, {"ssn": "512-34-9876"}, {"name": "Moreno", "date_of_birth": "2018-02-03"}],
)
def test_search_finds_the_case_by_a_members_name_birth_date_or_ssn(family: Family, query: dict[str, str]) -> None:
    client = signed_in(Role.TECHNICIAN)

    response = client.post("/search/", query)  # the form posts: an SSN never goes in a URL

    assert response.status_code == 200
    assert f'href="/cases/{family.case.number}/"' in response.content.decode()


def test_search_by_case_number_finds_the_case(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).get("/search/", {"number": family.case.number})

    assert "1 case found by number" in response.content.decode()


def test_search_with_a_malformed_ssn_explains_beside_the_field(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).post("/search/", {"ssn": "12345"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_ssn-error"' in body
    assert "full nine-digit SSN or its last four digits" in body


def test_search_does_not_show_another_offices_cases(family: Family) -> None:
    response = signed_in(Role.OFFICER_1, office_code="HAR").get("/search/", {"name": "Boone"})

    assert family.case.number not in response.content.decode()
    assert "0 people found" in response.content.decode()


@pytest.mark.parametrize("typed", ["Curtis Boone", "Boone, Curtis", "Curtis Bone", "boone"])
def test_the_header_box_finds_a_person_with_the_role_and_case_whatever_the_order_or_a_typo(
    family: Family, typed: str
) -> None:
    response = signed_in(Role.TECHNICIAN).post("/search/", {"q": typed})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Curtis Boone" in body and "noncustodial parent" in body
    assert f'href="/cases/{family.case.number}/"' in body


def test_the_header_box_takes_a_case_number(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).post("/search/", {"q": family.case.number})

    assert "1 case found by number" in response.content.decode()


def test_the_case_page_shows_members_addresses_employers_and_masked_ssns(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    body = client.get(f"/cases/{family.case.number}/").content.decode()

    assert "Alicia Moreno" in body and "Curtis Boone" in body and "Mateo Moreno" in body
    assert "Noncustodial parent" in body
    assert "118 Magnolia Street" in body
    assert "Gulf Coast Shipyards" in body
    assert "***-**-9876" in body
    assert "512-34-9876" not in body and "512349876" not in body


def test_an_unknown_case_is_a_styled_404(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).get("/cases/MS269999999/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="usa-header' in response.content.decode()


def test_another_offices_case_is_a_404_not_a_leak(family: Family) -> None:
    response = signed_in(Role.OFFICER_1, office_code="HAR").get(f"/cases/{family.case.number}/")

    assert response.status_code == 404
    assert "Curtis Boone" not in response.content.decode()


def test_an_unknown_address_is_the_styled_404_page() -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_role_without_the_permission_gets_the_styled_403(family: Family) -> None:
    response = signed_in(Role.ADMINISTRATOR).get("/caseload/")

    assert response.status_code == 403
    assert "You may not use this page" in response.content.decode()


def test_the_health_check_is_public() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
