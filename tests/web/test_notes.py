"""Adding a note to the case timeline, in place with htmx."""

from __future__ import annotations

import pytest
from django.test import Client

from opencse.cases.models import CaseNote
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests.web.conftest import HTMX, Family, signed_in

pytestmark = pytest.mark.django_db


def test_adding_a_note_with_htmx_returns_the_timeline_with_the_note_and_audits_it(family: Family) -> None:
    client = Client()
    client.force_login(family.officer)

    response = client.post(
        f"/cases/{family.case.number}/notes/", {"kind": "phone", "text": "Obligor called about the order."}, **HTMX
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="timeline"')
    assert "Obligor called about the order." in body
    note = CaseNote.objects.get(case=family.case)
    assert (note.kind, note.author) == ("phone", family.officer)
    assert AuditEvent.objects.filter(action="case.note_added", case_number=family.case.number).count() == 1


def test_adding_a_note_without_htmx_returns_to_the_case_page(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    response = client.post(f"/cases/{family.case.number}/notes/", {"kind": "mail", "text": "Sent the intake packet."})

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{family.case.number}/"
    assert CaseNote.objects.filter(case=family.case, text="Sent the intake packet.").exists()


def test_an_empty_note_is_refused_beside_the_field_and_nothing_is_written(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    response = client.post(f"/cases/{family.case.number}/notes/", {"kind": "phone", "text": "   "}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_text-error"' in body
    assert "usa-form-group--error" in body
    assert not CaseNote.objects.filter(case=family.case).exists()


def test_an_unknown_kind_of_note_is_refused_beside_the_field(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    response = client.post(f"/cases/{family.case.number}/notes/", {"kind": "gossip", "text": "Hello"}, **HTMX)

    assert response.status_code == 400
    assert 'id="id_kind-error"' in response.content.decode()
    assert not CaseNote.objects.filter(case=family.case).exists()


def test_an_auditor_may_read_the_case_but_not_add_a_note(family: Family) -> None:
    client = signed_in(Role.AUDITOR)

    page = client.get(f"/cases/{family.case.number}/")
    response = client.post(f"/cases/{family.case.number}/notes/", {"kind": "phone", "text": "Audit note"}, **HTMX)

    assert page.status_code == 200
    assert "Add note" not in page.content.decode()
    assert response.status_code == 403
    assert not CaseNote.objects.filter(case=family.case).exists()


def test_a_note_on_another_offices_case_is_a_404_and_writes_nothing(family: Family) -> None:
    client = signed_in(Role.OFFICER_1, office_code="HAR")

    response = client.post(f"/cases/{family.case.number}/notes/", {"kind": "phone", "text": "Wrong office"})

    assert response.status_code == 404
    assert not CaseNote.objects.filter(case=family.case).exists()


def test_the_case_page_shows_the_50_latest_notes_and_the_older_ones_when_asked(family: Family) -> None:
    from opencse.cases.selectors import TIMELINE_SHOWN
    from opencse.cases.services import add_note

    for index in range(TIMELINE_SHOWN + 1):  # 51 notes: the first one written is the oldest
        add_note(actor=family.officer, case=family.case, kind="phone", text=f"Call number {index}.")
    client = Client()
    client.force_login(family.officer)

    page = client.get(f"/cases/{family.case.number}/").content.decode()
    older = client.get(f"/cases/{family.case.number}/?notes=older").content.decode()

    assert page.count('data-testid="note-') == TIMELINE_SHOWN == 50
    assert "Call number 50." in page and "Call number 0." not in page
    assert "?notes=older#timeline" in page
    assert older.count('data-testid="note-') == 51 and "Call number 0." in older
    assert 'data-testid="older-notes"' not in older
