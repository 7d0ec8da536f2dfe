"""`opencse rules`: the public command-line contract of the pure rules (design/rules-cli.md).

It needs no database and no Django, so it starts fast and an analyst can script it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.rules.commands import EXIT_BAD_INPUT, EXIT_OK, available, execute

INPUT_SIZE_MAXIMUM = 5_000_000  # bytes: far above any real payload, so a runaway pipe is refused


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # raise instead of exit(2) with usage text
        raise _ArgumentError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="opencse rules", description="Run a pure OpenCSE rule: JSON in, JSON out.")
    parser.add_argument("rule", nargs="?", help="the rule to run (see --list)")
    parser.add_argument("--list", action="store_true", help="list the rules with a one-line description")
    parser.add_argument("--input", default="-", help="JSON input file; standard input when omitted or '-'")
    parser.add_argument("--format", choices=("json", "text"), default="json", help="json (default) or text")
    return parser


def main(argv: Sequence[str] | None = None, *, today: date | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except _ArgumentError as exc:
        return _fail("arguments", str(exc))
    if args.list:
        specs = available()
        width = max((len(spec.name) for spec in specs), default=0)
        for spec in specs:
            sys.stdout.write(f"{spec.name:<{width}}  {spec.summary}\n")
        return EXIT_OK
    if not args.rule:
        return _fail("rule", "name a rule, or use --list")
    payload = _read_payload(args.input)
    if isinstance(payload, _ArgumentError):
        return _fail("input", str(payload))
    code, document, output = execute(args.rule, payload, today=today or date.today())  # noqa: DTZ011  # the user's calendar day is the default as_of
    if code == EXIT_OK and args.format == "text":
        from opencse.rules.worksheet import render

        assert output is not None
        sys.stdout.write(render(output))
    else:
        _write(document)
    return code


def _read_payload(source: str) -> Any:
    try:
        if source == "-":
            text = sys.stdin.read(INPUT_SIZE_MAXIMUM + 1)
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read(INPUT_SIZE_MAXIMUM + 1)
    except (OSError, UnicodeDecodeError) as exc:
        return _ArgumentError(f"cannot read the input: {exc.__class__.__name__}: {exc}")
    if len(text) > INPUT_SIZE_MAXIMUM:
        return _ArgumentError(f"the input is larger than {INPUT_SIZE_MAXIMUM} bytes")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        return _ArgumentError(f"the input is not valid JSON: {str(exc)[:200]}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _fail(field: str, message: str) -> int:
    _write({"errors": [{"field": field, "message": message}]})
    return EXIT_BAD_INPUT


def _write(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, indent=2, default=str) + "\n")
