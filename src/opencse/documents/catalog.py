"""The document templates: where they are, what each declares, which version is in force on a date.

A template is a pair of files in `<root>/<jurisdiction>/<kind>/`: `v<N>.yaml`, its manifest (kind, title,
version, effective date, paper, layout, fields) and `v<N>.html`, the Django template that fills it. The
roots are the agency's own directory (`settings.OPENCSE_DOCUMENT_TEMPLATES_DIR`), then the templates
shipped in this package. The jurisdiction is the State's code in lower case (`ms`), else `us`, the shared
set. On a date, the newest version effective by then is used: the State's, else the shared one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from opencse.errors import InvalidInput

PACKAGE_ROOT = Path(__file__).resolve().parent / "templates" / "documents"
LAYOUT = "base.html"
SHARED = "us"
FIELD_TYPES = frozenset({"text", "date", "datetime", "money", "balance", "number", "party", "lines", "rows"})
COLUMN_TYPES = FIELD_TYPES - {"party", "lines", "rows"}
PAPERS = {"letter": "8.5in 11in", "legal": "8.5in 14in"}
LAYOUTS = frozenset({"letter", "report"})
VERSION_FILE = re.compile(r"^v(\d+)\.yaml$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MANIFEST_KEYS = frozenset({"kind", "title", "version", "effective", "paper", "layout", "recipient", "description",
                           "fields"})  # fmt: skip
FIELD_KEYS = frozenset({"label", "type", "optional", "missing", "columns"})


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    type: str
    optional: bool
    missing: str  # printed when an optional field has no value
    columns: tuple[tuple[str, str], ...]  # (name, type) of each column of a `rows` field


@dataclass(frozen=True, slots=True)
class Template:
    kind: str
    title: str
    version: int
    effective: date
    paper: str
    layout: str
    recipient: str  # the party field the letter is addressed to ("" for a report)
    description: str
    fields: tuple[Field, ...]
    jurisdiction: str
    root: Path
    manifest_path: Path
    html_path: Path

    @property
    def template_name(self) -> str:
        """The template's name for the engine, relative to its root: "us/payment_history/v1.html"."""
        return self.html_path.relative_to(self.root).as_posix()

    @property
    def stored_path(self) -> str:
        """Where the template came from, as stored on each document: the package's, or the agency's ("local/")."""
        prefix = "documents" if self.root == PACKAGE_ROOT else "local"
        return f"{prefix}/{self.template_name}"

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    def sha256(self) -> str:
        """The hash of the files that made the document: manifest, template, layout."""
        digest = hashlib.sha256()
        for path in (self.manifest_path, self.html_path, layout_path(self.root)):
            digest.update(path.read_bytes())
        return digest.hexdigest()


def roots() -> list[Path]:
    local = str(getattr(settings, "OPENCSE_DOCUMENT_TEMPLATES_DIR", "") or "")
    return [Path(local).resolve(), PACKAGE_ROOT] if local else [PACKAGE_ROOT]


def layout_path(root: Path) -> Path:
    return root / LAYOUT if (root / LAYOUT).exists() else PACKAGE_ROOT / LAYOUT


def template_for(*, kind: str, on: date, state: str | None = None) -> Template:
    """The template of `kind` in force on `on`: the State's newest version by then, else the shared one."""
    state = (state or str(settings.OPENCSE_STATE)).lower()
    for jurisdiction in dict.fromkeys([state, SHARED]):
        versions = [t for t in versions_of(kind=kind, jurisdiction=jurisdiction) if t.effective <= on]
        if versions:
            return max(versions, key=lambda template: template.version)
    raise InvalidInput(f"no template of kind {kind[:60]!r} is in force on {on.isoformat()}", field="kind")


def versions_of(*, kind: str, jurisdiction: str) -> list[Template]:
    """Every version of `kind` for `jurisdiction`, from the first root that has the kind for it."""
    if not NAME.match(kind) or not NAME.match(jurisdiction):
        raise InvalidInput(f"{kind[:60]!r} is not a kind of document", field="kind")
    for root in roots():
        folder = root / jurisdiction / kind
        if folder.is_dir():
            return [load(path, root=root) for path in sorted(folder.glob("v*.yaml")) if VERSION_FILE.match(path.name)]
    return []


