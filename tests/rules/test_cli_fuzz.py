"""Random and malformed JSON into every rule: exit 0 with the success envelope, or exit 2 with the
error envelope naming a field; never anything else (design/rules-cli.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencse.rules.commands import EXIT_BAD_INPUT, EXIT_OK, available, execute

TODAY = date(2026, 11, 23)
RULES = [spec.name for spec in available()]

# The contract's own examples (design/rules-cli.md), mutated below.
EXAMPLES: dict[str, dict[str, Any]] = {
    "withholding": {
        "as_of": "2026-01-01",
        "pay_frequency": "biweekly",
        "disposable_earnings": "1500.00",
        "supporting_other_spouse_or_child": False,
        "arrears_over_12_weeks": True,
        "orders": [
            {"id": "A", "current_support": "300.00", "arrears_payment": "60.00"},
            {"id": "B", "current_support": "200.00", "arrears_payment": "0.00"},
        ],
    },
    "controlling-order": {
        "as_of": "2026-01-01",
        "orders": [
            {"id": "TX-2012", "issuing_state": "TX", "issued": "2012-04-02"},
            {"id": "WA-2019", "issuing_state": "WA", "issued": "2019-06-10"},
        ],
        "residence": {"obligor": "WA", "obligee": "OR", "children": ["OR"]},
        "child_home_state": "OR",
        "consents": [],
    },
    "timeframes": {"event": "referral_received", "date": "2026-12-22", "jurisdiction": "WA"},
    "distribute": {
        "as_of": "2026-01-15",
        "case_type": "former_assistance",
        "collection": {"amount": "500.00", "source": "regular"},
        "current_support_due": "300.00",
        "arrears": {
            "permanently_assigned": "1000.00",
            "temporarily_assigned": "0.00",
            "conditionally_assigned": "0.00",
            "unassigned_during_assistance": "0.00",
            "unassigned_pre_assistance": "0.00",
            "never_assigned": "200.00",
        },
        "unreimbursed_assistance": "5000.00",
        "pass_through": "0.00",
    },
    "guideline": {
        "jurisdiction": "MS",
        "as_of": "2026-01-01",
        "number_of_children": 2,
        "obligor": {
            "gross_income": "5000.00",
            "taxes": "600.00",
            "social_security": "382.50",
            "mandatory_retirement": "0.00",
            "other_child_support_paid": "0.00",
        },
    },
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9),
    st.text(max_size=12),
    st.sampled_from(
        ["", "2026-02-30", "1.005", "-1.00", "1e400", "MS", "WA", "XX", "regular", "weekly", "0", "99999999999999"]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def _check_envelope(code: int, document: dict[str, Any]) -> None:
    if code == EXIT_OK:
        assert set(document) == {"rule", "as_of", "result", "explanation", "parameters"}
        json.dumps(document, default=str)
    else:
        assert code == EXIT_BAD_INPUT
        assert document["errors"]
        assert all(set(error) == {"field", "message"} and error["message"] for error in document["errors"])


def _mutate(value: Any, path: list[Any], replacement: Any) -> Any:
    if not path:
        return replacement
    head, *rest = path
    if isinstance(value, dict) and head in value:
        return {**value, head: _mutate(value[head], rest, replacement)}
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [*value[:head], _mutate(value[head], rest, replacement), *value[head + 1 :]]
    return value


def _paths(value: Any, prefix: list[Any] | None = None) -> list[list[Any]]:
    prefix = prefix or []
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, [*prefix, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, [*prefix, index])
    return found


@pytest.mark.parametrize("rule", RULES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=json_values)
def test_random_json_gets_one_of_the_two_envelopes(rule: str, payload: Any) -> None:
    code, document, _ = execute(rule, payload, today=TODAY)

    _check_envelope(code, document)


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule in EXAMPLES])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), replacement=json_values)
def test_a_valid_example_with_one_field_broken_gets_one_of_the_two_envelopes(
    rule: str, data: Any, replacement: Any
) -> None:
    example = EXAMPLES[rule]
    path = data.draw(st.sampled_from(_paths(example)[1:]))

    code, document, _ = execute(rule, _mutate(example, path, replacement), today=TODAY)

    _check_envelope(code, document)


@pytest.mark.parametrize(
    "text", ["", "{", "[1, 2]", "null", '"text"', "NaN", '{"as_of": "2026-13-01"}', '{"a": ' * 5000 + "1" + "}" * 5000]
)
def test_the_command_answers_malformed_input_with_exit_2_and_no_traceback(text: str) -> None:
    rule = RULES[0] if RULES else "withholding"

    process = subprocess.run(
        [sys.executable, "-m", "opencse.cli.main", "rules", rule],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert process.returncode == EXIT_BAD_INPUT, process.stdout + process.stderr
    assert "Traceback" not in process.stderr
    assert json.loads(process.stdout)["errors"]


def test_every_listed_rule_runs_its_contract_example_through_the_command() -> None:
    for rule in RULES:
        process = subprocess.run(
            [sys.executable, "-m", "opencse.cli.main", "rules", rule],
            input=json.dumps(EXAMPLES[rule]),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert process.returncode == 0, process.stdout + process.stderr
        assert json.loads(process.stdout, parse_float=Decimal)["rule"] == rule
