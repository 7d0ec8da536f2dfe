"""`opencse cases close-noticed --as-of DATE`: close every case whose notice of intent to close (45 CFR
303.11(d)) ended on or before DATE without a response that kept it open, as the system actor
(docs/closure.md). Idempotent: a second run with the same date closes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.closure.services import close_cases_after_notice
from opencse.errors import DomainError


class Command(BaseCommand):
    help = "Case batches: close the cases whose 45 CFR 303.11(d) notice period has ended."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        noticed = actions.add_parser("close-noticed", help="close the cases whose 60-day notice ended (idempotent)")
        noticed.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        assert action == "close-noticed", action
        try:
            result = close_cases_after_notice(as_of=options["as_of"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(
            f"cases close-noticed as of {options['as_of']}: {result.closed} closed, "
            f"{result.superseded} notices no longer pending (case closed or reopened otherwise)"
        )
