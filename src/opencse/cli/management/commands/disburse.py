"""`opencse disburse --on DATE [--out DIR]`: the nightly disbursement run, and its timeliness report.

Writes the NACHA PPD credit file (`ppd-DATE.ach`), the NACHA CCD+ file with DED addenda to other IV-D
agencies (`ccd-DATE.ach`) and the check register (`checks-DATE.csv`) into
`--out` (default `var/disbursements`), prints what was paid, and the federal timeframe figures.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from opencse.cli.arguments import iso_date
from opencse.ledger.disbursement import run_disbursements
from opencse.ledger.disbursement_selectors import timeliness


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
        summary = run_disbursements(actor=None, run_on=on, full=full)
        if summary.run.nacha_file:
            (folder / f"ppd-{on.isoformat()}.ach").write_text(summary.run.nacha_file, encoding="ascii")
        if summary.run.interstate_file:
            (folder / f"ccd-{on.isoformat()}.ach").write_text(summary.run.interstate_file, encoding="ascii")
        (folder / f"checks-{on.isoformat()}.csv").write_text(summary.run.check_register, encoding="utf-8")
        report = timeliness(start=on, end=on, as_of=on)
        self.stdout.write(
            f"disbursement run {summary.run.pk} on {on}: {summary.payouts} payouts, {summary.total} "
            f"({summary.eft - summary.interstate} direct deposits, {summary.interstate} EFTs to other agencies, "
            f"{summary.checks} checks, {summary.transfers} transfers); "
            f"{summary.undistributable} moved to undistributable; files in {folder}; "
            f"{time.monotonic() - started:.1f} s"
        )
        self.stdout.write(
            f"45 CFR 302.32(b): {report.on_time} of {report.issued} issued on time ({report.percent_on_time}%); "
            f"{report.overdue_unpaid} disbursements past due and unpaid ({report.overdue_unpaid_amount})"
        )
