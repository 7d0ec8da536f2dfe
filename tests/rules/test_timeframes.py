"""Properties of the federal timeframes rule (45 CFR 303) that must hold for every event and date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.calendar import calendar_for
from opencse.rules.timeframes import BUSINESS_DAYS, CALENDAR_DAYS, events, timeframes

AS_OF = date(2026, 11, 23)
EVENTS = events(as_of=AS_OF)
JURISDICTIONS = ("WA", "MS")
event_days = st.dates(min_value=date(2017, 1, 19), max_value=date(2099, 6, 30))
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
