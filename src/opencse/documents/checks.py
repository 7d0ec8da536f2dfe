"""`opencse check` (Django's system checks) reads every document template's manifest, so a template an
agency edited badly is reported by the check, not when an officer first prints it."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.template import TemplateSyntaxError

from opencse.documents.catalog import every_template
from opencse.documents.rendering import compile_template


@checks.register()
def document_templates(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        templates = every_template()
    except (ValueError, OSError) as problem:
        return [checks.Error(str(problem), hint="docs/documents.md: the manifest", id="documents.E001")]
    problems: list[checks.CheckMessage] = []
    for template in templates:
        try:
            compile_template(template)
        except TemplateSyntaxError as problem:
            message = f"document template {template.stored_path}: {problem}"
            problems.append(checks.Error(message, hint="docs/documents.md: templates", id="documents.E002"))
    return problems
