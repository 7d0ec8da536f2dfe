"""Reading the worklist: an officer's open tasks with what the row needs to be read at a glance, and a
supervisor's count of the team's work. Each costs a fixed number of queries, whatever the number of tasks
(tests/work/test_selectors.py counts them).

Buckets, from the business date `as_of` the caller passes (the agency's today on a screen):
overdue (due before `as_of`), due today, this week (the next seven days) and later. Days late are calendar
days past the due date, as the federal clocks are reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Count, FilteredRelation, Q, QuerySet

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.errors import InvalidInput, InvalidInputs, NotAuthorized, NotFound
from opencse.security.models import User
from opencse.security.policy import CASEWORK, can, require
from opencse.work.models import Task, TaskKind

WEEK_DAYS = 7
ROWS_MAXIMUM = 5_000  # one page of a worklist; the screen pages with `offset`
PARTY_ROLES = (MemberRole.CUSTODIAL_PARTY, MemberRole.NONCUSTODIAL_PARENT, MemberRole.ALLEGED_FATHER)
SORTS = {
    "due": ("due_on", "case__number", "pk"),
    "-due": ("-due_on", "case__number", "pk"),
    "case": ("case__number", "due_on", "pk"),
    "kind": ("kind", "due_on", "case__number", "pk"),
}


class Bucket(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    THIS_WEEK = "this_week"
    LATER = "later"

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "due_today": "Due today", "this_week": "This week", "later": "Later"}[self]


@dataclass(frozen=True, slots=True)
class WorklistRow:
    """One open task as the worklist shows it."""

    task_id: int
    case_id: int
    case_number: str
    custodial_parties: tuple[str, ...]
    noncustodial_parents: tuple[str, ...]  # alleged fathers too
    kind: str
    kind_label: str
    event_on: date
    due_on: date
    days_late: int  # 0 unless overdue
    bucket: Bucket
    clock_reference: str  # "45 CFR 303.2(b)"; empty for a tickler
    detail: str
    owner_id: int | None


@dataclass(frozen=True, slots=True)
class WorkerSummary:
    """One worker's open tasks on `as_of`."""

    worker_id: int
    username: str
    name: str
    open: int
    overdue: int
    due_today: int
    this_week: int


def bucket_for(due_on: date, as_of: date) -> Bucket:
    if due_on < as_of:
        return Bucket.OVERDUE
    if due_on == as_of:
        return Bucket.DUE_TODAY
    if due_on <= as_of + timedelta(days=WEEK_DAYS):
        return Bucket.THIS_WEEK
    return Bucket.LATER


def _bucket_filter(bucket: Bucket, as_of: date) -> Q:
    week_end = as_of + timedelta(days=WEEK_DAYS)
    return {
        Bucket.OVERDUE: Q(due_on__lt=as_of),
        Bucket.DUE_TODAY: Q(due_on=as_of),
        Bucket.THIS_WEEK: Q(due_on__gt=as_of, due_on__lte=week_end),
        Bucket.LATER: Q(due_on__gt=week_end),
    }[bucket]


def worklist_for(
    *,
    viewer: User,
    as_of: date,
    owner: User | None = None,
    kind: str | None = None,
    case_number: str | None = None,
    bucket: str | None = None,
    sort: str = "due",
    limit: int = ROWS_MAXIMUM,
    offset: int = 0,
) -> list[WorklistRow]:
    """`owner`'s open tasks (the viewer's own by default; a supervisor may read a worker of the office),
    filtered by kind, case number and bucket, sorted by due date (`sort`: due, -due, case, kind). Two
    queries: the tasks with their cases, then the parties of those cases."""
    owner = owner or viewer
    _check_may_read(viewer, owner)
    errors = []
    if kind is not None and kind not in TaskKind.values:
        errors.append(InvalidInput(f"{kind[:30]!r} is not a kind of task", field="kind"))
    if bucket is not None and bucket not in Bucket.__members__.values():
        errors.append(InvalidInput(f"{bucket[:30]!r} is not overdue, due_today, this_week or later", field="bucket"))
    if sort not in SORTS:
        errors.append(InvalidInput(f"sort by one of {', '.join(SORTS)}", field="sort"))
    if not 1 <= limit <= ROWS_MAXIMUM or offset < 0:
        errors.append(InvalidInput(f"a page is 1 to {ROWS_MAXIMUM} rows from a row number of 0 or more", field="limit"))
    if errors:
        raise InvalidInputs(errors)
    tasks = _open_tasks(owner).order_by(*SORTS[sort])
    if kind is not None:
        tasks = tasks.filter(kind=kind)
    if case_number:
        tasks = tasks.filter(case__number=case_number.strip().upper())
    if bucket is not None:
        tasks = tasks.filter(_bucket_filter(Bucket(bucket), as_of))
    page = list(tasks[offset : offset + limit])
    parties = parties_of_cases({task.case_id for task in page})
    return [_row(task, parties, as_of) for task in page]


def tasks_for_case(*, viewer: User, case: Case, as_of: date) -> list[WorklistRow]:
    """A case's open tasks, next deadline first (the case page's summary), read through the index
    `work_task_open_by_case`: two queries (the tasks, the case's parties), none more for the case the
    caller has already read."""
    require(viewer, "cases.view", case)
    open_tasks = Task.objects.filter(case_id=case.pk, completed_on__isnull=True)
    tasks = list(open_tasks.order_by("due_on", "pk")[:ROWS_MAXIMUM])
    for task in tasks:
        task.case = case  # the case read once by the caller, not once more per task
    parties = parties_of_cases({case.pk}) if tasks else {}
    return [_row(task, parties, as_of) for task in tasks]


