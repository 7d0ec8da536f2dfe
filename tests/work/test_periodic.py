"""The periodic batch (`opencse work generate`): 36-month reviews (45 CFR 303.8(b)(1)) and locate attempts
(303.3(b)(3), (b)(5)), set-based and idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencse.cases.services import add_member
from opencse.errors import NotAuthorized
from opencse.people.models import Address
from opencse.people.services import add_address
from opencse.security.models import AuditEvent
from opencse.security.services import system_actor
from opencse.work.models import Task, TaskKind
from opencse.work.periodic import generate_periodic_tasks
from opencse.work.services import complete_task
from tests import factories
from tests.ledger.helpers import case_with_order

AS_OF = date(2026, 6, 1)


def _rows() -> list[tuple[Any, ...]]:
    return list(
        Task.objects.order_by("pk").values_list(
            "pk", "case_id", "owner_id", "kind", "source_key", "event_on", "due_on", "clock", "completed_on"
        )
    )


def _locate_address(actor: Any, person: Any) -> None:
    add_address(actor=actor, person=person, line1="9 Pine Street", city="Jackson", state="MS", postal_code="39202",
                verification=Address.Verification.VERIFIED, verified_on=date(2026, 3, 10))  # fmt: skip


def test_a_case_whose_noncustodial_parent_has_no_verified_address_gets_the_75_day_locate_task(officer: Any) -> None:
    case, *_ = factories.family(officer)  # opened 2026-03-04; the noncustodial parent has no address

    result = generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)

    assert (result.locate, result.repeat_locate, result.review_order) == (1, 0, 0)
    task = Task.objects.get(case=case, kind=TaskKind.LOCATE)
    # 303.3(b)(3): 75 calendar days from the case's opening: Mar 4 + 27 (to Mar 31) + 30 (April) + 18 = May 18.
    assert (task.event_on, task.due_on, task.owner) == (date(2026, 3, 4), date(2026, 5, 18), officer)
    assert (task.clock_reference, task.source_key) == ("45 CFR 303.3(b)(3)", "locate:2026-03-04")


def test_a_located_parent_needs_no_locate_task(officer: Any) -> None:
    _, _, _, parent = factories.family(officer)
    _locate_address(officer, parent.person)

    assert generate_periodic_tasks(actor=system_actor(), as_of=AS_OF).locate == 0


def test_after_a_failed_attempt_the_next_locate_is_due_a_quarter_later(officer: Any) -> None:
    case, *_ = factories.family(officer)
    generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)
    complete_task(actor=officer, task=Task.objects.get(case=case, kind=TaskKind.LOCATE), completed_on=date(2026, 5, 31))

    result = generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)

    assert result.repeat_locate == 1
    task = Task.objects.get(case=case, kind=TaskKind.REPEAT_LOCATE)
    # 303.3(b)(5): quarterly. May 31 + 3 months: August 31 (the same day of the month).
    assert (task.event_on, task.due_on, task.clock_reference) == (date(2026, 5, 31), date(2026, 8, 31),
                                                                  "45 CFR 303.3(b)(5)")  # fmt: skip


def test_the_next_review_counts_from_the_last_review_done(officer: Any) -> None:
    case, _ = case_with_order(officer, starts_on=date(2026, 1, 1))
    first = Task.objects.get(case=case, kind=TaskKind.REVIEW_ORDER)  # opened by the order's entry
    assert generate_periodic_tasks(actor=system_actor(), as_of=AS_OF).review_order == 0  # one is open
    complete_task(actor=officer, task=first, completed_on=date(2026, 5, 29))

    assert generate_periodic_tasks(actor=system_actor(), as_of=AS_OF).review_order == 1

    task = Task.objects.get(case=case, kind=TaskKind.REVIEW_ORDER, completed_on__isnull=True)
    assert (task.event_on, task.due_on) == (date(2026, 5, 29), date(2029, 5, 29))  # 303.8(b)(1): 36 months


def test_an_order_entered_before_the_worklist_existed_gets_its_review_from_the_batch(officer: Any) -> None:
    case, order = case_with_order(officer, starts_on=date(2026, 1, 1))
    Task.objects.filter(case=case).delete()  # as if the order had been entered before the work app

    generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)

    task = Task.objects.get(case=case, kind=TaskKind.REVIEW_ORDER)
    assert (task.event_on, task.due_on, task.source_key) == (order.signed_on, date(2029, 1, 1), "review:2026-01-01")


def test_running_the_batch_twice_changes_nothing(officer: Any) -> None:
    factories.family(officer)
    case_with_order(officer, starts_on=date(2026, 1, 1))
    generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)
    before = _rows()

    again = generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)
    later = generate_periodic_tasks(actor=system_actor(), as_of=AS_OF + timedelta(days=40))

    assert (again.total, later.total) == (0, 0)
    assert _rows() == before


def test_events_after_the_as_of_date_are_not_read(officer: Any) -> None:
    factories.family(officer)  # opened 2026-03-04

    assert generate_periodic_tasks(actor=system_actor(), as_of=date(2026, 3, 3)).total == 0


def test_only_the_system_actor_runs_the_batch(officer: Any, supervisor: Any) -> None:
    for person in (officer, supervisor):
        with pytest.raises(NotAuthorized):
            generate_periodic_tasks(actor=person, as_of=AS_OF)


def test_the_command_runs_as_the_system_actor_and_is_audited(officer: Any) -> None:
    factories.family(officer)
    out = StringIO()

    call_command("work", "generate", "--as-of", "2026-06-01", stdout=out)

    assert "1 tasks opened (0 order reviews, 1 locates, 0 repeat locates)" in out.getvalue()
    audit = AuditEvent.objects.get(action="work.generated")
    assert audit.actor == system_actor()
    assert audit.after["locate"] == 1


def _case_with_parent(actor: Any, opened_on: date, *, ordered: bool) -> Any:
    """A case opened on `opened_on` with a noncustodial parent (no SSN: examples repeat), and an order."""
    if ordered:
        case, order = case_with_order(actor, starts_on=opened_on)
        Task.objects.filter(case=case).delete()  # the batch, not the event, opens the review here
        return order.terms.get().obligor
    case = factories.case(actor, referral_received_on=opened_on, opened_on=opened_on)
    parent = factories.person(actor, first_name="Curtis", last_name="Boone", sex="M")
    add_member(actor=actor, case=case, person=parent, role="noncustodial_parent")
    return parent


case_specs = st.lists(
    st.tuples(st.booleans(), st.booleans(), st.integers(min_value=0, max_value=400)), min_size=1, max_size=3
)


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=case_specs, as_of_days=st.integers(min_value=0, max_value=900))
def test_generate_is_a_no_op_the_second_time_whatever_the_caseload(
    officer: Any, specs: list[tuple[bool, bool, int]], as_of_days: int
) -> None:
    with transaction.atomic():
        for located, ordered, opened_days in specs:
            parent = _case_with_parent(officer, date(2025, 1, 2) + timedelta(days=opened_days), ordered=ordered)
            if located:
                _locate_address(officer, parent)
        as_of = date(2025, 6, 1) + timedelta(days=as_of_days)
        generate_periodic_tasks(actor=system_actor(), as_of=as_of)
        first = _rows()

        assert generate_periodic_tasks(actor=system_actor(), as_of=as_of).total == 0
        assert _rows() == first
        assert all(row[6] >= row[5] for row in first)  # due on or after the event
        transaction.set_rollback(True)
