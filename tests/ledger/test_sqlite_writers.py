"""The embedded SQLite default serializes concurrent writers instead of failing (issue #16, finding 12).

In SQLite's default DEFERRED mode, two transactions that read and then write both hold a shared lock
and neither can upgrade: one fails at once with "database is locked" (the busy timeout cannot help a
deadlock), which the web showed as a 500. With `transaction_mode: IMMEDIATE` in the settings, each
transaction takes the write lock at BEGIN and the other waits for it (up to `timeout`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction

WRITERS = 4


ALIAS = "sqlite_writers"


@contextmanager
def _file_database(path: Path) -> Iterator[str]:
    """An alias to a file database with the settings of the default one (test databases are in memory)."""
    configured = {**settings.DATABASES["default"], "NAME": str(path), "TEST": {}}
    connections.settings[ALIAS] = connections.configure_settings({"default": configured, ALIAS: configured})[ALIAS]
    try:
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections.settings[ALIAS]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="the embedded SQLite default"
)
def test_sqlite_transactions_begin_immediate() -> None:
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="the embedded SQLite default"
)
def test_concurrent_read_then_write_transactions_all_succeed_on_a_sqlite_file(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    # A database of its own, outside the test database.
    with django_db_blocker.unblock(), _file_database(tmp_path / "writers.sqlite3") as alias:
        failures, count = _write_concurrently(alias)

    assert failures == []
    assert count == WRITERS


def _write_concurrently(alias: str) -> tuple[list[Any], int]:
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE posting (id INTEGER PRIMARY KEY, amount TEXT)")
    everyone_has_read = threading.Barrier(WRITERS, timeout=1)
    failures: list[Any] = []

    def write() -> None:
        connection = connections[alias]  # one connection per thread
        try:
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM posting")  # what a posting reads first (balances)
                # DEFERRED: all read together, then all try to write. IMMEDIATE: the others wait at BEGIN,
                # so nobody else comes here meanwhile and the barrier breaks after its timeout.
                with suppress(threading.BrokenBarrierError):
                    everyone_has_read.wait()
                cursor.execute("INSERT INTO posting (amount) VALUES ('10.00')")
        except Exception as error:  # the failure is what the test reports
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM posting")
        count = int(cursor.fetchone()[0])
    return failures, count
