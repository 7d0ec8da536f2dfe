"""The correspondence log: entries in and out, scans checked by their bytes and size, stored outside the web
root under their SHA-256, append-only, each viewing audited, nothing shown to another office."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from opencse.documents.correspondence import storage
from opencse.documents.correspondence.models import Correspondence, Scan
from opencse.documents.correspondence.selectors import correspondence_of_case
from opencse.documents.correspondence.services import ScanFile, log_correspondence, log_document_sent, open_scan
from opencse.errors import Conflict, InvalidInputs, NotAuthorized, NotFound
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories
from tests.correspondence.samples import EXECUTABLE, JPEG, PDF, PNG, TIFF

RECEIVED = date(2026, 3, 10)


def _letter(officer: User, case: object, *scans: ScanFile, **fields: object) -> Correspondence:
    values: dict[str, object] = {"direction": "in", "channel": "mail", "dated_on": RECEIVED,
                                 "summary": "Obligor's letter disputing the March arrears"}  # fmt: skip
    values.update(fields)
    return log_correspondence(actor=officer, case=case, scans=scans, **values)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_letter_in_is_logged_with_its_scans_stored_under_their_hash_outside_static(
    officer: User, scans_folder: Path
) -> None:
    case, _, _, obligor = factories.family(officer)

    entry = _letter(officer, case, ScanFile("letter.pdf", PDF), ScanFile("envelope.JPG", JPEG), person=obligor.person)

    scans = list(entry.scans.order_by("id"))
    assert [(s.file_name, s.content_type, s.size) for s in scans] == [
        ("letter.pdf", "application/pdf", len(PDF)), ("envelope.JPG", "image/jpeg", len(JPEG))]  # fmt: skip
    assert scans[0].sha256 == hashlib.sha256(PDF).hexdigest()
    stored = storage.path_of(scans[0].sha256)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(scans_folder.resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert AuditEvent.objects.filter(action="correspondence.logged", target_id=str(entry.pk)).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [("scan.png", PNG), ("scan.tif", TIFF), ("scan.tiff", TIFF),
                                               ("scan.jpeg", JPEG)])  # fmt: skip
def test_each_accepted_type_is_known_by_its_bytes(officer: User, name: str, content: bytes) -> None:
    case, *_ = factories.family(officer)

    entry = _letter(officer, case, ScanFile(name, content))

    assert entry.scans.get().content_type.startswith("image/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", EXECUTABLE, "invoice.pdf is not a PDF, PNG, JPEG or TIFF file"),
        ("photo.pdf", PNG, "photo.pdf is a PNG file by its content, not what its name says"),
        ("notes.txt", b"plain words", "notes.txt is not a PDF, PNG, JPEG or TIFF file"),
        ("empty.pdf", b"", "empty.pdf is empty"),
        ("..\\..\\evil.exe", EXECUTABLE, "evil.exe is not a PDF, PNG, JPEG or TIFF file"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    officer: User, scans_folder: Path, name: str, content: bytes, message: str
) -> None:
    case, *_ = factories.family(officer)

    with pytest.raises(InvalidInputs) as refused:
        _letter(officer, case, ScanFile("good.pdf", PDF), ScanFile(name, content))

    assert [(e.field, e.message) for e in refused.value.errors] == [("scans", message)]
    assert not Correspondence.objects.exists()
    assert not scans_folder.exists() or not any(scans_folder.rglob("*"))


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(officer: User, settings: object) -> None:
    settings.CORRESPONDENCE_UPLOAD_MAXIMUM = 1024 * 1024  # type: ignore[attr-defined]
    case, *_ = factories.family(officer)
    big = PDF + b"0" * (1024 * 1024)

    with pytest.raises(InvalidInputs) as refused:
        _letter(officer, case, ScanFile("big.pdf", big))
    exactly = _letter(officer, case, ScanFile("limit.pdf", big[: 1024 * 1024]))

    assert [e.message for e in refused.value.errors] == ["big.pdf is larger than 1 MB"]
    assert exactly.scans.get().size == 1024 * 1024


@pytest.mark.django_db
def test_every_refusal_is_reported_at_once(officer: User) -> None:
    case, *_ = factories.family(officer)
    stranger = factories.person(officer, first_name="Nobody", last_name="Here")

    with pytest.raises(InvalidInputs) as refused:
        _letter(officer, case, ScanFile("x.pdf", b"MZ"), direction="sideways", channel="pigeon", summary=" ",
                dated_on=timezone.localdate() + timedelta(days=1), person=stranger)  # fmt: skip

    assert {e.field for e in refused.value.errors} == {"direction", "channel", "dated_on", "summary", "person",
                                                        "scans"}  # fmt: skip


@pytest.mark.django_db
def test_entries_are_append_only_and_a_correction_is_a_new_entry(officer: User) -> None:
    case, *_ = factories.family(officer)
    first = _letter(officer, case, ScanFile("letter.pdf", PDF))

    with pytest.raises(DatabaseError), transaction.atomic():
        Correspondence.objects.filter(pk=first.pk).update(summary="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Scan.objects.filter(entry=first).delete()
    corrected = _letter(officer, case, summary="Obligor's letter disputing the April arrears", corrects=first)
    with pytest.raises(Conflict):
        _letter(officer, case, summary="again", corrects=first)

    assert corrected.corrects_id == first.pk
    assert Correspondence.objects.get(pk=first.pk).summary == "Obligor's letter disputing the March arrears"
    assert [e.pk for e in correspondence_of_case(viewer=officer, case=case)] == [corrected.pk, first.pk]


@pytest.mark.django_db
def test_each_viewing_of_a_scan_is_audited(officer: User) -> None:
    case, *_ = factories.family(officer)
    scan = _letter(officer, case, ScanFile("letter.pdf", PDF)).scans.get()
    auditor = factories.user(Role.AUDITOR, username="auditor")

    first = open_scan(viewer=officer, scan_id=scan.pk)
    open_scan(viewer=officer, scan_id=scan.pk)
    open_scan(viewer=auditor, scan_id=scan.pk)

    assert first.content == PDF
    viewed = AuditEvent.objects.filter(action="correspondence.scan_viewed", target_id=str(scan.pk))
    assert sorted(viewed.values_list("actor__username", flat=True)) == ["auditor", officer.username, officer.username]
    assert set(viewed.values_list("case_number", flat=True)) == {case.number}


@pytest.mark.django_db
def test_another_office_neither_sees_nor_logs_and_is_not_told_the_scan_exists(officer: User) -> None:
    case, *_ = factories.family(officer)
    scan = _letter(officer, case, ScanFile("letter.pdf", PDF)).scans.get()
    elsewhere = factories.user(Role.OFFICER_1, username="rankin-officer", office_code="RAN")

    with pytest.raises(NotFound):
        open_scan(viewer=elsewhere, scan_id=scan.pk)
    with pytest.raises(NotFound):
        open_scan(viewer=officer, scan_id=scan.pk + 1000)
    with pytest.raises(NotAuthorized):
        _letter(elsewhere, case)

    assert not AuditEvent.objects.filter(action="correspondence.scan_viewed").exists()
    assert list(correspondence_of_case(viewer=elsewhere, case=case)) == []


@pytest.mark.django_db
def test_a_scan_whose_stored_bytes_changed_is_not_served(officer: User) -> None:
    case, *_ = factories.family(officer)
    scan = _letter(officer, case, ScanFile("letter.pdf", PDF)).scans.get()
    path = storage.path_of(scan.sha256)
    path.chmod(0o600)
    path.write_bytes(PDF + b"tampered")

    with pytest.raises(AssertionError, match="does not match its hash"):
        open_scan(viewer=officer, scan_id=scan.pk)


@pytest.mark.django_db
def test_a_generated_document_is_logged_as_sent_to_its_person(officer: User) -> None:
    from opencse.ledger.notice import issue_notice_of_support_debt  # the engine's own letter

    case, _, _, obligor = factories.family(officer)
    document = issue_notice_of_support_debt(actor=officer, case=case, as_of=RECEIVED, issued_on=RECEIVED)

    entry = log_document_sent(actor=officer, document=document, channel="mail", dated_on=RECEIVED)

    assert (entry.direction, entry.channel, entry.document_id, entry.person_id) == (
        "out", "mail", document.pk, obligor.person.pk)  # fmt: skip
    assert entry.summary == "Notice of Support Debt, version 1"
    with pytest.raises(InvalidInputs):
        log_correspondence(actor=officer, case=case, direction="in", channel="mail", dated_on=RECEIVED,
                           summary="a received document?", document=document)  # fmt: skip
