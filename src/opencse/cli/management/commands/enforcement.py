"""`opencse enforcement withhold --as-of DATE [--dry-run]`: send an income withholding order to every verified
employer of an obligor that has none on the case, as the system actor (docs/enforcement.md). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.enforcement.batch import send_due_withholdings
from opencse.errors import DomainError


class Command(BaseCommand):
    help = "Enforcement batches: income withholding orders to verified employers (45 CFR 303.100)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        withhold = actions.add_parser("withhold", help="send the income withholding orders due (idempotent)")
        withhold.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        withhold.add_argument("--dry-run", action="store_true", help="list the orders due without sending them")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        assert action == "withhold", action
        try:
            result = send_due_withholdings(as_of=options["as_of"], dry_run=options["dry_run"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        for number, employer, reason in result.refused:
            self.stdout.write(f"  {number} {employer}: {reason}")
        self.stdout.write(
            f"enforcement withhold as of {options['as_of']}: {len(result.sent)} orders sent, "
            f"{len(result.refused)} not sent{' (dry run)' if options['dry_run'] else ''}"
        )
