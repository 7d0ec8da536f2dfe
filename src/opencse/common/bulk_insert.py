"""Writing many new rows fast: PostgreSQL COPY for the batch paths, `bulk_create` elsewhere.

`bulk_create` builds an INSERT with a parameter for every value and prepares each value through the
field (most of a batch's time once the rows are built). COPY streams the rows instead. The values are
the fields' database values (`get_db_prep_save`), so what is written is what `bulk_create` would write;
constraints and triggers apply as for any INSERT. Only for rows whose primary key the caller does not
need back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model

ROWS_MAXIMUM = 200_000  # one call's rows: a batch path's chunk, never a whole file


def insert_rows(rows: Sequence[Model]) -> None:
    """Insert `rows` (new instances of one model, primary keys left to the database)."""
    if not rows:
        return
    assert len(rows) <= ROWS_MAXIMUM, len(rows)
    model = type(rows[0])
    assert all(type(row) is model for row in rows)
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=5_000)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = [field.column for field in fields]
    assert all(names), names  # concrete fields always have a column
    columns = ", ".join(connection.ops.quote_name(str(name)) for name in names)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields])
