"""Writing and reading the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from opencse.security.models import AuditEvent, User


def record_audit(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    case_number: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one action. Call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        case_number=case_number,
        summary=summary[:300],
        before=before or {},
        after=after or {},
    )


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited values of `instance`: JSON-ready, confidential fields left out by the caller."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        values[name] = value if value is None or isinstance(value, bool | int | str) else str(value)
    return values


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, before and after."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}
