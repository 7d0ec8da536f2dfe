"""Federal case-processing timeframes: the deadlines an event starts (45 CFR parts 302 and 303).

Each clock is a row of `params/us/timeframes.yaml`: an event that starts it, the action that stops
it, a number of days and the unit the regulation uses (45 CFR 302.32, 302.33(a)(4), 303.2, 303.3,
303.4(d), 303.6(c)(2), 303.7, 303.8(b)(7)(ii), 303.8(e), 303.100(e); 42 U.S.C. 653a(g), 654a(g),
654b(c)). A change in the law is a new dated version of a row, never an `if` here.

How the days are counted is not in the regulations; OpenCSE's conventions are parameters
(`params/us/timeframes_counting.yaml`) and explained in docs/rules/timeframes.md:

- the event day is day 0;
- working days are counted as business days (`opencse.rules.calendar`);
- a calendar-day deadline that falls on a closed day is kept, and `work_by` gives the last business
  day on or before it;
- a cycle in months (the 36-month review, the quarterly locate attempt) ends on the same day of the
  month, or on the month's last day when it has no such day, and is kept on a closed day like a
  calendar-day deadline.

`disbursement_due_on` is the same table read for one collection: when its money must leave the
disbursement unit (45 CFR 302.32(b)). The ledger stores that date on every disbursement row; no other
module keeps a count of days.
"""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.calendar import BusinessCalendar, calendar_for
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.params import ParameterSet, ParameterValue, parameters

TIMEFRAMES_PARAMETERS = "us/timeframes"
COUNTING_PARAMETERS = "us/timeframes_counting"
CALENDAR_DAYS = "calendar_days"
BUSINESS_DAYS = "business_days"
WORKING_DAYS = "working_days"
# A recurring cycle the regulation states in months (303.8(b)(1)'s 36 months, 303.3(b)(5)'s quarterly locate):
# the same day of the month that many months later, or that month's last day when it has no such day.
MONTHS = "months"
UNITS = (CALENDAR_DAYS, BUSINESS_DAYS, WORKING_DAYS, MONTHS)
ON_CLOSED_DAY_CHOICES = ("keep", "next_business_day")


class DisbursementClock(StrEnum):
    """The clocks of 45 CFR 302.32(b) that the ledger dates a disbursement by: each is a row of the table."""

    # Two business days after receipt (302.32(b)(3)(i); 654b(c)(1)); also a current-assistance family's
    # pass-through (302.32(b)(2)(i)).
    RECEIPT = "collection_received.disburse"
    # A current-assistance family's money other than the pass-through: two business days after the end of
    # the month of receipt (302.32(b)(2)(i)).
    MONTH_END = "month_of_receipt_ended.pay_current_assistance_family"
    # A federal tax refund offset: 30 calendar days after its receipt (302.32(b)(2)(iv), (b)(3)(ii)).
    FEDERAL_TAX_OFFSET = "tax_refund_offset_received.pay_family_share"


@dataclass(frozen=True, slots=True)
class Deadline:
    """One federal timeframe: what must be done, by when, counted how, under which paragraph."""

    action: str
    due: date
    calendar: str  # "calendar_days", "business_days" (working days are counted as business days) or "months"
    days: int  # the count in that unit (months for a "months" row)
    work_by: date  # the last business day on or before `due`
    reference: str

    def as_dict(self) -> dict[str, str | int]:
        return {
            "action": self.action,
            "due": self.due.isoformat(),
            "calendar": self.calendar,
            "days": self.days,
            "work_by": self.work_by.isoformat(),
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True)
class Timeframes:
    """The deadlines one event starts, with the explanation and the parameter versions used."""

    event: str
    event_on: date
    jurisdiction: str
    deadlines: tuple[Deadline, ...]
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


@dataclass(frozen=True, slots=True)
class Counting:
    """The counting conventions in force (params/us/timeframes_counting.yaml)."""

    event_day_is_day_zero: bool
    working_days_counted_as: str
    calendar_deadline_on_closed_day: str


