"""The officer's most used pages cost a fixed number of queries, whatever they show (issue #20).

Each page is requested with one item of what it lists, then with ten, and must cost the same queries both
times (a query per row, an N+1, fails the test) and no more than its ceiling. The ceilings are the counts
measured on SQLite when the test was written (the suite on PostgreSQL stays within them; docs/work.md "Speed" has the
counts on the demo caseload): a change that adds a query to a page raises a ceiling here, on purpose and in
review.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opencse.cases.services import add_member, add_note
from opencse.people.services import add_address, add_employment
from opencse.security.roles import Role
from opencse.work.models import TaskKind
from opencse.work.services import NewTask, open_tasks
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db

# Ceilings: the queries each page costs (sign-in session, user, page, session save included).
CASE_PAGE_QUERIES = 25
WORKLIST_QUERIES = 8
WORKERS_WORKLIST_QUERIES = 10  # a supervisor reading a worker's list: the worker and the office's workers too
TEAM_QUERIES = 6
SEARCH_QUERIES = 9  # and the rate limiter's 2 (see `_queries`)
NOTE_ADD_QUERIES = 12


def _queries(request: Callable[[], Any]) -> tuple[int, list[str]]:
    """The queries of one request. The search rate limiter's are left out: it costs 2 queries in a minute
    already counted and 5 in a new one (its row is made, the old ones swept), so a test that spans the turn of
    a minute would count 3 more, and it does not depend on what the page shows."""
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.content[:500]
    statements = [query["sql"] for query in captured.captured_queries]
    limiter = [index for index, sql in enumerate(statements) if "security_ratewindow" in sql]
    if limiter:  # the limiter's own savepoint, around the insert of a new minute's row, goes too
        around = {
            index + step
            for index in limiter
            for step in (-1, 1)
            if 0 <= index + step < len(statements) and "SAVEPOINT" in statements[index + step]
        }
        statements = [sql for index, sql in enumerate(statements) if index not in set(limiter) | around]
    return len(statements), [sql[:120] for sql in statements]


def _tickler(case: Any, owner: Any, key: str, due_on: date = date(2026, 4, 1)) -> None:
    open_tasks([NewTask(case_id=case.pk, owner_id=owner.pk, kind=TaskKind.FOLLOW_UP, source_key=key,
                        event_on=date(2026, 1, 5), due_on=due_on, detail=key)])  # fmt: skip


def _case_with_parties(actor: Any, index: int) -> Any:
    case = factories.case(actor)
    for role, first in (("custodial_party", "Alicia"), ("noncustodial_parent", "Curtis")):
        person = factories.person(actor, first_name=f"{first}{index}", last_name="Okonkwo")
        add_member(actor=actor, case=case, person=person, role=role)
    return case


def _note(officer: Any, case: Any, index: int) -> None:
    """A note and its correction: the timeline links each to the other."""
    note = add_note(actor=officer, case=case, kind="phone", text=f"Called the obligor ({index}).")
    add_note(actor=officer, case=case, kind="correction", text=f"Called the obligee ({index}).", corrects=note)


def test_the_case_page_costs_the_same_queries_with_one_of_each_row_or_ten(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer)
    obligor = case.members.get(role="noncustodial_parent").person
    client: Client = client_for(officer)

    def each(index: int) -> None:  # one more note (corrected), open task, employer and address
        _note(officer, case, index)
        _tickler(case, officer, f"case-{index}", date(2026, 4, 1) + timedelta(days=index))
        add_employment(actor=officer, person=obligor, employer_name=f"Employer {index}",
                       started_on=date(2024, 1, 1) + timedelta(days=index))  # fmt: skip
        add_address(actor=officer, person=obligor, kind="mailing", line1=f"{index} Pine St", city="Jackson",
                    state="MS", postal_code="39201", source="party")  # fmt: skip

    each(0)
    one, sql_one = _queries(lambda: client.get(f"/cases/{case.number}/"))
    for index in range(1, 10):
        each(index)
    ten, sql_ten = _queries(lambda: client.get(f"/cases/{case.number}/"))

    assert case.notes.count() == 20 and case.tasks.filter(completed_on__isnull=True).count() >= 10
    assert ten == one, sql_ten
    assert one <= CASE_PAGE_QUERIES, sql_one


def test_the_worklist_costs_the_same_queries_with_one_task_or_ten_on_ten_cases(officer: Any, client_for: Any) -> None:
    client: Client = client_for(officer)
    _tickler(_case_with_parties(officer, 0), officer, "first")
    one, sql_one = _queries(lambda: client.get("/worklist/"))
    for index in range(1, 10):
        _tickler(_case_with_parties(officer, index), officer, f"more-{index}")
    ten, sql_ten = _queries(lambda: client.get("/worklist/"))

    assert ten == one, sql_ten
    assert one <= WORKLIST_QUERIES, sql_one


def test_a_workers_worklist_and_the_team_cost_the_same_queries_for_one_worker_or_ten(
    supervisor: Any, client_for: Any
) -> None:
    client: Client = client_for(supervisor)
    first = factories.user(Role.OFFICER_1, username="team-worker-0")
    _tickler(_case_with_parties(first, 0), first, "first")
    one_list, _ = _queries(lambda: client.get(f"/worklist/?worker={first.pk}"))
    one_team, _ = _queries(lambda: client.get("/team/"))
    for index in range(1, 10):
        worker = factories.user(Role.OFFICER_1, username=f"team-worker-{index}")
        for task in range(3):
            _tickler(_case_with_parties(worker, index * 10 + task), worker, f"team-{task}")
        _tickler(_case_with_parties(first, index), first, f"more-{index}")
    ten_list, sql_list = _queries(lambda: client.get(f"/worklist/?worker={first.pk}"))
    ten_team, sql_team = _queries(lambda: client.get("/team/"))

    assert ten_list == one_list, sql_list
    assert ten_team == one_team, sql_team
    assert one_list <= WORKERS_WORKLIST_QUERIES, sql_list
    assert one_team <= TEAM_QUERIES, sql_team


def test_a_search_costs_the_same_queries_finding_one_person_or_ten_each_on_a_case(
    officer: Any, client_for: Any
) -> None:
    client: Client = client_for(officer)
    _case_with_parties(officer, 0)
    one, sql_one = _queries(lambda: client.post("/search/", {"q": "Okonkwo"}))
    for index in range(1, 5):  # four more cases: ten people named Okonkwo, each on a case
        _case_with_parties(officer, index)
    ten, sql_ten = _queries(lambda: client.post("/search/", {"q": "Okonkwo"}))

    assert ten == one, sql_ten
    assert one <= SEARCH_QUERIES, sql_one


def test_adding_a_note_costs_the_same_queries_on_a_timeline_of_one_note_or_ten(officer: Any, client_for: Any) -> None:
    case, *_ = factories.family(officer)
    client: Client = client_for(officer)
    data = {"kind": "phone", "text": "Called the noncustodial parent; left a message."}
    _note(officer, case, 0)
    one, sql_one = _queries(lambda: client.post(f"/cases/{case.number}/notes/", data, **HTMX))
    for index in range(1, 5):
        _note(officer, case, index)
    ten, sql_ten = _queries(lambda: client.post(f"/cases/{case.number}/notes/", data, **HTMX))

    assert case.notes.count() == 12
    assert ten == one, sql_ten
    assert one <= NOTE_ADD_QUERIES, sql_one
