"""Which legal clock each kind of task runs on, and its due date: always the pure rule
`opencse.rules.timeframes.timeframes` over the dated rows of `rules/params/us/timeframes.yaml`, counted on
the State's business-day calendar (`settings.OPENCSE_STATE`). Nothing here counts days.

A row is named "<event>.<action>" as in the table. The parameters in force on the event's date decide
(the law when the clock started), as `opencse rules timeframes` does by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings

from opencse.cases.models import Program
from opencse.rules.params import first_effective
from opencse.rules.timeframes import TIMEFRAMES_PARAMETERS, timeframes
from opencse.work.models import TaskKind

# 45 CFR 303.2(b): 20 calendar days from the referral (IV-A, IV-E, Medicaid) or the application.
REFERRAL_OPENS_CASE = "referral_received.open_case"
APPLICATION_OPENS_CASE = "application_received.open_case"
REFERRED_PROGRAMS = frozenset({Program.CURRENT_ASSISTANCE, Program.MEDICAID_ONLY, Program.FOSTER_CARE})
CLOCKS: dict[TaskKind, str] = {
    TaskKind.LOCATE: "location_needed.complete_locate",  # 303.3(b)(3): 75 calendar days
    TaskKind.REPEAT_LOCATE: "locate_attempt_failed.repeat_locate",  # 303.3(b)(5): quarterly
    # 303.7(d)(2): a responding State provides locate and processes the case within 75 calendar days.
    TaskKind.INTERSTATE_RESPONSE: "interstate_case_received_from_registry.provide_locate_and_process",
    # 303.100(e); 42 U.S.C. 654a(g)(1)(A)(i): 2 business days from learning of the employer.
    TaskKind.INCOME_WITHHOLDING: "employer_identified.send_income_withholding_notice",
    TaskKind.REVIEW_ORDER: "order_established_or_reviewed.review_order",  # 303.8(b)(1): 36 months
    # 303.6(c)(2): an enforcement action within 30 calendar days of identifying the delinquency.
    TaskKind.ENFORCEMENT: "delinquency_identified.take_enforcement_action",
    # 45 CFR 307.11(c)(3)(ii): money levied from an SSI recipient's account is returned within 5 business days.
    TaskKind.RETURN_SSI_LEVY: "ssi_levy_received.return_to_obligor",
}


@dataclass(frozen=True, slots=True)
class Due:
    """A task's due date and the clock that decided it."""

    clock: str
    event_on: date
    due_on: date
    reference: str
    effective_on: date


def case_opening_clock(program: str) -> str:
    """A referral from another program or an application (both 20 calendar days: 45 CFR 303.2(b))."""
    return REFERRAL_OPENS_CASE if program in REFERRED_PROGRAMS else APPLICATION_OPENS_CASE


def clocks_start() -> date:
    """The first event date the timeframe table covers (2017-01-19): an older event opens no task."""
    return first_effective(TIMEFRAMES_PARAMETERS)


def due(clock: str, event_on: date) -> Due | None:
    """When the action of `clock` is due for an event on `event_on`, on the State's calendar; None for an
    event before the table's first version (no federal timeframe is computed for it: docs/work.md)."""
    if event_on < clocks_start():
        return None
    return _due(clock, event_on, settings.OPENCSE_STATE)


@lru_cache(maxsize=32_768)  # a batch asks for few distinct (clock, date) pairs; the rule explains each
def _due(clock: str, event_on: date, jurisdiction: str) -> Due:
    event, action = clock.split(".", 1)
    result = timeframes(event=event, event_on=event_on, jurisdiction=jurisdiction, as_of=event_on)
    (deadline,) = [deadline for deadline in result.deadlines if deadline.action == action]
    (used,) = [use for use in result.parameters if use.name == f"{TIMEFRAMES_PARAMETERS}.{clock}"]
    assert deadline.due >= event_on, (clock, event_on, deadline)
    return Due(clock=clock, event_on=event_on, due_on=deadline.due, reference=deadline.reference,
               effective_on=used.effective)  # fmt: skip
