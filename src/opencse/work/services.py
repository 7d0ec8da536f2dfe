"""Changing tasks: opening them from events (`subscribers`), completing them, reassigning them.

The officer-facing services (`complete_task`, `reassign_tasks`, `reassign_cases`) check the policy, run in
one transaction and write their audit rows. `open_tasks` and `complete_open_tasks` are the set-based writes
the event subscribers and the batch use, inside the transaction of the service that published the event;
that service already checked its actor and wrote its audit row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case
from opencse.cases.services import assign_case
from opencse.common.bulk_insert import insert_values
from opencse.common.validation import check_not_future
from opencse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from opencse.security.audit import audit_event, record_audit, record_audits
from opencse.security.models import User
from opencse.security.policy import can, require, works_all_offices
from opencse.work.clocks import Due
from opencse.work.models import Completion, Task, TaskKind

REASSIGN_MAXIMUM = 5_000  # tasks or cases in one reassignment: a screen's selection, never a whole office
INSERT_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class NewTask:
    """A task to open: on which case, for whom, of which kind, opened by what, due when and why."""

    case_id: int
    owner_id: int | None
    kind: TaskKind
    source_key: str
    event_on: date
    due_on: date
    clock: Due | None = None  # None: a tickler, due on the day the officer chose
    detail: str = ""


def open_tasks(new_tasks: Sequence[NewTask]) -> None:
    """Insert the tasks in bulk; one already opened by the same source (case, kind, source_key) is left as
    it is, so an event published twice or a batch run twice opens nothing twice."""
    now = timezone.now()
    rows = [_row(task, now) for task in new_tasks]  # plain rows: a sweep opens hundreds of thousands
    for start in range(0, len(rows), INSERT_CHUNK):
        insert_values(Task, TASK_COLUMNS, rows[start : start + INSERT_CHUNK], ignore_conflicts=True)


TASK_COLUMNS = ["case_id", "owner_id", "kind", "source_key", "event_on", "due_on", "clock", "clock_reference",
                "clock_effective_on", "detail", "created_at", "completion"]  # fmt: skip


def _row(task: NewTask, now: datetime) -> tuple[Any, ...]:
    """A new task's values in `TASK_COLUMNS` order (not completed: completed_on and completed_by are NULL)."""
    assert task.due_on >= task.event_on, task
    assert task.clock is None or (task.clock.due_on, task.clock.event_on) == (task.due_on, task.event_on), task
    clock = task.clock
    return (task.case_id, task.owner_id, str(task.kind), task.source_key[:80], task.event_on, task.due_on,
            clock.clock if clock else "", clock.reference if clock else "", clock.effective_on if clock else None,
            task.detail[:200], now, "")  # fmt: skip


def complete_open_tasks(
    *,
    case_ids: Iterable[int],
    kinds: Iterable[TaskKind] | None,
    completed_on: date,
    completed_by_id: int | None,
    completion: Completion,
    source_key: str | None = None,
) -> int:
    """Complete, in one UPDATE, the open tasks of those kinds (every kind: None) on the cases whose clock
    started on or before `completed_on` (an event completes only what it could answer), only those opened by
    `source_key` when given ("employment:12"). Returns how many."""
    tasks = Task.objects.filter(case_id__in=list(case_ids), completed_on__isnull=True, event_on__lte=completed_on)
    if kinds is not None:
        tasks = tasks.filter(kind__in=list(kinds))
    if source_key is not None:
        tasks = tasks.filter(source_key=source_key)
    return tasks.update(completed_on=completed_on, completed_by_id=completed_by_id, completion=completion)


@transaction.atomic
def complete_task(*, actor: User, task: Task, completed_on: date) -> Task:
    """The officer did what the task asked on `completed_on` (a business date: not in the future, not before
    the event that opened it). The owner completes it, or anyone who may reassign the case's work."""
    task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    require(actor, "work.complete", task.case)
    if task.owner_id != actor.pk and not can(actor, "work.reassign", task.case):
        raise NotAuthorized("This task belongs to another worker; ask a supervisor to reassign it.")
    if task.completed_on is not None:
        raise Conflict(f"This task was already completed on {task.completed_on:%m/%d/%Y}.")
    check_not_future(completed_on, field="completed_on")
    if completed_on < task.event_on:
        raise InvalidInput(f"cannot be before the task's event ({task.event_on:%m/%d/%Y})", field="completed_on")
    task.completed_on, task.completed_by, task.completion = completed_on, actor, Completion.DONE
    task.save(update_fields=["completed_on", "completed_by", "completion"])
    record_audit(
        actor=actor,
        action="task.completed",
        target=task,
        case_number=task.case.number,
        summary=TaskKind(task.kind).label,
        after={"completed_on": str(completed_on), "due_on": str(task.due_on)},
    )
    return task


