"""`--format text`: a rule result as a worksheet an officer can read and attach to a file."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from opencse.rules.commands import RULES, RuleOutput

WIDTH = 100


def render(output: RuleOutput) -> str:
    title = output.title or RULES[output.rule].summary
    lines = [title, "=" * min(len(title), WIDTH), f"Rule: {output.rule}    Parameters as of: {output.as_of}", ""]
    lines += ["RESULT", "------"]
    lines += [f"  {label}: {value}" for label, value in _flatten(output.result)]
    lines += ["", "COMPUTATION", "-----------"]
    for number, line in enumerate(output.explanation, start=1):
        lines.append(f"  {number:>2}. {line.step}: {line.value}")
        if line.reference:
            lines.append(f"      [{line.reference}]")
    if output.notes:
        lines += ["", "NOTES", "-----"] + [f"  - {note}" for note in output.notes]
    lines += ["", "PARAMETERS USED", "---------------"]
    lines += [f"  {use.name} (in force from {use.effective}) [{use.reference}]" for use in output.parameters]
    return "\n".join(lines) + "\n"


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        if not value and prefix:
            yield prefix, "(none)"
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list | tuple):
        if not value:
            yield prefix, "(none)"
        for index, item in enumerate(value, start=1):
            yield from _flatten(item, f"{prefix}[{index}]")
    elif value is None:
        yield prefix, "(none)"
    elif isinstance(value, bool):
        yield prefix, "yes" if value else "no"
    else:
        yield prefix, str(value)
