"""Writing and reading the audit trail.

The trail says who did what to which record, never the personal data itself: on a person, an address,
an alias or an employment, every value but the few that locate and identify nobody (`SHOWN_KEYS`) is
stored as `REDACTED`, and a summary that named a person names the record instead. `redacted_event`
is applied when a row is written (`record_audit`) and again whenever the trail is read
(`security.selectors.audit_events`), so rows written before this rule show no personal data either.
An address entered before the family violence indicator was set therefore never shows in the trail.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from opencse.common.bulk_insert import insert_values
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
    event = audit_event(
        actor=actor, action=action, target=target, case_number=case_number, summary=summary, before=before, after=after
    )
    event.save()
    return event


def record_audits(events: list[AuditEvent]) -> None:
    """Record many actions of a batch at once (rows made by `audit_event`), inside the batch's transaction."""
    assert all(event._state.adding and event.target_id not in ("", "None") for event in events)
    AuditEvent.objects.bulk_create(events, batch_size=5_000)


def record_audit_rows(
    *, actor: User, action: str, target_model: type[models.Model], rows: list[tuple[int, str, str, dict[str, Any]]]
) -> None:
    """Record one action on many targets of one model, each row (target id, case number, summary, after),
    without building a model instance per row (the batch paths' largest cost at state scale): redacted as
    `audit_event` redacts, written by COPY on PostgreSQL (`common.bulk_insert.insert_values`)."""
    target_type = target_model._meta.label_lower
    now = timezone.now()
    values = []
    for target_id, case_number, summary, after in rows:
        shown = redacted_event(target_type=target_type, action=action, summary=summary, before=None, after=after)
        values.append(
            (
                now,
                actor.pk,
                action,
                target_type,
                str(target_id),
                case_number,
                shown.summary[:300],
                json.dumps(shown.before),
                json.dumps(shown.after, default=str),
            )
        )
    for start in range(0, len(values), 100_000):
        insert_values(
            AuditEvent,
            ["at", "actor_id", "action", "target_type", "target_id", "case_number", "summary", "before", "after"],
            values[start : start + 100_000],
        )


def audit_event(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    case_number: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """The row `record_audit` writes, not yet saved: redacted the same way (`redacted_event`)."""
    target_type = target._meta.label_lower
    shown = redacted_event(target_type=target_type, action=action, summary=summary, before=before, after=after)
    return AuditEvent(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target.pk),
        case_number=case_number,
        summary=shown.summary[:300],
        before=shown.before,
        after=shown.after,
    )


REDACTED = "[recorded]"
PERSONAL_TARGETS = frozenset({"people.person", "people.address", "people.alias", "people.employment"})
# The values of a personal record the trail may keep: they neither locate nor identify anyone.
SHOWN_KEYS = frozenset({
    "kind", "source", "verification", "verified_on", "effective_on", "ended_on", "started_on",
    "family_violence", "family_violence_since", "protected", "person", "role", "joined_on", "left_on",
    "also_on",  # record numbers of other people holding the same SSN (people.services._audit_ssn_entered)
})  # fmt: skip
MASKED_SSN = re.compile(r"\*\*\*-\*\*-\d{4}")
# The summaries a personal record's row may keep (a masked SSN, no name); any other is dropped.
SHOWN_SUMMARIES = frozenset({"person.ssn_revealed", "person.ssn_shared"})


@dataclass(frozen=True, slots=True)
class RedactedEvent:
    summary: str
    before: dict[str, Any]
    after: dict[str, Any]


def redacted_event(
    *, target_type: str, action: str, summary: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> RedactedEvent:
    """An audit row's summary and values with the personal data taken out (see the module's docstring)."""
    before, after = before or {}, after or {}
    if action == "case.member_added" and " as " in summary:  # "Dana Moreno as Obligor"
        summary = f"person {after.get('person', '')} as {summary.rsplit(' as ', 1)[1]}"
    if target_type in PERSONAL_TARGETS:
        summary = summary if action in SHOWN_SUMMARIES else ""
        before, after = _redacted(before), _redacted(after)
    return RedactedEvent(summary=summary, before=before, after=after)


def _redacted(values: dict[str, Any]) -> dict[str, Any]:
    return {key: _redacted_value(key, value) for key, value in values.items()}


def _redacted_value(key: str, value: Any) -> Any:
    if value is None or value == "" or key in SHOWN_KEYS:
        return value
    if key == "ssn" and isinstance(value, str) and MASKED_SSN.fullmatch(value):
        return value  # the last four only, as every screen shows them
    return REDACTED


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
