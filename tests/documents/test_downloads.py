"""The three documents that were printed on request and not kept (issue #19) are now stored by the engine
on each download, with the same URLs: each download is the next version, on the case timeline."""

from __future__ import annotations

import hashlib

import pytest

from opencse.documents.models import Document
from opencse.establishment.services import compute_worksheet
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.establishment.helpers import MS_EXAMPLE_1
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "kind", "subject"),
    [
        ("notice-of-debt?as_of=2026-03-31", "notice_of_support_debt", "as of 2026-03-31"),
        ("payment-history?start=2026-01-01&end=2026-03-31&format=pdf", "payment_history", "2026-01-01 to 2026-03-31"),
    ],
)
def test_each_download_of_a_ledger_document_is_stored_as_the_next_version(
    officer: object, client_for: object, path: str, kind: str, subject: str
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    client = client_for(officer)  # type: ignore[operator]

    first = client.get(f"/api/v1/cases/{case.number}/{path}")
    second = client.get(f"/api/v1/cases/{case.number}/{path}")

    assert first.status_code == second.status_code == 200
    one, two = Document.objects.filter(case=case, kind=kind).order_by("version")
    assert (one.subject, two.subject, two.supersedes_id) == (subject, subject, one.pk)
    assert bytes(two.pdf) == second.content and two.content_sha256 == hashlib.sha256(second.content).hexdigest()
    assert case.notes.filter(source_key__in=[f"document:{one.pk}", f"document:{two.pk}"]).count() == 2
    assert AuditEvent.objects.filter(action="document.generated", case_number=case.number).count() == 2


@pytest.mark.django_db
def test_the_csv_history_is_an_export_and_stores_no_document(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")

    response = client_for(officer).get(f"/api/v1/cases/{case.number}/payment-history?start=2026-01-01&end=2026-03-31")  # type: ignore[operator]

    assert response.status_code == 200 and not Document.objects.exists()


@pytest.mark.django_db
def test_the_worksheet_download_is_stored_and_an_auditor_may_still_print_it(
    officer: object, client_for: object
) -> None:
    case, *_ = factories.family(officer)
    worksheet = compute_worksheet(actor=officer, case=case, payload=MS_EXAMPLE_1)
    auditor = factories.user(Role.AUDITOR, username="docs-auditor")

    response = client_for(auditor).get(f"/api/v1/worksheets/{worksheet.pk}/pdf")  # type: ignore[operator]

    assert response.status_code == 200
    stored = Document.objects.get(case=case, kind="guideline_worksheet")
    assert (stored.subject, stored.created_by, bytes(stored.pdf)) == (
        f"worksheet {worksheet.pk}",
        auditor,
        response.content,
    )
    note = case.notes.get(source_key=f"document:{stored.pk}")
    assert note.author.username != auditor.username and "by Auditor Test" in note.text  # written by the system
