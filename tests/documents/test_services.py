"""Generated documents are stored immutably, versioned, on the case timeline and audited; reading,
printing in a mail batch and emailing are audited; dates are the agency's (issue #19, "Documents")."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import DatabaseError, transaction

from opencse.cases.models import NoteKind
from opencse.documents.catalog import template_for
from opencse.documents.models import Document
from opencse.documents.selectors import documents_of_case, versions_of_document
from opencse.documents.services import email_document, generate_document, open_document, print_mail_batch
from opencse.errors import InvalidInput, NotAuthorized, NotFound
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.documents.helpers import DATED, full_data
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

KIND = "notice_of_support_debt"


def _notice(actor: object, *, case: object, person: object, subject: str = "as of 2026-11-30") -> Document:
    data, _ = full_data(template_for(kind=KIND, on=DATED), person)  # type: ignore[arg-type]
    return generate_document(actor=actor, case=case, kind=KIND, data=data, dated_on=DATED, subject=subject,
                             person=person)  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.django_db
def test_a_generated_document_is_stored_with_its_hash_template_and_data(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)

    document = _notice(officer, case=case, person=obligor.person)

    stored = Document.objects.get(pk=document.pk)
    assert stored.content_sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert bytes(stored.pdf).startswith(b"%PDF") and stored.page_count == 1
    assert stored.template_path == "documents/us/notice_of_support_debt/v1.html" and stored.template_version == 1
    assert len(stored.template_sha256) == 64
    assert (stored.version, stored.supersedes, stored.dated_on) == (1, None, DATED)
    assert stored.data["obligor"]["name"] == "Curtis Boone"
    # tests/factories.family gives the obligor SSN 512-34-9876: the stored data holds the last four only.
    assert stored.data["obligor"]["ssn_masked"] == "***-**-9876"
    assert "512-34" not in json.dumps(stored.data) and "512349876" not in json.dumps(stored.data)


@pytest.mark.django_db
def test_generating_puts_the_document_on_the_timeline_and_in_the_audit_trail(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)

    document = _notice(officer, case=case, person=obligor.person)

    note = case.notes.get(source_key=f"document:{document.pk}")
    assert note.kind == NoteKind.SYSTEM
    assert note.text.startswith("Document generated: Notice of Support Debt (version 1), dated 12/05/2026, by")
    event = AuditEvent.objects.get(action="document.generated", target_id=str(document.pk))
    assert event.actor == officer and event.case_number == case.number
    assert event.after["content_sha256"] == document.content_sha256


@pytest.mark.django_db
def test_regenerating_makes_a_new_version_that_supersedes_the_last(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    first = _notice(officer, case=case, person=obligor.person)

    second = _notice(officer, case=case, person=obligor.person)
    other = _notice(officer, case=case, person=obligor.person, subject="as of 2026-12-31")

    first.refresh_from_db()
    assert (second.version, second.supersedes_id) == (2, first.pk)
    assert first.superseded_by == second
    assert (other.version, other.supersedes_id) == (1, None)  # another subject is another document
    assert [d.version for d in versions_of_document(document=first)] == [1, 2]
    current = documents_of_case(viewer=officer, case=case, current_only=True)
    assert {d.pk for d in current} == {second.pk, other.pk}
    assert Document.objects.count() == 3 and bytes(first.pdf).startswith(b"%PDF")  # nothing overwritten


@pytest.mark.django_db
def test_a_stored_document_cannot_be_changed_or_deleted(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    document = _notice(officer, case=case, person=obligor.person)

    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(title="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).delete()

    assert Document.objects.get(pk=document.pk).title == "Notice of Support Debt"


@pytest.mark.django_db
def test_only_roles_that_may_generate_do_and_only_for_a_member_of_the_case(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    administrator = factories.user(Role.ADMINISTRATOR, username="admin-docs")

    with pytest.raises(NotAuthorized):
        _notice(administrator, case=case, person=obligor.person)
    stranger = factories.person(officer, first_name="Pat", last_name="Stranger")
    with pytest.raises(InvalidInput):
        _notice(officer, case=case, person=stranger)

    assert not Document.objects.exists()


@pytest.mark.django_db
def test_reading_a_stored_document_is_audited_and_limited_to_its_office(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    document = _notice(officer, case=case, person=obligor.person)
    elsewhere = factories.user(Role.OFFICER_1, username="docs-elsewhere", office_code="DES")
    auditor = factories.user(Role.AUDITOR, username="docs-auditor")

    assert open_document(viewer=auditor, document_id=document.pk) == document
    with pytest.raises(NotFound):
        open_document(viewer=elsewhere, document_id=document.pk)

    reads = AuditEvent.objects.filter(action="document.read", target_id=str(document.pk))
    assert [event.actor for event in reads] == [auditor]
    assert list(documents_of_case(viewer=auditor, case=case)) == [document]
    assert not documents_of_case(viewer=elsewhere, case=case).exists()  # another office's case
    assert not documents_of_case(viewer=factories.user(Role.ADMINISTRATOR, username="a2"), case=case).exists()


@pytest.mark.django_db
def test_a_mail_batch_is_one_pdf_with_every_page_of_every_document(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    documents = [_notice(officer, case=case, person=obligor.person, subject=f"batch {n}") for n in range(3)]
    history = case_with_order(officer)[0]
    long_data, _ = full_data(template_for(kind="payment_history", on=DATED), obligor.person)
    long_data["entries"] = long_data["entries"] * 120  # several pages
    long = generate_document(actor=officer, case=history, kind="payment_history", data=long_data, dated_on=DATED)
    assert long.page_count > 1

    batch = print_mail_batch(actor=officer, documents=[*documents, long])

    assert batch.page_count == sum(d.page_count for d in [*documents, long]) == 3 + long.page_count
    assert pdf_text(batch.pdf).count("Notice of Support Debt — Case") == 3
    assert AuditEvent.objects.filter(action="document.printed").count() == 4
    with pytest.raises(InvalidInput):
        print_mail_batch(actor=officer, documents=[])


@pytest.mark.django_db
def test_a_document_is_emailed_with_its_pdf_attached_after_commit(
    officer: object, django_capture_on_commit_callbacks: object
) -> None:
    case, _, _, obligor = factories.family(officer)
    document = _notice(officer, case=case, person=obligor.person)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        email_document(actor=officer, document=document, to=["curtis.boone@example.com"])

    (sent,) = mail.outbox
    assert sent.to == ["curtis.boone@example.com"]
    assert sent.subject == f"Notice of Support Debt — case {case.number}"
    ((name, body, content_type),) = sent.attachments
    assert name == f"notice-of-support-debt-{case.number}-as-of-2026-11-30-v1.pdf"
    assert content_type == "application/pdf" and body == bytes(document.pdf)
    assert AuditEvent.objects.filter(action="document.emailed", target_id=str(document.pk)).count() == 1
    with pytest.raises(InvalidInput):
        email_document(actor=officer, document=document, to=["not an address"])


@pytest.mark.django_db
def test_a_notice_generated_just_after_utc_midnight_bears_the_agencys_date(officer: object, client_for: object) -> None:
    """2027-01-01T03:00Z is 9:00 PM on December 31, 2026 in America/Chicago (UTC-6 in winter), the agency's
    time zone in settings.TIME_ZONE: the notice is dated that day, as a letter writes it."""
    case, _ = case_with_order(officer, monthly="300.00")

    with time_machine.travel(datetime(2027, 1, 1, 3, 0, tzinfo=UTC), tick=False):
        response = client_for(officer).get(f"/api/v1/cases/{case.number}/notice-of-debt?as_of=2026-12-31")

    assert response.status_code == 200
    document = Document.objects.get(case=case, kind=KIND)
    assert document.dated_on == date(2026, 12, 31)
    text = pdf_text(response.content)
    assert "December 31, 2026" in text and "printed December 31, 2026 at 9:00 PM CST" in text
    assert "January 1, 2027" not in text and "2026-12-31" not in text
    assert "Nothing owed" in text and "Total owed $0.00" in text  # no accrual was run: nothing is owed yet
