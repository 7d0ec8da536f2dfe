"""An exact-SSN lookup (a search by the full number, or a number typed on a person) is audited, limited
per user, and never confirms a number held by someone the searcher may not see (issue #16, finding 4)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone
from pytest_django.fixtures import Settings

from opencse.cases.services import add_member
from opencse.errors import Conflict, TooManyRequests
from opencse.people import selectors as people_selectors
from opencse.people.models import Person
from opencse.people.services import create_person, search_people, update_person
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories


def _elsewhere(ssn: str) -> Person:
    """A person on a case of the Harrison County office: a Hinds County worker may not see them."""
    harrison = factories.user(Role.OFFICER_1, username="harrison-officer", office_code="HAR")
    person = factories.person(harrison, first_name="Odile", last_name="Fairbanks", ssn=ssn)
    add_member(actor=harrison, case=factories.case(harrison), person=person, role="custodial_party")
    return person


@pytest.mark.django_db
def test_a_full_ssn_search_is_audited_with_the_last_four_and_the_people_found(technician: User) -> None:
    dana = factories.person(technician, ssn="401-23-4567")

    found = search_people(actor=technician, ssn="401-23-4567")

    event = AuditEvent.objects.get(action="person.ssn_searched")
    assert found == [dana]
    assert (event.actor, event.after) == (technician, {"ssn": "***-**-4567", "found": [dana.pk]})
    assert "401234567" not in f"{event.summary} {event.after}" and "401-23" not in f"{event.summary} {event.after}"


@pytest.mark.django_db
def test_a_search_that_finds_nobody_is_audited_too(technician: User) -> None:
    assert search_people(actor=technician, ssn="402-11-2222") == []

    assert AuditEvent.objects.get(action="person.ssn_searched").after == {"ssn": "***-**-2222", "found": []}


@pytest.mark.django_db
def test_the_full_ssn_searches_of_a_user_are_limited_and_a_refusal_is_audited(
    technician: User, officer: User, settings: Settings
) -> None:
    settings.SSN_LOOKUPS_MAXIMUM = 3
    guesses = ["101-23-4567", "102-23-4567", "103-23-4567"]
    for guess in guesses:
        search_people(actor=technician, ssn=guess)

    with pytest.raises(TooManyRequests) as refused:
        search_people(actor=technician, ssn="104-23-4567")

    assert refused.value.field == "ssn"
    assert AuditEvent.objects.filter(action="person.ssn_search_refused", actor=technician).count() == 1
    assert search_people(actor=officer, ssn="104-23-4567") == []  # the limit is each user's own
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert search_people(actor=technician, ssn="104-23-4567") == []  # the window has passed


@pytest.mark.django_db
def test_a_full_ssn_search_finds_nobody_the_searcher_may_not_see(technician: User) -> None:
    _elsewhere("501-22-3333")

    assert search_people(actor=technician, ssn="501-22-3333") == []
    assert AuditEvent.objects.get(action="person.ssn_searched", actor=technician).after["found"] == []


@pytest.mark.django_db
def test_a_duplicate_the_creator_may_see_is_refused(technician: User) -> None:
    factories.person(technician, ssn="401-23-4567")

    with pytest.raises(Conflict, match="A person you can see already has this SSN"):
        factories.person(technician, first_name="Again", ssn="401-23-4567")


@pytest.mark.django_db
def test_a_number_held_by_someone_the_creator_may_not_see_is_neither_confirmed_nor_refused(
    technician: User,
) -> None:
    odile = _elsewhere("501-22-3333")

    created = create_person(actor=technician, first_name="Nadia", last_name="Quill", ssn="501-22-3333")

    assert created.ssn_last4 == "3333"  # saved as for any new number: the answer tells nothing
    flag = AuditEvent.objects.get(action="person.ssn_shared")
    assert (flag.actor, flag.target_id, flag.after) == (
        technician,
        str(created.pk),
        {"ssn": "***-**-3333", "also_on": [odile.pk]},
    )


@pytest.mark.django_db
def test_ssns_typed_on_people_count_toward_the_same_limit(technician: User, settings: Settings) -> None:
    """Trying numbers on a person's record (a hit is refused, a miss is saved) is a lookup like a search."""
    settings.SSN_LOOKUPS_MAXIMUM = 3
    person = factories.person(technician, ssn="101-23-4567")
    update_person(actor=technician, person=person, ssn="102-23-4567")
    search_people(actor=technician, ssn="103-23-4567")

    with pytest.raises(TooManyRequests):
        update_person(actor=technician, person=person, ssn="104-23-4567")

    person.refresh_from_db()
    assert person.ssn_last4 == "4567" and AuditEvent.objects.filter(action="person.ssn_entered").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_searches_by_one_user_get_no_more_than_the_limit(
    technician: User, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve full-SSN searches at once, as from several gunicorn workers, each slowed inside the search:
    five are answered and seven refused, because the count is taken under a lock on the user's row."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel searches on real connections are tested on PostgreSQL")
    settings.SSN_LOOKUPS_MAXIMUM = 5
    real_search = people_selectors.search_people

    def slow_search(**criteria: Any) -> Any:
        time.sleep(0.3)  # without the lock, every search would have counted zero before any row is written
        return real_search(**criteria)

    monkeypatch.setattr(people_selectors, "search_people", slow_search)

    def search(n: int) -> str:
        try:
            search_people(actor=technician, ssn=f"{101 + n}-23-4567")
            return "answered"
        except TooManyRequests:
            return "refused"
        finally:
            connections.close_all()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = sorted(pool.map(search, range(12)))

    assert outcomes == ["answered"] * 5 + ["refused"] * 7
    assert AuditEvent.objects.filter(action="person.ssn_searched").count() == 5
    assert AuditEvent.objects.filter(action="person.ssn_search_refused").count() == 7
