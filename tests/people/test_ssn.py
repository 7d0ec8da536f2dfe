"""SSNs: validated, encrypted at rest, searchable through a keyed hash, masked, revealed only with audit."""

from __future__ import annotations

import pytest
from django.db import connection

from opencse.errors import InvalidInput, InvalidInputs, NotAuthorized
from opencse.people.services import create_person, reveal_ssn, search_people
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories


@pytest.mark.django_db
def test_the_raw_database_row_never_contains_the_plain_ssn(officer: object) -> None:
    factories.person(officer, ssn="401-23-4567")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person")
        rows = cursor.fetchall()

    raw = " ".join(str(value) for row in rows for value in row)
    assert "401234567" not in raw
    assert "401-23-4567" not in raw
    assert "4567" in raw  # the last four are kept for masked display and search, as agencies do


@pytest.mark.django_db
def test_a_person_is_found_by_full_ssn_and_by_its_last_four(officer: object) -> None:
    dana = factories.person(officer, ssn="401-23-4567")
    factories.person(officer, first_name="Other", ssn="402-11-2222")

    assert search_people(actor=officer, ssn="401234567") == [dana]
    assert search_people(actor=officer, ssn="4567") == [dana]
    assert dana.ssn_masked == "***-**-4567"


@pytest.mark.django_db
@pytest.mark.parametrize("ssn", ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "12345", "abc-de-fghi"])
def test_an_invalid_ssn_is_refused_naming_the_field(officer: object, ssn: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_person(actor=officer, first_name="A", last_name="B", ssn=ssn)

    assert refused.value.field == "ssn"


@pytest.mark.django_db
def test_revealing_an_ssn_returns_it_and_leaves_an_audit_row(officer: object) -> None:
    dana = factories.person(officer, ssn="401-23-4567")

    revealed = reveal_ssn(actor=officer, person=dana)

    assert revealed == "401234567"
    assert AuditEvent.objects.filter(action="person.ssn_revealed", target_id=str(dana.pk), actor=officer).count() == 1


@pytest.mark.django_db
def test_a_technician_may_not_reveal_an_ssn_and_nothing_is_audited(technician: object) -> None:
    dana = factories.person(technician, ssn="401-23-4567")

    with pytest.raises(NotAuthorized):
        reveal_ssn(actor=technician, person=dana)

    assert not AuditEvent.objects.filter(action="person.ssn_revealed").exists()


@pytest.mark.django_db
def test_a_future_birth_date_is_refused(officer: object) -> None:
    from datetime import date, timedelta

    with pytest.raises((InvalidInput, InvalidInputs)) as refused:
        factories.person(officer, date_of_birth=date.today() + timedelta(days=2))

    assert refused.value.field == "date_of_birth"


@pytest.mark.django_db
def test_an_auditor_sees_people_but_may_not_create_them() -> None:
    auditor = factories.user(Role.AUDITOR)

    with pytest.raises(NotAuthorized):
        factories.person(auditor)
