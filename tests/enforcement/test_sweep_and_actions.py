"""The delinquency sweep proposes the remedies a case qualifies for; an officer with signature authority
approves with a notice; a contest holds the action; after the window it is taken; payment releases it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencse.cases.models import CaseNote
from opencse.documents.services import open_document
from opencse.enforcement.actions import (
    approve_action,
    decide_contest,
    record_contest,
    record_service,
    reject_action,
    release_action,
    take_action,
)
from opencse.enforcement.models import ActionStatus, ActionStep, EnforcementAction, SweepRun
from opencse.enforcement.sweep import arrears_by_case, monthly_support, sweep
from opencse.errors import Conflict, InvalidInput, NotAuthorized
from opencse.ledger.accrual import accrue, roll_over
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from opencse.work.models import Completion, Task, TaskKind
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
JULY_1 = date(2026, 7, 1)


def _behind(officer: object, months: int, monthly: str = "500.00") -> object:
    """$500.00 a month from January 2026, nothing paid, `months` months rolled into arrears."""
    case, _ = case_with_order(officer, monthly=monthly)
    accrue(through=date(2026, 6, 30))
    ends = [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]
    for month_end in ends[:months]:
        roll_over(month_ending=month_end)
    return case


def _action(case: object, remedy: str) -> EnforcementAction:
    return EnforcementAction.objects.get(case=case, remedy=remedy)


def test_the_sweep_reads_monthly_support_and_arrears_set_based(officer: object) -> None:
    case = _behind(officer, months=6)

    assert monthly_support(as_of=JULY_1)[case.pk] == Decimal("500.00")
    assert arrears_by_case(as_of=JULY_1)[case.pk] == Decimal("3000.00")


def test_a_delinquent_case_gets_each_remedy_it_qualifies_for_proposed_once(officer: object) -> None:
    """$3,000.00 owed, six months of $500.00 (Mississippi): offset ($500), passport (> $2,500), license (2 months),
    credit ($1,000), levy (1 month), lien ($500), contempt (3 months), state offset ($500)."""
    case = _behind(officer, months=6)

    result = sweep(as_of=JULY_1)
    again = sweep(as_of=JULY_1)

    proposed = set(EnforcementAction.objects.filter(case=case).values_list("remedy", flat=True))
    assert proposed == {"federal_tax_offset", "passport_denial", "license_suspension", "credit_bureau_reporting",
                        "financial_institution_levy", "lien", "contempt_referral", "state_tax_offset"}  # fmt: skip
    assert (result.delinquent, result.proposed, again.proposed) == (1, 8, 0)
    assert all(a.status == ActionStatus.PROPOSED and a.proposed_by == system_actor()
               for a in EnforcementAction.objects.all())  # fmt: skip
    # Each proposal has its step; the run has its record and one audit row (not one per proposal).
    assert ActionStep.objects.filter(action__case=case, step="proposed", by=system_actor()).count() == 8
    run = SweepRun.objects.get(as_of=JULY_1, proposed=8)
    assert run.by_remedy["passport_denial"] == 1 and SweepRun.objects.filter(as_of=JULY_1, proposed=0).exists()
    audited = AuditEvent.objects.filter(action="enforcement.sweep", target_id=str(run.pk)).get()
    assert audited.after["proposed"] == 8 and not AuditEvent.objects.filter(action="enforcement.proposed").exists()
    # 45 CFR 303.6(c)(2): act within 30 calendar days of identifying the delinquency.
    task = Task.objects.get(case=case, kind=TaskKind.ENFORCEMENT)
    assert task.due_on == JULY_1 + timedelta(days=30)


def test_less_than_one_months_support_unpaid_is_not_a_delinquency(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 1, 31))  # January charged, not yet rolled into arrears: nothing past due

    assert sweep(as_of=date(2026, 1, 31)).proposed == 0
    assert not EnforcementAction.objects.filter(case=case).exists()


def test_two_months_behind_qualifies_for_fewer_remedies(officer: object) -> None:
    case = _behind(officer, months=2)  # $1,000.00 owed

    sweep(as_of=JULY_1)

    proposed = set(EnforcementAction.objects.filter(case=case).values_list("remedy", flat=True))
    assert "passport_denial" not in proposed and "contempt_referral" not in proposed
    assert {"federal_tax_offset", "license_suspension", "credit_bureau_reporting"} <= proposed


def _approved(officer: object, remedy: str = "passport_denial") -> EnforcementAction:
    case = _behind(officer, months=6)
    sweep(as_of=JULY_1)
    seo2 = factories.user(Role.OFFICER_2, username="seo2-approver")
    return approve_action(actor=seo2, action=_action(case, remedy), decided_on=date(2026, 7, 2), service_method="mail",
                          note="Arrears verified against the ledger")  # fmt: skip


def test_approval_sends_the_notice_and_opens_the_contest_window(officer: object) -> None:
    action = _approved(officer)

    assert action.status == ActionStatus.NOTICED
    assert (action.served_on, action.contest_ends_on) == (date(2026, 7, 2), date(2026, 8, 1))  # mail; 30 days
    text = pdf_text(open_document(viewer=officer, document_id=action.notice_id).pdf)
    assert "Passport denial certification" in text and "$3,000.00" in text and "within 30 days" in text
    assert CaseNote.objects.filter(case=action.case, text__contains="Passport denial certification: approved").exists()


def test_an_officer_1_may_not_approve_and_nobody_approves_their_own_proposal(officer: object) -> None:
    case = _behind(officer, months=6)
    sweep(as_of=JULY_1)
    action = _action(case, "lien")

    with pytest.raises(NotAuthorized):
        approve_action(actor=officer, action=action, decided_on=JULY_1, service_method="mail")
    action.proposed_by = factories.user(Role.OFFICER_2, username="seo2-proposer")
    action.save(update_fields=["proposed_by"])
    with pytest.raises(NotAuthorized):
        approve_action(actor=action.proposed_by, action=action, decided_on=JULY_1, service_method="mail")


def test_a_service_method_the_remedy_does_not_allow_is_refused_naming_the_field(officer: object) -> None:
    case = _behind(officer, months=6)
    sweep(as_of=JULY_1)
    seo2 = factories.user(Role.OFFICER_2, username="seo2-levy")

    with pytest.raises(InvalidInput) as refused:  # the levy's notice goes by certified mail
        approve_action(actor=seo2, action=_action(case, "financial_institution_levy"), decided_on=JULY_1,
                       service_method="mail")  # fmt: skip

    assert refused.value.field == "service_method"


def test_a_contest_in_the_window_holds_the_action_until_decided(officer: object) -> None:
    action = _approved(officer)

    record_contest(actor=officer, action=action, received_on=date(2026, 7, 20), note="Says the amount is wrong")
    with pytest.raises(Conflict):
        take_action(actor=officer, action=action, taken_on=date(2026, 8, 5))
    supervisor = factories.user(Role.SUPERVISOR, username="sup-contest")
    decide_contest(actor=supervisor, action=action, decided_on=date(2026, 8, 10), for_obligor=False,
                   note="The ledger shows the amount is right")  # fmt: skip
    taken = take_action(actor=officer, action=action, taken_on=date(2026, 8, 11))

    assert taken.status == ActionStatus.TAKEN
    steps = list(ActionStep.objects.filter(action=action).order_by("on", "pk").values_list("step", flat=True))
    assert steps == ["proposed", "approved", "contested", "contest_denied", "taken"]


def test_a_contest_after_the_window_is_refused_and_the_action_waits_for_the_window(officer: object) -> None:
    action = _approved(officer)

    with pytest.raises(InvalidInput) as late:
        record_contest(actor=officer, action=action, received_on=date(2026, 8, 2), note="Late")
    with pytest.raises(InvalidInput) as early:
        take_action(actor=officer, action=action, taken_on=date(2026, 8, 1))

    assert (late.value.field, early.value.field) == ("received_on", "taken_on")


def test_a_contest_decided_for_the_obligor_withdraws_the_action(officer: object) -> None:
    action = _approved(officer)
    record_contest(actor=officer, action=action, received_on=date(2026, 7, 10), note="Not my child")

    done = decide_contest(actor=factories.user(Role.SUPERVISOR, username="sup-grant"), action=action,
                          decided_on=date(2026, 7, 30), for_obligor=True, note="Wrong person")  # fmt: skip

    assert done.status == ActionStatus.WITHDRAWN


def test_certified_mail_starts_the_window_on_the_day_of_service(officer: object) -> None:
    case = _behind(officer, months=6)
    sweep(as_of=JULY_1)
    seo2 = factories.user(Role.OFFICER_2, username="seo2-certified")
    action = approve_action(actor=seo2, action=_action(case, "financial_institution_levy"), decided_on=date(2026, 7, 2),
                            service_method="certified_mail")  # fmt: skip
    assert action.contest_ends_on is None

    served = record_service(actor=officer, action=action, served_on=date(2026, 7, 6))

    assert served.contest_ends_on == date(2026, 7, 26)  # 20 days (params/us/remedies.yaml)


def test_rejecting_needs_a_reason_and_is_not_proposed_again_for_90_days(officer: object) -> None:
    case = _behind(officer, months=6)
    sweep(as_of=JULY_1)
    seo2 = factories.user(Role.OFFICER_2, username="seo2-reject")
    action = _action(case, "credit_bureau_reporting")

    with pytest.raises(InvalidInput):
        reject_action(actor=seo2, action=action, decided_on=JULY_1, note=" ")
    reject_action(actor=seo2, action=action, decided_on=JULY_1, note="Obligor disabled; review pending")
    sweep(as_of=date(2026, 7, 15))

    assert EnforcementAction.objects.filter(case=case, remedy="credit_bureau_reporting").count() == 1


def test_deciding_every_proposal_completes_the_enforcement_task(officer: object) -> None:
    case = _behind(officer, months=2)
    sweep(as_of=JULY_1)
    seo2 = factories.user(Role.OFFICER_2, username="seo2-all")
    for action in EnforcementAction.objects.filter(case=case):
        reject_action(actor=seo2, action=action, decided_on=date(2026, 7, 3), note="Agreement being negotiated")

    task = Task.objects.get(case=case, kind=TaskKind.ENFORCEMENT)
    assert (task.completed_on, task.completion) == (date(2026, 7, 3), Completion.BY_EVENT)


def test_end_to_end_sweep_proposal_approval_notice_window_action_release(officer: object) -> None:
    """The issue's evidence: a delinquent case through sweep, proposal, approval, notice, contest window, action
    and release."""
    action = _approved(officer, remedy="license_suspension")  # Mississippi: 90 days to pay or agree
    assert action.contest_ends_on == date(2026, 9, 30)
    with pytest.raises(InvalidInput):
        take_action(actor=officer, action=action, taken_on=date(2026, 9, 30))

    taken = take_action(actor=officer, action=action, taken_on=date(2026, 10, 1), note="Certified to licensing")
    released = release_action(actor=officer, action=taken, released_on=date(2026, 11, 2),
                              reason="Payment plan signed and first payment made")  # fmt: skip

    assert released.status == ActionStatus.RELEASED
    assert list(ActionStep.objects.filter(action=action).order_by("on", "pk").values_list("step", flat=True)) == [
        "proposed", "approved", "taken", "released"]  # fmt: skip
    with pytest.raises(Conflict):
        release_action(actor=officer, action=released, released_on=date(2026, 11, 3), reason="Again")


def test_a_contempt_referral_has_no_agency_notice_approval_is_the_referral(officer: object) -> None:
    case = _behind(officer, months=6)
    sweep(as_of=JULY_1)
    supervisor = factories.user(Role.SUPERVISOR, username="sup-contempt")
    finding = "Works full time at Gulf Coast Shipbuilding (new hire 05/2026), $3,100 a month gross; paid nothing."

    # Turner v. Rogers, 564 U.S. 431 (2011): ability to pay is the critical question; the remedy's data asks for it.
    with pytest.raises(InvalidInput) as refused:
        approve_action(actor=supervisor, action=_action(case, "contempt_referral"), decided_on=date(2026, 7, 2),
                       service_method="", note="Refer", ability_to_pay="He can pay")  # fmt: skip
    referred = approve_action(actor=supervisor, action=_action(case, "contempt_referral"), decided_on=date(2026, 7, 2),
                              service_method="", note="Refer", ability_to_pay=finding)  # fmt: skip

    assert refused.value.field == "ability_to_pay" and "Turner v. Rogers" in refused.value.message
    assert (referred.status, referred.taken_on, referred.notice_id) == (ActionStatus.TAKEN, date(2026, 7, 2), None)
    assert referred.ability_to_pay == finding
    # Other remedies do not ask for it: a levy is approved without one.
    levy = approve_action(actor=supervisor, action=_action(case, "lien"), decided_on=date(2026, 7, 2),
                          service_method="mail")  # fmt: skip
    assert levy.status == ActionStatus.NOTICED and levy.ability_to_pay == ""


def test_the_command_reports_the_proposals(officer: object, capsys: pytest.CaptureFixture[str]) -> None:
    _behind(officer, months=6)

    call_command("enforcement", "sweep", "--as-of", "2026-07-01")

    out = capsys.readouterr().out
    assert "1 delinquent, 8 actions proposed" in out and "passport_denial: 1" in out
