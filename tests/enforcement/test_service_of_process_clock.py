"""45 CFR 303.6(c)(2): an enforcement action within 30 calendar days of identifying the delinquency, or 60 "if
service of process is necessary". The remedies' data says which need it (a court action: the contempt
referral); the worklist's task runs 60 days when every remedy the sweep proposes on a case needs it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from opencse.enforcement.sweep import sweep
from opencse.ledger.accrual import accrue, roll_over
from opencse.rules.remedies import remedies
from opencse.work.models import Task, TaskKind
from tests.ledger.helpers import case_with_order

pytestmark = pytest.mark.django_db


def test_only_the_contempt_referral_needs_service_of_process_in_the_federal_and_mississippi_data() -> None:
    needing = {remedy.key for remedy in remedies(state="MS", as_of=date(2026, 4, 1)) if remedy.service_of_process}

    assert needing == {"contempt_referral"}


def test_a_delinquency_whose_only_new_remedy_is_a_court_action_gets_the_60_day_clock(officer: Any) -> None:
    # $500.00 a month from January 2026, nothing paid.
    case, _ = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 4, 30))
    roll_over(month_ending=date(2026, 1, 31))
    roll_over(month_ending=date(2026, 2, 28))
    sweep(as_of=date(2026, 3, 2))  # $1,000.00 owed, 2 months: the levy, lien, offsets... but not contempt (3 months)
    roll_over(month_ending=date(2026, 3, 31))

    sweep(as_of=date(2026, 4, 1))  # $1,500.00, 3 months: contempt is the only new proposal

    tasks = {task.event_on: task for task in Task.objects.filter(case=case, kind=TaskKind.ENFORCEMENT)}
    # 30 calendar days from 03/02/2026 is 04/01/2026; 60 from 04/01/2026 is 05/31/2026 (April has 30 days),
    # a Sunday, kept as the due date (docs/work.md: a calendar-day deadline on a closed day is not moved).
    assert (tasks[date(2026, 3, 2)].due_on, tasks[date(2026, 3, 2)].clock) == (
        date(2026, 4, 1), "delinquency_identified.take_enforcement_action")  # fmt: skip
    assert (tasks[date(2026, 4, 1)].due_on, tasks[date(2026, 4, 1)].clock) == (
        date(2026, 5, 31), "delinquency_identified.take_enforcement_action_after_service")  # fmt: skip
