"""The agency's list of outside resources: a YAML file it edits (`resources.yaml` beside this module, or the
file named by the setting / environment variable `OPENCSE_RESOURCES_FILE`), read and checked on each use."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from opencse.errors import InvalidInput
from opencse.work.referrals.models import ResourceKind

DEFAULT_FILE = Path(__file__).resolve().parent / "resources.yaml"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
RESOURCES_MAXIMUM = 1_000


@dataclass(frozen=True, slots=True)
class Resource:
    key: str
    name: str
    kind: str
    phone: str
    address: str

    @property
    def kind_label(self) -> str:
        return str(ResourceKind(self.kind).label)


def resources_file() -> Path:
    configured = getattr(settings, "OPENCSE_RESOURCES_FILE", "") or os.environ.get("OPENCSE_RESOURCES_FILE", "")
    return Path(configured) if configured else DEFAULT_FILE


def resources() -> list[Resource]:
    """Every resource of the list, in its order. A malformed list is a configuration error (raised)."""
    path = resources_file()
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = loaded.get("resources") if isinstance(loaded, dict) else None
    assert isinstance(rows, list) and len(rows) <= RESOURCES_MAXIMUM, f"{path}: a list under 'resources:'"
    found: list[Resource] = []
    for row in rows:
        assert isinstance(row, dict), f"{path}: each resource is a mapping"
        resource = Resource(key=str(row.get("key", "")), name=str(row.get("name", "")).strip(),
                            kind=str(row.get("kind", "")), phone=str(row.get("phone", "")).strip(),
                            address=str(row.get("address", "")).strip())  # fmt: skip
        assert KEY.match(resource.key), f"{path}: key {resource.key!r} is not a short name"
        assert resource.name and len(resource.name) <= 200, f"{path}: {resource.key} needs a name"
        assert resource.kind in ResourceKind.values, f"{path}: {resource.key}: kind {resource.kind!r}"
        assert resource.key not in {r.key for r in found}, f"{path}: key {resource.key} twice"
        found.append(resource)
    return found


def resource(key: str) -> Resource:
    for candidate in resources():
        if candidate.key == key:
            return candidate
    raise InvalidInput("is not one of the agency's resources", field="resource")