def team_summary(*, supervisor: User, as_of: date) -> list[WorkerSummary]:
    """Open, overdue, due-today and this-week task counts for each active caseworker of the supervisor's
    office, in one aggregate query (workers with no task included, with zeros)."""
    require(supervisor, "work.view_team")
    if supervisor.office_id is None:
        return []
    week_end = as_of + timedelta(days=WEEK_DAYS)
    # The open-task condition goes in the join (not in each count's FILTER), so PostgreSQL reads only the
    # open tasks through the partial index `work_task_open` instead of every task the workers ever closed
    # (1.7 s for four workers with 330,000 closed tasks; docs/work.md "Speed").
    workers = (
        User.objects.filter(office_id=supervisor.office_id, is_active=True, role__in=CASEWORK)
        .annotate(open_tasks=FilteredRelation("tasks", condition=Q(tasks__completed_on__isnull=True)))
        .annotate(
            open_count=Count("open_tasks"),
            overdue_count=Count("open_tasks", filter=Q(open_tasks__due_on__lt=as_of)),
            today_count=Count("open_tasks", filter=Q(open_tasks__due_on=as_of)),
            week_count=Count("open_tasks", filter=Q(open_tasks__due_on__gt=as_of, open_tasks__due_on__lte=week_end)),
        )
        .order_by("last_name", "first_name", "username")
    )
    return [
        WorkerSummary(
            worker_id=worker.pk,
            username=worker.username,
            name=f"{worker.first_name} {worker.last_name}".strip() or worker.username,
            open=worker.open_count,
            overdue=worker.overdue_count,
            due_today=worker.today_count,
            this_week=worker.week_count,
        )
        for worker in workers
    ]


def _check_may_read(viewer: User, owner: User) -> None:
    require(viewer, "work.view")
    if owner.pk == viewer.pk:
        return
    require(viewer, "work.view_team")
    if owner.office_id is None or owner.office_id != viewer.office_id:
        raise NotAuthorized("This worker is in another office.")


def _open_tasks(owner: User) -> QuerySet[Task]:
    return Task.objects.filter(owner=owner, completed_on__isnull=True).select_related("case")


def parties_of_cases(case_ids: set[int]) -> dict[int, dict[str, list[str]]]:
    """The current custodial parties and noncustodial parents (alleged fathers) of the cases, by name."""
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if not case_ids:
        return names
    members = (
        CaseMember.objects.filter(case_id__in=case_ids, left_on__isnull=True, role__in=PARTY_ROLES)
        .order_by("case_id", "role", "person__last_name", "person__first_name", "pk")
        .values_list("case_id", "role", "person__first_name", "person__last_name")
    )
    for case_id, role, first, last in members:
        side = "custodial" if role == MemberRole.CUSTODIAL_PARTY else "noncustodial"
        names[case_id][side].append(f"{first} {last}".strip())
    return names


def _row(task: Task, parties: dict[int, dict[str, list[str]]], as_of: date) -> WorklistRow:
    case_parties = parties.get(task.case_id, {})
    return WorklistRow(
        task_id=task.pk,
        case_id=task.case_id,
        case_number=task.case.number,
        custodial_parties=tuple(case_parties.get("custodial", ())),
        noncustodial_parents=tuple(case_parties.get("noncustodial", ())),
        kind=task.kind,
        kind_label=TaskKind(task.kind).label,
        event_on=task.event_on,
        due_on=task.due_on,
        days_late=max(0, (as_of - task.due_on).days),
        bucket=bucket_for(task.due_on, as_of),
        clock_reference=task.clock_reference,
        detail=task.detail,
        owner_id=task.owner_id,
    )


def count_for(*, viewer: User, as_of: date, owner: User | None = None, kind: str | None = None,
              case_number: str | None = None, bucket: str | None = None) -> int:  # fmt: skip
    """How many open tasks `worklist_for` pages through with the same filters (one query)."""
    owner = owner or viewer
    _check_may_read(viewer, owner)
    tasks = Task.objects.filter(owner=owner, completed_on__isnull=True)
    if kind in TaskKind.values:
        tasks = tasks.filter(kind=kind)
    if case_number:
        tasks = tasks.filter(case__number=case_number.strip().upper())
    if bucket is not None and bucket in Bucket.__members__.values():
        tasks = tasks.filter(_bucket_filter(Bucket(bucket), as_of))
    return tasks.count()


def task_for_viewer(*, viewer: User, task_id: int) -> Task:
    """An open or completed task the viewer may read (their own, or their office's for a supervisor)."""
    task = Task.objects.select_related("case", "owner").filter(pk=task_id).first()
    if task is None or (task.owner is not None and task.owner_id != viewer.pk and not _same_office(viewer, task)):
        raise NotFound(f"No task {task_id} that you may see.")
    return task


def _same_office(viewer: User, task: Task) -> bool:
    return can(viewer, "work.view_team") and task.case.office_id == viewer.office_id


def team_worker(*, supervisor: User, worker_id: int) -> User:
    """A caseworker of the supervisor's office; 404 otherwise."""
    require(supervisor, "work.view_team")
    worker = User.objects.filter(pk=worker_id, office__pk=supervisor.office_id or 0, role__in=CASEWORK).first()
    if worker is None:
        raise NotFound(f"No worker {worker_id} in your office.")
    return worker


def team_workers(*, supervisor: User) -> list[User]:
    """The active caseworkers of the supervisor's office, by name: who tasks and cases may go to."""
    require(supervisor, "work.view_team")
    return list(
        User.objects.filter(office__pk=supervisor.office_id or 0, is_active=True, role__in=CASEWORK).order_by(
            "last_name", "first_name", "username"
        )
    )
