"""`opencse work generate --as-of DATE [--case-range FIRST:LAST]`: open the tasks of the recurring federal
clocks (36-month order reviews, locate attempts) as of a business date, as the system actor (docs/work.md).
Idempotent: a second run with the same data opens nothing."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cases.models import Case
from opencse.cli.arguments import iso_date
from opencse.errors import DomainError
from opencse.security.services import system_actor
from opencse.work.periodic import generate_periodic_tasks


class Command(BaseCommand):
    help = "The worklist's batches: open the tasks of the recurring clocks (review, locate)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="open the periodic tasks running on a date (idempotent)")
        generate.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        generate.add_argument("--case-range", default="", help="FIRST:LAST case numbers, for parallel workers")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        assert action == "generate", action
        started = time.monotonic()
        case_ids = None
        if options["case_range"]:
            first, _, last = options["case_range"].partition(":")
            if not first or not last:
                raise CommandError("--case-range is FIRST:LAST (case numbers)")
            case_ids = list(Case.objects.filter(number__gte=first, number__lte=last).values_list("pk", flat=True))
        try:
            result = generate_periodic_tasks(actor=system_actor(), as_of=options["as_of"], case_ids=case_ids)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(
            f"work generate as of {result.as_of}: {result.total} tasks opened ({result.review_order} order "
            f"reviews, {result.locate} locates, {result.repeat_locate} repeat locates) in "
            f"{time.monotonic() - started:.1f} s"
        )
