"""`opencse paternity finalize --as-of DATE`: establish paternity for every voluntary acknowledgment whose
rescission period (42 U.S.C. 666(a)(5)(D)(ii)) ended before DATE, as the system actor (docs/paternity.md).
Idempotent and set-based: a second run with the same date establishes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.errors import DomainError
from opencse.paternity.services import finalize_acknowledgments


class Command(BaseCommand):
    help = "Paternity batches: establish the acknowledgments whose rescission period has ended."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        finalize = actions.add_parser("finalize", help="establish acknowledgments past their rescission period")
        finalize.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        assert action == "finalize", action
        try:
            result = finalize_acknowledgments(as_of=options["as_of"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(
            f"paternity finalize as of {options['as_of']}: {result.established} acknowledgment(s) established paternity"
        )
