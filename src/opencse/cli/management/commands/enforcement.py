"""Enforcement batches (docs/enforcement.md), each idempotent, as the system actor:

- `opencse enforcement withhold --as-of DATE [--dry-run]`: an income withholding order to every verified employer
  of an obligor that has none on the case;
- `opencse enforcement sweep --as-of DATE`: find the delinquent cases (45 CFR 303.6(b)) and propose the remedies
  each qualifies for, for an officer with signature authority to approve;
- `opencse enforcement fop --as-of DATE --out DIR`: the Federal Offset case submission file (adds, modifies,
  deletes) of the obligors certified for federal tax refund and administrative offset (45 CFR 303.72);
- `opencse enforcement fop-collections FILE --received-on DATE`: post the offsets of a Collection and
  Adjustment file (`enforcement.offset`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.cli.arguments import iso_date
from opencse.enforcement.batch import send_due_withholdings
from opencse.enforcement.offset import build_submission, import_collections
from opencse.enforcement.sweep import sweep
from opencse.errors import DomainError
from opencse.security.services import system_actor


class Command(BaseCommand):
    help = "Enforcement batches: income withholding orders to verified employers (45 CFR 303.100)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        withhold = actions.add_parser("withhold", help="send the income withholding orders due (idempotent)")
        withhold.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        withhold.add_argument("--dry-run", action="store_true", help="list the orders due without sending them")
        swept = actions.add_parser("sweep", help="propose the remedies delinquent cases qualify for (idempotent)")
        swept.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        offset = actions.add_parser("fop", help="write the Federal Offset case submission file (idempotent)")
        offset.add_argument("--as-of", required=True, type=iso_date, help="the business date (YYYY-MM-DD)")
        offset.add_argument("--out", required=True, type=Path, help="the directory to write the file in")
        back = actions.add_parser("fop-collections", help="post a Federal Offset collection file (idempotent)")
        back.add_argument("file", type=Path, help="the Collection and Adjustment file")
        back.add_argument("--received-on", required=True, type=iso_date, help="the business date it arrived")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "sweep":
            self._sweep(options)
            return
        if action in ("fop", "fop-collections"):
            try:
                self._offset(action, options)
            except DomainError as error:
                raise CommandError(error.message, returncode=2) from None
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

    def _offset(self, action: str, options: dict[str, Any]) -> None:
        if action == "fop":
            result = build_submission(actor=system_actor(), as_of=options["as_of"], out_dir=options["out"])
            for number, reason in result.not_certified:
                self.stdout.write(f"  {number}: not certified: {reason}")
            written = f"written to {result.path}" if result.path else "nothing changed, no file written"
            self.stdout.write(
                f"federal offset submission as of {options['as_of']}: {result.adds} adds, {result.modifies} "
                f"modifies, {result.deletes} deletes; {written}"
            )
            return
        if not options["file"].is_file():
            raise CommandError(f"{options['file']} is not a file", returncode=2)
        done = import_collections(actor=system_actor(), path=options["file"], received_on=options["received_on"])
        for rejection in done.rejections.order_by("line_number"):
            self.stdout.write(f"  line {rejection.line_number}: {rejection.reason}")
        self.stdout.write(
            f"federal offset collections {done.file_name}: {done.records} records, {done.posted} posted, "
            f"{done.suspended} in suspense, {done.duplicates} already imported, {done.notices} adjustments, "
            f"{done.rejected} rejected"
        )
