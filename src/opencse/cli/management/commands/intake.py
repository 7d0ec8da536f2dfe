"""`opencse intake import FILE --received-on DATE`: read a referral file from the public assistance agency."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from opencse.cli.files import add_file_arguments, import_refusing, received_on_or_today, write_rejected_lines
from opencse.intake.services import import_referral_file
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = "Import a referral file (TANF, Medicaid, IV-E): queue new referrals, report rejected lines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importer = actions.add_parser("import", help="import one referral file (docs/interfaces/referral.md)")
        add_file_arguments(
            importer,
            received_on_help="the day the IV-D agency received the file: 45 CFR 303.2(b) counts from it "
            "(default: today)",
        )

    def handle(self, *args: Any, action: str, file: Path, received_on: date | None, **options: Any) -> None:
        on = received_on_or_today(received_on)
        result = import_refusing(
            file, lambda path: import_referral_file(actor=system_actor(), path=path, received_on=on)
        )
        self.stdout.write(
            f"{file.name}: {result.referrals} referrals, {result.new} new in the intake queue, "
            f"{result.already_received} already received (nothing opened twice), "
            f"{result.rejected_lines} lines rejected"
        )
        if result.same_file_as is not None:
            self.stdout.write(
                f"  this file was imported before, on {timezone.localtime(result.same_file_as.imported_at):%m/%d/%Y}"
            )
        write_rejected_lines(
            self.stdout, result.rejections.order_by("line_number", "pk").values_list("line_number", "reason")
        )
