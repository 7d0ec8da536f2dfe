"""Properties of the federal timeframes rule (45 CFR 303) that must hold for every event and date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.calendar import calendar_for
from opencse.rules.timeframes import (
    BUSINESS_DAYS,
    CALENDAR_DAYS,
    Counting,
    _business_due,
    _calendar_due,
    events,
    timeframes,
)

AS_OF = date(2026, 11, 23)
EVENTS = events(as_of=AS_OF)
JURISDICTIONS = ("WA", "MS")
# The 36-month review cycle (303.8(b)(1)) must end within the calendar's last year (2100).
event_days = st.dates(min_value=date(2017, 1, 19), max_value=date(2097, 6, 30))
CONTRACT_EVENTS = (
    "referral_received",
    "application_received",
    "location_needed",
    "noncustodial_parent_located",
    "employer_identified",
    "collection_received",
    "review_requested",
    "interstate_request_received",
)


def test_every_event_the_contract_names_starts_a_timeframe() -> None:
    assert set(CONTRACT_EVENTS) <= set(EVENTS)


def test_every_deadline_cites_a_regulation_or_statute() -> None:
    for event in EVENTS:
        result = timeframes(event=event, event_on=date(2026, 12, 22), jurisdiction="WA", as_of=AS_OF)

        assert result.deadlines, event
        for deadline in result.deadlines:
            assert deadline.reference.startswith(("45 CFR", "42 U.S.C.")), deadline


def test_an_event_on_a_saturday_is_counted_from_the_next_business_day() -> None:
    # Sat 2027-07-03; Mon Jul 5 is Independence Day observed (5 U.S.C. 6103(b)); Tue Jul 6 is day 1.
    result = timeframes(event="collection_received", event_on=date(2027, 7, 3), jurisdiction="WA", as_of=AS_OF)

    assert [deadline.due for deadline in result.deadlines] == [date(2027, 7, 7)]


def test_an_unknown_event_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        timeframes(event="order_signed", event_on=date(2026, 12, 22), jurisdiction="WA", as_of=AS_OF)

    assert raised.value.field == "event"


@given(event=st.sampled_from(EVENTS), event_on=event_days, jurisdiction=st.sampled_from(JURISDICTIONS))
def test_a_business_day_deadline_always_falls_on_a_business_day(event: str, event_on: date, jurisdiction: str) -> None:
    calendar = calendar_for(jurisdiction, as_of=AS_OF)

    result = timeframes(event=event, event_on=event_on, jurisdiction=jurisdiction, as_of=AS_OF)

    for deadline in result.deadlines:
        if deadline.calendar == BUSINESS_DAYS:
            assert calendar.is_business_day(deadline.due), deadline
        assert calendar.is_business_day(deadline.work_by), deadline
        assert event_on < deadline.due, deadline
        assert deadline.work_by <= deadline.due, deadline


@given(event=st.sampled_from(EVENTS), event_on=event_days, jurisdiction=st.sampled_from(JURISDICTIONS))
def test_a_calendar_day_deadline_is_the_event_day_plus_the_days_never_moved(
    event: str, event_on: date, jurisdiction: str
) -> None:
    result = timeframes(event=event, event_on=event_on, jurisdiction=jurisdiction, as_of=AS_OF)

    for deadline in result.deadlines:
        if deadline.calendar == CALENDAR_DAYS:
            assert deadline.due == event_on + timedelta(days=deadline.days), deadline


@given(
    event=st.sampled_from(EVENTS),
    first=event_days,
    gap_days=st.integers(min_value=0, max_value=60),
    jurisdiction=st.sampled_from(JURISDICTIONS),
)
def test_a_later_event_never_gets_an_earlier_deadline(
    event: str, first: date, gap_days: int, jurisdiction: str
) -> None:
    later = first + timedelta(days=gap_days)

    early = timeframes(event=event, event_on=first, jurisdiction=jurisdiction, as_of=AS_OF)
    late = timeframes(event=event, event_on=later, jurisdiction=jurisdiction, as_of=AS_OF)

    for before, after in zip(early.deadlines, late.deadlines, strict=True):
        assert before.action == after.action
        assert before.due <= after.due, (before, after)
        assert before.work_by <= after.work_by, (before, after)


def test_every_result_carries_its_citations_and_the_parameter_versions_used() -> None:
    result = timeframes(event="new_hire_reported", event_on=date(2026, 11, 24), jurisdiction="WA", as_of=AS_OF)

    steps = {line.reference for line in result.explanation}
    used = {use.name: use.effective for use in result.parameters}
    for deadline in result.deadlines:
        assert deadline.reference in steps
        assert used[f"us/timeframes.new_hire_reported.{deadline.action}"] == date(2017, 1, 19)
    assert "RCW 1.16.050" in steps  # Native American Heritage Day 2026-11-27 was skipped
    assert "wa/agency_closures.closed_days" in used


def test_the_other_counting_conventions_count_the_event_day_and_roll_forward() -> None:
    # Not OpenCSE's choices (docs/rules/timeframes.md), but the parameters allow them.
    calendar = calendar_for("WA", as_of=AS_OF)
    counting = Counting(
        event_day_is_day_zero=False,
        working_days_counted_as=BUSINESS_DAYS,
        calendar_deadline_on_closed_day="next_business_day",
    )

    # Day 1 is Mon 2026-04-20, so day 90 is Sat 2026-07-18, rolled forward to Mon 2026-07-20.
    assert _calendar_due(date(2026, 4, 20), 90, calendar, counting) == date(2026, 7, 20)
    # Tue 2026-12-22 is day 1 of 2 business days; Wed 2026-12-23 is day 2.
    assert _business_due(date(2026, 12, 22), 2, calendar, counting) == date(2026, 12, 23)
    # An event on a Saturday is not day 1: Mon 2026-12-28 and Tue 2026-12-29 are.
    assert _business_due(date(2026, 12, 26), 2, calendar, counting) == date(2026, 12, 29)


@given(first=event_days, gap_days=st.integers(min_value=0, max_value=30), jurisdiction=st.sampled_from(JURISDICTIONS))
def test_a_later_start_never_gives_an_earlier_business_day(first: date, gap_days: int, jurisdiction: str) -> None:
    calendar = calendar_for(jurisdiction, as_of=AS_OF)

    early = calendar.add_business_days(first, 5)
    late = calendar.add_business_days(first + timedelta(days=gap_days), 5)

    assert early <= late
