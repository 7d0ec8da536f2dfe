"""`opencse check` (Django's system checks) reads every document template's manifest, so a template an
agency edited badly is reported when the server starts, not when an officer first prints it."""

from __future__ import annotations

from typing import Any

from django.core import checks

from opencse.documents.catalog import every_template


@checks.register()
def document_templates(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        every_template()
    except (ValueError, OSError) as problem:
        return [checks.Error(str(problem), hint="docs/documents.md: the manifest", id="documents.E001")]
    return []
