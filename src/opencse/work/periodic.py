"""The recurring clocks, opened as a batch: `opencse work generate --as-of DATE` (acting as the system actor).

- **Review of the order, every 36 months** (45 CFR 303.8(b)(1)): an open case with an active order and no
  open review task gets one, counted from the later of the order's signature and the last review done.
- **Locate** (45 CFR 303.3): an open case whose noncustodial parent (or alleged father) has no verified,
  current address is "not located". With no locate task yet, it gets the 75-day locate task (303.3(b)(3),
  counted from the case's opening); once an attempt is done and the parent is still not located, the
  quarterly repeat (303.3(b)(5), 3 months from the last attempt).

Set-based and idempotent: one query writes each clock's candidates to a temporary table, the pure rule
gives each of their distinct event dates its due date (`work.clocks.due`), and one `INSERT ... SELECT` per
clock (per 5,000 dates) writes every task, joined to those due dates, skipping any (case, kind, source)
already present. A case with an open task of the kind is not a candidate, and the source key names the event
date, so a second run with the same data opens nothing, whatever its `as_of`. Events after `as_of` are not
read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.orders.models import Order, OrderStatus
from opencse.people.models import Address
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require
from opencse.work.clocks import CLOCKS, due
from opencse.work.models import Completion, Task, TaskKind

DATES_PER_STATEMENT = 5_000  # 5 parameters a date: within SQLite's (32,766) and PostgreSQL's (65,535) limits
# After writing this many rows, PostgreSQL's statistics of the task table are refreshed (ANALYZE, a sample):
# the next run's NOT EXISTS would otherwise be planned for the empty table the last ANALYZE saw.
ANALYZE_AFTER_ROWS = 10_000
LOCATE_KINDS = (TaskKind.LOCATE, TaskKind.REPEAT_LOCATE)
PARENT_ROLES = (MemberRole.NONCUSTODIAL_PARENT, MemberRole.ALLEGED_FATHER)


@dataclass(frozen=True, slots=True)
class Generated:
    """How many tasks of each kind one run opened."""

    as_of: date
    review_order: int
    locate: int
    repeat_locate: int

    @property
    def total(self) -> int:
        return self.review_order + self.locate + self.repeat_locate


@transaction.atomic
def generate_periodic_tasks(*, actor: User, as_of: date, case_ids: list[int] | None = None) -> Generated:
    """Open the tasks of the recurring clocks that are running on `as_of` (optionally for some cases: a
    worker's share of a partitioned run). One audit row records the run."""
    require(actor, "work.generate")
    cases = Case.objects.filter(closed_on__isnull=True, opened_on__lte=as_of)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    now = timezone.now()
    result = Generated(
        as_of=as_of,
        review_order=_insert(_reviews_due(cases, as_of), TaskKind.REVIEW_ORDER, "review", now),
        locate=_insert(_not_located(cases, as_of, first=True), TaskKind.LOCATE, "locate", now),
        repeat_locate=_insert(_not_located(cases, as_of, first=False), TaskKind.REPEAT_LOCATE, "locate", now),
    )
    record_audit(
        actor=actor,
        action="work.generated",
        target=actor,
        summary=f"periodic tasks as of {as_of.isoformat()}: {result.total} opened",
        after={"as_of": str(as_of), "review_order": result.review_order, "locate": result.locate,
               "repeat_locate": result.repeat_locate, "cases": "all" if case_ids is None else len(case_ids)},
    )  # fmt: skip
    return result


def _reviews_due(cases: QuerySet[Case], as_of: date) -> QuerySet[Any]:
    """Open cases with an active order and no open review task; the cycle counts from the later of the last
    active order's signature and the last review an officer completed."""
    signed = Order.objects.filter(case=OuterRef("pk"), status=OrderStatus.ACTIVE, signed_on__lte=as_of)
    reviewed = Task.objects.filter(
        case=OuterRef("pk"), kind=TaskKind.REVIEW_ORDER, completion=Completion.DONE, completed_on__lte=as_of
    )
    return (
        cases.annotate(
            signed_on=Subquery(signed.order_by("-signed_on").values("signed_on")[:1], output_field=DateField()),
            reviewed_on=Subquery(
                reviewed.order_by("-completed_on").values("completed_on")[:1], output_field=DateField()
            ),
        )
        .filter(signed_on__isnull=False)
        .filter(~Exists(_open(TaskKind.REVIEW_ORDER)))
        .annotate(event_on=Greatest("signed_on", Coalesce("reviewed_on", "signed_on"), output_field=DateField()))
    )


def _not_located(cases: QuerySet[Case], as_of: date, *, first: bool) -> QuerySet[Any]:
    """Open cases with a noncustodial parent (or alleged father) without a verified, current address and no
    open locate task: `first`, never attempted (counted from the case's opening); else, counted from the
    last attempt an officer completed."""
    verified_address = Address.objects.filter(
        person_id=OuterRef("person_id"), verification=Address.Verification.VERIFIED
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of), Q(verified_on__isnull=True) | Q(verified_on__lte=as_of))
    # The parents on the case now (a membership's start is the day it was recorded, not a business date).
    not_located = CaseMember.objects.filter(case=OuterRef("pk"), role__in=PARENT_ROLES, left_on__isnull=True).filter(
        ~Exists(verified_address)
    )
    attempts = Task.objects.filter(
        case=OuterRef("pk"), kind__in=LOCATE_KINDS, completion=Completion.DONE, completed_on__lte=as_of
    )
    candidates = (
        cases.filter(Exists(not_located))
        .filter(~Exists(_open(*LOCATE_KINDS)))
        .annotate(
            attempted_on=Subquery(
                attempts.order_by("-completed_on").values("completed_on")[:1], output_field=DateField()
            )
        )
    )
    if first:
        return candidates.filter(attempted_on__isnull=True).annotate(event_on=F("opened_on"))
    return candidates.filter(attempted_on__isnull=False).annotate(event_on=F("attempted_on"))


