"""Business days: the days on which a State's IV-D offices are open for regular business.

The Social Security Act counts several IV-D clocks in business days and defines a business day as "a
day on which State offices are open for regular business" (42 U.S.C. 654b(d); 666(b)(6)(A)(iii);
653a(g)(3); 654a(g)(2)). A jurisdiction's calendar here closes:

- Saturdays and Sundays;
- the legal public holidays of 5 U.S.C. 6103(a) on their observed dates (a Saturday holiday on the
  Friday before, a Sunday holiday on the Monday after: 5 U.S.C. 6103(b), Executive Order 11582), so
  New Year's Day 2022, a Saturday, closes Friday 2021-12-31;
- the State's own legal holidays (the `holidays` package's subdivision calendar: RCW 1.16.050 for
  Washington, Miss. Code Ann. § 3-3-7 for Mississippi);
- the agency closure days of `params/<state>/agency_closures.yaml`.

Which jurisdictions exist and whether federal holidays close State offices are parameters
(`params/us/holidays.yaml`). The `holidays` package is imported only when a year's holidays are
first needed, and each year is computed once per process, because CLI start-up time matters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation
from opencse.rules.params import parameters

HOLIDAYS_PARAMETERS = "us/holidays"
SATURDAY = 5
FEDERAL_REFERENCE = "5 U.S.C. 6103(a)"
OBSERVED_REFERENCE = "5 U.S.C. 6103(b); Executive Order 11582"
# The holidays package computes any year, but a deadline beyond 2100 is a typing mistake, not a case.
YEAR_FIRST = 2000
YEAR_LAST = 2100
# The longest federal clock is 180 days; a count beyond this is a caller's bug, and it bounds the loop.
BUSINESS_DAYS_MAXIMUM = 1000
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ClosedDay:
    """A weekday on which the offices are closed, with why and under which law."""

    day: date
    reason: str
    reference: str


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """One jurisdiction's business days (42 U.S.C. 654b(d)).

    `closures` are the agency closure days (date -> reference); `federal_holidays_close` says whether
    the 5 U.S.C. 6103 holidays close the State's offices.
    """

    jurisdiction: str
    name: str
    subdivision: str
    state_reference: str
    federal_holidays_close: bool
    closures: Mapping[date, str]

    def closed_day(self, day: date) -> ClosedDay | None:
        """Why offices are closed on a weekday `day`, or None when it is a weekday they are open."""
        _check_year(day)
        if day in self.closures:
            return ClosedDay(day=day, reason="Agency closure", reference=self.closures[day])
        federal = _federal_holidays(day.year).get(day) if self.federal_holidays_close else None
        state = _state_holidays(self.subdivision, day.year).get(day)
        if federal is None and state is None:
            return None
        references = []
        if federal is not None:
            references.append(OBSERVED_REFERENCE if "observed" in federal else FEDERAL_REFERENCE)
        if state is not None:
            references.append(self.state_reference)
        return ClosedDay(day=day, reason=federal or state or "", reference="; ".join(references))

    def is_business_day(self, day: date) -> bool:
        """Whether State offices are open for regular business on `day` (42 U.S.C. 654b(d))."""
        if day.weekday() >= SATURDAY:
            return False
        return self.closed_day(day) is None

    def add_business_days(self, start: date, business_days: int) -> date:
        """The `business_days`-th business day after `start`; `start` itself is day 0, never counted."""
        assert 0 <= business_days <= BUSINESS_DAYS_MAXIMUM, business_days
        day = start
        counted = 0
        while counted < business_days:
            day += ONE_DAY
            if self.is_business_day(day):
                counted += 1
        assert self.is_business_day(day) or business_days == 0, day
        assert day >= start
        return day

    def business_day_on_or_before(self, day: date) -> date:
        """The last business day on or before `day` (a week of closures is the most we expect)."""
        earlier = day
        for _ in range(366):
            if self.is_business_day(earlier):
                return earlier
            earlier -= ONE_DAY
        raise AssertionError(f"no business day in the year before {day}")

    def business_day_on_or_after(self, day: date) -> date:
        """The first business day on or after `day`."""
        later = day
        for _ in range(366):
            if self.is_business_day(later):
                return later
            later += ONE_DAY
        raise AssertionError(f"no business day in the year after {day}")

    def closed_weekdays(self, first: date, last: date) -> tuple[ClosedDay, ...]:
        """The weekdays from `first` to `last` (inclusive) on which offices are closed."""
        closed = []
        day = first
        while day <= last:
            if day.weekday() < SATURDAY:
                reason = self.closed_day(day)
                if reason is not None:
                    closed.append(reason)
            day += ONE_DAY
        return tuple(closed)


def calendar_for(jurisdiction: str, *, as_of: date | None = None, lines: Explanation | None = None) -> BusinessCalendar:
    """The business-day calendar of `jurisdiction` with the parameters in force on `as_of`.

    Without `as_of`, the latest version of every parameter is used (every closure recorded so far),
    which is what a worklist recomputing today's deadlines wants.
    """
    when = as_of or date.max
    holidays = parameters(HOLIDAYS_PARAMETERS, when)
    known = holidays["jurisdictions"]
    entry = known.value.get(jurisdiction)
    if entry is None:
        raise InvalidInput(
            f"{jurisdiction[:20]!r} is not a configured jurisdiction; choose one of: {', '.join(sorted(known.value))}",
            field="jurisdiction",
        )
    federal_close = holidays["federal_holidays_close_state_offices"]
    closures = parameters(f"{jurisdiction.lower()}/agency_closures", when)["closed_days"]
    if lines is not None:
        lines.note(known)
        lines.take(federal_close, "U.S. legal public holidays close State offices")
        lines.take(holidays["federal_calendar"], "Federal holidays counted")
        lines.add(
            "State holidays counted",
            f"{entry['name']} (holidays package, subdivision {entry['subdivision']})",
            str(entry["reference"]),
        )
        lines.note(closures)
        shown = ", ".join(day.isoformat() for day in _closure_days(closures.value)) or "none"
        lines.add(f"{entry['name']} agency closure days", shown, closures.reference)
    return BusinessCalendar(
        jurisdiction=jurisdiction,
        name=str(entry["name"]),
        subdivision=str(entry["subdivision"]),
        state_reference=str(entry["reference"]),
        federal_holidays_close=bool(federal_close.value),
        closures=dict.fromkeys(_closure_days(closures.value), closures.reference),
    )


def is_business_day(day: date, jurisdiction: str, *, as_of: date | None = None) -> bool:
    """Whether `jurisdiction`'s offices are open for regular business on `day` (42 U.S.C. 654b(d))."""
    return calendar_for(jurisdiction, as_of=as_of).is_business_day(day)


