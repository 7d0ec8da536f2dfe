"""`opencse locate import FILE --kind KIND --received-on DATE`: read a locate file (NDNH new hires, quarterly
wages, unemployment claims, the FCR's locate responses, or the OpenCSE CSV), post the matched records as
unverified leads, keep the rest in the review queue, and report the rejected lines."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencse.cli.files import add_file_arguments, import_refusing, received_on_or_today, write_rejected_lines
from opencse.interfaces.locate_files import KINDS
from opencse.locate.imports import import_locate_file
from opencse.security.services import system_actor

REPORTED_REJECTIONS_MAXIMUM = 1_000  # the rest are in the exceptions report on the web


class Command(BaseCommand):
    help = "Import a locate file: matched records become unverified leads, the rest wait in the review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importer = actions.add_parser("import", help="import one locate file")
        add_file_arguments(
            importer, received_on_help="the business day the file was received (default: today, agency time zone)"
        )
        importer.add_argument("--kind", required=True, choices=KINDS, help="the file's layout")

    def handle(self, *args: Any, action: str, file: Path, kind: str, received_on: date | None, **options: Any) -> None:
        on = received_on_or_today(received_on)
        started = time.monotonic()
        result = import_refusing(
            file, lambda path: import_locate_file(actor=system_actor(), path=path, kind=kind, received_on=on)
        )
        self.stdout.write(
            f"{file.name}: {result.records} records, {result.new_records} new, {result.matched} matched and posted "
            f"as leads, {result.to_review} to review, {result.duplicates} already received, {result.rejected} lines "
            f"rejected, {result.skipped} control records skipped in {time.monotonic() - started:.1f} s"
        )
        rejected = result.rejections.order_by("line_number").values_list("line_number", "reason")
        write_rejected_lines(self.stdout, rejected[:REPORTED_REJECTIONS_MAXIMUM])
