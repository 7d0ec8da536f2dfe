"""Completing and reassigning tasks: who may, what is refused, what the audit trail keeps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from opencse.cases.services import add_note
from opencse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from opencse.security.models import AuditEvent
from opencse.work.models import Completion, Task, TaskKind
from opencse.work.services import complete_task, reassign_cases, reassign_tasks
from tests import factories


@pytest.fixture
def worker(db: None) -> Any:
    return factories.user("seo1", username="worker")


@pytest.fixture
def colleague(db: None) -> Any:
    return factories.user("seo2", username="colleague")


def _opening_task(officer: Any, worker: Any) -> Task:
    case = factories.case(officer, assigned_worker=worker)  # referral 2026-03-02: due 2026-03-22 (303.2(b))
    return Task.objects.get(case=case, kind=TaskKind.CASE_OPENING)


def test_the_owner_completes_a_task_and_the_trail_says_so(officer: Any, worker: Any) -> None:
    task = _opening_task(officer, worker)

    complete_task(actor=worker, task=task, completed_on=date(2026, 3, 20))

    task.refresh_from_db()
    assert (task.completed_on, task.completed_by, task.completion) == (date(2026, 3, 20), worker, Completion.DONE)
    audit = AuditEvent.objects.get(action="task.completed")
    assert (audit.actor, audit.target_id, audit.case_number) == (worker, str(task.pk), task.case.number)


def test_another_officer_may_not_complete_someone_elses_task(officer: Any, worker: Any, colleague: Any) -> None:
    task = _opening_task(officer, worker)

    with pytest.raises(NotAuthorized):
        complete_task(actor=colleague, task=task, completed_on=date(2026, 3, 20))

    assert Task.objects.get(pk=task.pk).completed_on is None


def test_a_task_is_completed_once_and_never_in_the_future_or_before_its_event(officer: Any, worker: Any) -> None:
    task = _opening_task(officer, worker)
    with pytest.raises(InvalidInput) as future:
        complete_task(actor=worker, task=task, completed_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(InvalidInput) as early:
        complete_task(actor=worker, task=task, completed_on=date(2026, 3, 1))  # the referral came 2026-03-02
    complete_task(actor=worker, task=task, completed_on=date(2026, 3, 20))

    with pytest.raises(Conflict):
        complete_task(actor=worker, task=task, completed_on=date(2026, 3, 21))
    assert (future.value.field, early.value.field) == ("completed_on", "completed_on")


def test_a_supervisor_reassigns_tasks_with_one_audit_row_each(officer: Any, worker: Any, colleague: Any,
                                                              supervisor: Any) -> None:  # fmt: skip
    tasks = [_opening_task(officer, worker) for _ in range(3)]

    moved = reassign_tasks(actor=supervisor, task_ids=[task.pk for task in tasks], to_user=colleague)

    assert moved == 3
    assert set(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list("owner", flat=True)) == {colleague.pk}
    rows = AuditEvent.objects.filter(action="task.reassigned")
    assert {(row.before["owner"], row.after["owner"]) for row in rows} == {(worker.pk, colleague.pk)}
    assert rows.count() == 3


@pytest.mark.parametrize("role", ["technician", "seo1", "seo2", "attorney", "auditor"])
def test_only_a_supervisor_reassigns(officer: Any, worker: Any, colleague: Any, role: str) -> None:
    task = _opening_task(officer, worker)
    asking = factories.user(role, username=f"asking-{role}")

    with pytest.raises(NotAuthorized):
        reassign_tasks(actor=asking, task_ids=[task.pk], to_user=colleague)
    with pytest.raises(NotAuthorized):
        reassign_cases(actor=asking, case_numbers=[task.case.number], to_user=colleague)

    assert Task.objects.get(pk=task.pk).owner == worker


def test_a_supervisor_of_another_office_may_not_reassign(officer: Any, worker: Any, colleague: Any) -> None:
    task = _opening_task(officer, worker)
    elsewhere = factories.user("supervisor", username="supervisor-elsewhere", office_code="HAR")

    with pytest.raises(NotAuthorized):
        reassign_tasks(actor=elsewhere, task_ids=[task.pk], to_user=colleague)


def test_a_task_goes_only_to_a_worker_of_the_cases_office(officer: Any, worker: Any, supervisor: Any) -> None:
    task = _opening_task(officer, worker)
    elsewhere = factories.user("seo1", username="seo1-elsewhere", office_code="HAR")
    auditor = factories.user("auditor", username="auditor")

    for to_user in (elsewhere, auditor):
        with pytest.raises(InvalidInput) as refused:
            reassign_tasks(actor=supervisor, task_ids=[task.pk], to_user=to_user)
        assert refused.value.field == "to_user"


def test_reassigning_a_case_moves_its_open_tasks_but_not_the_authors_ticklers(
    officer: Any, worker: Any, colleague: Any, supervisor: Any
) -> None:
    task = _opening_task(officer, worker)
    case = task.case
    add_note(actor=worker, case=case, kind="phone", text="Call back about the lease.",
             follow_up_on=timezone.localdate() + timedelta(days=3))  # fmt: skip

    moved = reassign_cases(actor=supervisor, case_numbers=[case.number], to_user=colleague)

    case.refresh_from_db()
    assert (moved, case.assigned_worker) == (1, colleague)
    owners = dict(Task.objects.filter(case=case).values_list("kind", "owner"))
    assert owners == {TaskKind.CASE_OPENING: colleague.pk, TaskKind.FOLLOW_UP: worker.pk}
    assert AuditEvent.objects.filter(action="case.assigned", case_number=case.number).count() == 1


def test_an_unknown_case_number_is_named(supervisor: Any, colleague: Any) -> None:
    with pytest.raises(NotFound, match="MS000"):
        reassign_cases(actor=supervisor, case_numbers=["MS000"], to_user=colleague)
