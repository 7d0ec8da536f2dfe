"""A case's documents on the web (issue #19): printing stores a new version (a POST, never a GET), the
list shows each stored one, and opening one serves the stored bytes and is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from opencse.documents.models import Document
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text
from tests.web.conftest import signed_in


@pytest.mark.django_db
def test_an_officer_prints_the_notice_twice_and_reads_the_stored_pdf(officer: Any, client_for: Any) -> None:
    case, _ = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))
    client = client_for(officer)
    url = f"/cases/{case.number}/documents/notice-of-debt/"

    first = client.post(url, {"as_of": "2026-03-31"})
    second = client.post(url, {"as_of": "2026-03-31"})

    assert first.status_code == second.status_code == 302
    notices = list(Document.objects.filter(case=case).order_by("version"))
    assert [notice.version for notice in notices] == [1, 2] and notices[1].supersedes_id == notices[0].pk
    listing = client.get(f"/cases/{case.number}/documents/").content.decode()
    assert f"/documents/{notices[1].pk}.pdf" in listing

    opened = client.get(f"/documents/{notices[1].pk}.pdf")

    assert opened["Content-Type"] == "application/pdf"
    assert bytes(opened.content) == bytes(notices[1].pdf)
    assert "Notice" in pdf_text(bytes(opened.content))
    assert AuditEvent.objects.filter(action="document.read", case_number=case.number).count() == 1


@pytest.mark.django_db
def test_a_bad_period_is_refused_beside_its_field_and_another_office_sees_nothing(
    officer: Any, client_for: Any
) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)

    refused = client.post(
        f"/cases/{case.number}/documents/payment-history/", {"start": "2026-05-01", "end": "2026-01-01"}
    )

    assert refused.status_code == 400 and 'id="id_end-error"' in refused.content.decode()
    elsewhere = signed_in(Role.OFFICER_1, username="elsewhere", office_code="MAD")
    assert elsewhere.get(f"/cases/{case.number}/documents/").status_code == 404
    assert not Document.objects.filter(case=case).exists()