@transaction.atomic
def reassign_tasks(*, actor: User, task_ids: Sequence[int], to_user: User) -> int:
    """Give open tasks to another worker (a supervisor's bulk action): one audit row per task. Every task must
    be open and in an office the supervisor oversees, and the new owner must be able to work its case."""
    require(actor, "work.reassign")
    if not 1 <= len(task_ids) <= REASSIGN_MAXIMUM:
        raise InvalidInput(f"choose 1 to {REASSIGN_MAXIMUM} tasks", field="task_ids")
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .select_related("case", "case__office")
        .filter(pk__in=set(task_ids))
        .order_by("pk")
    )
    if len(tasks) != len(set(task_ids)):
        raise NotFound("Some of these tasks do not exist.")
    for task in tasks:
        _check_reassignment(actor, task.case, to_user)
        if task.completed_on is not None:
            raise Conflict(f"A task on case {task.case.number} is already completed.")
    moving = [task for task in tasks if task.owner_id != to_user.pk]
    Task.objects.filter(pk__in=[task.pk for task in moving]).update(owner=to_user)
    record_audits([
        audit_event(actor=actor, action="task.reassigned", target=task, case_number=task.case.number,
                    before={"owner": task.owner_id}, after={"owner": to_user.pk})
        for task in moving
    ])  # fmt: skip
    return len(moving)


@transaction.atomic
def reassign_cases(*, actor: User, case_numbers: Sequence[str], to_user: User) -> int:
    """Give cases to another worker with their open tasks (a tickler stays with its author, who asked for
    it). Each case goes through `cases.services.assign_case` (its own audit row); the tasks move in one
    UPDATE with one audit row each. Returns the number of tasks moved."""
    require(actor, "work.reassign")
    if not 1 <= len(case_numbers) <= REASSIGN_MAXIMUM:
        raise InvalidInput(f"choose 1 to {REASSIGN_MAXIMUM} cases", field="case_numbers")
    cases = list(Case.objects.select_related("office").filter(number__in=set(case_numbers)).order_by("pk"))
    if len(cases) != len(set(case_numbers)):
        missing = sorted(set(case_numbers) - {case.number for case in cases})
        raise NotFound(f"No case {', '.join(missing[:5])}.")
    for case in cases:
        _check_reassignment(actor, case, to_user)
    numbers = {case.pk: case.number for case in cases}
    for case in cases:
        if case.assigned_worker_id != to_user.pk:
            assign_case(actor=actor, case=case, worker=to_user)
    moving = list(
        Task.objects.select_for_update()
        .filter(case_id__in=list(numbers), completed_on__isnull=True)
        .exclude(kind=TaskKind.FOLLOW_UP)
        .exclude(owner=to_user)
        .values_list("pk", "case_id", "owner_id")
    )
    Task.objects.filter(pk__in=[pk for pk, _, _ in moving]).update(owner=to_user)
    record_audits([
        audit_event(actor=actor, action="task.reassigned", target=Task(pk=pk), case_number=numbers[case_id],
                    before={"owner": owner_id}, after={"owner": to_user.pk})
        for pk, case_id, owner_id in moving
    ])  # fmt: skip
    return len(moving)


def _check_reassignment(actor: User, case: Case, to_user: User) -> None:
    if not can(actor, "work.reassign", case):
        raise NotAuthorized(f"Case {case.number} is in another office ({case.office.code}).")
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed.")
    if not (to_user.is_active and can(to_user, "work.complete", case)) or works_all_offices(to_user):
        raise InvalidInput(f"{to_user.username} cannot work cases of office {case.office.code}", field="to_user")
