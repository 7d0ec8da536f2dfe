"""Obligation schedules: which charges an order term generates, on which dates, for how much.

A support order states an amount per period (per month, per week, ...) from a start date, often
with later steps (a variable provision: more when a child turns 12, less when one emancipates), and
an end date. `charges_due` turns that into dated charges. The nightly accrual posts each charge once,
keyed by its `period_key`; because the charges of (a, c] are exactly those of (a, b] followed by
those of (b, c], a re-run or a restart posts nothing twice and misses nothing.

Federal law does not say when a periodic amount falls due; the order and State practice decide.
OpenCSE's conventions are dated parameters (`params/us/schedules.yaml`), explained for officers in
docs/rules/schedules.md:

- a charge is due on the first day of the period it pays for (support is paid in advance);
- monthly: on the day of the month of `starts_on`, or the month's last day if it is shorter;
- semimonthly: on the 1st and the 15th; weekly / biweekly: every 7 / 14 days from `starts_on`;
- annual: on the anniversary of `starts_on` (Feb 29 falls on Feb 28 in common years);
- one-time: once, on `starts_on`;
- every due date on or before `ends_on` is charged in full, none after (proration of the last,
  partial period is an option, off by default);
- the step in force on the due date sets the amount.

The conventions in force on the day a term starts govern the whole term: a later change of
convention must not rewrite charges already posted for that term.

`charges_due` returns bare charges because the nightly accrual calls it a million times;
`explain_charges` gives the same charges with the officer's explanation and the parameters used.
The module is a little over 400 lines because the explanation belongs next to the rule it explains.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import ZERO, is_whole_cents, round_cents
from opencse.rules.params import ParameterSet, ParameterValue, parameters

SCHEDULE_PARAMETERS = "us/schedules"
MONTHS_PER_YEAR = 12
# Limits (design/style.md, TigerStyle): passing one is an error, never a silent truncation.
STEPS_MAX = 1_000
CHARGES_PER_CALL_MAX = 20_000  # 384 years of weekly charges

PARTIAL_FULL_AMOUNT = "full_amount"
PARTIAL_PRORATE_BY_DAYS = "prorate_by_days"
PARTIAL_CHOICES = (PARTIAL_FULL_AMOUNT, PARTIAL_PRORATE_BY_DAYS)


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"
    ANNUAL = "annual"
    ONE_TIME = "one_time"


@dataclass(frozen=True, slots=True)
class Step:
    """A variable provision: from `starts_on` the amount per period is `amount`."""

    starts_on: date
    amount: Decimal  # per period of the term's frequency, whole cents, >= 0


@dataclass(frozen=True, slots=True)
class TermSchedule:
    """One order term: its frequency, its dates, and the amount per period from each step on.

    Validated on construction, so an invalid schedule never exists. A step that starts after
    `ends_on` is allowed and has no effect (a scheduled step overtaken by an earlier end).
    """

    frequency: Frequency
    starts_on: date
    ends_on: date | None  # last day the obligation runs (inclusive); None = open-ended
    steps: tuple[Step, ...]  # at least one; the first starts on starts_on; strictly increasing dates

    def __post_init__(self) -> None:
        try:
            frequency = Frequency(self.frequency)
        except ValueError:
            raise InvalidInput(f"must be one of {', '.join(Frequency)}", field="frequency") from None
        object.__setattr__(self, "frequency", frequency)
        object.__setattr__(self, "steps", tuple(self.steps))
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise InvalidInput("must not be before starts_on", field="ends_on")
        _check_steps(self.steps, self.starts_on)


@dataclass(frozen=True, slots=True)
class Charge:
    """One amount due: the period it pays for, its stable key, and its due date."""

    due_on: date
    amount: Decimal
    period_key: str  # "2026-03", "2026-03-a"/"2026-03-b", "2026-03-06", "2026", "once"
    period_start: date
    period_end: date


@dataclass(frozen=True, slots=True)
class Conventions:
    """The schedule conventions in force on one date (params/us/schedules.yaml)."""

    semimonthly_due_days: tuple[int, int]
    partial_last_period: str
    periods_per_year: Mapping[str, Decimal]  # read-only: the object is shared through a cache
    parameters: tuple[ParameterUse, ...]


def _check_steps(steps: tuple[Step, ...], starts_on: date) -> None:
    if not steps:
        raise InvalidInput("must have at least one step", field="steps")
    if len(steps) > STEPS_MAX:
        raise InvalidInput(f"must have at most {STEPS_MAX} steps", field="steps")
    if steps[0].starts_on < starts_on:
        raise InvalidInput("the first step must not start before starts_on", field="steps[0].starts_on")
    if steps[0].starts_on != starts_on:
        raise InvalidInput("the first step must start on starts_on", field="steps[0].starts_on")
    previous: date | None = None
    for index, step in enumerate(steps):
        if previous is not None and step.starts_on <= previous:
            raise InvalidInput("steps must be in strictly increasing date order", field=f"steps[{index}].starts_on")
        previous = step.starts_on
        amount = step.amount
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise InvalidInput("must be a decimal amount", field=f"steps[{index}].amount")
        if amount < ZERO:
            raise InvalidInput("must not be negative", field=f"steps[{index}].amount")
        if not is_whole_cents(amount):
            raise InvalidInput("must be whole cents", field=f"steps[{index}].amount")


def conventions(as_of: date) -> Conventions:
    """The schedule conventions in force on `as_of` (params/us/schedules.yaml).

    Cached by the version date in force, not by `as_of`: a caseload has tens of thousands of
    distinct start dates but the file only a handful of versions.
    """
    change_dates = _change_dates()
    index = bisect_right(change_dates, as_of) - 1
    if index < 0:
        first = change_dates[0].isoformat()
        raise InvalidInput(f"is before the earliest schedule convention (in force from {first})", field="starts_on")
    return _conventions(change_dates[index])


@cache
def _change_dates() -> tuple[date, ...]:
    """Every date on which some schedule convention took effect, oldest first."""
    source = parameters(SCHEDULE_PARAMETERS, date.max).source
    return tuple(sorted({version.effective for versions in source.versions.values() for version in versions}))


@lru_cache(maxsize=256)
def _conventions(as_of: date) -> Conventions:
    return conventions_from(parameters(SCHEDULE_PARAMETERS, as_of))


def conventions_from(values: ParameterSet) -> Conventions:
    """The schedule conventions a set of `us/schedules` parameters states (checked: one code per choice)."""
    used: list[ParameterValue[Any]] = [values[key] for key in sorted(values.keys())]
    # Only one choice is implemented for these; a new choice in the file must come with code.
    assert values["monthly_due_day_in_short_month"].value == "last_day_of_month"
    assert values["annual_due_on_february_29_in_common_year"].value == "february_28"
    assert values["step_change_within_a_period"].value == "amount_in_force_on_due_date"
    first, second = (int(day) for day in values["semimonthly_due_days"].value)
    # Both days must exist in every month, and the first must come first.
    assert 1 <= first < second <= 28, (first, second)
    partial = str(values["partial_last_period"].value)
    assert partial in PARTIAL_CHOICES, partial
    per_year = {str(key): Decimal(value) for key, value in values["periods_per_year"].value.items()}
    assert set(per_year) == {str(f) for f in Frequency if f is not Frequency.ONE_TIME}, per_year
    return Conventions(
        semimonthly_due_days=(first, second),
        partial_last_period=partial,
        periods_per_year=MappingProxyType(per_year),
        parameters=tuple(
            ParameterUse(name=value.name, effective=value.effective, reference=value.reference) for value in used
        ),
    )


def schedule_parameters(schedule: TermSchedule) -> tuple[ParameterUse, ...]:
    """The parameter versions that govern `schedule` (for the accrual's audit trail)."""
    return conventions(schedule.starts_on).parameters


# --- Periods -------------------------------------------------------------------------------------
# Each frequency numbers its periods 0, 1, 2, ... from the term's start. `_Periods` gives the due
# date of period n, the first n due after a date, and the key of a period. All O(1): no day loops.


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _clamped(year: int, month: int, day: int) -> date:
    """`day` of the month, or the month's last day when the month is shorter."""
    if day > 28:
        last = _DAYS_IN_MONTH[month]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    return date(year, month, day)


def _month_of(starts_on: date, months: int) -> tuple[int, int]:
    year, month_index = divmod(starts_on.year * MONTHS_PER_YEAR + starts_on.month - 1 + months, MONTHS_PER_YEAR)
    return year, month_index + 1


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * MONTHS_PER_YEAR + later.month - earlier.month


@dataclass(frozen=True, slots=True)
class _Periods:
    due: Callable[[int], date]  # due date of period n
    first_after: Callable[[date], int]  # first n whose due date is after the date (>= 0)
    key: Callable[[int, date], str]  # key of period n, given its due date


def _monthly(starts_on: date) -> _Periods:
    day = starts_on.day

    def due(n: int) -> date:
        return _clamped(*_month_of(starts_on, n), day)

    def first_after(after: date) -> int:
        n = _months_between(starts_on, after)
        return n + 1 if due(n) <= after else n

    return _Periods(due=due, first_after=first_after, key=lambda n, on: f"{on.year:04d}-{on.month:02d}")


def _semimonthly(starts_on: date, due_days: tuple[int, int]) -> _Periods:
    first_day, second_day = due_days
    # Period 0 is the first due day on or after starts_on.
    offset = 0 if starts_on.day <= first_day else 1 if starts_on.day <= second_day else 2

    def due(n: int) -> date:
        months, half = divmod(n + offset, 2)
        year, month = _month_of(starts_on, months)
        return date(year, month, second_day if half else first_day)

    def first_after(after: date) -> int:
        half_index = 0 if after.day < first_day else 1 if after.day < second_day else 2
        return _months_between(starts_on, after) * 2 + half_index - offset

    def key(n: int, on: date) -> str:
        return f"{on.year:04d}-{on.month:02d}-{'b' if (n + offset) % 2 else 'a'}"

    return _Periods(due=due, first_after=first_after, key=key)


def _every(starts_on: date, days: int) -> _Periods:
    def due(n: int) -> date:
        return starts_on + timedelta(days=days * n)

    def first_after(after: date) -> int:
        return (after - starts_on).days // days + 1

    return _Periods(due=due, first_after=first_after, key=lambda n, on: on.isoformat())


def _annual(starts_on: date) -> _Periods:
    def due(n: int) -> date:
        return _clamped(starts_on.year + n, starts_on.month, starts_on.day)

    def first_after(after: date) -> int:
        n = after.year - starts_on.year
        return n + 1 if due(n) <= after else n

    return _Periods(due=due, first_after=first_after, key=lambda n, on: f"{on.year:04d}")


def _periods(schedule: TermSchedule, rules: Conventions) -> _Periods:
    frequency = schedule.frequency
    if frequency is Frequency.MONTHLY:
        return _monthly(schedule.starts_on)
    if frequency is Frequency.SEMIMONTHLY:
        return _semimonthly(schedule.starts_on, rules.semimonthly_due_days)
    if frequency is Frequency.WEEKLY:
        return _every(schedule.starts_on, 7)
    if frequency is Frequency.BIWEEKLY:
        return _every(schedule.starts_on, 14)
    assert frequency is Frequency.ANNUAL, frequency
    return _annual(schedule.starts_on)


# --- Charges -------------------------------------------------------------------------------------


def charges_due(
    schedule: TermSchedule, *, through: date, after: date | None = None, parameter_set: ParameterSet | None = None
) -> tuple[Charge, ...]:
    """Charges with due_on in (after, through]; pure and deterministic.

    `after=None` means from the start of the term. The charges of (a, c] are exactly the charges
    of (a, b] followed by those of (b, c], which is what makes the nightly accrual re-runnable.
    `parameter_set` replaces the conventions in force on the term's start (us/schedules.yaml), to run
    the rule under another State's choices.
    """
    last_on = through if schedule.ends_on is None or through < schedule.ends_on else schedule.ends_on
    if last_on < schedule.starts_on or (after is not None and after >= last_on):
        return ()
    rules = conventions(schedule.starts_on) if parameter_set is None else conventions_from(parameter_set)
    if schedule.frequency is Frequency.ONE_TIME:
        if after is not None and after >= schedule.starts_on:
            return ()
        amount = schedule.steps[0].amount
        start = schedule.starts_on
        return (Charge(due_on=start, amount=amount, period_key="once", period_start=start, period_end=start),)
    periods = _periods(schedule, rules)
    n = 0 if after is None or after < schedule.starts_on else periods.first_after(after)
    return _charges(schedule, periods, n, last_on, rules.partial_last_period == PARTIAL_PRORATE_BY_DAYS)


def _charges(schedule: TermSchedule, periods: _Periods, n: int, last_on: date, prorate: bool) -> tuple[Charge, ...]:
    """The charges of periods n, n+1, ... due on or before `last_on` (a loop over periods only)."""
    steps = schedule.steps
    step_index = 0
    step_count = len(steps)
    ends_on = schedule.ends_on
    one_day = timedelta(days=1)
    charges: list[Charge] = []
    due_on = periods.due(n)
    while due_on <= last_on:
        if len(charges) >= CHARGES_PER_CALL_MAX:
            raise InvalidInput(f"asks for more than {CHARGES_PER_CALL_MAX} charges at once", field="through")
        next_due_on = periods.due(n + 1)
        period_end = next_due_on - one_day
        while step_index + 1 < step_count and steps[step_index + 1].starts_on <= due_on:
            step_index += 1
        amount = steps[step_index].amount
        if prorate and ends_on is not None and ends_on < period_end:
            amount = _prorated(amount, due_on, ends_on, period_end)
        charges.append(Charge(due_on, amount, periods.key(n, due_on), due_on, period_end))
        n += 1
        due_on = next_due_on
    return tuple(charges)


def _prorated(amount: Decimal, period_start: date, ends_on: date, period_end: date) -> Decimal:
    """The share of `amount` for the days of the period on or before `ends_on` (calendar days)."""
    days_owed = (ends_on - period_start).days + 1
    days_in_period = (period_end - period_start).days + 1
    assert 0 < days_owed < days_in_period, (days_owed, days_in_period)
    # Half-up: the worksheet convention for a cent; the part can never exceed the full amount.
    share = round_cents(amount * days_owed / days_in_period, rounding=ROUND_HALF_UP)
    assert ZERO <= share <= amount, (share, amount)
    return share


def total_due(schedule: TermSchedule, *, start: date, through: date) -> Decimal:
    """The sum of the charges due from `start` through `through`, both days included."""
    if through < start:
        raise InvalidInput("must not be before start", field="through")
    charges = charges_due(schedule, through=through, after=start - timedelta(days=1))
    return sum((charge.amount for charge in charges), ZERO)


def amount_on(schedule: TermSchedule, day: date) -> Decimal:
    """The amount per period in force on `day`: the latest step started on or before it.

    Zero before the term starts and after it ends: no amount is in force then.
    """
    if day < schedule.starts_on or (schedule.ends_on is not None and day > schedule.ends_on):
        return ZERO
    return _step_on(schedule, day).amount


# --- Explanation -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExplainedCharges:
    """The charges of a window with the explanation an officer reads and the parameters used."""

    charges: tuple[Charge, ...]
    total: Decimal
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def explain_charges(
    schedule: TermSchedule, *, through: date, after: date | None = None, parameter_set: ParameterSet | None = None
) -> ExplainedCharges:
    """`charges_due` with its explanation, line by line (docs/rules/schedules.md)."""
    charges = charges_due(schedule, through=through, after=after, parameter_set=parameter_set)
    conventions(schedule.starts_on)  # refuses a start before the earliest convention, on starts_on
    values = parameters(SCHEDULE_PARAMETERS, schedule.starts_on) if parameter_set is None else parameter_set
    lines = Explanation()
    lines.add("Frequency", schedule.frequency)
    lines.add("Term starts on", schedule.starts_on)
    lines.add("Term ends on (inclusive)", schedule.ends_on or "open-ended")
    _explain_due_days(schedule, values, lines)
    lines.take(values["step_change_within_a_period"], "Amount of a charge: the step in force on its due date")
    if schedule.ends_on is not None:
        lines.take(values["partial_last_period"], "Period in which the term ends")
    for charge in charges:
        step = _step_on(schedule, charge.due_on)
        lines.add(
            f"{charge.period_key}: due {charge.due_on.isoformat()}, period {charge.period_start.isoformat()}"
            f" to {charge.period_end.isoformat()}, step of {step.starts_on.isoformat()} ({step.amount:f})",
            charge.amount,
            values["step_change_within_a_period"].reference,
        )
        if charge.amount != step.amount:
            assert schedule.ends_on is not None
            days_owed = (schedule.ends_on - charge.period_start).days + 1
            days_in_period = (charge.period_end - charge.period_start).days + 1
            lines.add(
                f"{charge.period_key}: prorated {step.amount:f} x {days_owed} / {days_in_period} days, half-up",
                charge.amount,
                values["partial_last_period"].reference,
            )
    total = sum((charge.amount for charge in charges), ZERO)
    lines.add(f"Total of {len(charges)} charges due in the window", total)
    return ExplainedCharges(charges=charges, total=total, explanation=lines.done(), parameters=lines.parameters())


def _explain_due_days(schedule: TermSchedule, values: ParameterSet, lines: Explanation) -> None:
    frequency = schedule.frequency
    choice = values["monthly_due_day_in_short_month"].reference
    if frequency is Frequency.MONTHLY:
        lines.add("Due each month on day", schedule.starts_on.day, choice)
        lines.take(values["monthly_due_day_in_short_month"], "In a month too short for that day")
    elif frequency is Frequency.SEMIMONTHLY:
        lines.take(values["semimonthly_due_days"], "Due each month on the days")
    elif frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        every = 7 if frequency is Frequency.WEEKLY else 14
        lines.add(f"Due every {every} days from", schedule.starts_on, choice)
    elif frequency is Frequency.ANNUAL:
        lines.add("Due each year on the anniversary of", schedule.starts_on, choice)
        if (schedule.starts_on.month, schedule.starts_on.day) == (2, 29):
            lines.take(values["annual_due_on_february_29_in_common_year"], "February 29 in a common year")
    else:
        lines.add("Due once, on", schedule.starts_on, choice)


def _step_on(schedule: TermSchedule, day: date) -> Step:
    found = schedule.steps[0]
    for step in schedule.steps:
        if step.starts_on > day:
            break
        found = step
    return found


# --- Conversions ---------------------------------------------------------------------------------


def _per_year(frequency: Frequency, as_of: date) -> Decimal:
    if Frequency(frequency) is Frequency.ONE_TIME:
        raise InvalidInput("a one-time amount has no monthly equivalent", field="frequency")
    return conventions(as_of).periods_per_year[str(frequency)]


def monthly_equivalent(amount: Decimal, frequency: Frequency, *, as_of: date) -> Decimal:
    """The monthly amount of `amount` per `frequency` period: amount x periods a year / 12.

    For display and for guideline and withholding screens, never for accrual (which charges each
    period as ordered). Rounded half-up to the cent once, at the end.
    """
    per_year = _per_year(frequency, as_of)
    return round_cents(amount * per_year / MONTHS_PER_YEAR, rounding=ROUND_HALF_UP)


def per_period_equivalent(monthly: Decimal, frequency: Frequency, *, as_of: date) -> Decimal:
    """The amount per `frequency` period of a monthly amount: monthly x 12 / periods a year."""
    per_year = _per_year(frequency, as_of)
    return round_cents(monthly * MONTHS_PER_YEAR / per_year, rounding=ROUND_HALF_UP)
