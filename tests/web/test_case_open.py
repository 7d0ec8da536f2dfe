"""Opening a case and adding its members, with the services' refusals beside the fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opencse.cases.models import Case, CaseMember
from opencse.people.models import Person
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.web.conftest import Family, signed_in

pytestmark = pytest.mark.django_db


def _case_form(**changes: str) -> dict[str, str]:
    form = {
        "program": "never_assistance",
        "category": "in_state",
        "referral_received_on": "2026-11-02",
        "opened_on": "2026-11-03",
    }
    return form | changes


def test_opening_a_case_redirects_to_its_page_and_audits_it() -> None:
    client = signed_in(Role.OFFICER_1)

    response = client.post("/cases/new/", _case_form())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/"
    assert case.office.code == "HIN"
    assert AuditEvent.objects.filter(action="case.opened", case_number=case.number).exists()


def test_an_unknown_program_is_refused_beside_the_field() -> None:
    response = signed_in(Role.OFFICER_1).post("/cases/new/", _case_form(program="lottery"))

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_program-error"' in body
    assert "usa-alert--error" in body
    assert not Case.objects.exists()


def test_a_future_referral_date_is_refused_by_the_service_beside_the_field() -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = signed_in(Role.OFFICER_1).post("/cases/new/", _case_form(referral_received_on=tomorrow, opened_on=""))

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_referral_received_on-error"' in body
    assert "cannot be in the future" in body
    assert not Case.objects.exists()


def test_an_auditor_may_not_open_a_case() -> None:
    response = signed_in(Role.AUDITOR).post("/cases/new/", _case_form())

    assert response.status_code == 403
    assert not Case.objects.exists()


def _new_person(**changes: str) -> dict[str, str]:
    form = {"role": "dependent_child", "first_name": "Lucia", "last_name": "Moreno", "sex": "F"}
    form.update({"date_of_birth": "2020-07-14", "ssn": "", "middle_name": "", "suffix": "", "phone": "", "email": ""})
    return {f"new-{name}": value for name, value in (form | changes).items()}


def test_adding_a_new_person_creates_them_and_puts_them_on_the_case(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    response = client.post(f"/cases/{family.case.number}/members/new/", _new_person(ssn="623-45-1111"))

    assert response.status_code == 302
    member = CaseMember.objects.get(case=family.case, person__first_name="Lucia")
    assert member.role == "dependent_child"
    assert member.person.ssn_last4 == "1111"
    assert AuditEvent.objects.filter(action="case.member_added", case_number=family.case.number).count() == 4


def test_an_invalid_ssn_for_a_new_person_is_refused_beside_the_field_and_nobody_is_created(family: Family) -> None:
    people_before = Person.objects.count()

    response = signed_in(Role.TECHNICIAN).post(
        f"/cases/{family.case.number}/members/new/", _new_person(ssn="000-12-3456")
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_new-ssn-error"' in body
    assert "is not a valid Social Security number" in body
    assert Person.objects.count() == people_before


def test_a_future_birth_date_is_refused_beside_the_field(family: Family) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = signed_in(Role.TECHNICIAN).post(
        f"/cases/{family.case.number}/members/new/", _new_person(date_of_birth=tomorrow)
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_new-date_of_birth-error"' in body
    assert "cannot be in the future" in body
    assert not Person.objects.filter(first_name="Lucia").exists()


def test_a_new_person_whose_ssn_is_already_known_is_refused_and_nobody_is_created(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).post(
        f"/cases/{family.case.number}/members/new/", _new_person(ssn="512-34-9876")
    )

    assert response.status_code == 409  # a conflict with a record on file, as the API answers
    assert "A person you can see already has this SSN" in response.content.decode()
    assert not Person.objects.filter(first_name="Lucia").exists()


def test_a_person_found_by_search_is_added_in_the_chosen_role(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)
    obligor = family.obligor.person

    found = client.get(f"/cases/{family.case.number}/members/new/", {"name": "Boone"})
    response = client.post(
        f"/cases/{family.case.number}/members/new/", {"person": obligor.pk, "role": "alleged_father"}
    )

    assert f'name="person" value="{obligor.pk}"' in found.content.decode()
    assert response.status_code == 302
    assert CaseMember.objects.filter(case=family.case, person=obligor, role="alleged_father").exists()


def test_adding_a_person_twice_in_the_same_role_explains_the_conflict(family: Family) -> None:
    response = signed_in(Role.TECHNICIAN).post(
        f"/cases/{family.case.number}/members/new/", {"person": family.obligor.person.pk, "role": "noncustodial_parent"}
    )

    assert response.status_code == 409  # a conflict with the case's state, as the API answers
    assert "already on case" in response.content.decode()
    assert CaseMember.objects.filter(case=family.case).count() == 3


def test_an_attorney_may_not_add_members(family: Family) -> None:
    client = signed_in(Role.STAFF_ATTORNEY)

    response = client.post(
        f"/cases/{family.case.number}/members/new/", {"person": family.obligor.person.pk, "role": "alleged_father"}
    )

    assert response.status_code == 403
    assert CaseMember.objects.filter(case=family.case).count() == 3


def test_three_mistakes_on_a_new_person_come_back_together_beside_their_fields_and_in_the_summary(
    family: Family,
) -> None:
    # The e-mail is the form's own check; the SSN (an area of 000 is never issued) and a birth date in the
    # future are the service's: all three come back from one submit.
    mistakes = _new_person(ssn="000-12-3456", date_of_birth="2999-01-01", email="not-an-address")

    response = signed_in(Role.TECHNICIAN).post(f"/cases/{family.case.number}/members/new/", mistakes)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Please correct these 3 fields" in page
    for field_id, message in (
        ("id_new-ssn", "is not a valid Social Security number"),
        ("id_new-date_of_birth", "cannot be in the future"),
        ("id_new-email", "Enter a valid email address."),
    ):
        assert f'href="#{field_id}"' in page  # the summary links the field
        assert f'id="{field_id}-error">{message}' in page  # the message sits beside it
    assert not Person.objects.filter(first_name="Lucia").exists()
