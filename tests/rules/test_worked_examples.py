"""Every worked example in tests/rules/cases/*.yaml, run through the `opencse rules` entry point.

A case names the situation, cites the `source` of its expected values, gives the `input` and either
`expect` (result fields compared exactly, as JSON) or `expect_error` (the field at fault).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from opencse.rules.commands import EXIT_BAD_INPUT, EXIT_OK, execute

CASES_DIR = Path(__file__).parent / "cases"
TODAY = date(2026, 11, 23)


def _load_cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for number, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or [], start=1):
            cases.append(pytest.param(case, id=f"{path.stem}-{number}-{case.get('name', '')[:60]}"))
    return cases


def _as_json(value: Any) -> Any:
    """The input as the CLI would see it: dates as ISO strings, numbers as Decimal."""
    return json.loads(json.dumps(value, default=str), parse_float=Decimal)


@pytest.mark.parametrize("case", _load_cases())
def test_worked_example(case: dict[str, Any]) -> None:
    assert case.get("source"), f"case {case.get('name')!r} cites no source"
    assert "expect" in case or "expect_error" in case, "a case needs expect or expect_error"

    code, document, _ = execute(case["rule"], _as_json(case["input"]), today=TODAY)

    if "expect_error" in case:
        assert code == EXIT_BAD_INPUT, document
        fields = [error["field"] for error in document["errors"]]
        assert case["expect_error"]["field"] in fields, document
        return
    assert code == EXIT_OK, document
    result = json.loads(json.dumps(document["result"], default=str))
    for key, expected in case["expect"].items():
        assert key in result, f"result lacks {key}"
        assert result[key] == _as_json_plain(expected), f"{key}: {result[key]!r} != {expected!r}"


def _as_json_plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
