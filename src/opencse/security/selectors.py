"""Reading the audit trail (auditors and administrators)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from opencse.security.models import AuditEvent
from opencse.security.policy import require


def audit_events(
    *,
    viewer: object,
    actor_username: str = "",
    action: str = "",
    case_number: str = "",
    since: date | None = None,
    until: date | None = None,
    limit: int = 200,
) -> QuerySet[AuditEvent]:
    require(viewer, "audit.view")
    events = AuditEvent.objects.select_related("actor")
    if actor_username:
        events = events.filter(actor__username=actor_username)
    if action:
        events = events.filter(action__startswith=action)
    if case_number:
        events = events.filter(case_number=case_number)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-id")[:limit]
