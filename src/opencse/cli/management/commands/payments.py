"""`opencse payments import FILE`: read a NACHA CCD+/DED or CSV payment file and post it."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencse.cli.files import add_file_arguments, import_refusing, received_on_or_today, write_rejected_lines
from opencse.ledger.imports import import_payment_file
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = "Import a payment file: post identified payments, hold the rest in suspense, report rejected lines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importer = actions.add_parser("import", help="import one NACHA CCD+ (DED addenda) or CSV payment file")
        add_file_arguments(
            importer,
            received_on_help="the business day the disbursement unit received the file "
            "(default: today, agency time zone)",
        )

    def handle(self, *args: Any, action: str, file: Path, received_on: date | None, **options: Any) -> None:
        on = received_on_or_today(received_on)
        started = time.monotonic()
        result = import_refusing(
            file, lambda path: import_payment_file(actor=system_actor(), path=path, received_on=on)
        )
        self.stdout.write(
            f"{file.name}: {result.records} payments ({result.total_amount}), {result.posted} posted, "
            f"{result.suspended} in suspense, {result.duplicates} already posted, {result.notices} employment notices, "
            f"{result.rejected} lines rejected "
            f"in {time.monotonic() - started:.1f} s"
        )
        write_rejected_lines(
            self.stdout, result.rejections.order_by("line_number").values_list("line_number", "reason")
        )
