"""Ending an address (moved, or a bad address): dated, audited, never deleted, never twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opencse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from opencse.people.models import Address, Employer
from opencse.people.selectors import address_lines_for_document
from opencse.people.services import add_address, add_employment, end_address
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _address(officer: object) -> Address:
    person = factories.person(officer)
    return add_address(
        actor=officer,
        person=person,
        line1="12 Pearl Street",
        city="Jackson",
        state="MS",
        postal_code="39201",
        effective_on=date(2025, 1, 6),
    )


def test_ending_an_address_dates_it_and_writes_one_audit_row(officer: object) -> None:
    address = _address(officer)

    end_address(actor=officer, address=address, ended_on=date(2026, 2, 1))

    address.refresh_from_db()
    assert (address.ended_on, address.verification) == (date(2026, 2, 1), Address.Verification.UNVERIFIED)
    event = AuditEvent.objects.get(action="address.ended", target_id=str(address.pk))
    assert event.after == {"ended_on": "2026-02-01"}


def test_a_bad_address_is_ended_marked_bad_and_no_longer_used_for_documents(officer: object) -> None:
    address = _address(officer)

    end_address(actor=officer, address=address, ended_on=date(2026, 2, 1), bad=True)

    address.refresh_from_db()
    assert address.verification == Address.Verification.BAD
    assert address_lines_for_document(person=address.person) is None


def test_an_address_cannot_end_twice(officer: object) -> None:
    address = _address(officer)
    end_address(actor=officer, address=address, ended_on=date(2026, 2, 1))

    with pytest.raises(Conflict):
        end_address(actor=officer, address=address, ended_on=date(2026, 2, 2))

    assert AuditEvent.objects.filter(action="address.ended").count() == 1


@pytest.mark.parametrize("case", ["before start", "future"])
def test_an_end_date_before_the_start_or_in_the_future_is_refused_naming_the_field(officer: object, case: str) -> None:
    # "Tomorrow" is read when the test runs, not when it is collected: a run that crosses the agency's
    # midnight would otherwise hand the service today's date.
    ended_on = date(2025, 1, 5) if case == "before start" else timezone.localdate() + timedelta(days=1)
    address = _address(officer)

    with pytest.raises(InvalidInput) as refused:
        end_address(actor=officer, address=address, ended_on=ended_on)

    assert refused.value.field == "ended_on"
    address.refresh_from_db()
    assert address.ended_on is None


def test_an_auditor_may_not_end_an_address(officer: object) -> None:
    address = _address(officer)

    with pytest.raises(NotAuthorized):
        end_address(actor=factories.user(Role.AUDITOR), address=address, ended_on=date(2026, 2, 1))

    address.refresh_from_db()
    assert address.ended_on is None


def test_an_officer_of_another_office_may_not_end_an_address_of_a_person_on_a_case_he_cannot_see(
    officer: object,
) -> None:
    _, custodial, _, _ = factories.family(officer)
    address = custodial.person.addresses.get()

    with pytest.raises(NotFound):
        end_address(actor=factories.user(Role.OFFICER_1, office_code="HAR"), address=address, ended_on=date(2026, 4, 1))


def test_employment_with_a_chosen_employer_reuses_it_even_without_a_fein(officer: object) -> None:
    person = factories.person(officer)
    first = add_employment(actor=officer, person=person, employer_name="Delta Catfish Co", started_on=date(2025, 3, 1))

    again = add_employment(
        actor=officer, person=person, employer_name="", employer=first.employer, started_on=date(2026, 1, 5)
    )

    assert again.employer == first.employer
    assert Employer.objects.count() == 1
