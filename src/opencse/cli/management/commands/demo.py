"""`opencse demo --cases N --seed S`: migrate the database, generate the synthetic demo caseload, then print
a short summary and one login per role. A progress bar shows on a terminal; the batches' own log lines
(one per month rolled over) are held back unless `--verbosity 2`. Only into the embedded SQLite database,
unless told otherwise. The system checks are left to `opencse serve`, which runs next in `make demo`:
they import every view, a second of a newcomer's wait."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from opencse.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    build_demo_caseload,
    demo_present,
    demo_summary,
    uses_embedded_database,
)

CASES_MAXIMUM = 1_000_000
ALLOW_FLAG = "--i-know-this-is-not-production"
ALLOW_ENV = "OPENCSE_ALLOW_DEMO_DATA"


class Command(BaseCommand):
    help = "Migrate, generate a synthetic demo caseload (deterministic by seed) and print one login per role."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=2000, help="number of cases (default 2000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same caseload")
        parser.add_argument(
            ALLOW_FLAG,
            action="store_true",
            dest="allow_other_database",
            help=f"write the demo data into a database other than the embedded SQLite file (or {ALLOW_ENV}=1)",
        )

    def handle(self, *args: Any, cases: int, seed: int, allow_other_database: bool, **options: Any) -> None:
        if not 1 <= cases <= CASES_MAXIMUM:
            self.stderr.write(f"--cases must be between 1 and {CASES_MAXIMUM}")
            raise SystemExit(2)
        database = connection.settings_dict
        if not (uses_embedded_database(database) or allow_other_database or os.environ.get(ALLOW_ENV) == "1"):
            raise CommandError(_refusal(database), returncode=2)
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0), stdout=self.stdout)
        if demo_present():
            self.stdout.write(f"The demo caseload is already present: kept as it is, nothing generated ({_counts()}).")
            self.stdout.write(f"To start afresh, delete {database['NAME']} and run this again.")
        else:
            with _batch_logs_held_back(options["verbosity"] < 2), _progress_bar() as progress:
                build_demo_caseload(cases=cases, seed=seed, progress=progress)
            self.stdout.write(f"Generated the demo caseload in {time.monotonic() - started:.1f} s (seed {seed}): "
                              f"{_counts()}.")  # fmt: skip
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, first_name, last_name in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {first_name} {last_name} ({role.label})")


def _counts() -> str:
    return ", ".join(f"{count:,} {name}" for name, count in demo_summary().items())


def _refusal(database: dict[str, Any]) -> str:
    where = f"{connection.vendor} database {database.get('NAME')!s}"
    if database.get("HOST"):
        where += f" on {database['HOST']}"
    return (
        f"Refusing to write demo data into the {where}: it is not the embedded SQLite file the demo uses. "
        "The demo invents people, cases and payments, which must never mix with real records. If this "
        f"database is a scratch one, run again with {ALLOW_FLAG} (or {ALLOW_ENV}=1)."
    )


@contextmanager
def _batch_logs_held_back(held: bool) -> Iterator[None]:
    """The ledger batches log a line per month end they reclassify, useful from `opencse ledger rollover`
    but thousands of lines for a demo's ten years: held back to warnings while the demo is written."""
    logger = logging.getLogger("opencse")
    level = logger.level
    if held:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _progress_bar() -> Iterator[Any]:
    """A rich progress bar on standard error when it is a terminal (nothing otherwise): one line per step."""
    console = Console(stderr=True)
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False, disable=not console.is_terminal) as bar:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        yield report
