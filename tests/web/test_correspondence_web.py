"""The correspondence log on the web: an entry logged with a scan, refusals beside the field, a scan opened
only through the audited view (never under /static/), another office gets 404, per-role links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opencse.documents.correspondence.models import Correspondence, Scan
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.correspondence.samples import EXECUTABLE, PDF
from tests.web.conftest import Family, signed_in
from tests.web.test_posting import text_of


@pytest.fixture(autouse=True)
def scans_folder(settings: Any, tmp_path: Path) -> Path:
    settings.CORRESPONDENCE_DIR = tmp_path / "correspondence"
    return Path(settings.CORRESPONDENCE_DIR)


def _entry(**overrides: Any) -> dict[str, Any]:
    values = {"direction": "in", "channel": "mail", "dated_on": "2026-03-10",
              "summary": "Letter from the obligor disputing the March arrears"}  # fmt: skip
    values.update(overrides)
    return values


def _client(family: Family) -> Client:
    client = Client()
    client.force_login(family.officer)
    return client


@pytest.mark.django_db
def test_an_officer_logs_a_letter_with_its_scan_and_opens_it(family: Family, scans_folder: Path) -> None:
    client = _client(family)
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")

    response = client.post(f"/cases/{family.case.number}/correspondence/new/",
                           _entry(person=family.obligor.person.pk, scans=[upload]), follow=True)  # fmt: skip
    scan = Scan.objects.get()
    opened = client.get(f"/correspondence/scans/{scan.pk}/")

    assert response.redirect_chain == [(f"/cases/{family.case.number}/correspondence/", 302)]
    page = text_of(response.content)
    assert (
        "Letter from the obligor disputing the March arrears" in page
        and "Curtis Boone" in page
        and "letter.pdf" in page
    )
    assert opened.status_code == 200
    assert opened.content == PDF
    assert opened["Content-Type"] == "application/pdf"
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in opened["Cache-Control"]
    assert AuditEvent.objects.filter(action="correspondence.scan_viewed", target_id=str(scan.pk)).count() == 1
    assert any(scans_folder.rglob(scan.sha256))
    assert client.get(f"/static/{scan.sha256}").status_code == 404  # never a static file


@pytest.mark.django_db
def test_an_executable_named_pdf_is_refused_beside_the_field(family: Family) -> None:
    upload = SimpleUploadedFile("letter.pdf", EXECUTABLE, content_type="application/pdf")

    response = _client(family).post(f"/cases/{family.case.number}/correspondence/new/", _entry(scans=[upload]))

    assert response.status_code == 400
    assert 'id="id_scans-error">letter.pdf is not a PDF, PNG, JPEG or TIFF file' in response.content.decode()
    assert not Correspondence.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(family: Family, settings: Any) -> None:
    settings.CORRESPONDENCE_UPLOAD_MAXIMUM = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")

    response = _client(family).post(f"/cases/{family.case.number}/correspondence/new/", _entry(scans=[upload]))

    assert response.status_code == 400
    assert "big.pdf is larger than 1 MB" in response.content.decode()


@pytest.mark.django_db
def test_a_user_of_another_office_gets_404_and_nothing_is_audited(family: Family) -> None:
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    _client(family).post(f"/cases/{family.case.number}/correspondence/new/", _entry(scans=[upload]))
    scan = Scan.objects.get()
    elsewhere = signed_in(Role.OFFICER_1, office_code="RAN")

    assert elsewhere.get(f"/correspondence/scans/{scan.pk}/").status_code == 404
    assert elsewhere.get(f"/cases/{family.case.number}/correspondence/").status_code == 404
    assert not AuditEvent.objects.filter(action="correspondence.scan_viewed").exists()


@pytest.mark.django_db
def test_the_case_page_links_to_correspondence_disputes_and_referrals(family: Family) -> None:
    page = _client(family).get(f"/cases/{family.case.number}/").content.decode()

    for link in ("correspondence/", "disputes/", "referrals/"):
        assert f'href="/cases/{family.case.number}/{link}"' in page


@pytest.mark.django_db
def test_an_auditor_reads_the_log_but_does_not_log(family: Family) -> None:
    auditor = signed_in(Role.AUDITOR)

    listed = auditor.get(f"/cases/{family.case.number}/correspondence/")

    assert listed.status_code == 200
    assert "Log correspondence" not in listed.content.decode()
    assert auditor.get(f"/cases/{family.case.number}/correspondence/new/").status_code == 403


@pytest.mark.django_db
def test_a_scan_may_hold_nul_bytes_but_a_field_may_not(family: Family) -> None:
    """common.middleware.RejectNulMiddleware reads a multipart request's fields and file names, not the files'
    bytes: a PNG holds NUL bytes by its specification (its IHDR length field is 00 00 00 0D)."""
    from tests.correspondence.samples import PNG

    client = _client(family)
    url = f"/cases/{family.case.number}/correspondence/new/"

    with_image = client.post(url, _entry(scans=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")]))
    with_nul_field = client.post(url, _entry(summary="bad\x00summary"))

    assert with_image.status_code == 302
    assert Scan.objects.get().content_type == "image/png"
    assert with_nul_field.status_code == 400
    assert b"NUL character" in with_nul_field.content
