"""Writing many new rows fast: PostgreSQL COPY for the batch paths, one prepared INSERT on SQLite,
`bulk_create` elsewhere.

`bulk_create` builds an INSERT with a parameter for every value and prepares each value through the
field (most of a batch's time once the rows are built). COPY streams the rows instead; on SQLite one
INSERT statement is prepared once and run for every row (`executemany`), at about half the cost. The
values are the fields' database values (`get_db_prep_save`), so what is written is what `bulk_create`
would write; constraints and triggers apply as for any INSERT. Only for rows whose primary key the
caller does not need back, whose related rows were saved before they were assigned (the `_id` values
are read as they are).

`ignore_conflicts=True` skips a row that would break a unique constraint (an idempotent batch: a row
already written is left as it is), as `bulk_create(ignore_conflicts=True)` does: `INSERT OR IGNORE` on
SQLite; on PostgreSQL, since COPY cannot skip a row, the rows are copied into a temporary table shaped like
the target and moved with one `INSERT ... SELECT ... ON CONFLICT DO NOTHING` (about a tenth of
`bulk_create`'s time for a batch of tasks: `bulk_create` binds every value as a parameter).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

ROWS_MAXIMUM = 200_000  # one call's rows: a batch path's chunk, never a whole file


def insert_rows(rows: Sequence[Model], *, ignore_conflicts: bool = False) -> None:
    """Insert `rows` (new instances of one model, primary keys left to the database)."""
    if not rows:
        return
    assert len(rows) <= ROWS_MAXIMUM, len(rows)
    model = type(rows[0])
    assert all(type(row) is model for row in rows)
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per value
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = [field.column for field in fields]
    assert all(names), names  # concrete fields always have a column
    columns = ", ".join(connection.ops.quote_name(str(name)) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "sqlite":
        verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
        statement = f"{verb} INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        with connection.cursor() as cursor:
            cursor.executemany(statement, _values(rows, fields, connection))
    elif connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=5_000, ignore_conflicts=ignore_conflicts)
    else:
        _copy(connection, table, columns, _values(rows, fields, connection), ignore_conflicts=ignore_conflicts)


def _copy(
    connection: BaseDatabaseWrapper,
    table: str,
    columns: str,
    values: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool,
) -> None:
    """COPY the rows into `table`; with `ignore_conflicts`, through a temporary table of the same columns, so a
    row breaking a unique constraint is skipped. The driver's own cursor: its errors become Django's
    (IntegrityError ...) as for any query."""
    with connection.wrap_database_errors, connection.cursor() as cursor:
        target = table
        if ignore_conflicts:
            target = connection.ops.quote_name(f"staged_{next(_STAGING)}")
            cursor.execute(f"CREATE TEMPORARY TABLE {target} AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608 - quoted names
        with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in values:  # the driver's C formatter (psycopg[binary]): faster than formatting here
                copy.write_row(row)
        if ignore_conflicts:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} ON CONFLICT DO NOTHING"  # noqa: S608
            )
            cursor.execute(f"DROP TABLE {target}")


_STAGING = itertools.count(1)  # temporary tables' names, unique within the process (and so the connection)


def _values(rows: Sequence[Model], fields: list[Field[Any, Any]], connection: BaseDatabaseWrapper) -> list[list[Any]]:
    """Each row's database values, in the order of `fields`. A field set when saved (`auto_now`) gets its
    value as `save` would give it; a null stays null without the field's preparation."""
    stamped = [bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)) for field in fields]
    plan = [
        (field, field.attname, field.get_db_prep_save, at_save, _stored_as_is(field))
        for field, at_save in zip(fields, stamped, strict=True)
    ]
    return [
        [
            None
            if (value := field.pre_save(row, True) if at_save else getattr(row, attname)) is None
            else value
            if type(value) is as_is
            else prepare(value, connection)
            for field, attname, prepare, at_save, as_is in plan
        ]
        for row in rows
    ]


# Field classes whose preparation returns a value of this exact type unchanged, on SQLite and PostgreSQL alike
# (Django's `to_python` of a str, an int, a bool or a Decimal is the value itself, and neither backend adapts
# a Decimal): such a value skips the per-value preparation, the batch paths' largest cost. Exact classes only:
# a subclass (an encrypted field) always goes through its own preparation.
_AS_IS: dict[type[Field[Any, Any]], type] = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SmallIntegerField: int,
    models.BooleanField: bool,
    models.DecimalField: Decimal,
}


def _stored_as_is(field: Field[Any, Any]) -> type | None:
    """The value type `field` stores unprepared, or None (the field always prepares its value)."""
    if type(field) is models.ForeignKey:
        target = field.target_field
        return int if isinstance(target, models.AutoField | models.BigAutoField) else None
    return _AS_IS.get(type(field))


def insert_values(
    model: type[Model], names: Sequence[str], values: Sequence[Sequence[Any]], *, ignore_conflicts: bool = False
) -> None:
    """Insert rows given as plain tuples of database values for the fields `names` (attribute names, `case_id`
    for a foreign key), in that order: for batches too large to build a model instance per row. The caller
    gives values as the database takes them (dates, Decimals, JSON as text); everything else as `insert_rows`
    (a column not named gets NULL: name every column that is not nullable)."""
    if not values:
        return
    assert len(values) <= ROWS_MAXIMUM, len(values)
    connection = connections[DEFAULT_DB_ALIAS]
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(str(by_name[name].column)) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        _copy(connection, table, columns, values, ignore_conflicts=ignore_conflicts)
        return
    verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
    statement = f"{verb} INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        cursor.executemany(statement, [list(row) for row in values])
