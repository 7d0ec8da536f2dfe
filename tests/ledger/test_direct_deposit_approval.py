"""A new or changed direct deposit account needs a second officer (issue #16, finding 13): until an officer
with signature authority approves it, payouts keep going where they went before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from opencse.cases.services import add_member
from opencse.errors import Conflict, NotAuthorized
from opencse.ledger.direct_deposit import approve_direct_deposit, reject_direct_deposit, request_direct_deposit
from opencse.ledger.disbursement import run_disbursements
from opencse.ledger.models import DirectDeposit, DirectDepositRequest, PaymentMethod, Payout
from opencse.ledger.services import post_collection
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order

OLD_ACCOUNT, NEW_ACCOUNT = "111122223333", "444455556666"


@pytest.fixture
def signer(db: None) -> Any:
    return factories.user(Role.OFFICER_2, username="signer")


def _family(officer: Any) -> tuple[Any, Any]:
    case, _ = case_with_order(officer, monthly="300.00")
    person = factories.person(officer, first_name="Alicia", last_name="Moreno")
    add_member(actor=officer, case=case, person=person, role="custodial_party")
    return case, person


def _pay_and_run(officer: Any, signer: Any, case: Any, *, paid_on: date, run_on: date) -> str:
    post_collection(actor=officer, case=case, amount=Decimal("300.00"), source="income_withholding",
                    collected_on=paid_on, received_on=paid_on)  # fmt: skip
    return run_disbursements(actor=signer, run_on=run_on).run.nacha_file


def _new_account(actor: Any, person: Any) -> DirectDepositRequest:
    return request_direct_deposit(actor=actor, person=person, routing_number="061000104", account_number=NEW_ACCOUNT,
                                  account_type="checking", starts_on=date(2026, 2, 1))  # fmt: skip


@pytest.mark.django_db
def test_a_technicians_change_pays_the_old_account_until_an_seo2_approves_it(
    officer: Any, technician: Any, signer: Any
) -> None:
    case, person = _family(officer)
    factories.direct_deposit(officer, person=person, routing_number="061000104", account_number=OLD_ACCOUNT,
                             account_type="checking", starts_on=date(2026, 1, 1))  # fmt: skip

    change = _new_account(technician, person)
    before = _pay_and_run(officer, signer, case, paid_on=date(2026, 2, 13), run_on=date(2026, 2, 17))
    with pytest.raises(NotAuthorized):
        approve_direct_deposit(actor=technician, deposit_request=change)  # no signature authority
    approve_direct_deposit(actor=signer, deposit_request=change, note="Called the payee to confirm")
    after = _pay_and_run(officer, signer, case, paid_on=date(2026, 2, 20), run_on=date(2026, 2, 24))

    assert OLD_ACCOUNT in before and NEW_ACCOUNT not in before
    assert NEW_ACCOUNT in after and OLD_ACCOUNT not in after
    assert list(Payout.objects.filter(case=case).values_list("method", flat=True)) == [PaymentMethod.EFT] * 2
    in_effect = DirectDeposit.objects.get(person=person, ends_on=None)
    assert in_effect.account_last4 == "6666" and in_effect.request.decided_by == signer
    assert DirectDeposit.objects.get(person=person, account_last4="3333").ends_on == date(2026, 1, 31)
    assert AuditEvent.objects.filter(action="direct_deposit.requested", actor=technician).count() == 1
    assert AuditEvent.objects.filter(action="direct_deposit.approved", actor=signer).count() == 1


@pytest.mark.django_db
def test_a_first_account_is_not_paid_before_approval_the_check_goes_on(officer: Any, signer: Any) -> None:
    case, person = _family(officer)
    from opencse.people.services import add_address

    add_address(actor=officer, person=person, line1="118 Magnolia Street", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    _new_account(officer, person)

    nacha = _pay_and_run(officer, signer, case, paid_on=date(2026, 2, 13), run_on=date(2026, 2, 17))

    assert NEW_ACCOUNT not in nacha
    assert Payout.objects.get(case=case).method == PaymentMethod.CHECK


@pytest.mark.django_db
def test_the_requester_cannot_approve_or_reject_their_own_change(officer: Any, signer: Any) -> None:
    _, person = _family(officer)
    change = _new_account(signer, person)  # an SEO 2 asks: another officer must still decide

    with pytest.raises(NotAuthorized):
        approve_direct_deposit(actor=signer, deposit_request=change)
    with pytest.raises(NotAuthorized):
        reject_direct_deposit(actor=signer, deposit_request=change, note="mine")
    supervisor = factories.user(Role.SUPERVISOR, username="sup")
    reject_direct_deposit(actor=supervisor, deposit_request=change, note="The form was not signed")

    change.refresh_from_db()
    assert change.status == "rejected" and change.deposit is None
    assert not DirectDeposit.objects.filter(person=person).exists()
    with pytest.raises(Conflict):
        approve_direct_deposit(actor=supervisor, deposit_request=change)  # already decided


@pytest.mark.django_db
def test_one_change_waits_at_a_time(officer: Any, technician: Any) -> None:
    _, person = _family(officer)
    _new_account(technician, person)

    with pytest.raises(Conflict):
        _new_account(officer, person)


@pytest.mark.django_db
def test_the_change_waits_on_the_approvals_page_and_is_approved_there(
    officer: Any, technician: Any, signer: Any
) -> None:
    _, person = _family(officer)
    change = _new_account(technician, person)
    seo2, requester = Client(), Client()
    seo2.force_login(signer)
    requester.force_login(technician)

    page = seo2.get("/approvals/").content.decode()
    refused = requester.post(f"/approvals/direct-deposit/{change.pk}/", {"decision": "approve"})
    approved = seo2.post(f"/approvals/direct-deposit/{change.pk}/", {"decision": "approve", "note": ""})
    person_page = seo2.get(f"/people/{person.pk}/").content.decode()

    assert f'data-testid="deposit-request-{change.pk}"' in page and "****6666" in page
    assert NEW_ACCOUNT not in page
    assert refused.status_code == 403
    assert approved.status_code == 302
    assert "Waiting for approval" not in person_page and "****6666" in person_page
    assert DirectDeposit.objects.get(person=person, ends_on=None).account_last4 == "6666"


@pytest.mark.django_db
def test_an_seo2_requester_is_refused_on_the_approvals_page(officer: Any, signer: Any) -> None:
    _, person = _family(officer)
    change = _new_account(signer, person)
    client = Client()
    client.force_login(signer)

    response = client.post(f"/approvals/direct-deposit/{change.pk}/", {"decision": "approve"})

    assert response.status_code == 403
    assert "You may not approve or reject your own request." in response.content.decode()
    assert not DirectDeposit.objects.filter(person=person).exists()
