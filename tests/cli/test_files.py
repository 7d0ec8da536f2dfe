"""The file-import commands' shared pieces (`opencse.cli.files`): what `intake import`, `locate import`,
`payments import`, `enforcement fop-collections` and `enforcement eiwo-ack` say and how they exit."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management.base import CommandError, CommandParser, OutputWrapper

from opencse.cli.files import add_file_arguments, import_refusing, write_rejected_lines
from opencse.errors import InvalidInput


def _parser(*, required: bool) -> CommandParser:
    parser = CommandParser(called_from_command_line=False)
    add_file_arguments(parser, received_on_help="when", received_on_required=required)
    return parser


def test_the_file_and_its_received_date_are_read_from_the_command_line() -> None:
    options = _parser(required=False).parse_args(["in.txt", "--received-on", "2026-03-02"])

    assert (options.file, options.received_on) == (Path("in.txt"), date(2026, 3, 2))
    assert _parser(required=False).parse_args(["in.txt"]).received_on is None


def test_a_received_date_not_written_yyyy_mm_dd_is_refused_by_name() -> None:
    with pytest.raises(CommandError, match="'03/02/2026' is not a date written YYYY-MM-DD"):
        _parser(required=False).parse_args(["in.txt", "--received-on", "03/02/2026"])


def test_a_command_that_needs_the_received_date_refuses_to_run_without_it() -> None:
    with pytest.raises(CommandError, match="--received-on"):
        _parser(required=True).parse_args(["in.txt"])


def test_a_missing_file_is_refused_before_the_import_runs(tmp_path: Path) -> None:
    ran: list[Path] = []

    with pytest.raises(CommandError, match=f"No file {tmp_path / 'none.txt'}") as refused:
        import_refusing(tmp_path / "none.txt", ran.append, returncode=2)

    assert refused.value.returncode == 2 and ran == []


def test_a_refused_import_exits_with_the_field_and_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("x\n")

    def refuse(_: Path) -> None:
        raise InvalidInput("has more than 2,000,000 lines: split the file", field="file")

    with pytest.raises(CommandError, match=r"^file: has more than 2,000,000 lines: split the file$") as refused:
        import_refusing(path, refuse)

    assert refused.value.returncode == 1
    assert import_refusing(path, lambda given: given.read_text()) == "x\n"


def test_each_rejected_line_is_printed_with_its_number_and_reason() -> None:
    out = StringIO()

    write_rejected_lines(OutputWrapper(out), [(2, "the SSN is missing"), (5, "not a date")])
    write_rejected_lines(OutputWrapper(out), [(7, "unknown record type 'XYZ'")], label="line")

    assert out.getvalue().splitlines() == [
        "  rejected line 2: the SSN is missing",
        "  rejected line 5: not a date",
        "  line 7: unknown record type 'XYZ'",
    ]


def test_no_rejected_line_prints_nothing() -> None:
    out = StringIO()

    write_rejected_lines(OutputWrapper(out), [])

    assert out.getvalue() == ""
