"""Generating, reading, printing and emailing documents: each a service that checks the actor's permission,
runs in one transaction and leaves an audit row.

`generate_document` renders a template (`rendering`), stores the PDF with its hash and data as a new
`Document` (the next version of the same case, kind and subject, superseding the last), puts a line on the
case timeline and audits the generation. Reading a stored document (`open_document`), printing several as
one PDF for the mail (`print_mail_batch`) and emailing one (`email_document`) are audited too; the email
leaves after the transaction commits.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from opencse.cases.models import Case
from opencse.cases.selectors import may_see_case
from opencse.cases.services import add_system_note
from opencse.documents.agency import agency
from opencse.documents.models import Document
from opencse.documents.rendering import render_document
from opencse.errors import InvalidInput, NotFound
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require
from opencse.security.services import system_actor

MAIL_BATCH_MAXIMUM = 500  # documents in one printed batch
EMAIL_RECIPIENTS_MAXIMUM = 10


@transaction.atomic
def generate_document(
    *,
    actor: User,
    case: Case,
    kind: str,
    data: Mapping[str, Any],
    dated_on: date,
    subject: str = "",
    title: str = "",
    person: Person | None = None,
) -> Document:
    """Render the `kind` template in force on `dated_on` with `data` and store it as the next version of the
    case's (kind, subject) document. Nothing is stored when the data is refused or the PDF cannot be made."""
    require(actor, "documents.generate", case)
    if person is not None and not case.members.filter(person=person).exists():
        raise InvalidInput("the document's person is not a member of the case", field="person")
    subject = subject.strip()[:120]
    now = timezone.now()
    rendered = render_document(kind=kind, data=data, dated_on=dated_on, case=case, printed_at=now)
    # The case is locked after the (slow) printing, so two generations at once make versions n+1 and n+2,
    # never two n+1, including the first version, when there is no row yet to lock.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    latest = Document.objects.filter(case=case, kind=kind, subject=subject).order_by("-version").first()
    document = Document.objects.create(
        case=case,
        person=person,
        kind=kind,
        title=(title or rendered.title)[:200],
        subject=subject,
        version=latest.version + 1 if latest else 1,
        supersedes=latest,
        template_path=rendered.template.stored_path,
        template_version=rendered.template.version,
        template_sha256=rendered.template.sha256(),
        dated_on=dated_on,
        data=rendered.data,
        pdf=rendered.pdf,
        content_sha256=rendered.content_sha256,
        page_count=rendered.page_count,
        created_at=now,
        created_by=actor,
    )
    assert document.content_sha256 == hashlib.sha256(rendered.pdf).hexdigest()
    record_audit(
        actor=actor,
        action="document.generated",
        target=document,
        case_number=case.number,
        summary=f"{document.title}, version {document.version}"[:300],
        after={"kind": kind, "version": document.version, "supersedes": latest.pk if latest else None,
               "template": document.template_path, "content_sha256": document.content_sha256},
    )  # fmt: skip
    _timeline(actor=actor, case=case, document=document)
    return document


def _timeline(*, actor: User, case: Case, document: Document) -> None:
    """The case timeline's line for a document. The system writes it (an auditor may print an exhibit but
    writes no note); it names who generated the document, once per document."""
    who = actor.get_full_name() or actor.username
    replaces = f", replacing version {document.version - 1}" if document.supersedes_id else ""
    text = f"Document generated: {document.title} (version {document.version}{replaces}), dated " \
           f"{document.dated_on:%m/%d/%Y}, by {who}. Document {document.pk}."  # fmt: skip
    add_system_note(actor=system_actor(), case=case, text=text, source_key=f"document:{document.pk}")


@transaction.atomic
def open_document(*, viewer: User, document_id: int) -> Document:
    """A stored document the viewer may read, with its reading audited (the PDF holds personal data)."""
    document = Document.objects.select_related("case").filter(pk=document_id).first()
    if document is None or not _may_view(viewer, document.case):
        raise NotFound(f"No document {document_id} that you may see.")
    record_audit(actor=viewer, action="document.read", target=document, case_number=document.case.number,
                 summary=f"{document.title}, version {document.version}"[:300])  # fmt: skip
    return document


def _may_view(viewer: User, case: Case) -> bool:
    return may_see_case(viewer, case, permission="documents.view")


@dataclass(frozen=True, slots=True)
class MailBatch:
    pdf: bytes
    page_count: int
    documents: tuple[Document, ...]


@transaction.atomic
def print_mail_batch(*, actor: User, documents: Sequence[Document]) -> MailBatch:
    """Several stored documents as one PDF for the print room, in the order given; each one's printing is
    audited. A document whose stored bytes no longer match their hash is refused, not printed."""
    if not documents:
        raise InvalidInput("choose at least one document", field="documents")
    if len(documents) > MAIL_BATCH_MAXIMUM:
        raise InvalidInput(f"at most {MAIL_BATCH_MAXIMUM} documents in one batch", field="documents")
    writer = PdfWriter()
    for document in documents:
        require(actor, "documents.send", document.case)
        body = _verified_pdf(document)
        writer.append(PdfReader(io.BytesIO(body)))
        record_audit(actor=actor, action="document.printed", target=document, case_number=document.case.number,
                     summary=f"mail batch of {len(documents)}")  # fmt: skip
    out = io.BytesIO()
    writer.write(out)
    page_count = len(writer.pages)
    assert page_count == sum(document.page_count for document in documents), "every page of every document"
    return MailBatch(pdf=out.getvalue(), page_count=page_count, documents=tuple(documents))


@transaction.atomic
def email_document(
    *, actor: User, document: Document, to: Sequence[str], subject: str = "", body: str = ""
) -> EmailMessage:
    """Email a stored document as a PDF attachment through Django's mail framework. The message leaves once
    the transaction commits; the audit row names the document, not the addresses."""
    require(actor, "documents.send", document.case)
    recipients = [address.strip() for address in to if address.strip()]
    if not recipients or len(recipients) > EMAIL_RECIPIENTS_MAXIMUM:
        raise InvalidInput(f"give one to {EMAIL_RECIPIENTS_MAXIMUM} email addresses", field="to")
    for address in recipients:
        try:
            validate_email(address)
        except ValidationError:
            raise InvalidInput(f"{address[:80]!r} is not an email address", field="to") from None
    sender = agency()
    message = EmailMessage(
        subject=subject or f"{document.title} — case {document.case.number}",
        body=body or f"The attached document is from {sender.name}. Questions: {sender.phone}.",
        to=recipients,
    )
    message.attach(document.file_name, _verified_pdf(document), "application/pdf")
    record_audit(actor=actor, action="document.emailed", target=document, case_number=document.case.number,
                 summary=f"to {len(recipients)} recipient(s)")  # fmt: skip
    transaction.on_commit(lambda: message.send(fail_silently=False))
    return message


def _verified_pdf(document: Document) -> bytes:
    body = bytes(document.pdf)
    if hashlib.sha256(body).hexdigest() != document.content_sha256:
        raise AssertionError(f"document {document.pk}: the stored PDF does not match its hash")
    return body
