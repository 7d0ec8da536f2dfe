"""`opencse ledger accrue --through DATE | rollover --month-ending DATE | interest --month-ending DATE | verify`."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cases.models import Case
from opencse.cli.arguments import iso_date
from opencse.errors import DomainError
from opencse.ledger.accrual import accrue, month_end, roll_over
from opencse.ledger.interest import charge_interest
from opencse.ledger.verify import verify_ledger


class Command(BaseCommand):
    help = "Ledger batches: accrue charges, roll unpaid current support into arrears, verify invariants."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        accrue_parser = actions.add_parser("accrue", help="post every charge due through a date (idempotent)")
        accrue_parser.add_argument("--through", required=True, type=iso_date)
        accrue_parser.add_argument("--case-range", default="", help="FIRST:LAST case numbers, for parallel workers")
        rollover = actions.add_parser("rollover", help="move unpaid current support into arrears at a month end")
        rollover.add_argument("--month-ending", required=True, type=iso_date)
        rollover.add_argument("--case-range", default="")
        interest = actions.add_parser("interest", help="charge a month's interest on arrears (if the state does)")
        interest.add_argument("--month-ending", required=True, type=iso_date)
        interest.add_argument("--case-range", default="")
        actions.add_parser("verify", help="check every ledger invariant over the whole database")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        started = time.monotonic()
        if action == "verify":
            problems = verify_ledger()
            for problem in problems:
                self.stdout.write(f"PROBLEM {problem}")
            self.stdout.write(f"ledger verify: {len(problems)} problem(s) in {time.monotonic() - started:.1f} s")
            if problems:
                raise SystemExit(1)
            return
        case_ids = _case_ids(options["case_range"])
        if action == "accrue":
            result = accrue(through=options["through"], case_ids=case_ids)
            self.stdout.write(
                f"accrued {result.charges} charges on {result.terms} terms through "
                f"{options['through']} in {time.monotonic() - started:.1f} s"
            )
        elif action == "interest":
            self._interest(options["month_ending"], case_ids, started)
        else:
            ending = options["month_ending"]
            if ending != month_end(ending):
                raise CommandError("--month-ending must be the last day of a month")
            moved = roll_over(month_ending=ending, case_ids=case_ids)
            self.stdout.write(f"rolled over {moved} cases at {ending} in {time.monotonic() - started:.1f} s")

    def _interest(self, ending: date, case_ids: list[int] | None, started: float) -> None:
        if ending != month_end(ending):
            raise CommandError("--month-ending must be the last day of a month")
        try:
            run = charge_interest(month_ending=ending, case_ids=case_ids)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None  # every DomainError exits with 2
        if not run.enabled:
            self.stdout.write(f"interest on arrears is off in {run.parameters} ({run.reference}): nothing posted")
            return
        self.stdout.write(
            f"charged interest at {ending}: {run.entries} entries, total {run.total:.2f} on {run.cases} cases "
            f"({run.parameters}) in {time.monotonic() - started:.1f} s"
        )


def _case_ids(case_range: str) -> list[int] | None:
    if not case_range:
        return None
    first, _, last = case_range.partition(":")
    if not first or not last:
        raise CommandError("--case-range is FIRST:LAST (case numbers)")
    return list(Case.objects.filter(number__gte=first, number__lte=last).values_list("pk", flat=True))
