"""Enforcement batches (docs/enforcement.md), each idempotent, as the system actor:

- `opencse enforcement withhold --as-of DATE [--dry-run]`: an income withholding order to every verified employer
  of an obligor that has none on the case;
- `opencse enforcement sweep --as-of DATE`: find the delinquent cases (45 CFR 303.6(b)) and propose the remedies
  each qualifies for, for an officer with signature authority to approve."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.enforcement.batch import send_due_withholdings
from opencse.enforcement.sweep import sweep
from opencse.errors import DomainError


class Command(BaseCommand):
    help = "Enforcement batches: income withholding orders to verified employers (45 CFR 303.100)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        withhold = actions.add_parser("withhold", help="send the income withholding orders due (idempotent)")
        withhold.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        withhold.add_argument("--dry-run", action="store_true", help="list the orders due without sending them")
        swept = actions.add_parser("sweep", help="propose the remedies delinquent cases qualify for (idempotent)")
        swept.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "sweep":
            self._sweep(options)
            return
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

    def _sweep(self, options: dict[str, Any]) -> None:
        try:
            result = sweep(as_of=options["as_of"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        for remedy, count in sorted(result.by_remedy.items()):
            self.stdout.write(f"  {remedy}: {count}")
        self.stdout.write(
            f"enforcement sweep as of {options['as_of']}: {result.cases_checked} cases checked, "
            f"{result.delinquent} delinquent, {result.proposed} actions proposed"
        )
