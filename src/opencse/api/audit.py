"""The audit trail over HTTP (auditors and administrators)."""

from datetime import date

from ninja import Query, Router, Schema

from opencse.api.schemas import AuditOut, ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.security.selectors import audit_events

router = Router(tags=["audit"])


class AuditFilter(Schema):
    actor: str = ""
    action: str = ""
    case_number: str = ""
    since: date | None = None
    until: date | None = None


@router.get("/audit", response={200: list[AuditOut], 400: ErrorOut, 403: ErrorOut})
@allow("audit.view")
def audit_list(request: AuthenticatedRequest, filters: Query[AuditFilter]) -> object:
    return list(
        audit_events(
            viewer=request.user,
            actor_username=filters.actor[:150],
            action=filters.action[:60],
            case_number=filters.case_number[:20],
            since=filters.since,
            until=filters.until,
        )
    )
