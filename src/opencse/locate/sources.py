"""The locate sources, read from `sources.yaml` (data: an agency edits the file, not the code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
SCOPES = frozenset({"local", "federal"})
RELIABILITIES = frozenset({"high", "medium", "low"})
VERIFICATIONS = frozenset({"employer", "postal", "ssn", "none"})
# Which source an imported record comes from: the federal files from the FPLS (the FCR's responses from the
# FCR); the CSV, the State's own agencies (`opencse locate import --kind`).
FEDERAL_SOURCE_OF_KIND = {
    "new-hire": "fpls_new_hire",
    "quarterly-wage": "fpls_quarterly_wage",
    "unemployment": "fpls_unemployment",
}
STATE_SOURCE_OF_KIND = {
    "new-hire": "state_new_hire",
    "quarterly-wage": "state_wage",
    "unemployment": "state_unemployment",
}


def source_of_record(*, file_kind: str, record_kind: str) -> str:
    """The source key of a record of `record_kind` read from a file of `file_kind`: an FCR response answers a
    request to the Federal Case Registry, whatever NDNH file it comes from."""
    if file_kind == "fcr":
        return "fcr"
    return (STATE_SOURCE_OF_KIND if file_kind == "csv" else FEDERAL_SOURCE_OF_KIND)[record_kind]


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    name: str
    scope: str
    information: tuple[str, ...]
    reliability: str
    verification: tuple[str, ...]
    person_source: str
    reference: str

    @property
    def scope_label(self) -> str:
        return "Federal" if self.scope == "federal" else "State and local"


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    """Every source by key, checked: a malformed file fails at the first read, naming the source."""
    raw = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"]
    found: dict[str, Source] = {}
    for key, item in raw.items():
        source = Source(key=key, name=item["name"], scope=item["scope"], information=tuple(item["information"]),
                        reliability=item["reliability"], verification=tuple(item["verification"]),
                        person_source=item["person_source"], reference=item["reference"])  # fmt: skip
        assert source.scope in SCOPES, (key, source.scope)
        assert source.reliability in RELIABILITIES, (key, source.reliability)
        assert set(source.verification) <= VERIFICATIONS, (key, source.verification)
        found[key] = source
    return found


def source(key: str) -> Source:
    return sources()[key]


def source_choices() -> list[tuple[str, str]]:
    return [(item.key, f"{item.scope_label}: {item.name}") for item in sources().values()]
