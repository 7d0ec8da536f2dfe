"""The business-day calendar (opencse.rules.calendar): 42 U.S.C. 654b(d), 5 U.S.C. 6103, State holiday laws.

Expected dates are read off a printed calendar and the cited holiday statutes, never from the code.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.calendar import add_business_days, calendar_for, is_business_day

JURISDICTIONS = ("WA", "MS")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 6, 30))


def test_new_years_day_2022_on_a_saturday_closes_friday_2021_12_31() -> None:
    # 5 U.S.C. 6103(b); Executive Order 11582: a Saturday holiday is observed the Friday before.
    assert not is_business_day(date(2021, 12, 31), "WA")
    assert not is_business_day(date(2021, 12, 31), "MS")


def test_new_years_day_2027_on_a_friday_is_closed_and_the_thursday_before_is_open() -> None:
    assert not is_business_day(date(2027, 1, 1), "WA")
    assert is_business_day(date(2026, 12, 31), "WA")


def test_a_sunday_holiday_closes_the_monday_after() -> None:
    # Independence Day 2027 is a Sunday; observed Monday 2027-07-05 (5 U.S.C. 6103(b)).
    assert not is_business_day(date(2027, 7, 5), "MS")
    assert is_business_day(date(2027, 7, 6), "MS")


def test_washington_closes_the_day_after_thanksgiving_and_mississippi_does_not() -> None:
    # RCW 1.16.050 (Native American Heritage Day); Miss. Code Ann. § 3-3-7 has no such day.
    assert not is_business_day(date(2026, 11, 27), "WA")
    assert is_business_day(date(2026, 11, 27), "MS")


def test_mississippi_closes_confederate_memorial_day_and_washington_does_not() -> None:
    # Miss. Code Ann. § 3-3-7: last Monday of April (2026-04-27).
    assert not is_business_day(date(2026, 4, 27), "MS")
    assert is_business_day(date(2026, 4, 27), "WA")


def test_columbus_day_closes_washington_offices_because_federal_holidays_count_everywhere() -> None:
    # Not a holiday under RCW 1.16.050, but design/rules-cli.md: business days skip U.S. federal holidays.
    assert not is_business_day(date(2026, 10, 12), "WA")


def test_juneteenth_is_a_holiday_from_2021_and_an_ordinary_day_before() -> None:
    # Juneteenth National Independence Day Act, Pub. L. 117-17 (2021); 2020-06-19 was a Friday.
    assert not is_business_day(date(2026, 6, 19), "WA")
    assert is_business_day(date(2020, 6, 19), "WA")


def test_an_agency_closure_day_is_not_a_business_day() -> None:
    calendar = calendar_for("WA", as_of=date(2026, 12, 1))
    closed = dataclasses.replace(calendar, closures={date(2026, 12, 2): "Governor's closure order (example)"})

    assert calendar.is_business_day(date(2026, 12, 2))
    assert not closed.is_business_day(date(2026, 12, 2))
    assert closed.add_business_days(date(2026, 12, 1), 1) == date(2026, 12, 3)


def test_adding_zero_business_days_returns_the_start() -> None:
    assert add_business_days(date(2026, 12, 26), 0, "WA") == date(2026, 12, 26)


def test_an_unknown_jurisdiction_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        is_business_day(date(2026, 12, 2), "ZZ")

    assert raised.value.field == "jurisdiction"


def test_a_year_outside_the_calendar_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        is_business_day(date(2150, 3, 3), "WA")

    assert raised.value.field == "date"


def test_a_negative_count_of_business_days_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        add_business_days(date(2026, 12, 2), -1, "WA")

    assert raised.value.field == "business_days"


@given(day=days, jurisdiction=st.sampled_from(JURISDICTIONS))
def test_weekends_are_never_business_days(day: date, jurisdiction: str) -> None:
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)

    assert not is_business_day(saturday, jurisdiction)
    assert not is_business_day(saturday + timedelta(days=1), jurisdiction)


@given(start=days, count=st.integers(min_value=1, max_value=40), jurisdiction=st.sampled_from(JURISDICTIONS))
def test_adding_business_days_lands_on_a_business_day_after_exactly_that_many(
    start: date, count: int, jurisdiction: str
) -> None:
    due = add_business_days(start, count, jurisdiction)

    assert is_business_day(due, jurisdiction)
    between = [start + timedelta(days=offset) for offset in range(1, (due - start).days + 1)]
    assert sum(is_business_day(day, jurisdiction) for day in between) == count
