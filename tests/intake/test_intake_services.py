"""Intake services: importing a referral file (idempotent, rejected lines kept), matching, opening the case in
one step, rejecting, and the end to end of a TANF referral becoming an open case within the 45 CFR 303.2(b) clock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from opencse.errors import Conflict, InvalidInputs, NotAuthorized
from opencse.intake.models import Referral, ReferralImport, Status
from opencse.intake.selectors import intake_queue
from opencse.intake.services import (
    close_referral,
    import_referral_file,
    match_referral,
    open_case_from_referral,
)
from opencse.people.models import Person
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.intake.referral_files import GOOD

RECEIVED = date(2026, 3, 2)  # the file's creation date; the referrals are dated 02/26 and 02/27
pytestmark = pytest.mark.django_db


def _new_people(referral: Referral) -> dict[int, int | None]:
    return {party.pk: None for party in referral.parties.all()}


def test_a_file_puts_each_referral_in_the_queue_and_a_resent_file_opens_nothing_twice(
    system: Any, referral_file: Path
) -> None:
    first = import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    again = import_referral_file(actor=system, path=referral_file, received_on=RECEIVED + timedelta(days=1))

    assert (first.referrals, first.new, first.already_received, first.rejected_lines) == (2, 2, 0, 0)
    assert (again.referrals, again.new, again.already_received) == (2, 0, 2)
    assert again.same_file_as == first
    assert Referral.objects.count() == 2
    assert set(Referral.objects.values_list("received_on", flat=True)) == {RECEIVED}  # the first receipt counts
    tanf = Referral.objects.get(referral_id="R1001")
    assert (tanf.program, tanf.status, tanf.parties.count()) == ("current_assistance", "received", 4)
    assert tanf.parties.get(role="custodial_party").ssn_masked == "***-**-6789"  # kept encrypted, shown masked


def test_a_referral_in_another_file_is_not_queued_again_and_bad_lines_are_kept(system: Any, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    import_referral_file(actor=system, path=tmp_path / "a.txt", received_on=RECEIVED)
    other = GOOD.replace("F20260302-01", "F20260303-01").replace("|20260302\n", "|20260303\n")
    other = other.replace("CH|M2002|Okafor|Chidi||20150101||M|||||", "CH|M2002|Okafor|Chidi||20151301||M|||||")
    (tmp_path / "b.txt").write_text(other)

    second = import_referral_file(actor=system, path=tmp_path / "b.txt", received_on=RECEIVED + timedelta(days=1))

    assert (second.new, second.already_received, second.same_file_as) == (0, 1, None)
    rejected = {row.line_number: row.reason for row in second.rejections.all()}
    assert rejected[9] == "the date of birth 20151301 is not a real date"
    assert rejected[7].startswith("referral M2002 was not accepted: line 9")


def test_the_command_imports_as_the_system_actor_and_says_what_it_did(referral_file: Path, db: None) -> None:
    from io import StringIO

    out = StringIO()
    call_command("intake", "import", str(referral_file), "--received-on", "2026-03-02", stdout=out)
    call_command("intake", "import", str(referral_file), "--received-on", "2026-03-03", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "tanf-20260302.txt: 2 referrals, 2 new in the intake queue, 0 already received" \
        " (nothing opened twice), 0 lines rejected"  # fmt: skip
    assert "0 new in the intake queue, 2 already received" in lines[1]
    assert "this file was imported before" in lines[2]
    assert ReferralImport.objects.order_by("pk").first().imported_by.role == Role.SYSTEM


def test_the_queue_shows_the_case_opening_deadline_soonest_first(system: Any, referral_file: Path) -> None:
    import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    earlier = GOOD.replace("R1001", "R0999").replace("M2002", "M1998")
    (referral_file.parent / "earlier.txt").write_text(earlier)
    import_referral_file(actor=system, path=referral_file.parent / "earlier.txt", received_on=date(2026, 2, 27))
    officer = factories.user(Role.OFFICER_1)

    rows = intake_queue(viewer=officer)

    # 45 CFR 303.2(b): within 20 calendar days of the referral; day 0 is the day received (domain/timeframes.md)
    assert [row.deadline.due for row in rows if row.deadline] == [date(2026, 3, 19)] * 2 + [date(2026, 3, 22)] * 2
    assert rows[0].deadline is not None and rows[0].deadline.reference == "45 CFR 303.2(b)"


def test_matching_finds_a_person_by_ssn_and_by_name_and_date_of_birth_and_the_case_joining_them(
    system: Any, referral_file: Path
) -> None:
    officer = factories.user(Role.OFFICER_1)
    marisol = factories.person(officer, first_name="Marisol", last_name="Delgado", date_of_birth=date(1990, 4, 12),
                               ssn="212-45-6789")  # fmt: skip
    raymond = factories.person(officer, first_name="Ray", last_name="Fontaine", date_of_birth=date(1988, 1, 9), sex="M")
    factories.person(officer, first_name="Marisol", last_name="Delgado", date_of_birth=date(1971, 1, 1))
    case = factories.case(officer)
    from opencse.cases.services import add_member

    add_member(actor=officer, case=case, person=marisol, role="custodial_party")
    add_member(actor=officer, case=case, person=raymond, role="noncustodial_parent")
    import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    referral = Referral.objects.get(referral_id="R1001")

    matches = match_referral(actor=officer, referral=referral)

    found = {match.party.role: [(c.person, c.how) for c in match.candidates] for match in matches.parties}
    assert found["custodial_party"] == [(marisol, "same SSN")]  # the 1971 namesake is not offered: SSN first
    assert found["noncustodial_parent"] == [(raymond, "same name and date of birth")]  # "Ray" for "Raymond"
    assert matches.cases == (case,)
    assert AuditEvent.objects.filter(action="intake.matched", target_id=str(referral.pk)).exists()
    # choosing them and opening is refused: that case already joins the same parents
    choices = _new_people(referral) | {
        next(p.pk for p in referral.parties.all() if p.role == "custodial_party"): marisol.pk,
        next(p.pk for p in referral.parties.all() if p.role == "noncustodial_parent"): raymond.pk,
    }
    with pytest.raises(Conflict, match=f"Case {case.number} is already open with the same people"):
        open_case_from_referral(actor=officer, referral=referral, choices=choices, opened_on=RECEIVED)
    close_referral(actor=officer, referral=referral, status="duplicate", reason="Same family", duplicate_of=case.number)
    referral.refresh_from_db()
    assert (referral.status, referral.duplicate_of, referral.reason) == ("duplicate", case, "Same family")
    assert AuditEvent.objects.filter(action="intake.duplicate", target_id=str(referral.pk)).exists()


def test_a_tanf_referral_file_becomes_an_open_case_within_the_clock(system: Any, referral_file: Path) -> None:
    """End to end: file imported -> queue -> case opened -> the case-opening task due 20 days after receipt."""
    import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    officer = factories.user(Role.OFFICER_1)
    (row, *_) = intake_queue(viewer=officer)
    referral = row.referral
    assert referral.referral_id == "R1001"

    match_referral(actor=officer, referral=referral)
    case = open_case_from_referral(actor=officer, referral=referral, choices=_new_people(referral),
                                   opened_on=date(2026, 3, 10))  # fmt: skip

    referral.refresh_from_db()
    assert (referral.status, referral.case) == (Status.OPENED, case)
    assert (case.program, case.referral_received_on, case.opened_on) == ("current_assistance", RECEIVED,
                                                                          date(2026, 3, 10))  # fmt: skip
    roles = sorted(case.members.values_list("role", flat=True))
    assert roles == ["custodial_party", "dependent_child", "dependent_child", "noncustodial_parent"]
    custodial = case.members.get(role="custodial_party").person
    assert custodial.ssn_masked == "***-**-6789"
    address = custodial.addresses.get()
    assert (address.line1, address.source, address.verification) == ("45 Pecan Lane", "agency", "unverified")
    task = Task.objects.get(case=case, kind=TaskKind.CASE_OPENING)
    # 45 CFR 303.2(b): 20 calendar days from the referral's receipt (03/02/2026), not from the opening
    assert (task.event_on, task.due_on) == (RECEIVED, date(2026, 3, 22))
    assert task.clock == "referral_received.open_case"
    assert intake_queue(viewer=officer)[0].referral.referral_id == "M2002"  # the opened one left the queue
    with pytest.raises(Conflict, match="already decided"):
        open_case_from_referral(actor=officer, referral=referral, choices=_new_people(referral))


def test_a_family_violence_indicator_protects_the_custodial_party_and_children_when_the_case_opens(
    system: Any, referral_file: Path
) -> None:
    import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    officer = factories.user(Role.OFFICER_1)
    referral = Referral.objects.get(referral_id="M2002")  # family violence "Y" in the file

    case = open_case_from_referral(actor=officer, referral=referral, choices=_new_people(referral))

    assert case.program == "medicaid_only"
    flags = {m.role: m.person.family_violence for m in case.members.select_related("person")}
    assert flags == {"custodial_party": True, "dependent_child": True}
    assert Person.objects.get(last_name="Okafor", first_name="Grace").family_violence_since == RECEIVED


def test_every_party_must_be_decided_and_a_technician_may_not_decide(system: Any, referral_file: Path) -> None:
    import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    referral = Referral.objects.get(referral_id="R1001")
    officer = factories.user(Role.OFFICER_1)
    with pytest.raises(InvalidInputs) as refused:
        open_case_from_referral(actor=officer, referral=referral, choices={})
    assert len(refused.value.errors) == 4  # one per party, all at once
    with pytest.raises(NotAuthorized):
        open_case_from_referral(actor=factories.user(Role.TECHNICIAN), referral=referral,
                                choices=_new_people(referral))  # fmt: skip
    with pytest.raises(InvalidInputs) as refused:
        close_referral(actor=officer, referral=referral, status="rejected", reason=" ")
    assert [error.field for error in refused.value.errors] == ["reason"]
    close_referral(actor=officer, referral=referral, status="rejected", reason="Not a IV-D family")
    assert Referral.objects.get(pk=referral.pk).status == "rejected"


def test_reading_a_referral_without_deciding_is_audited(system: Any, referral_file: Path) -> None:
    from tests.web.conftest import signed_in

    import_referral_file(actor=system, path=referral_file, received_on=RECEIVED)
    referral = Referral.objects.get(referral_id="R1001")
    page = signed_in(Role.AUDITOR).get(f"/intake/{referral.pk}/").content.decode()
    assert "Marisol Delgado" in page and "Open the case</button>" not in page  # an auditor reads, does not decide
    assert AuditEvent.objects.filter(action="intake.viewed", target_id=str(referral.pk)).count() == 1