def events(*, as_of: date) -> tuple[str, ...]:
    """The events that start at least one federal timeframe, in the order of the table."""
    # ParameterSet is not iterable (its __getitem__ takes names, not positions), hence keys().
    keys = parameters(TIMEFRAMES_PARAMETERS, as_of).keys()
    return tuple(dict.fromkeys(key.split(".", 1)[0] for key in keys))


def timeframes(*, event: str, event_on: date, jurisdiction: str, as_of: date) -> Timeframes:
    """Every federal timeframe `event` starts, due dates counted on `jurisdiction`'s calendar.

    `as_of` selects the parameter versions (day counts, calendar, closures); the command adapter
    passes the event date unless the caller gives another (docs/rules/timeframes.md).
    """
    table = parameters(TIMEFRAMES_PARAMETERS, as_of)
    keys = table.keys()
    rows = [key for key in keys if key.split(".", 1)[0] == event]
    if not rows:
        known = ", ".join(events(as_of=as_of))
        raise InvalidInput(
            f"{event[:40]!r} is not an event that starts a federal timeframe; choose one of: {known}", field="event"
        )
    # Read the clocks first, so that a date before the table's first version is refused as such.
    clocks = {key: table[key] for key in rows}
    lines = Explanation()
    lines.add("Event", f"{event} on {event_on.isoformat()} ({event_on:%A})")
    calendar = calendar_for(jurisdiction, as_of=as_of, lines=lines)
    counting = _counting(as_of, lines)
    calendar.closed_day(event_on)  # refuses a date outside the calendar's years before any count
    deadlines = tuple(_deadline(clock, key, event_on, calendar, counting, lines) for key, clock in clocks.items())
    assert len(deadlines) == len(rows)
    return Timeframes(
        event=event,
        event_on=event_on,
        jurisdiction=jurisdiction,
        deadlines=deadlines,
        explanation=lines.done(),
        parameters=lines.parameters(),
    )


def _counting(as_of: date, lines: Explanation) -> Counting:
    rules = parameters(COUNTING_PARAMETERS, as_of)
    counting = Counting(
        event_day_is_day_zero=bool(lines.take(rules["event_day_is_day_zero"], "The event day is day 0")),
        working_days_counted_as=str(lines.take(rules["working_days_counted_as"], "Working days are counted as")),
        calendar_deadline_on_closed_day=str(
            lines.take(rules["calendar_deadline_on_closed_day"], "A calendar-day deadline on a closed day is")
        ),
    )
    assert counting.working_days_counted_as in (CALENDAR_DAYS, BUSINESS_DAYS), counting
    assert counting.calendar_deadline_on_closed_day in ON_CLOSED_DAY_CHOICES, counting
    return counting


def _deadline(
    row: ParameterValue[Any],
    key: str,
    event_on: date,
    calendar: BusinessCalendar,
    counting: Counting,
    lines: Explanation,
) -> Deadline:
    """One row of the table applied to the event (its citation is the row's reference)."""
    action = key.split(".", 1)[1]
    days, unit = _row(row, key)
    lines.note(row)
    counted_as = _counted_as(unit, counting)
    unit_words = unit.replace("_", " ")
    due = _due(event_on, days, counted_as, calendar, counting)
    if counted_as == BUSINESS_DAYS:
        skipped = calendar.closed_weekdays(event_on + timedelta(days=1), due)
        lines.add(
            f"{action}: {days} {unit_words} after {event_on.isoformat()}",
            f"{due.isoformat()} ({due:%A})",
            row.reference,
        )
        for closed in skipped:
            lines.add(f"  not counted: {closed.reason}", closed.day.isoformat(), closed.reference)
        work_by = due
    else:
        lines.add(
            f"{action}: {days} {unit_words} after {event_on.isoformat()}",
            f"{due.isoformat()} ({due:%A})",
            row.reference,
        )
        work_by = calendar.business_day_on_or_before(due)
        if work_by != due:
            lines.add(
                f"  {due.isoformat()} is closed ({_why_closed(calendar, due)}); last business day before it",
                work_by.isoformat(),
                "OpenCSE choice: docs/rules/timeframes.md#weekends",
            )
    assert calendar.is_business_day(work_by), work_by
    assert work_by <= due, (work_by, due)
    return Deadline(action=action, due=due, calendar=counted_as, days=days, work_by=work_by, reference=row.reference)


