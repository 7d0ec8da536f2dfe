"""A family-violence-protected address is never shown without clearance and never leaves the system."""

from __future__ import annotations

import pytest

from opencse.people.selectors import PROTECTED_ADDRESS_TEXT, address_lines_for_document, addresses_for_viewer
from opencse.security.roles import Role
from tests import factories


@pytest.mark.django_db
def test_an_officer_without_clearance_sees_the_protected_notice_not_the_address(officer: object) -> None:
    _, custodial, _, _ = factories.family(officer, protected=True)

    shown = addresses_for_viewer(viewer=officer, person=custodial.person)

    assert [item.lines for item in shown] == [(PROTECTED_ADDRESS_TEXT,)]


@pytest.mark.django_db
def test_a_supervisor_with_clearance_sees_the_address(officer: object, supervisor: object) -> None:
    _, custodial, _, _ = factories.family(officer, protected=True)

    shown = addresses_for_viewer(viewer=supervisor, person=custodial.person)

    assert shown[0].lines[0] == "118 Magnolia Street"


@pytest.mark.django_db
def test_a_protected_address_is_never_written_into_a_document(officer: object) -> None:
    _, custodial, _, _ = factories.family(officer, protected=True)
    factories.user(Role.SUPERVISOR)

    assert address_lines_for_document(person=custodial.person) is None


@pytest.mark.django_db
def test_an_unprotected_address_goes_into_a_document(officer: object) -> None:
    _, custodial, _, _ = factories.family(officer, protected=False)

    assert address_lines_for_document(person=custodial.person) == [
        "Alicia Moreno",
        "118 Magnolia Street",
        "Jackson, MS 39201",
    ]


@pytest.mark.django_db
def test_the_api_never_sends_a_protected_address_to_an_officer(officer: object, client_for: object) -> None:
    _, custodial, _, _ = factories.family(officer, protected=True)

    response = client_for(officer).get(f"/api/v1/people/{custodial.person.pk}/addresses")

    assert response.status_code == 200
    assert "Magnolia" not in response.content.decode()
    assert PROTECTED_ADDRESS_TEXT in response.content.decode()
