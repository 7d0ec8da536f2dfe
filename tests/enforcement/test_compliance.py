"""Employer compliance (45 CFR 303.100; issue #21): a task when a withholding employer's payment has not arrived.

The order of 06/01/2026 says begin within 14 days and remit within 7 business days (Mississippi's terms on the
form, rules.income_withholding). First payment due (enforcement.compliance): 06/01 + 14 days = 06/15, + one
monthly pay cycle = 07/15/2026 (a Wednesday), + 7 business days = Friday 07/24/2026 (no Mississippi holiday in
between; Independence Day is before).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from opencse.enforcement.compliance import check_employer_compliance, first_payment_due, overdue_withholdings
from opencse.enforcement.services import terminate_income_withholding
from opencse.ledger.imports import import_payment_file
from opencse.ledger.models import Collection
from opencse.ledger.services import post_collection
from opencse.security.services import system_actor
from opencse.work.models import Completion, Task, TaskKind
from tests.enforcement.eiwo_helpers import SENT_ON, withholding_sent
from tests.interfaces.test_payments_csv_lines import HEADER

pytestmark = pytest.mark.django_db
FIRST_DUE = date(2026, 7, 24)


def _tasks() -> list[Task]:
    return list(Task.objects.filter(kind=TaskKind.EMPLOYER_COMPLIANCE).order_by("pk"))


def test_the_first_payment_is_due_a_month_and_the_remittance_window_after_the_begin_date() -> None:
    assert first_payment_due(dated_on=SENT_ON, begin_within_days=14, remit_within_business_days=7) == FIRST_DUE


def test_no_task_while_the_first_payment_may_still_arrive_and_one_the_day_after(officer: Any) -> None:
    sent = withholding_sent(officer)

    check_employer_compliance(as_of=FIRST_DUE)
    assert _tasks() == []

    result = check_employer_compliance(as_of=date(2026, 7, 25))

    (task,) = _tasks()
    assert result.checked == 1 and task.case_id == sent.case_id
    assert task.source_key == f"iwo:{sent.pk}:2026-07-24" and task.event_on == date(2026, 7, 25)
    assert "first was due by 07/24/2026" in task.detail
    assert task.get_kind_display() == "The employer's withholding payment has not arrived"


def test_no_task_when_the_employer_paid_and_one_when_payments_stop(officer: Any) -> None:
    sent = withholding_sent(officer)
    post_collection(actor=officer, case=sent.case, amount=Decimal("184.62"), source="income_withholding",
                    collected_on=date(2026, 7, 10), received_on=date(2026, 7, 13))  # fmt: skip

    check_employer_compliance(as_of=date(2026, 8, 1))
    assert _tasks() == []

    # 45 days (STALE_AFTER_DAYS) after 07/10 is 08/24: on 08/25 the payments have stopped.
    assert overdue_withholdings(as_of=date(2026, 8, 24)).overdue == []
    check_employer_compliance(as_of=date(2026, 8, 25))
    (task,) = _tasks()
    assert task.source_key == f"iwo:{sent.pk}:2026-07-10" and "No payment since 07/10/2026" in task.detail


def test_a_direct_payment_does_not_count_as_the_employers(officer: Any) -> None:
    sent = withholding_sent(officer)
    post_collection(actor=officer, case=sent.case, amount=Decimal("400.00"), source="direct_payment",
                    collected_on=date(2026, 7, 10), received_on=date(2026, 7, 10))  # fmt: skip

    check_employer_compliance(as_of=date(2026, 8, 1))

    assert len(_tasks()) == 1


def test_one_open_task_per_order_whatever_the_runs(officer: Any) -> None:
    sent = withholding_sent(officer)
    check_employer_compliance(as_of=date(2026, 7, 25))
    check_employer_compliance(as_of=date(2026, 7, 25))
    check_employer_compliance(as_of=date(2026, 8, 3))
    assert len(_tasks()) == 1

    # Paid once, then nothing again: the officer completed the first task, a new one opens for the new gap.
    Task.objects.filter(kind=TaskKind.EMPLOYER_COMPLIANCE).update(completed_on=date(2026, 8, 4),
                                                                   completion=Completion.DONE)  # fmt: skip
    post_collection(actor=officer, case=sent.case, amount=Decimal("184.62"), source="income_withholding",
                    collected_on=date(2026, 8, 7), received_on=date(2026, 8, 10))  # fmt: skip
    check_employer_compliance(as_of=date(2026, 9, 30))
    assert [task.source_key for task in _tasks()] == [f"iwo:{sent.pk}:2026-07-24", f"iwo:{sent.pk}:2026-08-07"]


def test_a_terminated_order_is_not_watched(officer: Any) -> None:
    sent = withholding_sent(officer)
    terminate_income_withholding(actor=officer, withholding=sent, dated_on=date(2026, 6, 10), reason="Job ended")

    result = check_employer_compliance(as_of=date(2026, 9, 1))

    assert result.checked == 0 and _tasks() == []


def test_the_command_reports_what_it_found(officer: Any, capsys: Any) -> None:
    withholding_sent(officer)
    call_command("enforcement", "compliance", "--as-of", "2026-08-01")
    assert "1 orders in force checked, 1 payments overdue" in capsys.readouterr().out
    assert len(_tasks()) == 1


def test_the_employers_payment_arriving_completes_the_open_task_a_direct_payment_does_not(officer: Any) -> None:
    sent = withholding_sent(officer)
    check_employer_compliance(as_of=date(2026, 7, 25))
    (task,) = _tasks()

    post_collection(actor=officer, case=sent.case, amount=Decimal("100.00"), source="direct_payment",
                    collected_on=date(2026, 7, 27), received_on=date(2026, 7, 27))  # fmt: skip
    task.refresh_from_db()
    assert task.completed_on is None
    post_collection(actor=officer, case=sent.case, amount=Decimal("184.62"), source="income_withholding",
                    collected_on=date(2026, 7, 24), received_on=date(2026, 7, 28))  # fmt: skip

    task.refresh_from_db()
    assert (task.completed_on, task.completion) == (date(2026, 7, 28), Completion.BY_EVENT)  # the day it arrived


def _paid_by_file(tmp_path: Any, case: Any, *, fein: str, employer: str, trace: str) -> None:
    """The employer's payment of 07/24/2026, received 07/28, in the OpenCSE payments CSV, naming its FEIN."""
    line = f"{trace},2026-07-24,184.62,{case.number},,Boone,Curtis,{employer},{fein},28049,N,N"
    path = tmp_path / f"{trace}.csv"
    path.write_text(f"{HEADER}\n{line}\n", encoding="utf-8")
    import_payment_file(actor=system_actor(), path=path, received_on=date(2026, 7, 28))


def test_another_employers_payment_is_not_this_orders_and_completes_none_of_its_tasks(
    officer: Any, tmp_path: Any
) -> None:
    sent = withholding_sent(officer)  # Gulf Coast Shipbuilding, FEIN 640123456
    check_employer_compliance(as_of=date(2026, 7, 25))
    (task,) = _tasks()

    _paid_by_file(tmp_path, sent.case, fein="641234567", employer="Magnolia Foods Inc", trace="OTHER-1")

    assert Collection.objects.get(reference="OTHER-1").payor_fein == "641234567"
    task.refresh_from_db()
    assert task.completed_on is None  # the other employer's payment does not answer this order's task
    assert [order for _, order, _, _ in overdue_withholdings(as_of=date(2026, 8, 1)).overdue] == [sent.pk]

    _paid_by_file(tmp_path, sent.case, fein="640123456", employer="Gulf Coast Shipbuilding", trace="OWN-1")

    task.refresh_from_db()
    assert (task.completed_on, task.completion) == (date(2026, 7, 28), Completion.BY_EVENT)
    assert overdue_withholdings(as_of=date(2026, 8, 1)).overdue == []
