"""Keeping a person's record on the web: edit (SSN masked), alias, addresses, employment, family violence."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from opencse.people.models import Address, Alias, Employer, Employment, Person
from opencse.people.selectors import PROTECTED_ADDRESS_TEXT
from opencse.people.services import add_employment, end_address
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.web.conftest import HTMX, Family, signed_in

pytestmark = pytest.mark.django_db

STREET = "118 Magnolia Street"  # the custodial party's address in the family factory


def _officer(family: Family) -> Client:
    client = Client()
    client.force_login(family.officer)
    return client


def _person_data(person: Person, **overrides: str) -> dict[str, str]:
    data = {
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "last_name": person.last_name,
        "suffix": person.suffix,
        "date_of_birth": str(person.date_of_birth or ""),
        "sex": person.sex,
        "ssn": "",
        "date_of_death": "",
        "language": person.language,
        "tribal_affiliation": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


# Editing the person


def test_editing_a_person_saves_the_fields_keeps_the_ssn_and_audits_it(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(
        f"/people/{person.pk}/edit/",
        _person_data(person, last_name="Moreno-Diaz", language="Spanish", tribal_affiliation="Choctaw"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    person.refresh_from_db()
    assert (person.last_name, person.language, person.tribal_affiliation) == ("Moreno-Diaz", "Spanish", "Choctaw")
    assert person.ssn_last4 == "4567"
    event = AuditEvent.objects.get(action="person.updated", target_id=str(person.pk))
    # The trail names the fields that changed, never the personal values (docs/security.md, Audit trail).
    assert event.after == dict.fromkeys(["last_name", "language", "tribal_affiliation"], "[recorded]")


def test_the_edit_page_shows_the_ssn_masked_and_never_in_full(family: Family) -> None:
    person = family.custodial.person

    body = _officer(family).get(f"/people/{person.pk}/edit/").content.decode()

    assert "***-**-4567" in body
    assert "401234567" not in body
    assert "401-23-4567" not in body


def test_a_new_ssn_replaces_the_old_one_and_is_audited_masked(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(f"/people/{person.pk}/edit/", _person_data(person, ssn="402-11-2222"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.ssn_last4 == "2222"
    event = AuditEvent.objects.get(action="person.updated", target_id=str(person.pk))
    assert event.after == {"ssn": "***-**-2222"}


def test_a_refused_ssn_is_explained_beside_the_field_and_not_written_back_into_the_page(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(f"/people/{person.pk}/edit/", _person_data(person, ssn="512-34-9876"))

    body = response.content.decode()
    assert response.status_code == 400  # the obligor already has this SSN
    assert "A person you can see already has this SSN" in body
    assert "512-34-9876" not in body
    assert "512349876" not in body
    person.refresh_from_db()
    assert person.ssn_last4 == "4567"


def test_a_date_of_birth_in_the_future_is_refused_beside_the_field(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(f"/people/{person.pk}/edit/", _person_data(person, date_of_birth="2999-01-01"))

    assert response.status_code == 400
    assert 'id="id_date_of_birth-error"' in response.content.decode()
    person.refresh_from_db()
    assert person.date_of_birth == date(1990, 5, 17)


def test_an_auditor_sees_no_edit_buttons_and_may_not_edit(family: Family) -> None:
    person = family.custodial.person
    client = signed_in(Role.AUDITOR)

    page = client.get(f"/people/{person.pk}/").content.decode()
    response = client.post(f"/people/{person.pk}/edit/", _person_data(person, last_name="Changed"))

    assert 'data-testid="record-actions"' not in page
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Moreno"


def test_an_officer_of_another_office_cannot_edit_a_person_on_a_case_he_cannot_see(family: Family) -> None:
    person = family.custodial.person

    response = signed_in(Role.OFFICER_1, office_code="HAR").post(
        f"/people/{person.pk}/edit/", _person_data(person, last_name="Changed")
    )

    assert response.status_code == 404
    person.refresh_from_db()
    assert person.last_name == "Moreno"


# Aliases


def test_adding_an_alias_records_it_and_returns_to_the_person(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(
        f"/people/{person.pk}/aliases/new/", {"kind": "maiden", "first_name": "Alicia", "last_name": "Ferrer"}
    )

    assert response.status_code == 302
    alias = Alias.objects.get(person=person)
    assert (alias.kind, alias.last_name) == ("maiden", "Ferrer")
    assert AuditEvent.objects.filter(action="alias.added", target_id=str(alias.pk)).count() == 1


def test_an_alias_without_a_last_name_is_refused_beside_the_field(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(f"/people/{person.pk}/aliases/new/", {"kind": "alias", "first_name": "Ally"})

    assert response.status_code == 400
    assert 'id="id_last_name-error"' in response.content.decode()
    assert not Alias.objects.exists()


# Addresses


def _address_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "mailing",
        "line1": "PO Box 77",
        "line2": "",
        "city": "Clinton",
        "state": "MS",
        "postal_code": "39056",
        "source": "postal",
        "verification": "verified",
        "effective_on": "2026-04-01",
    }
    data.update(overrides)
    return data


def test_adding_an_address_records_its_kind_source_and_verification(family: Family) -> None:
    person = family.obligor.person

    response = _officer(family).post(f"/people/{person.pk}/addresses/", _address_data())

    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/addresses/"
    address = Address.objects.get(person=person)
    assert (address.kind, address.source, address.verification) == ("mailing", "postal", "verified")
    assert address.effective_on == date(2026, 4, 1)
    assert address.verified_on == timezone.localdate()


def test_a_malformed_zip_code_is_refused_beside_the_field(family: Family) -> None:
    person = family.obligor.person

    response = _officer(family).post(f"/people/{person.pk}/addresses/", _address_data(postal_code="3905"))

    assert response.status_code == 400
    assert 'id="id_postal_code-error"' in response.content.decode()
    assert not Address.objects.filter(person=person).exists()


def test_ending_an_address_as_bad_dates_it_and_marks_it_bad(family: Family) -> None:
    address = family.custodial.person.addresses.get()
    today = timezone.localdate()

    response = _officer(family).post(
        f"/people/{address.person_id}/addresses/{address.pk}/end/",
        {f"end-{address.pk}-ended_on": str(today), f"end-{address.pk}-bad": "on"},
    )

    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.ended_on, address.verification) == (today, Address.Verification.BAD)
    assert AuditEvent.objects.filter(action="address.ended", target_id=str(address.pk)).count() == 1


def test_an_address_cannot_end_before_it_took_effect_or_end_twice(family: Family) -> None:
    address = family.custodial.person.addresses.get()
    url = f"/people/{address.person_id}/addresses/{address.pk}/end/"
    client = _officer(family)

    early = client.post(url, {f"end-{address.pk}-ended_on": "2001-01-01"})
    end_address(actor=family.officer, address=address, ended_on=timezone.localdate())
    again = client.post(url, {f"end-{address.pk}-ended_on": str(timezone.localdate())})

    assert early.status_code == 400
    assert f'id="id_end-{address.pk}-ended_on-error"' in early.content.decode()
    assert again.status_code == 409


def test_an_address_of_another_person_is_not_found(family: Family) -> None:
    address = family.custodial.person.addresses.get()

    response = _officer(family).post(
        f"/people/{family.obligor.person.pk}/addresses/{address.pk}/end/",
        {f"end-{address.pk}-ended_on": str(timezone.localdate())},
    )

    assert response.status_code == 404
    address.refresh_from_db()
    assert address.ended_on is None


def test_a_protected_address_stays_hidden_from_an_officer_without_clearance(protected_family: Family) -> None:
    person = protected_family.custodial.person
    address = person.addresses.get()
    client = _officer(protected_family)

    page = client.get(f"/people/{person.pk}/addresses/")
    refused = client.post(
        f"/people/{person.pk}/addresses/{address.pk}/end/", {f"end-{address.pk}-ended_on": "2001-01-01"}
    )

    for response in (page, refused):
        body = response.content.decode()
        assert PROTECTED_ADDRESS_TEXT in body
        assert STREET not in body
        assert "Jackson, MS" not in body
    assert not AuditEvent.objects.filter(action="person.protected_address_viewed").exists()


def test_a_cleared_supervisor_sees_the_protected_address_and_the_look_is_audited(protected_family: Family) -> None:
    person = protected_family.custodial.person

    body = signed_in(Role.SUPERVISOR).get(f"/people/{person.pk}/addresses/").content.decode()

    assert STREET in body
    assert AuditEvent.objects.filter(action="person.protected_address_viewed", target_id=str(person.pk)).count() == 1


# Employment


def _employment_data(**overrides: str) -> dict[str, str]:
    data = {
        "employer": "",
        "employer_name": "Delta Catfish Processors",
        "fein": "64-0123456",
        "line1": "1 Levee Road",
        "city": "Belzoni",
        "state": "MS",
        "postal_code": "39038",
        "payroll_contact": "Rhonda Pugh",
        "payroll_phone": "662-555-0140",
        "started_on": "2026-02-02",
    }
    data.update(overrides)
    return data


def test_a_new_employer_is_created_with_its_payroll_contact_and_the_employment_recorded(family: Family) -> None:
    person = family.obligor.person

    response = _officer(family).post(f"/people/{person.pk}/employments/new/", _employment_data())

    assert response.status_code == 302
    employer = Employer.objects.get(fein="640123456")
    assert (employer.payroll_contact, employer.payroll_phone) == ("Rhonda Pugh", "662-555-0140")
    employment = Employment.objects.get(person=person, employer=employer)
    assert (employment.started_on, employment.verified) == (date(2026, 2, 2), False)


def test_an_employer_found_by_fein_is_reused(family: Family) -> None:
    existing = add_employment(
        actor=family.officer, person=family.custodial.person, employer_name="Delta Catfish", fein="640123456"
    ).employer
    person = family.obligor.person

    response = _officer(family).post(
        f"/people/{person.pk}/employments/new/", _employment_data(employer_name="Delta Catfish Inc")
    )

    assert response.status_code == 302
    assert Employment.objects.get(person=person, employer__fein="640123456").employer == existing
    assert Employer.objects.filter(fein="640123456").count() == 1


def test_the_search_finds_employers_by_name_and_by_fein(family: Family) -> None:
    person = family.obligor.person
    shipyard = Employer.objects.get(name="Gulf Coast Shipyards")
    add_employment(actor=family.officer, person=person, employer_name="Delta Catfish", fein="640123456")
    client = _officer(family)

    by_name = client.get(f"/people/{person.pk}/employers/", {"q": "coast ship"}, **HTMX).content.decode()
    by_fein = client.get(f"/people/{person.pk}/employers/", {"q": "64-0123456"}, **HTMX).content.decode()

    assert f"?employer={shipyard.pk}" in by_name
    assert "Delta Catfish" not in by_name
    assert "Use Delta Catfish" in by_fein
    assert "Gulf Coast" not in by_fein


def test_an_employer_chosen_from_the_search_is_used_without_creating_another(family: Family) -> None:
    shipyard = Employer.objects.get(name="Gulf Coast Shipyards")  # on file without a FEIN
    person = family.custodial.person
    client = _officer(family)

    page = client.get(f"/people/{person.pk}/employments/new/", {"employer": shipyard.pk}).content.decode()
    response = client.post(
        f"/people/{person.pk}/employments/new/", {"employer": str(shipyard.pk), "started_on": "2026-03-09"}
    )

    assert "Choose another employer" in page
    assert response.status_code == 302
    assert Employment.objects.get(person=person).employer == shipyard
    assert Employer.objects.filter(name="Gulf Coast Shipyards").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"fein": "00-0000000"}, "fein"), ({"employer_name": ""}, "employer_name")],
    ids=["bad FEIN", "no employer"],
)
def test_a_refused_employment_is_explained_beside_its_field(
    family: Family, overrides: dict[str, str], field: str
) -> None:
    person = family.custodial.person

    response = _officer(family).post(f"/people/{person.pk}/employments/new/", _employment_data(**overrides))

    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not Employment.objects.filter(person=person).exists()


# Family violence indicator


def test_setting_the_indicator_asks_for_confirmation_first(family: Family) -> None:
    person = family.custodial.person

    response = _officer(family).post(
        f"/people/{person.pk}/family-violence/", {"protected": "yes", "since": "2026-04-02"}
    )

    assert response.status_code == 200
    assert "Yes, set the indicator" in response.content.decode()
    person.refresh_from_db()
    assert person.family_violence is False
    assert not AuditEvent.objects.filter(action="person.family_violence_set").exists()


def test_confirming_sets_the_indicator_hides_the_address_and_audits_it(family: Family) -> None:
    person = family.custodial.person
    client = _officer(family)

    response = client.post(
        f"/people/{person.pk}/family-violence/", {"protected": "yes", "since": "2026-04-02", "confirm": "yes"}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.family_violence, person.family_violence_since) == (True, date(2026, 4, 2))
    assert AuditEvent.objects.filter(action="person.family_violence_set", target_id=str(person.pk)).count() == 1
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert STREET not in page
    assert "Clear family violence indicator" in page


def test_a_repeated_clear_never_sets_the_indicator_again(protected_family: Family) -> None:
    person = protected_family.custodial.person
    client = _officer(protected_family)
    clear = {"protected": "no", "confirm": "yes"}

    client.post(f"/people/{person.pk}/family-violence/", clear)
    client.post(f"/people/{person.pk}/family-violence/", clear)

    person.refresh_from_db()
    assert person.family_violence is False
    assert AuditEvent.objects.filter(action="person.family_violence_set").count() == 2


def test_a_technician_sees_no_indicator_button_and_may_not_set_it(family: Family) -> None:
    person = family.custodial.person
    client = signed_in(Role.TECHNICIAN)

    page = client.get(f"/people/{person.pk}/").content.decode()
    response = client.post(f"/people/{person.pk}/family-violence/", {"protected": "yes", "confirm": "yes"})

    assert "family violence indicator</a>" not in page
    assert ">Edit person</a>" in page
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.family_violence is False
