"""The economic table of RCW 26.19.020: which version is in force, and the per-child amount.

The table is data (`params/wa/economic_table_2019.csv`), chosen by date through the parameter
`wa/child_support_schedule.economic_table`. See docs/rules/guideline-wa.md for the 2026 table question.
"""

from __future__ import annotations

import bisect
from decimal import ROUND_DOWN, Decimal
from functools import cache

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation
from opencse.rules.money import round_cents
from opencse.rules.params import ParameterSet, table

PROVISIONAL_TABLE_NOTICE = (
    "PROVISIONAL: the economic table in force from 2026-01-01 (2025 c 272, EHB 1014) is applied from the rows "
    "$2,200-$12,000 it carries over from the 2019 table, as read in the bill as introduced; the enacted "
    "text was not available. Check the result against the AOC's 2026 schedule (docs/rules/guideline-wa.md)."
)


def presumptive_ceiling_notice(rules: ParameterSet) -> str:
    ceiling = rules["presumptive_ceiling_combined"].value
    return (
        f"Combined net income is above ${ceiling:,}: the table amount at ${ceiling:,} is presumptive and the "
        "court may exceed it on written findings (RCW 26.19.065(3))."
    )


@cache
def _per_child_table(path: str) -> dict[int, tuple[tuple[Decimal, ...], tuple[Decimal, ...]]]:
    """The economic table as {children: (row incomes ascending, per-child amounts)}."""
    columns: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for row in table(path):
        assert row["combined_net_income_from"] == row["combined_net_income_to"], row
        assert row["age_band"] == "all", row
        columns.setdefault(int(row["children"]), []).append(
            (Decimal(row["combined_net_income_to"]), round_cents(Decimal(row["per_child_amount"]), rounding=ROUND_DOWN))
        )
    result = {}
    for children, cells in columns.items():
        cells.sort()
        result[children] = (tuple(income for income, _ in cells), tuple(amount for _, amount in cells))
    return result


def table_amount(*, combined: Decimal, number_of_children: int, rules: ParameterSet, lines: Explanation) -> Decimal:
    """The per-child amount of the economic table (RCW 26.19.020) for a combined monthly net income."""
    floor = lines.take(rules["table_floor_combined"], "Lowest combined income in the economic table")
    ceiling = lines.take(rules["presumptive_ceiling_combined"], "Table presumptive through combined income")
    loaded = rules["table_loaded_through"]
    lines.note(loaded)
    if combined < floor:
        raise InvalidInput(
            f"combined net income {combined} is below ${floor:,}: the economic table gives no amount and support "
            "rests on each household's resources, not less than $50 per child (RCW 26.19.020, 26.19.065(2))",
            field="combined_net_income",
        )
    row_income = min(combined, ceiling)
    if row_income > loaded.value:
        raise InvalidInput(
            f"combined net income {combined} is above ${loaded.value:,}, and the rows above ${loaded.value:,} of the "
            "table in force on this date are not loaded (docs/rules/guideline-wa.md)",
            field="as_of",
        )
    path = rules["economic_table"]
    lines.note(path)
    between_rows = lines.take(rules["between_rows"], "A combined income between rows takes")
    assert between_rows == "next_row_up", between_rows
    incomes, amounts = _per_child_table(str(path.value))[number_of_children]
    index = bisect.bisect_left(incomes, row_income)
    assert index < len(incomes), (row_income, incomes[-1])
    lines.add("Economic table row (combined monthly net income)", incomes[index], path.reference)
    lines.add(f"Per-child amount for a {number_of_children}-child family", amounts[index], path.reference)
    return amounts[index]
