"""The person page: the masked SSN and its audited reveal, and family-violence-protected addresses."""

from __future__ import annotations

import pytest
from django.test import Client

from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.web.conftest import HTMX, Family, signed_in

pytestmark = pytest.mark.django_db


def test_the_person_page_shows_the_ssn_masked_with_a_reveal_action_for_an_officer(family: Family) -> None:
    client = Client()
    client.force_login(family.officer)

    body = client.get(f"/people/{family.obligor.person.pk}/").content.decode()

    assert "***-**-9876" in body
    assert "512-34-9876" not in body
    assert "Reveal SSN" in body
    assert family.case.number in body


def test_an_officer_reveals_the_ssn_and_the_reveal_is_audited(family: Family) -> None:
    client = Client()
    client.force_login(family.officer)

    response = client.post(f"/people/{family.obligor.person.pk}/ssn/", **HTMX)

    assert response.status_code == 200
    assert "512-34-9876" in response.content.decode()
    event = AuditEvent.objects.get(action="person.ssn_revealed")
    assert (event.actor, event.target_id) == (family.officer, str(family.obligor.person.pk))


def test_a_technician_cannot_reveal_an_ssn(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    page = client.get(f"/people/{family.obligor.person.pk}/").content.decode()
    response = client.post(f"/people/{family.obligor.person.pk}/ssn/", **HTMX)

    assert "Reveal SSN" not in page
    assert response.status_code == 403
    assert "512-34-9876" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.ssn_revealed").exists()


def test_revealing_the_ssn_of_a_person_without_one_says_so(family: Family) -> None:
    client = Client()
    client.force_login(family.officer)

    response = client.post(f"/people/{family.child.person.pk}/ssn/", **HTMX)

    assert response.status_code == 400
    assert "no SSN on file" in response.content.decode()


def test_the_ssn_reveal_refuses_a_get(family: Family) -> None:
    client = Client()
    client.force_login(family.officer)

    assert client.get(f"/people/{family.obligor.person.pk}/ssn/").status_code == 405


def test_a_protected_address_never_appears_for_an_officer_1(protected_family: Family) -> None:
    client = Client()
    client.force_login(protected_family.officer)
    person = protected_family.custodial.person

    case_page = client.get(f"/cases/{protected_family.case.number}/").content.decode()
    person_page = client.get(f"/people/{person.pk}/").content.decode()

    for body in (case_page, person_page):
        assert "118 Magnolia Street" not in body
        assert "Jackson, MS 39201" not in body
        assert "Address protected (family violence indicator)" in body
    assert not AuditEvent.objects.filter(action="person.protected_address_viewed").exists()


def test_a_supervisor_sees_a_protected_address_and_the_look_is_audited(protected_family: Family) -> None:
    client = signed_in(Role.SUPERVISOR)
    person = protected_family.custodial.person

    body = client.get(f"/people/{person.pk}/").content.decode()

    assert "118 Magnolia Street" in body
    assert "Family violence indicator" in body
    event = AuditEvent.objects.get(action="person.protected_address_viewed")
    assert event.target_id == str(person.pk)


def test_an_unknown_person_is_a_404(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).get("/people/999999/")

    assert response.status_code == 404
