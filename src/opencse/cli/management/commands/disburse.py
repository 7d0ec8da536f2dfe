"""`opencse disburse --on DATE [--out DIR]`: the nightly disbursement run, and its timeliness report.

Writes the NACHA PPD credit file (`ppd-DATE.ach`), the NACHA CCD+ file with DED addenda to other IV-D
agencies (`ccd-DATE.ach`) and the check register (`checks-DATE.csv`) into
`--out` (default `var/disbursements`), prints what was paid, and the federal timeframe figures. A run that a
crash left unfinished on an earlier day is finished first: its files (named after its own day) are written
too, dated this day, when its money really goes out.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.errors import DomainError
from opencse.ledger.disbursement import RunSummary, run_disbursements
from opencse.ledger.disbursement_selectors import timeliness
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = "Pay out everything owed to families, the state and obligors; write the bank file and check register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", required=True, type=iso_date, help="the business day of the run (YYYY-MM-DD)")
        parser.add_argument("--out", default="", help="directory for the bank file and the check register")
        parser.add_argument("--full", action="store_true", help="read every case, not only those with news")

    def handle(self, *args: Any, on: date, out: str, full: bool, **options: Any) -> None:
        started = time.monotonic()
        folder = Path(out) if out else Path(settings.VAR_DIR) / "disbursements"
        folder.mkdir(parents=True, exist_ok=True)
        try:
            summary = run_disbursements(actor=system_actor(), run_on=on, full=full)
        except DomainError as error:  # e.g. an unfinished run dated after `on`: the message says how to finish it
            raise CommandError(error.message) from error
        for earlier in summary.finished_first:
            self._write_files(earlier, folder)
            self.stdout.write(
                f"disbursement run {earlier.run.pk} of {earlier.run.run_on} had not finished (a crash): finished "
                f"now, its files sent on {on}: {self._paid(earlier)}"
            )
        self._write_files(summary, folder)
        report = timeliness(start=on, end=on, as_of=on)
        self.stdout.write(
            f"disbursement run {summary.run.pk} on {on}: {self._paid(summary)}; files in {folder}; "
            f"{time.monotonic() - started:.1f} s"
        )
        self.stdout.write(
            f"45 CFR 302.32(b): {report.on_time} of {report.issued} issued on time ({report.percent_on_time}%); "
            f"{report.overdue_unpaid} disbursements past due and unpaid ({report.overdue_unpaid_amount})"
        )

    @staticmethod
    def _write_files(summary: RunSummary, folder: Path) -> None:
        """The run's files, named after the run's own day (as the API's downloads are)."""
        day = summary.run.run_on.isoformat()
        if summary.run.nacha_file:
            (folder / f"ppd-{day}.ach").write_text(summary.run.nacha_file, encoding="ascii")
        if summary.run.interstate_file:
            (folder / f"ccd-{day}.ach").write_text(summary.run.interstate_file, encoding="ascii")
        (folder / f"checks-{day}.csv").write_text(summary.run.check_register, encoding="utf-8")

    @staticmethod
    def _paid(summary: RunSummary) -> str:
        return (
            f"{summary.payouts} payouts, {summary.total} ({summary.eft - summary.interstate} direct deposits, "
            f"{summary.interstate} EFTs to other agencies, {summary.checks} checks, {summary.transfers} transfers); "
            f"{summary.undistributable} moved to undistributable"
        )
