"""Reading the audit trail (auditors and administrators): every reader (web, API) goes through
`audit_events`, which takes personal data out of each row as it is read (`audit.redacted_event`),
including rows written before the audit trail stopped storing it."""

from __future__ import annotations

from datetime import date

from opencse.errors import NotFound
from opencse.security.audit import redacted_event
from opencse.security.models import AuditEvent, User
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
) -> list[AuditEvent]:
    """The newest `limit` rows matching the filters, personal data redacted (never saved back)."""
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
    found = list(events.order_by("-at", "-id")[:limit])
    for event in found:
        shown = redacted_event(
            target_type=event.target_type,
            action=event.action,
            summary=event.summary,
            before=event.before,
            after=event.after,
        )
        event.summary, event.before, event.after = shown.summary, shown.before, shown.after
    return found


def user_by_username(username: str) -> User:
    """A user by sign-in name; 404 when there is none."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No user {username}.")
    return user
