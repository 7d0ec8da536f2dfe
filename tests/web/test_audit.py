"""The audit trail page for auditors, with its filters."""

from __future__ import annotations

import pytest

from opencse.cases.services import add_note
from opencse.security.roles import Role
from tests.web.conftest import Family, signed_in

pytestmark = pytest.mark.django_db


def test_an_auditor_filters_the_trail_by_case_number_and_action(family: Family) -> None:
    add_note(actor=family.officer, case=family.case, kind="phone", text="Called the obligee.")
    client = signed_in(Role.AUDITOR)

    response = client.get("/audit/", {"case_number": family.case.number, "action": "case.note"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "1 event" in body
    assert "case.note_added" in body
    assert "case.member_added" not in body


def test_an_auditor_filters_the_trail_by_user_name(family: Family) -> None:
    client = signed_in(Role.AUDITOR)

    body = client.get("/audit/", {"actor": "web-officer"}).content.decode()
    nobody = client.get("/audit/", {"actor": "someone-else"}).content.decode()

    assert "case.opened" in body
    assert "0 events" in nobody


def test_a_date_range_that_ends_before_it_starts_is_refused_beside_the_field(family: Family) -> None:
    response = signed_in(Role.AUDITOR).get("/audit/", {"since": "2026-11-20", "until": "2026-11-01"})

    assert response.status_code == 400
    assert 'id="id_until-error"' in response.content.decode()


def test_an_administrator_reads_the_trail_but_an_officer_may_not(family: Family) -> None:
    assert signed_in(Role.ADMINISTRATOR).get("/audit/").status_code == 200
    assert signed_in(Role.OFFICER_1).get("/audit/").status_code == 403
