"""The officer's day in a real Chromium (issue #19): an officer starts from the worklist and works a task;
a supervisor opens the team, finds a worker's overdue task and gives it to another worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from opencse.cases.services import assign_case
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from opencse.work.services import NewTask, open_tasks
from tests import factories
from tests.web.test_browser import SCREENSHOT_DIR, _sign_in, browser_db, page  # noqa: F401  # fixtures

pytestmark = [pytest.mark.browser]


def _overdue_reminder(case: Any, owner: Any, text: str) -> Task:
    due_on = timezone.localdate() - timedelta(days=2)
    open_tasks([NewTask(case_id=case.pk, owner_id=owner.pk, kind=TaskKind.FOLLOW_UP, source_key=text,
                        event_on=due_on - timedelta(days=7), due_on=due_on, detail=text)])  # fmt: skip
    return Task.objects.get(source_key=text)


def test_an_officer_works_a_task_and_a_supervisor_reassigns_an_overdue_one(
    browser_db: None,  # noqa: F811  # the fixture imported above
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    officer = factories.user(Role.OFFICER_1, username="day-officer")
    colleague = factories.user(Role.OFFICER_1, username="day-colleague")
    supervisor = factories.user(Role.SUPERVISOR, username="day-supervisor")
    case = factories.case(officer)
    assign_case(actor=supervisor, case=case, worker=officer)
    _overdue_reminder(case, officer, "Call the employer about the payroll date")
    _overdue_reminder(case, officer, "Ask the clerk for the signed order")

    _sign_in(page, live_server, "day-officer")
    page.get_by_role("heading", name="My work").wait_for()  # the officer's home is the worklist
    row = page.get_by_role("row").filter(has_text="Call the employer about the payroll date")
    row.get_by_text("2 days late").wait_for()
    row.get_by_role("button", name="Done").click()
    page.get_by_text("Done: Follow up on a note").wait_for()
    assert page.get_by_text("Call the employer about the payroll date").count() == 0

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, "day-supervisor")
    page.get_by_role("heading", name="Team").wait_for()  # the supervisor's home is the team
    page.locator(f'a[href="/worklist/?worker={officer.pk}&bucket=overdue"]').click()  # the officer's overdue tasks
    page.get_by_label(f"Task on case {case.number}").first.check()
    page.get_by_label("Give the chosen tasks to").select_option(str(colleague.pk))
    page.get_by_role("button", name="Reassign the chosen tasks").click()
    page.get_by_text("task reassigned").wait_for()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "team-reassigned.png"), full_page=True)

    assert Task.objects.filter(owner=colleague, completed_on__isnull=True).count() == 1
