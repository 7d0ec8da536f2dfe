"""The paternity services: naming alleged fathers, acknowledgments (rescind, challenge, finalize), genetic tests
and the court's determination. Dates and periods are cited beside each expected value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencse.cases.models import CaseMember
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotAuthorized
from opencse.paternity.models import AcknowledgmentStatus, Challenge, PaternityStatus, Status
from opencse.paternity.selectors import current_status, current_status_value, history
from opencse.paternity.services import (
    finalize_acknowledgments,
    name_alleged_father,
    order_genetic_test,
    record_acknowledgment,
    record_challenge,
    record_determination,
    record_test_appointment,
    record_test_result,
    rescind_acknowledgment,
)
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.paternity.conftest import PaternityCase

pytestmark = pytest.mark.django_db


def _acknowledge(family: PaternityCase, signed_on: date = date(2026, 3, 2)) -> object:
    return record_acknowledgment(actor=family.officer, case=family.case, child=family.child, father=family.father,
                                 signed_on=signed_on, filed_on=signed_on)  # fmt: skip


def test_naming_an_alleged_father_makes_him_a_member_and_each_child_alleged(family: PaternityCase) -> None:
    member = CaseMember.objects.get(case=family.case, person=family.father)

    assert member.role == "alleged_father" and member.left_on is None
    assert current_status_value(case=family.case, child=family.child) == Status.ALLEGED
    assert current_status_value(case=family.case, child=family.sibling) == Status.ALLEGED
    assert AuditEvent.objects.filter(action="paternity.alleged_father_named").count() == 2


def test_naming_reports_every_bad_field_at_once(family: PaternityCase) -> None:
    other = factories.person(family.officer, first_name="Ray", last_name="Dunn", sex="M")

    with pytest.raises(InvalidInputs) as refused:
        name_alleged_father(actor=family.officer, case=family.case, father=other, children=[family.mother],
                            named_on=date(2999, 1, 1))  # fmt: skip

    assert {error.field for error in refused.value.errors} == {"named_on", "children"}


def test_an_acknowledgment_may_be_rescinded_until_the_60th_day(family: PaternityCase) -> None:
    # 42 U.S.C. 666(a)(5)(D)(ii): signed Mon Mar 2, 2026 -> the 60th day is Fri May 1, 2026.
    acknowledgment = _acknowledge(family)

    assert acknowledgment.rescission_ends_on == date(2026, 5, 1)
    assert current_status_value(case=family.case, child=family.child) == Status.ACKNOWLEDGED

    rescind_acknowledgment(actor=family.officer, acknowledgment=acknowledgment, rescinded_on=date(2026, 5, 1),
                           signatory="father", note="Signed before the test he wanted")  # fmt: skip

    acknowledgment.refresh_from_db()
    assert acknowledgment.status == AcknowledgmentStatus.RESCINDED
    assert current_status_value(case=family.case, child=family.child) == Status.ALLEGED


def test_a_rescission_after_the_period_is_refused_and_changes_nothing(family: PaternityCase) -> None:
    acknowledgment = _acknowledge(family)
    rows = PaternityStatus.objects.count()

    with pytest.raises(Conflict, match="05/01/2026"):
        rescind_acknowledgment(actor=family.officer, acknowledgment=acknowledgment, rescinded_on=date(2026, 5, 2),
                               signatory="mother")  # fmt: skip

    acknowledgment.refresh_from_db()
    assert acknowledgment.status == AcknowledgmentStatus.IN_EFFECT
    assert PaternityStatus.objects.count() == rows


def test_a_proceeding_cuts_the_rescission_period_short(family: PaternityCase) -> None:
    # 666(a)(5)(D)(ii)(II): a support proceeding on Mon Apr 6, 2026 ends it that day.
    acknowledgment = record_acknowledgment(actor=family.officer, case=family.case, child=family.child,
                                           father=family.father, signed_on=date(2026, 3, 2),
                                           filed_on=date(2026, 3, 3), proceeding_on=date(2026, 4, 6))  # fmt: skip

    assert acknowledgment.rescission_ends_on == date(2026, 4, 6)


def test_a_challenge_needs_a_ground_of_the_statute_and_comes_after_the_period(family: PaternityCase) -> None:
    acknowledgment = _acknowledge(family)

    with pytest.raises(InvalidInputs) as refused:
        record_challenge(actor=family.officer, acknowledgment=acknowledgment, ground="changed_his_mind",
                         filed_on=date(2026, 4, 1), filed_by="father")  # fmt: skip

    assert {error.field for error in refused.value.errors} == {"ground", "filed_on"}
    assert not Challenge.objects.exists()


def test_a_challenge_for_fraud_is_recorded_and_suspends_nothing(family: PaternityCase) -> None:
    # 666(a)(5)(D)(iii): after the 60 days, fraud is a ground; obligations are not suspended.
    acknowledgment = _acknowledge(family)

    record_challenge(actor=family.officer, acknowledgment=acknowledgment, ground="fraud", filed_on=date(2026, 6, 1),
                     filed_by="father", note="Says the mother misled him")  # fmt: skip

    assert Challenge.objects.get().ground == "fraud"
    assert current_status_value(case=family.case, child=family.child) == Status.ACKNOWLEDGED


def test_an_acknowledgment_establishes_paternity_after_the_rescission_period(family: PaternityCase) -> None:
    """End to end (issue #20): signed Mar 2, 2026; the rescission period ends May 1 (42 U.S.C.
    666(a)(5)(D)(ii)); the nightly batch establishes it from May 2, once."""
    acknowledgment = _acknowledge(family)

    assert finalize_acknowledgments(as_of=date(2026, 5, 1)).established == 0
    call_command("paternity", "finalize", "--as-of", "2026-05-02")
    second = finalize_acknowledgments(as_of=date(2026, 5, 3))

    acknowledgment.refresh_from_db()
    status = current_status(case=family.case, child=family.child)
    assert acknowledgment.status == AcknowledgmentStatus.ESTABLISHED
    assert acknowledgment.established_on == date(2026, 5, 2)
    assert status is not None and status.established and status.status == Status.ACKNOWLEDGED
    assert status.effective_on == date(2026, 5, 2) and status.recorded_by.role == Role.SYSTEM
    assert second.established == 0
    assert PaternityStatus.objects.filter(source_key__startswith="acknowledgment:").count() == 1
    assert AuditEvent.objects.filter(action="paternity.acknowledgment_established").count() == 1


def _test_with_result(family: PaternityCase, probability: str, index: str | None, excludes: bool = False) -> object:
    test = order_genetic_test(actor=family.officer, case=family.case, child=family.child, father=family.father,
                              ordered_on=date(2026, 3, 16))  # fmt: skip
    record_test_appointment(actor=family.officer, test=test, appointment_on=date(2026, 3, 30),
                            place="Hinds County Health Department")  # fmt: skip
    return record_test_result(actor=family.officer, test=test, lab="LabCorp DNA Identity",
                              received_on=date(2026, 4, 20),
                              probability=Decimal(probability), combined_index=Decimal(index) if index else None,
                              lab_excludes=excludes)  # fmt: skip


def test_a_genetic_test_above_the_threshold_produces_a_referral(family: PaternityCase) -> None:
    """End to end (issue #20): Mississippi presumes paternity at 98% (Miss. Code Ann. 93-9-27(2)); the case is
    referred to the staff attorney, due on the 45 CFR 303.4(d) clock: 90 calendar days from Mon Apr 20,
    2026 is Sun Jul 19, 2026 (domain/timeframes.md, 2.3)."""
    from opencse.work.models import Task, TaskKind

    test = _test_with_result(family, "99.97", "3400")

    task = Task.objects.get(case=family.case, kind=TaskKind.REFER_PATERNITY)
    assert test.finding == "presumed"
    assert current_status_value(case=family.case, child=family.child) == Status.PRESUMED
    assert task.due_on == date(2026, 7, 19) and task.event_on == date(2026, 4, 20)
    assert task.clock_reference == "45 CFR 303.4(d)"
    assert task.owner == family.case.assigned_worker
    assert TaskKind.REFER_PATERNITY.label == "Refer to the staff attorney to establish paternity"


def test_a_result_under_the_threshold_is_inconclusive_and_changes_no_status(family: PaternityCase) -> None:
    from opencse.work.models import Task

    test = _test_with_result(family, "97.5", "39")

    assert test.finding == "inconclusive"
    assert current_status_value(case=family.case, child=family.child) == Status.ALLEGED
    assert not Task.objects.filter(case=family.case, kind="refer_paternity").exists()


def test_an_exclusion_makes_the_father_unknown_and_keeps_him_alleged_for_the_other_child(family: PaternityCase) -> None:
    _test_with_result(family, "0", "0", excludes=True)

    rows = [row.status for row in history(case=family.case, child=family.child)]
    membership = CaseMember.objects.get(case=family.case, person=family.father, role="alleged_father")
    assert rows[:2] == [Status.UNKNOWN, Status.EXCLUDED]
    # Still alleged for the sibling: his membership stays until he is excluded for every child.
    assert membership.left_on is None
    assert current_status_value(case=family.case, child=family.sibling) == Status.ALLEGED


def test_an_exclusion_for_every_child_ends_his_membership(family: PaternityCase) -> None:
    for child in (family.child, family.sibling):
        record_determination(actor=family.officer, case=family.case, child=child, father=family.father,
                             outcome="excluded", order_signed_on=date(2026, 6, 8),
                             court="Hinds County Chancery Court")  # fmt: skip

    membership = CaseMember.objects.get(case=family.case, person=family.father, role="alleged_father")
    assert membership.left_on == date(2026, 6, 8)
    assert current_status_value(case=family.case, child=family.sibling) == Status.UNKNOWN


def test_an_exclusion_leaves_the_child_alleged_when_another_alleged_father_remains(family: PaternityCase) -> None:
    other = factories.person(family.officer, first_name="Ray", last_name="Dunn", sex="M")
    name_alleged_father(actor=family.officer, case=family.case, father=other, children=[family.child],
                        named_on=date(2026, 3, 10))  # fmt: skip

    _test_with_result(family, "0", "0", excludes=True)

    current = current_status(case=family.case, child=family.child)
    assert current is not None and current.status == Status.ALLEGED and current.father == other


def test_the_courts_adjudication_establishes_paternity(family: PaternityCase) -> None:
    record_determination(actor=family.officer, case=family.case, child=family.child, father=family.father,
                         outcome="adjudicated", order_signed_on=date(2026, 6, 8),
                         court="Hinds County Chancery Court", docket_number="2026-0412")  # fmt: skip

    current = current_status(case=family.case, child=family.child)
    assert current is not None and current.status == Status.ADJUDICATED and current.established
    assert "2026-0412" in current.reason


def test_a_technician_may_not_enter_the_courts_determination(family: PaternityCase) -> None:
    technician = factories.user(Role.TECHNICIAN, username="paternity-tech")

    with pytest.raises(NotAuthorized):
        record_determination(actor=technician, case=family.case, child=family.child, father=family.father,
                             outcome="adjudicated", order_signed_on=date(2026, 6, 8), court="Hinds County")  # fmt: skip


def test_a_test_of_a_man_not_named_is_refused_on_the_father_field(family: PaternityCase) -> None:
    other = factories.person(family.officer, first_name="Ray", last_name="Dunn", sex="M")

    with pytest.raises(InvalidInput) as refused:
        order_genetic_test(actor=family.officer, case=family.case, child=family.child, father=other,
                           ordered_on=date(2026, 3, 16))  # fmt: skip

    assert refused.value.field == "father"


def test_a_result_before_the_order_and_without_a_lab_is_refused_with_both_fields(family: PaternityCase) -> None:
    test = order_genetic_test(actor=family.officer, case=family.case, child=family.child, father=family.father,
                              ordered_on=date(2026, 3, 16))  # fmt: skip

    with pytest.raises(InvalidInputs) as refused:
        record_test_result(actor=family.officer, test=test, lab=" ", received_on=date(2026, 3, 1),
                           probability=Decimal("101"), combined_index=None)  # fmt: skip

    assert {error.field for error in refused.value.errors} == {"received_on", "lab", "probability"}


def test_the_status_history_is_append_only_in_the_database(family: PaternityCase) -> None:
    from django.db import DatabaseError, transaction

    row = PaternityStatus.objects.filter(case=family.case).first()
    assert row is not None

    with pytest.raises(DatabaseError), transaction.atomic():
        PaternityStatus.objects.filter(pk=row.pk).update(status=Status.ADJUDICATED)
    with pytest.raises(DatabaseError), transaction.atomic():
        PaternityStatus.objects.filter(pk=row.pk).delete()

    row.refresh_from_db()
    assert row.status == Status.ALLEGED


def test_a_signing_date_at_the_end_of_the_calendar_is_refused_not_a_crash(family: PaternityCase) -> None:
    with pytest.raises(InvalidInput) as refused:
        record_acknowledgment(actor=family.officer, case=family.case, child=family.child, father=family.father,
                              signed_on=date.max, filed_on=date.max)  # fmt: skip

    assert refused.value.field == "signed_on"
