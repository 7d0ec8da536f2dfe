"""Benchmark: allocations per second of `opencse.rules.withholding.allocate_withholding` on one core.

Run: .venv/bin/python bench/rules_withholding.py [seconds]
Not a test. Target: at least 50,000 allocations per second for a typical call (two orders).
Parameter lookups and the explanation lines that depend on no amount are cached per date, and the
amount lines are formatted only when `explanation` is read, so after the first call the cost is the
Decimal arithmetic, the proration and the assertions. The fourth figure reads the explanation too.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from opencse.rules.withholding import Order, Withholding, allocate_withholding

AS_OF = date(2026, 3, 6)
TWO_ORDERS = (
    Order(id="A", current_support=Decimal("400.00"), arrears_payment=Decimal("200.00")),
    Order(id="B", current_support=Decimal("300.00"), arrears_payment=Decimal("100.00")),
)
FIVE_ORDERS = tuple(
    Order(id=f"O{index}", current_support=Decimal("211.11") * index, arrears_payment=Decimal("33.33"))
    for index in range(1, 6)
)


def two_orders_arrears_prorated() -> Withholding:
    return allocate_withholding(
        disposable_earnings=Decimal("1500.00"),
        supporting_other_spouse_or_child=False,
        arrears_over_12_weeks=False,
        orders=TWO_ORDERS,
        as_of=AS_OF,
        pay_frequency="biweekly",
    )


def one_order_under_the_cap() -> Withholding:
    return allocate_withholding(
        disposable_earnings=Decimal("1597.00"),
        supporting_other_spouse_or_child=False,
        arrears_over_12_weeks=True,
        orders=TWO_ORDERS[:1],
        as_of=AS_OF,
        pay_frequency="biweekly",
    )


def five_orders_current_prorated() -> Withholding:
    return allocate_withholding(
        disposable_earnings=Decimal("2000.00"),
        supporting_other_spouse_or_child=True,
        arrears_over_12_weeks=True,
        orders=FIVE_ORDERS,
        as_of=AS_OF,
        pay_frequency="weekly",
    )


def two_orders_with_the_explanation_read() -> object:
    # What the CLI and the worksheet pay: the explanation lines are formatted when read.
    return two_orders_arrears_prorated().explanation


def measure(function: Callable[[], object], seconds: float) -> float:
    """Best rate over short rounds, in calls per CPU second of this process (`process_time`).

    The machine is shared, so wall-clock rates depend on what else runs; CPU time and the best
    round are the least disturbed measures of the library's own cost.
    """
    function()  # warm the parameter cache
    best = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.process_time()
        for _ in range(2000):
            function()
        best = max(best, 2000 / (time.process_time() - started))
    return best


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    for function in (
        one_order_under_the_cap,
        two_orders_arrears_prorated,
        two_orders_with_the_explanation_read,
        five_orders_current_prorated,
    ):
        print(f"{function.__name__:<38} {measure(function, seconds):>10,.0f} calls per CPU second (best round)")


if __name__ == "__main__":
    main()
