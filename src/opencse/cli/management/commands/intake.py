"""`opencse intake import FILE --received-on DATE`: read a referral file from the public assistance agency."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opencse.cli.arguments import iso_date
from opencse.errors import DomainError
from opencse.intake.services import import_referral_file
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = "Import a referral file (TANF, Medicaid, IV-E): queue new referrals, report rejected lines."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importer = actions.add_parser("import", help="import one referral file (docs/interfaces/referral.md)")
        importer.add_argument("file", type=Path)
        importer.add_argument(
            "--received-on",
            type=iso_date,
            default=None,
            help="the day the IV-D agency received the file: 45 CFR 303.2(b) counts from it (default: today)",
        )

    def handle(self, *args: Any, action: str, file: Path, received_on: date | None, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No file {file}")
        try:
            result = import_referral_file(
                actor=system_actor(), path=file, received_on=received_on or timezone.localdate()
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'file'}: {exc.message}") from exc
        self.stdout.write(
            f"{file.name}: {result.referrals} referrals, {result.new} new in the intake queue, "
            f"{result.already_received} already received (nothing opened twice), "
            f"{result.rejected_lines} lines rejected"
        )
        if result.same_file_as is not None:
            self.stdout.write(
                f"  this file was imported before, on {timezone.localtime(result.same_file_as.imported_at):%m/%d/%Y}"
            )
        for rejection in result.rejections.order_by("line_number", "pk"):
            self.stdout.write(f"  rejected line {rejection.line_number}: {rejection.reason}")
