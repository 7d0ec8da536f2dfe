"""A case closed under 45 CFR 303.11 ends its enforcement: the actions not taken are withdrawn, the taken ones
released, each with a step saying why, and the income withholding in force is terminated; by an officer's
closure and by the nightly batch after the 60-day notice alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from opencse.cases.models import CaseNote, MemberRole
from opencse.cases.services import add_member
from opencse.closure.services import close_cases_after_notice, propose_closure
from opencse.enforcement.actions import approve_action, take_action
from opencse.enforcement.agreements import propose_agreement
from opencse.enforcement.lien_models import Lien
from opencse.enforcement.liens import LienProperty
from opencse.enforcement.models import (
    Action,
    ActionStatus,
    ActionStep,
    AgreementEnd,
    AgreementStatus,
    EnforcementAction,
    IncomeWithholding,
)
from opencse.enforcement.services import issue_income_withholding
from opencse.enforcement.sweep import sweep
from opencse.orders.models import OrderTerm
from opencse.people.services import add_employment
from opencse.rules.closure import ClosureFacts
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.enforcement.test_agreements_and_release import JULY_1, _behind, _signed

HINDS_PARCEL = LienProperty(property_kind="real_property", county="Hinds", property_description="Lot 4, Block B",
                            recording_office="Circuit Clerk of Hinds County")  # fmt: skip
pytestmark = pytest.mark.django_db
CLOSED_ON = date(2026, 8, 10)


def _enforced(officer: Any) -> tuple[Any, EnforcementAction, IncomeWithholding]:
    """A delinquent case with the sweep's proposals, a lien taken and an income withholding order in force."""
    case = _behind(officer)
    sweep(as_of=JULY_1)
    lien = EnforcementAction.objects.get(case=case, remedy="lien")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-close"), action=lien,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    take_action(actor=officer, action=lien, taken_on=date(2026, 8, 3), lien=HINDS_PARCEL)
    obligor = OrderTerm.objects.get(case=case).obligor
    job = add_employment(actor=officer, person=obligor, employer_name="Gulf Coast Shipbuilding", fein="640123456",
                         verified=True)  # fmt: skip
    withholding = issue_income_withholding(actor=officer, case=case, employment=job, dated_on=date(2026, 7, 6))
    return case, lien, withholding


def test_closing_a_case_withdraws_its_proposals_releases_the_lien_and_terminates_the_withholding(officer: Any) -> None:
    case, lien, withholding = _enforced(officer)

    propose_closure(actor=officer, case=case, criterion="b12", facts=ClosureFacts(recipient_requested_closure=True),
                    note="Ms. Moreno asked in writing on 08/07/2026.", proposed_on=CLOSED_ON)  # fmt: skip

    statuses = set(EnforcementAction.objects.filter(case=case).exclude(pk=lien.pk).values_list("status", flat=True))
    assert statuses == {ActionStatus.WITHDRAWN}
    lien.refresh_from_db()
    assert (lien.status, lien.released_on) == (ActionStatus.RELEASED, CLOSED_ON)
    step = ActionStep.objects.get(action=lien, step="released")
    assert step.note == "The case was closed on 08/10/2026 (45 CFR 303.11): its enforcement ends."
    termination = IncomeWithholding.objects.get(replaces=withholding)
    assert (termination.action, termination.dated_on, termination.total_monthly) == (
        Action.TERMINATION, CLOSED_ON, Decimal("0.00"))  # fmt: skip
    assert termination.reason == "The child support case was closed on 08/10/2026: stop withholding for it."
    assert CaseNote.objects.filter(case=case, text__startswith="Enforcement stopped on 08/10/2026").count() == 1
    # The lien gets its Release of Lien on the closure, and the task to file it stays open on the closed case.
    (released,) = Lien.objects.filter(action=lien)
    assert released.release_document is not None and released.released_on == CLOSED_ON
    task = Task.objects.get(case=case, kind=TaskKind.FILE_LIEN_RELEASE)
    assert task.completed_on is None and task.source_key == f"lien-release:{released.pk}"
    assert (
        not Task.objects.filter(case=case, completed_on__isnull=True, event_on__lte=CLOSED_ON)
        .exclude(pk=task.pk)
        .exists()
    )


def test_the_batch_closing_after_the_notice_ends_enforcement_as_the_system(officer: Any) -> None:
    case, lien, withholding = _enforced(officer)
    add_member(actor=officer, case=case, person=factories.person(officer, first_name="Alicia", last_name="Moreno"),
               role=MemberRole.CUSTODIAL_PARTY)  # fmt: skip
    propose_closure(actor=officer, case=case, criterion="b1",
                    facts=ClosureFacts(has_current_order=False, arrears=Decimal("499.99")),
                    note="No order since the child emancipated.", proposed_on=CLOSED_ON)  # fmt: skip
    assert EnforcementAction.objects.get(pk=lien.pk).status == ActionStatus.TAKEN  # a notice alone ends nothing

    close_cases_after_notice(as_of=date(2026, 10, 9))  # 60 calendar days after 08/10/2026

    lien.refresh_from_db()
    assert (lien.status, lien.released_on) == (ActionStatus.RELEASED, date(2026, 10, 9))
    assert ActionStep.objects.get(action=lien, step="released").by.role == "system"
    assert not EnforcementAction.objects.filter(case=case, status__in=["proposed", "noticed", "taken"]).exists()
    assert IncomeWithholding.objects.get(replaces=withholding).dated_on == date(2026, 10, 9)


def test_closing_a_case_ends_its_agreement_in_effect_and_the_one_waiting(officer: Any) -> None:
    case = _behind(officer)
    signed = _signed(officer, case, starts_on=date(2026, 7, 1))
    other = _behind(officer)
    waiting = propose_agreement(actor=officer, case=other, monthly_amount=Decimal("100.00"), starts_on=JULY_1)

    for each in (case, other):
        propose_closure(actor=officer, case=each, criterion="b12",
                        facts=ClosureFacts(recipient_requested_closure=True), note="Asked in writing.",
                        proposed_on=CLOSED_ON)  # fmt: skip

    for agreement in (signed, waiting):
        agreement.refresh_from_db()
        assert (agreement.status, agreement.ended_on, agreement.end_reason) == (
            AgreementStatus.ENDED, CLOSED_ON, AgreementEnd.CASE_CLOSED)  # fmt: skip
    assert CaseNote.objects.filter(case=case, text__contains="ended on 08/10/2026: the case was closed").count() == 1
