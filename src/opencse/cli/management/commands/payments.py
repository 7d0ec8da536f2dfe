"""`opencse payments import FILE`: read a NACHA CCD+/DED or CSV payment file and post it."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opencse.cli.arguments import iso_date
from opencse.errors import DomainError
from opencse.ledger.imports import import_payment_file
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = "Import a payment file: post identified payments, hold the rest in suspense, report rejected lines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importer = actions.add_parser("import", help="import one NACHA CCD+ (DED addenda) or CSV payment file")
        importer.add_argument("file", type=Path)
        importer.add_argument(
            "--received-on",
            type=iso_date,
            default=None,
            help="the business day the disbursement unit received the file (default: today, agency time zone)",
        )

    def handle(self, *args: Any, action: str, file: Path, received_on: date | None, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No file {file}")
        started = time.monotonic()
        try:
            result = import_payment_file(
                actor=system_actor(), path=file, received_on=received_on or timezone.localdate()
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'file'}: {exc.message}") from exc
        self.stdout.write(
            f"{file.name}: {result.records} payments ({result.total_amount}), {result.posted} posted, "
            f"{result.suspended} in suspense, {result.duplicates} already posted, {result.notices} employment notices, "
            f"{result.rejected} lines rejected "
            f"in {time.monotonic() - started:.1f} s"
        )
        for rejection in result.rejections.order_by("line_number"):
            self.stdout.write(f"  rejected line {rejection.line_number}: {rejection.reason}")
