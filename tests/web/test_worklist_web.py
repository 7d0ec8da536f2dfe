"""The officer's day on the web (issue #19): each role's home, the worklist, a task done, a note's
reminder, the supervisor's team and bulk reassignment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from opencse.cases.services import assign_case
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from opencse.work.services import NewTask, open_tasks
from tests import factories
from tests.web.conftest import signed_in


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


pytestmark = pytest.mark.django_db


def _case_of(worker: Any) -> Any:
    case = factories.case(worker)
    assign_case(actor=factories.user(Role.SUPERVISOR, username="assigner"), case=case, worker=worker)
    return case


def _task(case: Any, owner: Any, *, due_on: date, key: str) -> Task:
    open_tasks([NewTask(case_id=case.pk, owner_id=owner.pk, kind=TaskKind.FOLLOW_UP, source_key=key,
                        event_on=due_on - timedelta(days=30), due_on=due_on, detail=f"call about {key}")])  # fmt: skip
    return Task.objects.get(source_key=key)


@pytest.mark.parametrize(
    ("role", "home"),
    [(Role.OFFICER_1, "/worklist/"), (Role.TECHNICIAN, "/worklist/"), (Role.SUPERVISOR, "/team/"),
     (Role.AUDITOR, "/audit/"), (Role.ADMINISTRATOR, "/audit/")],
)  # fmt: skip
def test_each_role_starts_its_day_on_its_own_page(role: Role, home: str) -> None:
    response = signed_in(role).get("/")

    assert response.status_code == 302 and response["Location"] == home


def test_an_officer_sees_an_overdue_task_with_the_case_and_the_days_late_and_marks_it_done() -> None:
    officer = factories.user(Role.OFFICER_1, username="day-officer")
    case = _case_of(officer)
    today = timezone.localdate()
    task = _task(case, officer, due_on=today - timedelta(days=3), key="late-call")
    client = _client(officer)

    page = client.get("/worklist/", {"bucket": "overdue"}).content.decode()
    assert case.number in page and "3 days late" in page and "call about late-call" in page

    done = client.post(f"/tasks/{task.pk}/done/", {"completed_on": today.isoformat()})

    assert done.status_code == 302
    task.refresh_from_db()
    assert task.completed_on == today and task.completed_by_id == officer.pk
    assert "call about late-call" not in client.get("/worklist/").content.decode()


def test_a_note_with_a_reminder_date_becomes_a_task_on_the_authors_worklist() -> None:
    officer = factories.user(Role.OFFICER_1, username="note-officer")
    case = _case_of(officer)
    client = _client(officer)
    remind_on = timezone.localdate() + timedelta(days=10)

    client.post(f"/cases/{case.number}/notes/", {"kind": "phone", "text": "Call the employer back",
                                                   "follow_up_on": remind_on.isoformat()})  # fmt: skip

    page = client.get("/worklist/").content.decode()
    assert case.number in page and remind_on.strftime("%m/%d/%Y") in page
    assert "Open tasks" in client.get(f"/cases/{case.number}/").content.decode()


def test_a_supervisor_sees_the_team_and_reassigns_an_overdue_task_and_a_case() -> None:
    first = factories.user(Role.OFFICER_1, username="first-worker")
    second = factories.user(Role.OFFICER_1, username="second-worker")
    case = _case_of(first)
    task = _task(case, first, due_on=timezone.localdate() - timedelta(days=1), key="overdue-one")
    supervisor = signed_in(Role.SUPERVISOR, username="team-supervisor")

    team = supervisor.get("/team/").content.decode()
    assert f"?worker={first.pk}&bucket=overdue" in team  # overdue tasks, linked to the worker's list
    listing = supervisor.get("/worklist/", {"worker": first.pk}).content.decode()
    assert "Reassign the chosen tasks" in listing

    moved = supervisor.post("/team/reassign-tasks/", {"task_ids": [task.pk], "to_user": second.pk})
    assert moved.status_code == 302
    task.refresh_from_db()
    assert task.owner_id == second.pk

    supervisor.post("/team/reassign-cases/", {"case_numbers": case.number, "to_user": second.pk})
    case.refresh_from_db()
    assert case.assigned_worker_id == second.pk


def test_an_officer_may_not_see_the_team_nor_another_workers_list() -> None:
    other = factories.user(Role.OFFICER_1, username="someone-else")
    client = signed_in(Role.OFFICER_1, username="nosy-officer")

    assert client.get("/team/").status_code == 403
    assert client.get("/worklist/", {"worker": other.pk}).status_code in (403, 404)
