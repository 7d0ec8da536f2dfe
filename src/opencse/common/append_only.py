"""Append-only tables, enforced by the database itself (not only by the code that writes).

`AppendOnly(table)` is a migration operation that installs a trigger refusing UPDATE and DELETE on
`table`, on PostgreSQL and on SQLite alike, so that even "just fix the row in a shell" fails. A
correction is a new row that points back at the one it corrects.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _forward(table: str) -> Any:
    def install(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for operation in ("UPDATE", "DELETE"):
            name = f"{table}_no_{operation.lower()}"
            if vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN RAISE EXCEPTION '{table} is append-only: {operation} refused'; END $$;"
                )
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();"
                )
            elif vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END;"
                )
            else:
                raise AssertionError(f"append-only triggers are not written for {vendor}")

    return install


def _backward(table: str) -> Any:
    def remove(apps: Any, schema_editor: Any) -> None:
        for operation in ("update", "delete"):
            name = f"{table}_no_{operation}"
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")

    return remove


def AppendOnly(table: str) -> migrations.RunPython:  # reads as a migration operation
    return migrations.RunPython(_forward(table), _backward(table))
