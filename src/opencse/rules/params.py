"""Dated parameters: the numbers the law sets, each with the date it took effect and its source.

A parameter file lives at `opencse/rules/params/<name>.yaml` (OpenFisca's format, design/style.md
3.3)::

    description: ...
    reference: 15 U.S.C. 1673(b)(2)
    values:
      supporting_other_family:
        2000-01-01: {value: "50", reference: "15 U.S.C. 1673(b)(2)(A)"}

A quoted decimal string loads as `Decimal`; lists, mappings, booleans and other text load as they
are. A value of `null` means the parameter is no longer in force from that date. Asking for a date
before the first version, or after a `null`, raises `InvalidInput` on the `as_of` field: a rule
never silently takes the oldest value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from opencse.errors import InvalidInput

PARAMS_DIR = Path(__file__).parent / "params"
FEDERAL = "US"  # the jurisdiction of the federal defaults, `params/us/`
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ParameterValue(Generic[T]):
    """One version of one parameter."""

    name: str
    value: T
    effective: date
    reference: str


@dataclass(frozen=True, slots=True)
class Version:
    effective: date
    value: Any
    reference: str


@dataclass(frozen=True, slots=True)
class ParameterFile:
    name: str
    description: str
    reference: str
    documentation: str
    versions: Mapping[str, tuple[Version, ...]]  # key -> versions, oldest first


class ParameterSet:
    """The parameters of one file in force on one date."""

    def __init__(self, source: ParameterFile, as_of: date) -> None:
        self.source = source
        self.as_of = as_of

    @property
    def reference(self) -> str:
        return self.source.reference

    def __getitem__(self, key: str) -> ParameterValue[Any]:
        versions = self.source.versions.get(key)
        if versions is None:
            raise KeyError(f"{self.source.name} has no parameter {key!r}")
        return _in_force(f"{self.source.name}.{key}", versions, self.as_of)

    def __contains__(self, key: object) -> bool:
        return key in self.source.versions

    def keys(self) -> Iterator[str]:
        return iter(self.source.versions)

    def with_value(self, key: str, value: Any, *, reference: str) -> ParameterSet:
        """The same set with `key` set to `value` (as a State that chose differently would have it in its
        file): what a rule is handed to run under another choice, instead of patching its internals."""
        assert key in self.source.versions, (self.source.name, key)
        versions = {**self.source.versions, key: (Version(effective=date.min, value=value, reference=reference),)}
        return ParameterSet(replace(self.source, versions=versions), self.as_of)


def parameters(name: str, as_of: date) -> ParameterSet:
    """The parameters of `params/<name>.yaml` in force on `as_of`."""
    return ParameterSet(_load(name), as_of)


def governing_jurisdiction(topic: str, *, state: str | None, key: str | None = None) -> str:
    """Whose parameters on `topic` govern in `state`: the State ("MS") when it has its own file
    `params/<state>/<topic>.yaml` (and, given `key`, that file sets `key`), else the federal defaults ("US").

    The one place that decides "the State's parameter file, else the federal one"; pure, so the Django side
    passes `settings.OPENCSE_STATE`. A `state` that is None or not letters (never a path) is the federal one.
    """
    if state is None or not state.isalpha() or state.upper() == FEDERAL:
        return FEDERAL
    name = f"{state.lower()}/{topic}"
    if not (PARAMS_DIR / f"{name}.yaml").is_file():
        return FEDERAL
    if key is not None and key not in _load(name).versions:
        return FEDERAL
    return state.upper()


def parameter_file(topic: str, *, jurisdiction: str) -> str:
    """The name (`<jurisdiction>/<topic>`) of `jurisdiction`'s parameter file on `topic`; refused on the
    `jurisdiction` field when it has none."""
    name = f"{jurisdiction.lower()}/{topic}"
    if not jurisdiction.isalpha() or not (PARAMS_DIR / f"{name}.yaml").is_file():
        raise InvalidInput(f"{jurisdiction[:20]!r} has no {topic} parameters", field="jurisdiction")
    return name


def governing_file(topic: str, *, state: str | None) -> str:
    """The name of the parameter file on `topic` that governs in `state` (`governing_jurisdiction`)."""
    return parameter_file(topic, jurisdiction=governing_jurisdiction(topic, state=state))


def first_effective(name: str) -> date:
    """The first date on which every parameter of `params/<name>.yaml` is in force."""
    return max(versions[0].effective for versions in _load(name).versions.values())


def _in_force(name: str, versions: tuple[Version, ...], as_of: date) -> ParameterValue[Any]:
    current = None
    for version in versions:
        if version.effective <= as_of:
            current = version
    if current is None:
        first = versions[0].effective.isoformat()
        raise InvalidInput(f"is before the earliest version of {name} (in force from {first})", field="as_of")
    if current.value is None:
        ended = current.effective.isoformat()
        raise InvalidInput(f"{name} is no longer in force from {ended}", field="as_of")
    return ParameterValue(name=name, value=current.value, effective=current.effective, reference=current.reference)


@cache
def _load(name: str) -> ParameterFile:
    path = PARAMS_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict), path
    reference = str(document.get("reference", ""))
    versions: dict[str, tuple[Version, ...]] = {}
    for key, by_date in document["values"].items():
        assert isinstance(by_date, dict) and by_date, (path, key)
        entries = []
        for effective, entry in sorted(by_date.items()):
            assert isinstance(effective, date), (path, key, effective)
            assert isinstance(entry, dict) and "value" in entry, (path, key, effective)
            entries.append(
                Version(
                    effective=effective,
                    value=_convert(entry["value"]),
                    reference=str(entry.get("reference", reference)),
                )
            )
        versions[str(key)] = tuple(entries)
    return ParameterFile(
        name=name,
        description=str(document.get("description", "")),
        reference=reference,
        documentation=str(document.get("documentation", "")),
        versions=versions,
    )


def _convert(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, list):
        return tuple(_convert(item) for item in value)
    if isinstance(value, dict):
        return {key: _convert(item) for key, item in value.items()}
    return value


@cache
def table(relative_path: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV table under `params/` (lines starting with '#' are comments)."""
    path = PARAMS_DIR / relative_path
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return tuple(csv.DictReader(lines))
