"""My caseload (issue #19): every open case of the officer, a page at a time (no cap at 500 rows), each
with its parties, balance or credit, last payment and next deadline, filtered and sorted, at a fixed
number of queries per page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opencse.cases.services import add_member, assign_case
from opencse.security.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _caseload(count: int) -> tuple[Client, list[object]]:
    officer = factories.user(Role.OFFICER_1, username="caseload-officer")
    supervisor = factories.user(Role.SUPERVISOR, username="caseload-supervisor")
    cases = []
    for index in range(count):
        case = factories.case(officer, referral_received_on=date(2025, 1, 1 + index % 28))
        add_member(actor=officer, case=case, role="noncustodial_parent",
                   person=factories.person(officer, first_name=f"Ncp{index}", last_name="Ortega"))  # fmt: skip
        assign_case(actor=supervisor, case=case, worker=officer)
        cases.append(case)
    client = Client()
    client.force_login(officer)
    return client, cases


def test_the_caseload_pages_every_case_with_its_parties_and_the_same_queries_per_page() -> None:
    client, cases = _caseload(55)

    with CaptureQueriesContext(connection) as first_page:
        page = client.get("/caseload/").content.decode()
    with CaptureQueriesContext(connection) as second_page:
        rest = client.get("/caseload/", {"page": 2}).content.decode()

    assert "55 open cases assigned to you" in page and "Page 1 of 2" in page
    assert sum(case.number in page for case in cases) == 50 and sum(case.number in rest for case in cases) == 5
    assert "NCP: Ncp0 Ortega" in page + rest
    assert len(first_page) == len(second_page)  # 50 rows cost what 5 rows cost


def test_the_caseload_filters_by_a_partys_name_and_sorts_by_number() -> None:
    client, cases = _caseload(3)

    found = client.get("/caseload/", {"text": "Ncp1", "sort": "number"}).content.decode()

    assert cases[1].number in found and cases[0].number not in found and cases[2].number not in found
    assert "1 open case assigned to you" in found
