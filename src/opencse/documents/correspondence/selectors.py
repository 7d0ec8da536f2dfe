"""Reading the correspondence log: a case's entries with their scans (names and sizes, never the bytes)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from opencse.cases.models import Case
from opencse.documents.correspondence.models import Correspondence, Scan
from opencse.errors import NotFound
from opencse.security.policy import can

ENTRIES_SHOWN = 500


def correspondence_of_case(*, viewer: object, case: Case, limit: int = ENTRIES_SHOWN) -> QuerySet[Correspondence]:
    """The case's entries, latest business date first, with their scans, person, document and author in a fixed
    number of queries. `case` comes from `cases.selectors.case_for_viewer`, which checked the office."""
    if not can(viewer, "correspondence.view", case):
        return Correspondence.objects.none()
    return (
        Correspondence.objects.filter(case=case)
        .select_related("person", "created_by", "corrected_by")
        .prefetch_related(Prefetch("scans", queryset=Scan.objects.order_by("id")))
        .order_by("-dated_on", "-id")[:limit]
    )


def entry_on_case(*, viewer: object, case: Case, entry_id: int) -> Correspondence:
    entry = Correspondence.objects.filter(case=case, pk=entry_id).first()
    if entry is None or not can(viewer, "correspondence.view", case):
        raise NotFound(f"No correspondence entry {entry_id} on case {case.number}.")
    return entry
