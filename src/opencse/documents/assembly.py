"""One stored document made of others: an attorney packet (its cover memorandum, then each item) or a
testimony pack, joined page for page (pypdf) and kept like any other document.

Each part was printed by the engine (`services.generate_document`), which refused it if a protected
person's street line appeared in it; the whole is stored with its own hash, version and the list of its
parts as its data, so it is always known which documents it was made from.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.documents.services import _timeline, _verified_pdf
from opencse.errors import InvalidInput
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

ASSEMBLED_TEMPLATE = "assembled"  # the template path of a document joined from others
PARTS_MAXIMUM = 50


@transaction.atomic
def store_assembled_document(
    *, actor: User, case: Case, kind: str, title: str, subject: str, dated_on: date, parts: Sequence[Document]
) -> Document:
    """Join `parts` (documents of `case`, in order) into one PDF and store it as the next version of the
    case's (kind, subject) document. The page count is the sum of the parts'."""
    require(actor, "documents.generate", case)
    if not parts or len(parts) > PARTS_MAXIMUM:
        raise InvalidInput(f"give one to {PARTS_MAXIMUM} documents", field="parts")
    writer = PdfWriter()
    for part in parts:
        assert part.case_id == case.pk, "every part is a document of the case"
        writer.append(PdfReader(io.BytesIO(_verified_pdf(part))))
    out = io.BytesIO()
    writer.write(out)
    pdf = out.getvalue()
    page_count = len(writer.pages)
    assert page_count == sum(part.page_count for part in parts), "every page of every part"
    Case.objects.select_for_update().filter(pk=case.pk).first()
    subject = subject.strip()[:120]
    latest = Document.objects.filter(case=case, kind=kind, subject=subject).order_by("-version").first()
    content_sha256 = hashlib.sha256(pdf).hexdigest()
    document = Document.objects.create(
        case=case, kind=kind, title=title[:200], subject=subject, version=latest.version + 1 if latest else 1,
        supersedes=latest, template_path=ASSEMBLED_TEMPLATE, template_version=1, template_sha256=content_sha256,
        dated_on=dated_on,
        data={"parts": [{"document": part.pk, "kind": part.kind, "title": part.title, "pages": part.page_count,
                         "content_sha256": part.content_sha256} for part in parts]},
        pdf=pdf, content_sha256=content_sha256, page_count=page_count, created_at=timezone.now(), created_by=actor,
    )  # fmt: skip
    record_audit(actor=actor, action="document.generated", target=document, case_number=case.number,
                 summary=f"{document.title}, version {document.version}"[:300],
                 after={"kind": kind, "version": document.version, "parts": [part.pk for part in parts],
                        "content_sha256": content_sha256})  # fmt: skip
    _timeline(actor=actor, case=case, document=document)
    return document
