"""Benchmark: calls per second of the UIFSA controlling-order rule (sections 205, 207).

Not a test. Run: .venv/bin/python bench/rules_controlling_order.py [seconds-per-measure]
Measures the library function on a spread of order sets (one to six orders, every branch of
section 207), and the whole `opencse rules controlling-order` path (JSON reading, validation,
the rule, the envelope) on the same sets.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from itertools import cycle
from typing import Any

from opencse.rules.commands import execute
from opencse.rules.uifsa import Jurisdiction, Residences, SupportOrder, TribunalKind, determine_controlling_order

AS_OF = date(2026, 11, 23)
STATES = ("WA", "MS", "OR", "TX", "ID", "AZ")


def state(code: str) -> Jurisdiction:
    return Jurisdiction(TribunalKind.STATE, code)


def order_sets() -> list[tuple[list[SupportOrder], Residences, Jurisdiction | None]]:
    sets = []
    for count in range(1, 7):
        for shift in range(len(STATES)):
            orders = [
                SupportOrder(
                    id=f"{STATES[(shift + number) % len(STATES)]}-{number}",
                    issued_by=state(STATES[(shift + number) % len(STATES)]),
                    issued_on=date(2010, 1, 1) + timedelta(days=500 * number),
                )
                for number in range(count)
            ]
            residences = Residences(
                obligor=(state(STATES[shift]),),
                obligee=(state(STATES[(shift + 1) % len(STATES)]),),
                children=(state(STATES[(shift + 1) % len(STATES)]),),
            )
            sets.append((orders, residences, state(STATES[(shift + 2) % len(STATES)])))
    return sets


def payload(orders: list[SupportOrder], residences: Residences, home: Jurisdiction | None) -> dict[str, Any]:
    return {
        "as_of": AS_OF.isoformat(),
        "orders": [
            {"id": order.id, "issuing_state": order.issued_by.code, "issued": order.issued_on.isoformat()}
            for order in orders
        ],
        "residence": {
            "obligor": residences.obligor[0].label,
            "obligee": residences.obligee[0].label,
            "children": [child.label for child in residences.children],
        },
        "child_home_state": home.label if home else None,
        "consents": [],
    }


def measure(label: str, call: Callable[[], object], seconds: float) -> None:
    call()  # warm the parameter caches outside the timing
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
    sets = order_sets()
    library = cycle(sets)
    commands = cycle([payload(*entry) for entry in sets])

    def call_library() -> object:
        orders, residences, home = next(library)
        return determine_controlling_order(
            orders=orders, residences=residences, child_home_state=home, consents=frozenset(), as_of=AS_OF
        )

    def call_command() -> object:
        return execute("controlling-order", next(commands), today=AS_OF)

    measure("determine_controlling_order (library)", call_library, seconds)
    measure("opencse rules controlling-order (execute)", call_command, seconds)


if __name__ == "__main__":
    main()