def add_business_days(start: date, business_days: int, jurisdiction: str, *, as_of: date | None = None) -> date:
    """The `business_days`-th business day after `start` in `jurisdiction` (`start` is day 0)."""
    if not 0 <= business_days <= BUSINESS_DAYS_MAXIMUM:
        raise InvalidInput(f"must be between 0 and {BUSINESS_DAYS_MAXIMUM}", field="business_days")
    return calendar_for(jurisdiction, as_of=as_of).add_business_days(start, business_days)


def _closure_days(value: Any) -> tuple[date, ...]:
    assert isinstance(value, tuple), value
    assert all(isinstance(day, date) for day in value), value
    return value


def _check_year(day: date) -> None:
    if not YEAR_FIRST <= day.year <= YEAR_LAST:
        raise InvalidInput(f"the business-day calendar covers {YEAR_FIRST} to {YEAR_LAST}", field="date")


@cache
def _federal_holidays(year: int) -> Mapping[date, str]:
    """The 5 U.S.C. 6103(a) holidays of `year` with observed dates (which may fall in `year` for the next)."""
    from holidays.countries.united_states import UnitedStates  # lazy: about 0.1 s of import

    # The holidays package ships no type hints for its constructors.
    return dict(UnitedStates(years=year, observed=True).items())  # type: ignore[no-untyped-call]


@cache
def _state_holidays(subdivision: str, year: int) -> Mapping[date, str]:
    """A State's legal holidays of `year` with its observed dates (the holidays package's subdivision)."""
    from holidays.countries.united_states import UnitedStates

    calendar = UnitedStates(subdiv=subdivision, years=year, observed=True)  # type: ignore[no-untyped-call]  # untyped
    return dict(calendar.items())
