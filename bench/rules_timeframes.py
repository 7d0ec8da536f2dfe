"""Benchmark: calls per second of the timeframes rule and of business-day arithmetic.

Not a test. Run: .venv/bin/python bench/rules_timeframes.py [seconds-per-measure]
The worklist recomputes every open clock each night, so both the whole rule (with its explanation)
and the bare calendar arithmetic are measured, each over a spread of events, dates and States.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from itertools import cycle

from opencse.rules.calendar import calendar_for
from opencse.rules.commands import execute
from opencse.rules.timeframes import events, timeframes

AS_OF = date(2026, 11, 23)
DATES = [date(2021, 1, 4) + timedelta(days=offset * 7 + offset % 5) for offset in range(300)]
JURISDICTIONS = ("WA", "MS")


def measure(label: str, call: Callable[[], object], seconds: float) -> None:
    call()  # warm the caches (parameter files, holiday years) outside the timing
    calls = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(100):
            call()
        calls += 100
    elapsed = time.perf_counter() - started
    print(f"{label:<48} {calls / elapsed:>12,.0f} calls/second  ({calls} calls in {elapsed:.2f} s)")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    cases = cycle(
        [(event, day, place) for event in events(as_of=AS_OF) for day in DATES[:20] for place in JURISDICTIONS]
    )
    calendars = {place: calendar_for(place, as_of=AS_OF) for place in JURISDICTIONS}
    starts = cycle([(day, place) for day in DATES for place in JURISDICTIONS])

    def rule() -> object:
        event, day, place = next(cases)
        return timeframes(event=event, event_on=day, jurisdiction=place, as_of=day)

    def envelope() -> object:
        event, day, place = next(cases)
        return execute("timeframes", {"event": event, "date": day.isoformat(), "jurisdiction": place}, today=AS_OF)

    def ten_business_days() -> object:
        day, place = next(starts)
        return calendars[place].add_business_days(day, 10)

    measure("timeframes() rule, with explanation", rule, seconds)
    measure("execute('timeframes', ...) JSON envelope", envelope, seconds)
    measure("add_business_days(start, 10) on a built calendar", ten_business_days, seconds)


if __name__ == "__main__":
    main()
