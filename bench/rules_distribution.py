"""Calls per second of the distribution rule and the multi-case split (plain script, no framework).

Run: .venv/bin/python bench/rules_distribution.py [seconds_per_measure]
The ledger calls `distribute` once per case per collection, so a nightly batch of a million
collections needs it well above a few thousand calls per second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from opencse.rules.distribution import (
    ArrearsBucket,
    CaseDue,
    CaseType,
    Collection,
    Debts,
    DistributionSource,
    distribute,
    split_across_cases,
)

AS_OF = date(2026, 11, 23)
DEBTS = Debts(
    case_type=CaseType.FORMER_ASSISTANCE,
    current_support_due=Decimal("350.00"),
    arrears={
        ArrearsBucket.PERMANENTLY_ASSIGNED: Decimal("450.00"),
        ArrearsBucket.CONDITIONALLY_ASSIGNED: Decimal("120.00"),
        ArrearsBucket.NEVER_ASSIGNED: Decimal("200.00"),
    },
    unreimbursed_assistance=Decimal("450.00"),
)
CASES = [
    CaseDue(case_id=f"C{index}", current_support_due=Decimal("215.33"), arrears_due=Decimal(1000 + index))
    for index in range(5)
]


def measure(name: str, call: Callable[[], object], seconds: float) -> None:
    call()  # load the parameter files once, as a long-running ledger process would
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        count += 1
    elapsed = time.perf_counter() - started
    print(f"{name:<45} {count / elapsed:>10,.0f} calls/second ({count} calls)")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    regular = Collection(amount=Decimal("800.00"), source=DistributionSource.REGULAR)
    offset = Collection(amount=Decimal("500.00"), source=DistributionSource.FEDERAL_TAX_OFFSET)
    measure(
        "distribute, former assistance, regular",
        lambda: distribute(collection=regular, debts=DEBTS, as_of=AS_OF),
        seconds,
    )
    measure(
        "distribute, former assistance, tax offset",
        lambda: distribute(collection=offset, debts=DEBTS, as_of=AS_OF),
        seconds,
    )
    measure(
        "split_across_cases, 5 cases",
        lambda: split_across_cases(
            amount=Decimal("1500.00"), source=DistributionSource.REGULAR, cases=CASES, as_of=AS_OF
        ),
        seconds,
    )


if __name__ == "__main__":
    main()
