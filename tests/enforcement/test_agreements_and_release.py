"""Payment agreements hold the remedies that name them while kept; missed, they break and the remedies resume;
the sweep releases an action once the debt is paid and withdraws a proposal no longer due."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opencse.enforcement.actions import approve_action, take_action
from opencse.enforcement.agreements import decide_agreement, end_agreement, propose_agreement
from opencse.enforcement.lien_models import Lien
from opencse.enforcement.liens import LienProperty
from opencse.enforcement.models import ActionStatus, ActionStep, AgreementStatus, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.errors import Conflict, InvalidInputs, NotAuthorized
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.services import post_collection
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.ledger.helpers import case_with_order

HINDS_PARCEL = LienProperty(property_kind="real_property", county="Hinds", property_description="Lot 4, Block B",
                            recording_office="Circuit Clerk of Hinds County")  # fmt: skip
pytestmark = pytest.mark.django_db
JULY_1 = date(2026, 7, 1)


def _behind(officer: object) -> object:
    """$500.00 a month from January 2026, nothing paid: $3,000.00 of arrears at the end of June."""
    case, _ = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 7, 31))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31),
                      date(2026, 6, 30)):  # fmt: skip
        roll_over(month_ending=month_end)
    return case


def _signed(officer: object, case: object, starts_on: date) -> object:
    agreement = propose_agreement(actor=officer, case=case, monthly_amount=Decimal("150.00"), starts_on=starts_on,
                                  terms="$150.00 a month on arrears, with current support")  # fmt: skip
    return decide_agreement(actor=factories.user(Role.OFFICER_2, username="seo2-agreement"), agreement=agreement,
                            approve=True)  # fmt: skip


def _proposed(case: object) -> set[str]:
    return set(
        EnforcementAction.objects.filter(case=case, status=ActionStatus.PROPOSED).values_list("remedy", flat=True)
    )


def test_a_kept_agreement_holds_the_license_suspension_but_not_the_tax_offset(officer: object) -> None:
    case = _behind(officer)
    _signed(officer, case, starts_on=date(2026, 6, 20))  # its first month still runs on July 1

    sweep(as_of=JULY_1)

    proposed = _proposed(case)
    assert "license_suspension" not in proposed and "contempt_referral" not in proposed
    assert "federal_tax_offset" in proposed  # 42 U.S.C. 664: the offset continues under an agreement


def test_a_missed_month_breaks_the_agreement_and_the_remedies_resume(officer: object) -> None:
    case = _behind(officer)
    agreement = _signed(officer, case, starts_on=date(2026, 5, 1))
    post_collection(actor=officer, case=case, amount=Decimal("100.00"), source="direct_payment",
                    collected_on=date(2026, 6, 15), received_on=date(2026, 6, 15))  # fmt: skip  # less than $150.00

    result = sweep(as_of=JULY_1)

    agreement.refresh_from_db()
    assert (agreement.status, agreement.broken_on, result.agreements_broken) == (AgreementStatus.BROKEN, JULY_1, 1)
    assert "license_suspension" in _proposed(case)


def test_a_month_paid_in_full_keeps_the_agreement(officer: object) -> None:
    case = _behind(officer)
    agreement = _signed(officer, case, starts_on=date(2026, 5, 1))
    post_collection(actor=officer, case=case, amount=Decimal("650.00"), source="income_withholding",
                    collected_on=date(2026, 6, 19), received_on=date(2026, 6, 22))  # fmt: skip

    sweep(as_of=JULY_1)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert "license_suspension" not in _proposed(case)


def test_nobody_signs_their_own_agreement_and_a_second_one_waits_for_the_first(officer: object) -> None:
    case = _behind(officer)
    seo2 = factories.user(Role.OFFICER_2, username="seo2-own")
    agreement = propose_agreement(actor=seo2, case=case, monthly_amount=Decimal("80.00"), starts_on=JULY_1)

    with pytest.raises(NotAuthorized):
        decide_agreement(actor=seo2, agreement=agreement, approve=True)
    with pytest.raises(Conflict):
        propose_agreement(actor=officer, case=case, monthly_amount=Decimal("90.00"), starts_on=JULY_1)
    too_late = timezone.localdate() + timedelta(days=91)  # more than 90 days from today, whatever today is
    with pytest.raises(InvalidInputs) as refused:
        propose_agreement(actor=officer, case=case, monthly_amount=Decimal("0"), starts_on=too_late)
    assert {error.field for error in refused.value.errors} == {"monthly_amount", "starts_on"}


def test_an_action_taken_is_released_by_the_sweep_once_the_debt_is_paid(officer: object) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    lien = EnforcementAction.objects.get(case=case, remedy="lien")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-lien"), action=lien, decided_on=date(2026, 7, 2),
                   service_method="mail")  # fmt: skip
    take_action(actor=officer, action=lien, taken_on=date(2026, 8, 3), lien=HINDS_PARCEL)
    # August's $500.00 current support first, then the $3,500.00 of arrears (January to July).
    post_collection(actor=officer, case=case, amount=Decimal("4000.00"), source="direct_payment",
                    collected_on=date(2026, 8, 10), received_on=date(2026, 8, 10))  # fmt: skip

    result = sweep(as_of=date(2026, 8, 11))

    lien.refresh_from_db()
    assert (lien.status, lien.released_on) == (ActionStatus.RELEASED, date(2026, 8, 11))
    assert ActionStep.objects.get(action=lien, step="released").note == "The past-due support is paid."
    assert result.released >= 1
    # The Release of Lien is generated in the same run, and the task to file it opened (`endings`).
    (recorded,) = Lien.objects.filter(action=lien)
    assert recorded.released_on == date(2026, 8, 11) and recorded.release_document_id is not None
    assert Task.objects.filter(case=case, kind=TaskKind.FILE_LIEN_RELEASE, completed_on__isnull=True).count() == 1
    # The proposals nobody decided are withdrawn: the case is no longer delinquent.
    assert not EnforcementAction.objects.filter(case=case, status=ActionStatus.PROPOSED).exists()
    assert result.withdrawn >= 1


def test_ending_a_kept_agreement_lets_the_held_remedies_resume_and_a_new_one_be_negotiated(officer: object) -> None:
    case = _behind(officer)
    agreement = _signed(officer, case, starts_on=date(2026, 6, 20))
    sweep(as_of=JULY_1)
    assert "license_suspension" not in _proposed(case)  # held while kept (its first month runs)

    end_agreement(actor=officer, agreement=agreement, ended_on=date(2026, 7, 6), reason="renegotiated")
    sweep(as_of=date(2026, 7, 7))

    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_on, agreement.end_reason) == ("ended", date(2026, 7, 6), "renegotiated")
    assert "license_suspension" in _proposed(case)
    assert AuditEvent.objects.filter(action="agreement.ended", target_id=str(agreement.pk)).count() == 1
    propose_agreement(actor=officer, case=case, monthly_amount=Decimal("200.00"), starts_on=date(2026, 7, 10))


def test_an_agreement_is_ended_once_with_every_error_at_once(officer: object) -> None:
    case = _behind(officer)
    agreement = _signed(officer, case, starts_on=date(2026, 6, 20))
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(InvalidInputs) as refused:
        end_agreement(actor=officer, agreement=agreement, ended_on=tomorrow, reason="ended_by_officer", note=" ")
    assert {error.field for error in refused.value.errors} == {"ended_on", "note"}
    end_agreement(actor=officer, agreement=agreement, ended_on=date(2026, 7, 6), reason="paid_off")
    with pytest.raises(Conflict):
        end_agreement(actor=officer, agreement=agreement, ended_on=date(2026, 7, 6), reason="paid_off")
    with pytest.raises(NotAuthorized):
        end_agreement(actor=factories.user(Role.AUDITOR, username="auditor-end"), agreement=agreement,
                      ended_on=date(2026, 7, 6), reason="paid_off")  # fmt: skip
