"""The economic table of RCW 26.19.020: which version is in force, and the per-child amount.

The table is data (`params/wa/economic_table_2019.csv`, `params/wa/economic_table_2026.csv`), chosen by
date through the parameter `wa/child_support_schedule.economic_table`. How an income between rows and an
income below the first row are read are dated parameters too (`between_rows`, `below_table_floor`); the
reasons are in docs/rules/guideline-wa.md "Decisions".
"""

from __future__ import annotations

import bisect
from decimal import ROUND_DOWN, Decimal
from functools import cache

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation
from opencse.rules.money import ZERO, round_cents
from opencse.rules.params import ParameterSet, table


def presumptive_ceiling_notice(rules: ParameterSet) -> str:
    ceiling = rules["presumptive_ceiling_combined"].value
    return (
        f"The parents' combined monthly net income is above ${ceiling:,}. The law makes the table amount at "
        f"${ceiling:,} presumptive, and the court may set a higher amount on written findings of fact "
        "(RCW 26.19.065(3))."
    )


def below_table_notice(rules: ParameterSet) -> str:
    floor = rules["table_floor_combined"].value
    return (
        f"The parents' combined monthly net income is below ${floor:,}, the first row of the economic table. "
        "The law gives no table amount below it: support rests on the resources and living expenses of each "
        "household, and the presumptive minimum of $50 per child a month applies unless the paying parent shows "
        "it would be unjust (RCW 26.19.020, RCW 26.19.065(2)(a))."
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


def below_table(*, combined: Decimal, rules: ParameterSet, lines: Explanation) -> bool:
    """Whether the combined income is below the first row, where RCW 26.19.020 gives no table amount."""
    floor = lines.take(rules["table_floor_combined"], "Lowest combined income in the economic table")
    if combined >= floor:
        return False
    rule = lines.take(rules["below_table_floor"], "Below the lowest row, support is")
    assert rule == "presumptive_minimum", rule
    lines.add("Line 5: no table amount (combined income below the lowest row)", ZERO, "RCW 26.19.020")
    return True


def table_amount(*, combined: Decimal, number_of_children: int, rules: ParameterSet, lines: Explanation) -> Decimal:
    """The per-child amount of the economic table (RCW 26.19.020) for a combined monthly net income
    at or above the lowest row (see `below_table`)."""
    ceiling = lines.take(rules["presumptive_ceiling_combined"], "Table presumptive through combined income")
    loaded = rules["table_loaded_through"]
    lines.note(loaded)
    row_income = min(combined, ceiling)
    if row_income > loaded.value:
        raise InvalidInput(
            f"combined net income {combined} is above ${loaded.value:,}, and the rows above ${loaded.value:,} of the "
            "table in force on this date are not loaded",
            field="as_of",
        )
    path = rules["economic_table"]
    lines.note(path)
    between_rows = lines.take(rules["between_rows"], "A combined income between rows takes")
    incomes, amounts = _per_child_table(str(path.value))[number_of_children]
    index = _row(incomes, row_income, between_rows)
    lines.add("Economic table row (combined monthly net income)", incomes[index], path.reference)
    lines.add(f"Per-child amount for a {number_of_children}-child family", amounts[index], path.reference)
    return amounts[index]


def _row(incomes: tuple[Decimal, ...], income: Decimal, between_rows: str) -> int:
    """The index of the row an income takes: the next row up, or the nearest row (half-way goes up)."""
    index = bisect.bisect_left(incomes, income)
    assert index < len(incomes), (income, incomes[-1])
    if incomes[index] == income or index == 0 or between_rows == "next_row_up":
        assert between_rows in {"next_row_up", "nearest_row"}, between_rows
        return index
    assert between_rows == "nearest_row", between_rows
    below, above = incomes[index - 1], incomes[index]
    return index if income - below >= (above - below) / 2 else index - 1
