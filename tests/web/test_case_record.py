"""Keeping the case record on the web: close, edit, reassign, end a membership, correct a note inline."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, CaseNote, ClosureReason, NoteKind
from opencse.cases.services import add_member, add_note, close_case
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.factories import CLOSURE_NOTE
from tests.web.conftest import HTMX, Family, signed_in

pytestmark = pytest.mark.django_db

LOCATION_UNKNOWN = "b5"


def _officer(family: Family) -> Client:
    client = Client()
    client.force_login(family.officer)
    return client


def _close(client: Client, case: Case, **overrides: str) -> object:
    data = {"reason": LOCATION_UNKNOWN, "closed_on": "2026-06-01", "note": "Locate sources exhausted for 2 years."}
    data.update(overrides)
    return client.post(f"/cases/{case.number}/close/", data)


# Closing


def test_closing_a_case_records_the_reason_and_puts_the_closure_in_the_timeline(family: Family) -> None:
    client = _officer(family)

    response = _close(client, family.case)

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{family.case.number}/"
    case = Case.objects.get(pk=family.case.pk)
    assert (case.closed_on, case.closure_reason) == (date(2026, 6, 1), LOCATION_UNKNOWN)
    note = CaseNote.objects.get(case=case)
    assert note.kind == NoteKind.SYSTEM
    assert "303.11(b)(5)-(6)" in note.text
    assert "Locate sources exhausted for 2 years." in note.text
    assert AuditEvent.objects.filter(action="case.closed", case_number=case.number).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Closed</span>" in page
    assert "06/01/2026: 303.11(b)(5)-(6): noncustodial parent&#x27;s location unknown" in page
    assert "closed on 06/01/2026" in page  # the confirmation
    assert ">Close case</a>" not in page


def test_the_close_form_offers_the_303_11_b_reasons(family: Family) -> None:
    response = _officer(family).get(f"/cases/{family.case.number}/close/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<option value="b20">303.11(b)(20)-(21): initiating agency closed or asked to close</option>' in body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"reason": ""}, "reason"), ({"note": "   "}, "note"), ({"closed_on": "2026-03-01"}, "closed_on")],
    ids=["no reason", "no note", "before opening"],
)
def test_a_refused_closure_is_explained_beside_its_field_and_changes_nothing(
    family: Family, overrides: dict[str, str], field: str
) -> None:
    response = _close(_officer(family), family.case, **overrides)

    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in body
    assert Case.objects.get(pk=family.case.pk).closed_on is None
    assert not CaseNote.objects.filter(case=family.case).exists()
    assert not AuditEvent.objects.filter(action="case.closed").exists()


def test_a_technician_sees_no_close_button_and_is_refused(family: Family) -> None:
    client = signed_in(Role.TECHNICIAN)

    page = client.get(f"/cases/{family.case.number}/").content.decode()
    response = _close(client, family.case)

    assert ">Close case</a>" not in page
    assert response.status_code == 403
    assert Case.objects.get(pk=family.case.pk).closed_on is None


def test_an_officer_of_another_office_cannot_close_the_case(family: Family) -> None:
    response = _close(signed_in(Role.OFFICER_1, office_code="HAR"), family.case)

    assert response.status_code == 404
    assert Case.objects.get(pk=family.case.pk).closed_on is None


def test_a_closed_case_cannot_be_closed_edited_or_reassigned_again(family: Family) -> None:
    close_case(actor=family.officer, case=family.case, reason="b14", closed_on=date(2026, 5, 1), note=CLOSURE_NOTE)
    supervisor = signed_in(Role.SUPERVISOR)

    closing = _close(_officer(family), family.case)
    editing = _officer(family).post(f"/cases/{family.case.number}/edit/", {"program": "former_assistance"})
    assigning = supervisor.post(f"/cases/{family.case.number}/assign/", {"worker": str(family.officer.pk)})

    assert (closing.status_code, editing.status_code, assigning.status_code) == (409, 409, 409)
    assert "is closed since 05/01/2026" in closing.content.decode()
    case = Case.objects.get(pk=family.case.pk)
    assert (case.closure_reason, case.program) == ("b14", "never_assistance")


# Editing


def test_editing_a_case_changes_program_category_and_other_jurisdiction_and_audits_it(family: Family) -> None:
    data = {"program": "former_assistance", "category": "interstate_initiating", "other_jurisdiction": "AL"}

    response = _officer(family).post(f"/cases/{family.case.number}/edit/", data)

    assert response.status_code == 302
    case = Case.objects.get(pk=family.case.pk)
    assert (case.program, case.category) == ("former_assistance", "interstate_initiating")
    assert case.other_jurisdiction == "AL"
    event = AuditEvent.objects.get(action="case.updated", case_number=case.number)
    assert event.before == {"program": "never_assistance", "category": "in_state", "other_jurisdiction": ""}


def test_the_edit_form_starts_from_the_case_as_it_is(family: Family) -> None:
    body = _officer(family).get(f"/cases/{family.case.number}/edit/").content.decode()

    assert '<option value="never_assistance" selected>' in body


def test_an_unknown_program_is_refused_beside_the_field(family: Family) -> None:
    data = {"program": "lottery", "category": "in_state", "other_jurisdiction": ""}

    response = _officer(family).post(f"/cases/{family.case.number}/edit/", data)

    assert response.status_code == 400
    assert 'id="id_program-error"' in response.content.decode()
    assert Case.objects.get(pk=family.case.pk).program == "never_assistance"


# Reassigning


def test_a_supervisor_reassigns_the_case_to_a_worker_of_its_office(family: Family) -> None:
    colleague = factories.user(Role.OFFICER_2, username="colleague")
    elsewhere = factories.user(Role.OFFICER_2, username="elsewhere", office_code="HAR")
    client = signed_in(Role.SUPERVISOR)

    form = client.get(f"/cases/{family.case.number}/assign/").content.decode()
    response = client.post(f"/cases/{family.case.number}/assign/", {"worker": str(colleague.pk)})

    assert f'<option value="{colleague.pk}">' in form
    assert f'value="{elsewhere.pk}"' not in form
    assert response.status_code == 302
    assert Case.objects.get(pk=family.case.pk).assigned_worker == colleague
    assert AuditEvent.objects.filter(action="case.assigned", case_number=family.case.number).count() == 1


def test_a_worker_of_another_office_cannot_be_chosen(family: Family) -> None:
    elsewhere = factories.user(Role.OFFICER_2, username="elsewhere", office_code="HAR")

    response = signed_in(Role.SUPERVISOR).post(f"/cases/{family.case.number}/assign/", {"worker": str(elsewhere.pk)})

    assert response.status_code == 400
    assert 'id="id_worker-error"' in response.content.decode()
    assert Case.objects.get(pk=family.case.pk).assigned_worker == family.officer


def test_an_officer_sees_no_reassign_button_and_is_refused(family: Family) -> None:
    client = _officer(family)
    colleague = factories.user(Role.OFFICER_2, username="colleague")

    page = client.get(f"/cases/{family.case.number}/").content.decode()
    response = client.post(f"/cases/{family.case.number}/assign/", {"worker": str(colleague.pk)})

    assert ">Reassign</a>" not in page
    assert ">Edit case</a>" in page
    assert response.status_code == 403
    assert Case.objects.get(pk=family.case.pk).assigned_worker == family.officer


# Ending a membership


def test_ending_a_membership_dates_it_and_keeps_the_member_in_the_history(family: Family) -> None:
    client = _officer(family)

    today = timezone.localdate()  # the factory's members joined today

    response = client.post(f"/cases/{family.case.number}/members/{family.child.pk}/end/", {"left_on": str(today)})

    assert response.status_code == 302
    assert CaseMember.objects.get(pk=family.child.pk).left_on == today
    page = client.get(f"/cases/{family.case.number}/").content.decode()
    assert f"(left {today:%m/%d/%Y})" in page
    assert AuditEvent.objects.filter(action="case.member_left", target_id=str(family.child.pk)).count() == 1


def test_a_membership_cannot_end_before_it_began_or_end_twice(family: Family) -> None:
    client = _officer(family)
    url = f"/cases/{family.case.number}/members/{family.child.pk}/end/"

    today = timezone.localdate()  # the factory's members joined today

    early = client.post(url, {"left_on": "2020-01-01"})
    client.post(url, {"left_on": str(today)})
    again = client.post(url, {"left_on": str(today)})

    assert early.status_code == 400
    assert "cannot be before the person joined the case" in early.content.decode()
    assert 'id="id_left_on-error"' in early.content.decode()
    assert again.status_code == 409
    assert "already left the case in this role" in again.content.decode()
    assert CaseMember.objects.get(pk=family.child.pk).left_on == today


def test_a_member_of_another_case_is_not_found(family: Family) -> None:
    other_case = factories.case(family.officer)
    other = add_member(actor=family.officer, case=other_case, person=family.child.person, role="dependent_child")

    response = _officer(family).post(
        f"/cases/{family.case.number}/members/{other.pk}/end/", {"left_on": str(timezone.localdate())}
    )

    assert response.status_code == 404
    assert CaseMember.objects.get(pk=other.pk).left_on is None


# Correcting a note


def _note(family: Family, text: str = "Obligor said he works at the shipyard.") -> CaseNote:
    return add_note(actor=family.officer, case=family.case, kind="phone", text=text)


def test_correct_opens_an_inline_form_under_the_note(family: Family) -> None:
    note = _note(family)

    response = _officer(family).get(f"/cases/{family.case.number}/notes/{note.pk}/correct/", **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<form")
    assert f'data-testid="correct-form-{note.pk}"' in body
    assert "<html" not in body


def test_a_correction_is_a_new_note_pointing_back_and_the_original_is_marked_corrected(family: Family) -> None:
    note = _note(family)

    response = _officer(family).post(
        f"/cases/{family.case.number}/notes/{note.pk}/correct/",
        {f"correct-{note.pk}-text": "He works at the paper mill, not the shipyard."},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#timeline", "outerHTML")
    correction = CaseNote.objects.get(case=family.case, kind=NoteKind.CORRECTION)
    assert correction.corrects == note
    assert CaseNote.objects.get(pk=note.pk).text == "Obligor said he works at the shipyard."
    assert "Obligor said he works at the shipyard." in body
    assert "He works at the paper mill, not the shipyard." in body
    assert f'href="#note-{correction.pk}">see the correction of' in body
    assert f'corrects <a class="usa-link" href="#note-{note.pk}">' in body


def test_an_uncorrected_note_is_not_marked_corrected(family: Family) -> None:
    _note(family)

    page = _officer(family).get(f"/cases/{family.case.number}/").content.decode()

    assert ">Corrected</span>" not in page
    assert ">Correct</a>" in page


def test_an_empty_correction_is_refused_in_the_inline_form_and_nothing_is_written(family: Family) -> None:
    note = _note(family)

    response = _officer(family).post(
        f"/cases/{family.case.number}/notes/{note.pk}/correct/", {f"correct-{note.pk}-text": "  "}, **HTMX
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith("<form")
    assert f'id="id_correct-{note.pk}-text-error"' in body
    assert not CaseNote.objects.filter(kind=NoteKind.CORRECTION).exists()


def test_without_htmx_a_correction_has_its_own_page_and_returns_to_the_case(family: Family) -> None:
    note = _note(family)
    client = _officer(family)
    url = f"/cases/{family.case.number}/notes/{note.pk}/correct/"

    page = client.get(url).content.decode()
    response = client.post(url, {f"correct-{note.pk}-text": "Wrong employer named."})

    assert "<html" in page
    assert "Obligor said he works at the shipyard." in page
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{family.case.number}/"
    assert CaseNote.objects.get(kind=NoteKind.CORRECTION).corrects == note


def test_an_auditor_sees_no_correct_button_and_may_not_correct(family: Family) -> None:
    note = _note(family)
    client = signed_in(Role.AUDITOR)

    page = client.get(f"/cases/{family.case.number}/").content.decode()
    response = client.post(
        f"/cases/{family.case.number}/notes/{note.pk}/correct/", {f"correct-{note.pk}-text": "No."}, **HTMX
    )

    assert ">Correct</a>" not in page
    assert response.status_code == 403
    assert not CaseNote.objects.filter(kind=NoteKind.CORRECTION).exists()


def test_a_note_of_another_case_cannot_be_corrected_from_this_one(family: Family) -> None:
    other_case = factories.case(family.officer)
    other_note = add_note(actor=family.officer, case=other_case, kind="mail", text="Sent packet.")

    response = _officer(family).post(
        f"/cases/{family.case.number}/notes/{other_note.pk}/correct/",
        {f"correct-{other_note.pk}-text": "Packet returned."},
    )

    assert response.status_code == 404
    assert not CaseNote.objects.filter(kind=NoteKind.CORRECTION).exists()


def test_the_web_and_the_api_close_a_case_identically(family: Family) -> None:
    """One service closes a case: the same closure, the same timeline note, the same audit rows, from either door."""
    other = factories.case(family.officer)
    data = {"reason": LOCATION_UNKNOWN, "closed_on": "2026-06-01", "note": "Locate sources exhausted for 2 years."}

    by_web = _close(_officer(family), family.case)
    by_api = _officer(family).post(f"/api/v1/cases/{other.number}/close", data, content_type="application/json")

    assert (by_web.status_code, by_api.status_code) == (302, 200)

    def closure(case: Case) -> tuple[object, ...]:
        case.refresh_from_db()
        notes = [(note.kind, note.text) for note in CaseNote.objects.filter(case=case)]
        actions = sorted(AuditEvent.objects.filter(case_number=case.number).values_list("action", flat=True))
        return (
            case.closed_on,
            case.closure_reason,
            notes,
            [a for a in actions if a in ("case.closed", "case.note_added")],
        )

    web_closure, api_closure = closure(family.case), closure(other)
    assert web_closure == api_closure
    assert web_closure[2] == [
        (
            NoteKind.SYSTEM,
            "Case closed on 06/01/2026 under "
            f"{ClosureReason(LOCATION_UNKNOWN).label}.\nLocate sources exhausted for 2 years.",
        )
    ]


def test_the_api_refuses_a_closure_without_the_reason_it_is_met(family: Family) -> None:
    response = _officer(family).post(
        f"/api/v1/cases/{family.case.number}/close",
        {"reason": LOCATION_UNKNOWN, "closed_on": "2026-06-01", "note": " "},
        content_type="application/json",
    )

    assert response.status_code == 400 and "note" in response.content.decode()
    assert Case.objects.get(pk=family.case.pk).closed_on is None
