"""Summing money in the database, exactly, on PostgreSQL and SQLite alike.

PostgreSQL sums NUMERIC exactly. SQLite stores decimals as REAL and Django does not quantize an
aggregate's result there, so `Sum("amount")` can come back as 3.55E-15 instead of 0.00. `MoneySum`
converts every result to whole cents (ROUND_HALF_UP; the float error is many orders of magnitude
below half a cent for any real ledger), so the ledger never compares a float artifact to zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, Sum

from opencse.rules.money import CENT


def _to_cents(value: Any, expression: Any, connection: Any) -> Decimal | None:
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


class MoneySum(Sum):
    """`Sum` of an amount column, returned as an exact Decimal in cents."""

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=DecimalField(max_digits=17, decimal_places=2), **extra)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return [*super().get_db_converters(connection), _to_cents]
