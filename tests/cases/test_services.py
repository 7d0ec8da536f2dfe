"""Opening, working and closing cases through the services."""

from __future__ import annotations

from datetime import date

import pytest

from opencse.cases.models import CaseMember, CaseNote
from opencse.cases.selectors import case_for_viewer, caseload, search_cases, visible_cases
from opencse.cases.services import add_member, add_note, close_case
from opencse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from opencse.people.services import search_people
from opencse.security.roles import Role
from tests import factories
from tests.factories import CLOSURE_NOTE


@pytest.mark.django_db
def test_case_numbers_are_state_year_and_sequence_and_never_repeat(officer: object) -> None:
    first = factories.case(officer)
    second = factories.case(officer)

    assert first.number == "MS260000001"
    assert second.number == "MS260000002"


@pytest.mark.django_db
def test_a_case_cannot_open_before_its_referral(officer: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        factories.case(officer, referral_received_on=date(2026, 3, 5), opened_on=date(2026, 3, 4))

    assert refused.value.field == "opened_on"


@pytest.mark.django_db
def test_adding_a_member_to_a_closed_case_is_refused_and_writes_nothing(officer: object) -> None:
    case = factories.case(officer)
    close_case(actor=officer, case=case, reason="b14", closed_on=date(2026, 4, 1), note=CLOSURE_NOTE)
    person = factories.person(officer)

    with pytest.raises(Conflict):
        add_member(actor=officer, case=case, person=person, role="custodial_party")

    assert not CaseMember.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_one_noncustodial_parent_can_be_on_several_cases(officer: object) -> None:
    first, _, _, obligor = factories.family(officer)
    second = factories.case(officer)

    add_member(actor=officer, case=second, person=obligor.person, role="noncustodial_parent")

    assert obligor.person.memberships.count() == 2
    boone = search_people(actor=officer, name="Boone")
    assert list(search_cases(viewer=officer, members=boone)) == [first, second]


@pytest.mark.django_db
def test_a_worker_sees_only_their_offices_cases_and_an_attorney_sees_all(officer: object) -> None:
    case = factories.case(officer)
    elsewhere = factories.user(Role.OFFICER_1, office_code="HAR")
    attorney = factories.user(Role.STAFF_ATTORNEY)

    with pytest.raises(NotFound):
        case_for_viewer(viewer=elsewhere, number=case.number)

    assert case_for_viewer(viewer=attorney, number=case.number) == case
    assert not visible_cases(elsewhere).exists()


@pytest.mark.django_db
def test_an_administrator_sees_no_case_data() -> None:
    admin = factories.user(Role.ADMINISTRATOR)

    assert not visible_cases(admin).exists()


@pytest.mark.django_db
def test_the_caseload_lists_the_workers_open_cases(officer: object) -> None:
    open_case = factories.case(officer)
    closed = factories.case(officer)
    close_case(actor=officer, case=closed, reason="b14", closed_on=date(2026, 4, 1), note=CLOSURE_NOTE)

    assert list(caseload(viewer=officer)) == [open_case]


@pytest.mark.django_db
def test_a_correction_note_points_back_and_the_original_stays(officer: object) -> None:
    case = factories.case(officer)
    original = add_note(actor=officer, case=case, kind="phone", text="Spoke with the obligor on 3/5.")

    correction = add_note(actor=officer, case=case, kind="correction", text="The call was on 3/6.", corrects=original)

    assert correction.corrects == original
    assert CaseNote.objects.get(pk=original.pk).text == "Spoke with the obligor on 3/5."


@pytest.mark.django_db
def test_an_empty_note_is_refused(officer: object) -> None:
    case = factories.case(officer)

    with pytest.raises(InvalidInput) as refused:
        add_note(actor=officer, case=case, kind="phone", text="   ")

    assert refused.value.field == "text"


@pytest.mark.django_db
def test_a_technician_may_not_close_a_case(technician: object) -> None:
    case = factories.case(technician)

    with pytest.raises(NotAuthorized):
        close_case(actor=technician, case=case, reason="b14", closed_on=date(2026, 4, 1), note=CLOSURE_NOTE)

    assert case.notes.count() == 0
