"""Reading disputes: a case's disputes, one dispute with its evidence and notes."""

from __future__ import annotations

from django.db.models import QuerySet

from opencse.cases.models import Case
from opencse.cases.selectors import may_see_case
from opencse.errors import NotFound
from opencse.security.policy import can
from opencse.work.disputes.models import Dispute, Evidence, InvestigationNote

SHOWN = 200


def disputes_of_case(*, viewer: object, case: Case) -> QuerySet[Dispute]:
    """`case` comes from `cases.selectors.case_for_viewer` (the office checked)."""
    if not can(viewer, "disputes.view", case):
        return Dispute.objects.none()
    return (
        Dispute.objects.filter(case=case)
        .select_related("raised_by", "adjustment")
        .order_by("-raised_on", "-id")[:SHOWN]
    )


def dispute_for_viewer(*, viewer: object, dispute_id: int) -> Dispute:
    dispute = (
        Dispute.objects.select_related("case", "case__office", "raised_by", "adjustment", "resolved_by", "letter")
        .defer("letter__pdf", "letter__data")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None or not may_see_case(viewer, dispute.case, permission="disputes.view"):
        raise NotFound(f"No dispute {dispute_id} that you may see.")
    return dispute


def evidence_of(*, dispute: Dispute) -> list[Evidence]:
    return list(Evidence.objects.filter(dispute=dispute).select_related("entry", "scan", "added_by").order_by("id"))


def notes_of(*, dispute: Dispute) -> list[InvestigationNote]:
    return list(InvestigationNote.objects.filter(dispute=dispute).select_related("author").order_by("noted_on", "id"))
