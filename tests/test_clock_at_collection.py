"""No test reads the clock while it is being collected.

A date computed in a decorator, a default argument or at module level is fixed when pytest collects the
file, and the test runs later: a CI run that crosses the agency's midnight then hands the service a "tomorrow"
that has become today (tests/people/test_address_end.py failed that way on 2026-12-05). Read the clock inside
the test body instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

CLOCK_READS = {"localdate", "today", "now", "localtime"}
TESTS = Path(__file__).parent


def _clock_reads(expression: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(expression)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_READS
    ]


def _read_at_collection(tree: ast.Module) -> list[int]:
    """Line numbers of clock reads evaluated when the module is imported (not inside a function body)."""
    found: list[int] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                for evaluated_now in [*child.decorator_list, *child.args.defaults, *child.args.kw_defaults]:
                    if evaluated_now is not None:
                        found.extend(_clock_reads(evaluated_now))
            elif isinstance(child, ast.Lambda):
                continue
            elif isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                if child.func.attr in CLOCK_READS:
                    found.append(child.lineno)
                visit(child)
            else:
                visit(child)

    visit(tree)
    return found


def test_the_finder_sees_a_clock_read_in_a_decorator() -> None:
    source = "import pytest\n@pytest.mark.parametrize('d', [timezone.localdate()])\ndef test_x(d): pass\n"
    assert _read_at_collection(ast.parse(source)) == [2]


def test_the_finder_ignores_a_clock_read_inside_a_test() -> None:
    assert _read_at_collection(ast.parse("def test_x():\n    return date.today()\n")) == []


def test_no_test_module_reads_the_clock_at_collection() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in _read_at_collection(ast.parse(path.read_text(), filename=str(path)))
    ]
    assert offenders == []
