"""What the file-import commands share (`intake import`, `locate import`, `payments import`, `enforcement
fop-collections`, `enforcement eiwo-ack`): the FILE and `--received-on DATE` arguments, the business date that
defaults to today, the check that the file exists, a service's refusal as a command error, and the rejected
lines printed one a line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.core.management.base import CommandError, CommandParser, OutputWrapper
from django.utils import timezone

from opencse.cli.arguments import iso_date
from opencse.errors import DomainError

__all__ = ["add_file_arguments", "existing_file", "import_refusing", "received_on_or_today", "write_rejected_lines"]

Result = TypeVar("Result")


def add_file_arguments(
    parser: CommandParser, *, received_on_help: str, received_on_required: bool = False, file_help: str | None = None
) -> None:
    """The positional FILE and `--received-on DATE` (YYYY-MM-DD; None when optional and not given)."""
    parser.add_argument("file", type=Path, help=file_help)
    parser.add_argument(
        "--received-on", type=iso_date, required=received_on_required, default=None, help=received_on_help
    )


def received_on_or_today(received_on: date | None) -> date:
    """The date given, or today in the agency's time zone."""
    return received_on or timezone.localdate()


def existing_file(path: Path, *, returncode: int = 1) -> Path:
    """`path`, refused with a command error when it is not a file."""
    if not path.is_file():
        raise CommandError(f"No file {path}", returncode=returncode)
    return path


def import_refusing(path: Path, run: Callable[[Path], Result], *, returncode: int = 1) -> Result:
    """`run(path)` on an existing file; a refusal of the service becomes a command error naming its field."""
    existing_file(path, returncode=returncode)
    try:
        return run(path)
    except DomainError as exc:
        raise CommandError(f"{exc.field or 'file'}: {exc.message}", returncode=returncode) from exc


def write_rejected_lines(
    stdout: OutputWrapper, rejected: Iterable[tuple[int, str]], *, label: str = "rejected line"
) -> None:
    """One indented line per rejected line of the file: `  <label> <number>: <reason>`."""
    for line_number, reason in rejected:
        stdout.write(f"  {label} {line_number}: {reason}")
