"""Reading documents: a case's documents (without their bytes), the versions of one document."""

from __future__ import annotations

from django.db.models import QuerySet

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.security.policy import can

UNREAD_FIELDS = ("pdf", "data")  # the list shows what each document is; its bytes are read one at a time


def documents_of_case(
    *, viewer: object, case: Case, current_only: bool = False, limit: int = 500
) -> QuerySet[Document]:
    """The case's documents the viewer may see, newest first, without the PDF bytes (read one with
    `services.open_document`, which audits it). `current_only`: leave out those a later version superseded.
    `case` comes from `cases.selectors.case_for_viewer`, which has checked the viewer's office."""
    if not can(viewer, "documents.view", case):
        return Document.objects.none()
    documents = Document.objects.filter(case=case).defer(*UNREAD_FIELDS).select_related("created_by")
    if current_only:
        documents = documents.filter(superseded_by__isnull=True)
    return documents.order_by("-created_at", "-id")[:limit]


def versions_of_document(*, document: Document) -> list[Document]:
    """Every version of the document's case, kind and subject, the first first."""
    return list(
        Document.objects.filter(case_id=document.case_id, kind=document.kind, subject=document.subject)
        .defer(*UNREAD_FIELDS)
        .order_by("version")
    )