def _open(*kinds: TaskKind) -> QuerySet[Task]:
    return Task.objects.filter(case=OuterRef("pk"), kind__in=kinds, completed_on__isnull=True)


def _insert(candidates: QuerySet[Any], kind: TaskKind, source: str, now: datetime) -> int:
    """Open a task of `kind` for every candidate (annotated `event_on`), due as the rule says for its date.

    The candidates are first written to a temporary table: the query that reads the task table (is one open
    already?) then runs before any task is written. Read in the same statement as the insert, a plan that
    scans the task table would scan every row the statement is adding (quadratic on PostgreSQL when the
    table's statistics still say it is empty)."""
    clock = CLOCKS[kind]
    select_sql, select_params = candidates.values_list("pk", "assigned_worker_id", "event_on").query.sql_with_params()
    ops = connection.ops
    opened = 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS work_candidates")
        # The ORM's compiled query names its columns pk, assigned_worker_id and event_on.
        cursor.execute("CREATE TEMPORARY TABLE work_candidates AS " + select_sql, select_params)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE work_candidates")  # temporary tables are never analyzed automatically
        cursor.execute("SELECT DISTINCT event_on FROM work_candidates")
        event_dates = sorted(_date(value) for (value,) in cursor.fetchall())
        dues = [deadline for day in event_dates if (deadline := due(clock, day)) is not None]
        for start in range(0, len(dues), DATES_PER_STATEMENT):
            chunk = dues[start : start + DATES_PER_STATEMENT]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for deadline in chunk:
                params += [ops.adapt_datefield_value(deadline.event_on), ops.adapt_datefield_value(deadline.due_on),
                           f"{source}:{deadline.event_on.isoformat()}", deadline.reference,
                           ops.adapt_datefield_value(deadline.effective_on)]  # fmt: skip
            # Only placeholders are put into the text; every value is a parameter.
            statement = (
                "INSERT INTO work_task (case_id, owner_id, kind, source_key, event_on, due_on, clock, clock_reference,"  # noqa: S608
                " clock_effective_on, detail, created_at, completed_on, completed_by_id, completion)"
                # the statement starts with INSERT, so that the driver reports the rows it wrote (rowcount)
                " WITH clock_dates (event_on, due_on, source_key, clock_reference, clock_effective_on) AS (VALUES "
                + values
                + ") SELECT c.pk, c.assigned_worker_id, %s, clock_dates.source_key, clock_dates.event_on,"
                " clock_dates.due_on, %s, clock_dates.clock_reference, clock_dates.clock_effective_on, '', %s,"
                " NULL, NULL, ''"
                " FROM work_candidates c JOIN clock_dates ON clock_dates.event_on = c.event_on"
                " WHERE 1 = 1"  # SQLite reads ON CONFLICT after a join's ON only behind a WHERE
                " ON CONFLICT DO NOTHING"
            )
            cursor.execute(statement, [*params, kind.value, clock, ops.adapt_datetimefield_value(now)])
            opened += max(cursor.rowcount, 0)
        cursor.execute("DROP TABLE work_candidates")
        if connection.vendor == "postgresql" and opened >= ANALYZE_AFTER_ROWS:
            cursor.execute("ANALYZE work_task")
    return opened


def _date(value: date | str) -> date:
    """A date read back from the temporary table (SQLite returns its text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
