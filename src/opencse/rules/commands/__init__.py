"""The `opencse rules` entry point: JSON in, JSON out (design/rules-cli.md).

Each rule has a command adapter `opencse.rules.commands.<module>` with a function
`run(payload: Reader, as_of: date) -> RuleOutput` that reads the payload, calls the pure rule and
shapes the result. `execute` is the one entry point shared by the console command, the worked
example tests and the API, so all three see the same envelope.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from opencse.errors import DomainError, InvalidInput, InvalidInputs
from opencse.rules.explain import Line, ParameterUse
from opencse.rules.inputs import Reader

EXIT_OK = 0
EXIT_BAD_INPUT = 2


@dataclass(frozen=True, slots=True)
class RuleOutput:
    """The success envelope of one rule call."""

    rule: str
    as_of: date
    result: Mapping[str, Any]
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]
    title: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "as_of": self.as_of.isoformat(),
            "result": dict(self.result),
            "explanation": [line.as_dict() for line in self.explanation],
            "parameters": [use.as_dict() for use in self.parameters],
        }


@dataclass(frozen=True, slots=True)
class RuleSpec:
    name: str
    module: str
    summary: str


# The public rules, in the order `opencse rules --list` shows them.
CATALOG: tuple[RuleSpec, ...] = (
    RuleSpec(
        "guideline",
        "opencse.rules.commands.guideline",
        "Child support guideline amount (Mississippi percentage model, Washington income shares)",
    ),
    RuleSpec(
        "withholding",
        "opencse.rules.commands.withholding",
        "Income withholding limit (15 U.S.C. 1673(b)) and allocation across orders (45 CFR 303.100)",
    ),
    RuleSpec(
        "distribute",
        "opencse.rules.commands.distribute",
        "Distribution of a collection to current support and arrears buckets (45 CFR 302.51)",
    ),
    RuleSpec(
        "controlling-order",
        "opencse.rules.commands.controlling_order",
        "UIFSA controlling order (section 207) and continuing, exclusive jurisdiction (section 205)",
    ),
    RuleSpec(
        "timeframes",
        "opencse.rules.commands.timeframes",
        "Federal case-processing deadlines an event starts (45 CFR 303), on a business-day calendar",
    ),
)
RULES: dict[str, RuleSpec] = {spec.name: spec for spec in CATALOG}

Runner = Callable[[Reader, date], RuleOutput]


def available() -> tuple[RuleSpec, ...]:
    """The catalogued rules whose command module is installed."""
    return tuple(spec for spec in CATALOG if importlib.util.find_spec(spec.module) is not None)


def runner(rule: str) -> Runner:
    spec = RULES.get(rule)
    if spec is None or spec not in available():
        raise InvalidInput(f"unknown rule {rule[:40]!r}; choose one of: {', '.join(RULES)}", field="rule")
    module = importlib.import_module(spec.module)
    run: Runner = module.run
    return run


def execute(rule: str, payload: object, *, today: date) -> tuple[int, dict[str, Any], RuleOutput | None]:
    """Run one rule on a decoded JSON payload: (exit code, JSON document, output or None)."""
    try:
        run = runner(rule)
        reader = Reader(payload)
        as_of = reader.date("as_of", default=today)
        output = run(reader, as_of)
    except InvalidInputs as exc:
        return EXIT_BAD_INPUT, {"errors": exc.as_list()}, None
    except DomainError as exc:
        return EXIT_BAD_INPUT, {"errors": [exc.as_dict()]}, None
    return EXIT_OK, output.as_json(), output
