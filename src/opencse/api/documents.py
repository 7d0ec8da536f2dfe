"""Printed documents (the certified payment history, the notice of debt, the guideline worksheet) as
audited downloads.

The audit row says a document was given out, so it is written only for a document that exists: the
caller produces the body first and passes it in, and `document_download` records the audit row and
wraps the body. A document that fails to build raises before this is called and leaves no audit row.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpResponse

from opencse.api.security import AuthenticatedRequest
from opencse.security.audit import record_audit

__all__ = ["document_download"]


def document_download(
    request: AuthenticatedRequest,
    *,
    body: bytes | str,
    file_name: str,
    content_type: str,
    action: str,
    target: models.Model,
    case_number: str,
    summary: str,
) -> HttpResponse:
    """The produced `body` as an attachment named `file_name`, after recording `action` on `target`."""
    assert body, "a document is produced before it is audited and given out"
    record_audit(actor=request.user, action=action, target=target, case_number=case_number, summary=summary)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