def _why_closed(calendar: BusinessCalendar, day: date) -> str:
    closed = calendar.closed_day(day)
    if closed is not None:
        return closed.reason
    return f"{day:%A}"


def _row(row: ParameterValue[Any], key: str) -> tuple[int, str]:
    value = row.value
    assert isinstance(value, dict), (key, value)
    unit = value["unit"]
    days = value["months"] if unit == MONTHS else value["days"]
    assert isinstance(days, int) and not isinstance(days, bool) and days > 0, (key, days)
    assert unit in UNITS, (key, unit)
    return days, str(unit)


def _counted_as(unit: str, counting: Counting) -> str:
    return counting.working_days_counted_as if unit == WORKING_DAYS else unit


def _due(event_on: date, days: int, counted_as: str, calendar: BusinessCalendar, counting: Counting) -> date:
    if counted_as == BUSINESS_DAYS:
        return _business_due(event_on, days, calendar, counting)
    if counted_as == MONTHS:
        return _months_due(event_on, days, calendar, counting)
    return _calendar_due(event_on, days, calendar, counting)


def _months_due(event_on: date, months_count: int, calendar: BusinessCalendar, counting: Counting) -> date:
    """The same day of the month `months_count` months after the event (the month's last day when it has
    no such day: 2026-08-31 + 3 months is 2026-11-30): domain/timeframes.md, counting convention 4."""
    month_index = event_on.year * 12 + event_on.month - 1 + months_count
    year, month = divmod(month_index, 12)
    due = date(year, month + 1, min(event_on.day, months.monthrange(year, month + 1)[1]))
    if counting.calendar_deadline_on_closed_day == "next_business_day":
        return calendar.business_day_on_or_after(due)
    return due


def _business_due(event_on: date, days: int, calendar: BusinessCalendar, counting: Counting) -> date:
    if counting.event_day_is_day_zero or not calendar.is_business_day(event_on):
        return calendar.add_business_days(event_on, days)
    return calendar.add_business_days(event_on, days - 1)


def _calendar_due(event_on: date, days: int, calendar: BusinessCalendar, counting: Counting) -> date:
    due = event_on + timedelta(days=days if counting.event_day_is_day_zero else days - 1)
    if counting.calendar_deadline_on_closed_day == "next_business_day":
        return calendar.business_day_on_or_after(due)
    return due


def table_in_force(*, as_of: date) -> ParameterSet:
    """The timeframe table in force on `as_of` (for the docs and the worklist)."""
    return parameters(TIMEFRAMES_PARAMETERS, as_of)


@lru_cache(maxsize=8192)
def disbursement_due_on(
    *, received_on: date, clock: DisbursementClock, jurisdiction: str, as_of: date | None = None
) -> date:
    """The day by which money received on `received_on` must be paid out (45 CFR 302.32(b); 42 U.S.C.
    654b(c)(1)), counted on `jurisdiction`'s business-day calendar by the `clock` row of the table:

    - RECEIPT: two business days after receipt (302.32(b)(3)(i); for a payment held in suspense the
      caller sends the day it was identified);
    - MONTH_END: two business days after the last day of the month of receipt (302.32(b)(2)(i));
    - FEDERAL_TAX_OFFSET: 30 calendar days after receipt, kept on a closed day (302.32(b)(2)(iv)).

    Like `calendar_for`, no `as_of` reads the latest version of every parameter, which is what the ledger
    asks; `as_of` selects the versions in force on that date. Day counting follows the conventions of
    `timeframes` (us/timeframes_counting.yaml), so both give the same date for the same row.
    """
    when = as_of or date.max
    row = parameters(TIMEFRAMES_PARAMETERS, when)[clock.value]
    days, unit = _row(row, clock.value)
    counting = _counting(when, Explanation())
    event_on = received_on
    if clock is DisbursementClock.MONTH_END:
        event_on = received_on.replace(day=months.monthrange(received_on.year, received_on.month)[1])
    return _due(event_on, days, _counted_as(unit, counting), calendar_for(jurisdiction, as_of=as_of), counting)
