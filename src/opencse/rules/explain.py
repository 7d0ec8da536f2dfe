"""Explanations: the lines of a computation, each with its value and citation.

Every rule result carries its explanation and the parameter versions it used, so that an officer,
an auditor or a court can follow the arithmetic step by step (design/rules-cli.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from opencse.rules.params import ParameterValue

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Line:
    """One step of a computation: what was done, the value it gave, and the law behind it."""

    step: str
    value: str
    reference: str

    def as_dict(self) -> dict[str, str]:
        return {"step": self.step, "value": self.value, "reference": self.reference}


@dataclass(frozen=True, slots=True)
class ParameterUse:
    """A parameter version a computation used: its name, the date it took effect, its source."""

    name: str
    effective: date
    reference: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "effective": self.effective.isoformat(), "reference": self.reference}


def show(value: object) -> str:
    """The text of a value in an explanation line."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


@dataclass(slots=True)
class Explanation:
    """Collects the lines of a computation and the parameters it took."""

    lines: list[Line] = field(default_factory=list)
    used: dict[tuple[str, date], ParameterUse] = field(default_factory=dict)

    def add(self, step: str, value: object, reference: str = "") -> None:
        self.lines.append(Line(step=step, value=show(value), reference=reference))

    def take(self, parameter: ParameterValue[T], step: str) -> T:
        """Record a parameter's value as a line and as a parameter used; return the value."""
        self.note(parameter)
        self.add(step, parameter.value, parameter.reference)
        return parameter.value

    def note(self, parameter: ParameterValue[Any]) -> None:
        """Record that a parameter version was used, without a line of its own."""
        key = (parameter.name, parameter.effective)
        self.used.setdefault(
            key, ParameterUse(name=parameter.name, effective=parameter.effective, reference=parameter.reference)
        )

    def done(self) -> tuple[Line, ...]:
        return tuple(self.lines)

    def parameters(self) -> tuple[ParameterUse, ...]:
        return tuple(self.used.values())
