"""Benchmark: charges per second of the obligation schedule rule, as the nightly accrual calls it.

Not a test. Run: .venv/bin/python bench/rules_schedules.py [obligations]
The accrual asks each obligation for the charges of one month, (2026-10-31, 2026-11-30], over a mix
of frequencies, start dates back to 2010 and terms with a step. The schedules are built before the
timing (the accrual builds them from its rows); a second figure includes building them.
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from opencse.rules.schedules import Frequency, Step, TermSchedule, charges_due, explain_charges

AFTER = date(2026, 10, 31)
THROUGH = date(2026, 11, 30)
MIX = (
    [Frequency.MONTHLY] * 6
    + [Frequency.WEEKLY, Frequency.BIWEEKLY, Frequency.SEMIMONTHLY]
    + [Frequency.ANNUAL, Frequency.ONE_TIME]
)


def schedule(index: int) -> TermSchedule:
    starts_on = date(2010, 1, 1) + timedelta(days=(index * 37) % 6000)
    steps = [Step(starts_on, Decimal(200 + index % 500) + Decimal("0.25"))]
    if index % 3 == 0:
        steps.append(Step(starts_on + timedelta(days=1500), Decimal(300 + index % 400)))
    ends_on = None if index % 4 else starts_on + timedelta(days=9000)
    return TermSchedule(frequency=MIX[index % len(MIX)], starts_on=starts_on, ends_on=ends_on, steps=tuple(steps))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    started = time.perf_counter()
    schedules = [schedule(index) for index in range(count)]
    built = time.perf_counter() - started

    started = time.perf_counter()
    charges = 0
    for term in schedules:
        charges += len(charges_due(term, through=THROUGH, after=AFTER))
    elapsed = time.perf_counter() - started

    print(f"obligations: {count:,}   charges: {charges:,}   for ({AFTER}, {THROUGH}]")
    print(
        f"charges_due: {elapsed:.2f} s  {charges / elapsed:,.0f} charges/second"
        f"  {count / elapsed:,.0f} obligations/second"
    )
    print(f"building the TermSchedules (validation): {built:.2f} s")
    sample = schedules[: max(1, count // 20)]
    started = time.perf_counter()
    for term in sample:
        explain_charges(term, through=THROUGH, after=AFTER)
    explained = time.perf_counter() - started
    print(f"explain_charges (officer screens, not the accrual): {len(sample) / explained:,.0f} obligations/second")
    per_million = (elapsed + built) * 1_000_000 / count
    print(f"projected for 1,000,000 obligations, building included: {per_million:.1f} s")


if __name__ == "__main__":
    main()