def every_template() -> list[Template]:
    """Every version of every template in every root (the tests render each one)."""
    found = []
    for root in roots():
        for path in sorted(root.glob("*/*/v*.yaml")):
            if VERSION_FILE.match(path.name):
                found.append(load(path, root=root))
    return found


def load(manifest_path: Path, *, root: Path) -> Template:
    """Read and check one manifest; a malformed one fails at once, naming the file and the problem."""
    where = manifest_path.relative_to(root).as_posix()
    raw = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    _check(isinstance(raw, dict), where, "is not a mapping")
    _check(not (set(raw) - MANIFEST_KEYS), where, f"has unknown keys {sorted(set(raw) - MANIFEST_KEYS)}")
    jurisdiction, kind = manifest_path.parent.parent.name, manifest_path.parent.name
    number = int(VERSION_FILE.match(manifest_path.name).group(1))  # type: ignore[union-attr]
    _check(raw.get("kind") == kind, where, f"declares kind {raw.get('kind')!r}, but lies in the folder {kind!r}")
    _check(raw.get("version") == number, where, f"declares version {raw.get('version')!r}, but is v{number}")
    _check(isinstance(raw.get("effective"), date), where, "needs an effective date (YYYY-MM-DD)")
    paper, layout = raw.get("paper", "letter"), raw.get("layout", "letter")
    _check(paper in PAPERS, where, f"paper must be one of {sorted(PAPERS)}")
    _check(layout in LAYOUTS, where, f"layout must be one of {sorted(LAYOUTS)}")
    fields = tuple(_field(name, spec, where) for name, spec in (raw.get("fields") or {}).items())
    recipient = str(raw.get("recipient") or "")
    _check(not recipient or any(f.name == recipient and f.type == "party" for f in fields), where,
           "recipient must name one of its party fields")  # fmt: skip
    html_path = manifest_path.with_suffix(".html")
    _check(html_path.exists(), where, f"has no template {html_path.name} beside it")
    return Template(
        kind=kind, title=str(raw.get("title") or ""), version=number, effective=raw["effective"], paper=paper,
        layout=layout, recipient=recipient, description=str(raw.get("description") or ""), fields=fields,
        jurisdiction=jurisdiction, root=root, manifest_path=manifest_path, html_path=html_path,
    )  # fmt: skip


def _field(name: Any, spec: Any, where: str) -> Field:
    _check(isinstance(name, str) and bool(NAME.match(name)), where, f"field name {name!r} is not lower_case")
    spec = spec or {}
    _check(isinstance(spec, dict) and not (set(spec) - FIELD_KEYS), where, f"field {name}: unknown keys")
    kind = spec.get("type", "text")
    _check(kind in FIELD_TYPES, where, f"field {name}: type must be one of {sorted(FIELD_TYPES)}")
    raw_columns = spec.get("columns") or {}
    _check(isinstance(raw_columns, dict), where, f"field {name}: columns must be a mapping of name: type")
    # A column named on/yes/no reads as a boolean in YAML: only lower_case names pass.
    _check(all(isinstance(column, str) and NAME.match(column) for column in raw_columns), where,
           f"field {name}: a column name is not lower_case (YAML reads on, yes, no as true or false)")  # fmt: skip
    columns = tuple((str(column), str(column_type)) for column, column_type in raw_columns.items())
    _check((kind == "rows") == bool(columns), where, f"field {name}: a rows field, and only one, declares columns")
    _check(all(t in COLUMN_TYPES for _, t in columns), where, f"field {name}: a column's type is not a value type")
    missing = spec.get("missing")
    return Field(
        name=name,
        label=str(spec.get("label") or name.replace("_", " ")),
        type=kind,
        optional=bool(spec.get("optional", False)),
        missing="not on file" if missing is None else str(missing),
        columns=columns,
    )


def _check(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise ValueError(f"document template {where} {problem}")
