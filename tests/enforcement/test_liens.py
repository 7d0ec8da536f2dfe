"""Liens on the obligor's real and personal property (42 U.S.C. 666(a)(4)): taken with where it is recorded and the
Notice of Lien for the arrears owed that day; the recording the clerk returns; the Release of Lien and the task to
file it whichever path released the action, completed when the filing is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from opencse.enforcement.actions import approve_action, release_action, take_action
from opencse.enforcement.facts import obligor_on_case, record_bankruptcy_stay
from opencse.enforcement.lien_models import Lien, PropertyKind
from opencse.enforcement.liens import LienProperty, add_lien, record_recording, record_release_filed, suggested_office
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.selectors import arrears_owed
from opencse.enforcement.sweep import sweep
from opencse.errors import Conflict, InvalidInputs
from opencse.people.services import add_address, set_family_violence
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.work.models import Completion, Task, TaskKind
from tests import factories
from tests.enforcement.test_agreements_and_release import JULY_1, _behind
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
TAKEN = date(2026, 8, 3)  # noticed by mail on 07/02: the 30-day window ends 08/01
PARCEL = LienProperty(property_kind=PropertyKind.REAL_PROPERTY, county="Hinds",
                      property_description="Parcel 123-45-678, Lot 4, Block B, Belhaven Heights",
                      recording_office="Circuit Clerk of Hinds County (judgment roll)")  # fmt: skip


def _lien_ready(officer: Any) -> tuple[Any, EnforcementAction]:
    """$3,000.00 of arrears; the lien proposed by the sweep, approved and its notice mailed 07/02."""
    case = _behind(officer)
    add_address(actor=officer, person=obligor_on_case(case), line1="4 Elm Street", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    sweep(as_of=JULY_1)
    lien = EnforcementAction.objects.get(case=case, remedy="lien")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-lien"), action=lien,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    return case, lien


def test_taking_the_lien_generates_the_notice_for_the_arrears_owed_that_day(officer: Any) -> None:
    case, action = _lien_ready(officer)

    taken = take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)

    assert taken.status == ActionStatus.TAKEN
    lien = Lien.objects.select_related("document").get(action=action)
    assert lien.amount == arrears_owed(case, on=TAKEN) and lien.amount > 0
    assert (lien.property_kind, lien.county, lien.dated_on) == ("real_property", "Hinds", TAKEN)
    assert lien.document.kind == "notice_of_lien"
    text = pdf_text(lien.document.pdf)
    assert f"${lien.amount:,}" in text and case.number in text and "Parcel 123-45-678" in text
    assert "42 U.S.C. 666(a)(4)" in text and "until the support is paid" in text
    assert "4 Elm Street" in text and "Circuit Clerk of Hinds County" in text
    assert AuditEvent.objects.filter(action="lien.filed", target_id=str(lien.pk)).exists()
    assert case.notes.filter(text__contains="Notice of Lien").exists()


def test_every_problem_with_the_lien_is_reported_at_once(officer: Any) -> None:
    _, action = _lien_ready(officer)

    with pytest.raises(InvalidInputs) as refused:
        take_action(actor=officer, action=action, taken_on=date(2026, 7, 20),
                    lien=LienProperty(property_kind=PropertyKind.REAL_PROPERTY))  # fmt: skip
    with pytest.raises(InvalidInputs) as nothing:
        take_action(actor=officer, action=action, taken_on=TAKEN)

    assert {e.field for e in refused.value.errors} == {"property_description", "county", "recording_office",
                                                       "taken_on"}  # fmt: skip
    assert [e.field for e in nothing.value.errors] == ["property_kind"]
    action.refresh_from_db()
    assert action.status == ActionStatus.NOTICED and not Lien.objects.exists()


def test_the_recording_the_clerk_returns_is_kept_once(officer: Any) -> None:
    case, action = _lien_ready(officer)
    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)
    lien = Lien.objects.get()

    with pytest.raises(InvalidInputs) as refused:
        record_recording(actor=officer, lien=lien, recorded_on=date(2026, 8, 1))
    assert {e.field for e in refused.value.errors} == {"recorded_on", "book_page"}

    record_recording(actor=officer, lien=lien, recorded_on=date(2026, 8, 10), book_page="Book 412, Page 88")
    lien.refresh_from_db()
    assert (lien.recorded_on, lien.book_page) == (date(2026, 8, 10), "Book 412, Page 88")
    with pytest.raises(Conflict):
        record_recording(actor=officer, lien=lien, recorded_on=date(2026, 8, 11), instrument_number="2026-1")
    assert AuditEvent.objects.filter(action="lien.recorded", target_id=str(lien.pk)).exists()
    assert case.notes.filter(text__contains="Book 412, Page 88").exists()


def test_a_vehicle_lien_is_added_to_a_taken_action_with_the_title_office_suggested(officer: Any) -> None:
    _, action = _lien_ready(officer)
    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)
    office = suggested_office(PropertyKind.MOTOR_VEHICLE)

    add_lien(actor=officer, action=action, on=date(2026, 8, 5),
             lien=LienProperty(property_kind=PropertyKind.MOTOR_VEHICLE, recording_office=office,
                               property_description="2019 Ford F-150, VIN 1FTEW1E50KFA00001"))  # fmt: skip

    assert office and "unconfirmed" in office
    assert Lien.objects.filter(action=action).count() == 2


def test_the_release_generates_a_release_of_lien_and_a_task_completed_when_it_is_filed(officer: Any) -> None:
    case, action = _lien_ready(officer)
    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)
    lien = Lien.objects.get()
    record_recording(actor=officer, lien=lien, recorded_on=date(2026, 8, 10), instrument_number="2026-004512")

    release_action(actor=officer, action=action, released_on=date(2026, 9, 1), reason="Paid in full")

    lien.refresh_from_db()
    assert lien.released_on == date(2026, 9, 1) and lien.release_document is not None
    assert lien.release_document.kind == "lien_release"
    text = pdf_text(lien.release_document.pdf)
    assert "releases" in text and "2026-004512" in text and "Paid in full" in text and "Hinds" in text
    task = Task.objects.get(case=case, kind=TaskKind.FILE_LIEN_RELEASE)
    assert task.completed_on is None and "Circuit Clerk of Hinds County" in task.detail

    with pytest.raises(InvalidInputs) as early:
        record_release_filed(actor=officer, lien=lien, filed_on=date(2026, 8, 31))
    assert early.value.errors[0].field == "filed_on"
    record_release_filed(actor=officer, lien=lien, filed_on=date(2026, 9, 4))

    task.refresh_from_db()
    lien.refresh_from_db()
    assert lien.release_filed_on == task.completed_on == date(2026, 9, 4)
    assert task.completion == Completion.BY_EVENT
    with pytest.raises(Conflict):
        record_release_filed(actor=officer, lien=lien, filed_on=date(2026, 9, 5))


def test_a_lien_released_by_a_bankruptcy_stay_gets_its_release_and_task_when_the_stay_is_recorded(
    officer: Any,
) -> None:
    case, action = _lien_ready(officer)
    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)

    record_bankruptcy_stay(actor=officer, case=case, petition_filed_on=date(2026, 8, 20), chapter="7",
                           court="U.S. Bankruptcy Court, Southern District of Mississippi",
                           court_case_number="26-04999-JAW", recorded_on=date(2026, 8, 21))  # fmt: skip

    action.refresh_from_db()
    assert action.status == ActionStatus.RELEASED
    lien = Lien.objects.get()
    assert lien.released_on == date(2026, 8, 21) and lien.release_document_id is not None
    assert "bankruptcy" in pdf_text(lien.release_document.pdf).lower()
    call_command("enforcement", "sweep", "--as-of", "2026-08-24")  # nothing is generated twice
    assert Lien.objects.get().release_document_id == lien.release_document_id
    assert Task.objects.filter(case=case, kind=TaskKind.FILE_LIEN_RELEASE, completed_on__isnull=True).count() == 1


def test_a_protected_obligors_address_is_never_printed_on_the_lien(officer: Any) -> None:
    case, action = _lien_ready(officer)
    set_family_violence(actor=officer, person=obligor_on_case(case), protected=True, since=date(2026, 7, 20))

    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)

    text = pdf_text(Lien.objects.get().document.pdf)
    assert "4 Elm Street" not in text and "Jackson" not in text
    assert "Parcel 123-45-678" in text


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_web_form_puts_every_error_beside_its_field_at_once_and_then_records_the_lien(officer: Any) -> None:
    case, action = _lien_ready(officer)
    client = _client(officer)
    url = f"/cases/{case.number}/liens/{action.pk}/take/"

    assert client.get(f"/cases/{case.number}/enforcement/{action.pk}/take/").url == url
    refused = client.post(url, {"taken_on": "2026-07-20", "property_kind": "real_property"})

    text = refused.content.decode()
    assert refused.status_code == 400
    for message in ("describe the property", "say the county", "say the office", "after the contest window"):
        assert message in text
    assert not Lien.objects.exists()

    done = client.post(url, {"taken_on": TAKEN.isoformat(), "property_kind": "real_property", "county": "Hinds",
                             "property_description": "Parcel 123-45-678",
                             "recording_office": "Circuit Clerk of Hinds County"})  # fmt: skip
    assert done.status_code == 302
    lien = Lien.objects.get()
    page = client.get(f"/cases/{case.number}/liens/{action.pk}/").content.decode()
    assert "Parcel 123-45-678" in page and f"/documents/{lien.document_id}.pdf" in page

    recorded = client.post(f"/cases/{case.number}/liens/{action.pk}/{lien.pk}/recording/",
                           {"recorded_on": "2026-08-10", "instrument_number": "2026-004512"})  # fmt: skip
    assert recorded.status_code == 302
    release_action(actor=officer, action=action, released_on=date(2026, 9, 1), reason="Paid in full")
    filed = client.post(f"/cases/{case.number}/liens/{action.pk}/{lien.pk}/release-filed/", {"filed_on": "2026-09-03"})
    assert filed.status_code == 302
    lien.refresh_from_db()
    assert (lien.instrument_number, lien.release_filed_on) == ("2026-004512", date(2026, 9, 3))


def test_a_viewer_sees_the_liens_but_may_not_record_one(officer: Any) -> None:
    case, action = _lien_ready(officer)
    auditor = _client(factories.user(Role.AUDITOR, username="lien-auditor"))

    assert auditor.get(f"/cases/{case.number}/liens/{action.pk}/").status_code == 200
    assert auditor.get(f"/cases/{case.number}/liens/{action.pk}/take/").status_code == 403
