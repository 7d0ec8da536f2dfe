"""The worklist and the team summary: what each row says, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from opencse.cases.services import add_member
from opencse.errors import InvalidInputs, NotAuthorized
from opencse.work.models import Task, TaskKind
from opencse.work.selectors import Bucket, bucket_for, team_summary, worklist_for
from opencse.work.services import NewTask, open_tasks
from tests import factories


@pytest.fixture
def worker(db: None) -> Any:
    return factories.user("seo1", username="worker")


def _case_with_parties(actor: Any) -> Any:
    case = factories.case(actor)
    for role, first in (("custodial_party", "Alicia"), ("noncustodial_parent", "Curtis"), ("dependent_child", "Mia")):
        add_member(actor=actor, case=case, person=factories.person(actor, first_name=first), role=role)
    return case


def _tickler(case: Any, owner: Any, due_on: date, key: str) -> None:
    open_tasks([NewTask(case_id=case.pk, owner_id=owner.pk, kind=TaskKind.FOLLOW_UP, source_key=key,
                        event_on=date(2026, 1, 5), due_on=due_on, detail=key)])  # fmt: skip


def test_each_row_names_the_case_the_parties_the_action_and_how_late(officer: Any, worker: Any) -> None:
    case, *_ = factories.family(officer)
    case.assigned_worker = worker
    case.save(update_fields=["assigned_worker"])
    _tickler(case, worker, date(2026, 3, 10), "late")

    (row,) = worklist_for(viewer=worker, as_of=date(2026, 3, 23))

    assert row.case_number == case.number
    assert (row.custodial_parties, row.noncustodial_parents) == (("Alicia Moreno",), ("Curtis Boone",))
    assert (row.kind_label, row.detail) == ("Follow up on a note", "late")
    assert (row.due_on, row.days_late, row.bucket) == (date(2026, 3, 10), 13, Bucket.OVERDUE)  # Mar 10 -> 23


def test_buckets_are_counted_from_the_business_date_given() -> None:
    as_of = date(2026, 12, 31)
    assert bucket_for(date(2026, 12, 30), as_of) is Bucket.OVERDUE
    assert bucket_for(as_of, as_of) is Bucket.DUE_TODAY
    assert bucket_for(date(2027, 1, 7), as_of) is Bucket.THIS_WEEK  # seven days on, across the year end
    assert bucket_for(date(2027, 1, 8), as_of) is Bucket.LATER


def test_a_missed_clock_stays_overdue_with_its_days_late(officer: Any) -> None:
    case = factories.case(officer)  # referral 2026-03-02: 303.2(b) due 2026-03-22

    (row,) = worklist_for(viewer=officer, as_of=date(2027, 3, 22))

    assert (row.kind, row.days_late, row.clock_reference) == (TaskKind.CASE_OPENING, 365, "45 CFR 303.2(b)")
    assert row.case_number == case.number


def test_filters_and_sorts(officer: Any) -> None:
    first = factories.case(officer)
    second = factories.case(officer)
    _tickler(first, officer, date(2026, 4, 1), "a")
    _tickler(second, officer, date(2026, 3, 25), "b")
    as_of = date(2026, 3, 25)

    by_due = worklist_for(viewer=officer, as_of=as_of)
    by_case = worklist_for(viewer=officer, as_of=as_of, sort="case")
    ticklers = worklist_for(viewer=officer, as_of=as_of, kind=TaskKind.FOLLOW_UP)
    today = worklist_for(viewer=officer, as_of=as_of, bucket="due_today")
    one_case = worklist_for(viewer=officer, as_of=as_of, case_number=second.number.lower())

    assert [row.due_on for row in by_due] == sorted(row.due_on for row in by_due)
    assert [row.case_number for row in by_case] == sorted(row.case_number for row in by_case)
    assert {row.detail for row in ticklers} == {"a", "b"}
    assert [row.detail for row in today] == ["b"]
    assert {row.case_number for row in one_case} == {second.number}


def test_every_bad_filter_is_reported_at_once(officer: Any) -> None:
    with pytest.raises(InvalidInputs) as refused:
        worklist_for(viewer=officer, as_of=date(2026, 3, 25), kind="nap", bucket="someday", sort="mood")

    assert {error.field for error in refused.value.errors} == {"kind", "bucket", "sort"}


def test_the_worklist_costs_the_same_queries_for_3_tasks_or_60(officer: Any, django_assert_num_queries: Any) -> None:
    case, *_ = factories.family(officer)
    for index in range(3):
        _tickler(case, officer, date(2026, 4, 1) + timedelta(days=index), f"small-{index}")
    with django_assert_num_queries(2):  # the tasks with their cases; the parties of those cases
        small = worklist_for(viewer=officer, as_of=date(2026, 4, 1))

    for index in range(57):
        other = _case_with_parties(officer) if index < 5 else case
        _tickler(other, officer, date(2026, 4, 1) + timedelta(days=index), f"large-{index}")
    with django_assert_num_queries(2):
        large = worklist_for(viewer=officer, as_of=date(2026, 4, 1))

    assert len(large) > 10 * len(small) >= 30


def test_a_supervisor_reads_a_workers_list_but_an_officer_may_not(officer: Any, worker: Any,
                                                                  supervisor: Any) -> None:  # fmt: skip
    _tickler(factories.case(officer), worker, date(2026, 4, 1), "x")

    assert [row.detail for row in worklist_for(viewer=supervisor, owner=worker, as_of=date(2026, 4, 1))] == ["x"]
    with pytest.raises(NotAuthorized):
        worklist_for(viewer=officer, owner=worker, as_of=date(2026, 4, 1))


def test_the_team_summary_counts_each_workers_tasks_in_one_query(
    officer: Any, worker: Any, supervisor: Any, django_assert_num_queries: Any
) -> None:
    case = factories.case(officer)  # its opening task (due 2026-03-22) is the officer's
    _tickler(case, worker, date(2026, 3, 24), "overdue")
    _tickler(case, worker, date(2026, 3, 25), "today")
    _tickler(case, worker, date(2026, 3, 30), "this week")
    _tickler(case, worker, date(2026, 5, 1), "later")
    for done in ("done overdue", "done today"):  # completed tasks count nowhere, overdue or not
        _tickler(case, worker, date(2026, 3, 20) if done == "done overdue" else date(2026, 3, 25), done)
    Task.objects.filter(detail__startswith="done").update(completed_on=date(2026, 3, 21), completion="done")

    with django_assert_num_queries(1):
        summary = {row.username: row for row in team_summary(supervisor=supervisor, as_of=date(2026, 3, 25))}

    mine = summary["worker"]
    assert (mine.open, mine.overdue, mine.due_today, mine.this_week) == (4, 1, 1, 1)
    assert (summary["seo1-hin"].open, summary["seo1-hin"].overdue) == (1, 1)
    assert summary["supervisor-hin"].open == 0  # listed with zeros
    with pytest.raises(NotAuthorized):
        team_summary(supervisor=officer, as_of=date(2026, 3, 25))
