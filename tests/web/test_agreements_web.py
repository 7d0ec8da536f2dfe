"""The payment agreement pages: negotiated by an officer (every error at once beside its field), listed with
whether each is kept this month, waiting in the one approval queue, and signed or rejected by an SEO 2 or
supervisor other than the one who negotiated it (the two-person rule, `common.approval`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opencse.enforcement.agreements import decide_agreement, propose_agreement
from opencse.enforcement.models import AgreementStatus, PaymentAgreement
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _case() -> tuple[object, object]:
    officer = factories.user(Role.OFFICER_1, username="agreement-officer")
    case, _ = case_with_order(officer, monthly="400.00")
    return officer, case


def test_an_officer_negotiates_an_agreement_and_it_waits_in_the_approval_queue() -> None:
    _, case = _case()
    officer = signed_in(Role.OFFICER_1, username="agreement-web-1")
    today = timezone.localdate()

    form = {"monthly_amount": "150.00", "starts_on": today.isoformat(), "terms": "By the 15th"}
    sent = officer.post(f"/cases/{case.number}/agreements/new/", form)

    assert sent.status_code == 302
    agreement = PaymentAgreement.objects.get()
    assert agreement.status == "proposed" and agreement.monthly_amount == Decimal("150.00")
    assert agreement.terms == "By the 15th"
    listing = officer.get(f"/cases/{case.number}/agreements/").content.decode()
    assert "waiting for an SEO 2&#x27;s signature" in listing and "$150.00" in listing
    assert "Negotiate an agreement" not in listing  # one agreement waiting or in effect per case
    queue = signed_in(Role.OFFICER_2, username="agreement-web-seo2").get("/approvals/").content.decode()
    assert f'data-testid="agreement-{agreement.pk}"' in queue and "Payment agreements waiting for signature" in queue


def test_every_error_comes_back_at_once_beside_its_field() -> None:
    _, case = _case()
    officer = signed_in(Role.OFFICER_1, username="agreement-web-2")
    too_late = timezone.localdate() + timedelta(days=120)

    refused = officer.post(f"/cases/{case.number}/agreements/new/",
                           {"monthly_amount": "0", "starts_on": too_late.isoformat()})  # fmt: skip

    page = refused.content.decode()
    assert refused.status_code == 400
    # Both limits are the service's (enforcement.agreements.propose_agreement): reported together.
    assert "must be more than $0.00" in page and "must start within 90 days" in page
    assert "these 2 fields" in page
    assert not PaymentAgreement.objects.exists()


def test_an_seo_2_signs_it_and_the_list_says_it_is_kept_in_its_first_month() -> None:
    officer, case = _case()
    agreement = propose_agreement(actor=officer, case=case, monthly_amount=Decimal("150.00"),
                                  starts_on=timezone.localdate())  # fmt: skip
    seo2 = signed_in(Role.OFFICER_2, username="agreement-web-3")

    signed = seo2.post(f"/cases/{case.number}/agreements/{agreement.pk}/decide/", {"decision": "sign", "note": ""})

    assert signed.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    row = seo2.get(f"/cases/{case.number}/agreements/").content.decode()
    assert "Signed: in effect" in row and ">Yes<" in row  # the first 31 days always count as kept


def test_one_cannot_sign_an_agreement_one_negotiated() -> None:
    _, case = _case()
    seo2 = signed_in(Role.OFFICER_2, username="agreement-web-4")
    seo2.post(f"/cases/{case.number}/agreements/new/",
              {"monthly_amount": "100.00", "starts_on": timezone.localdate().isoformat()})  # fmt: skip
    agreement = PaymentAgreement.objects.get()

    refused = seo2.post(f"/cases/{case.number}/agreements/{agreement.pk}/decide/", {"decision": "sign"})

    assert refused.status_code == 403
    assert "another officer with signature authority signs it" in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PROPOSED


def test_rejecting_needs_a_note_beside_the_note_field() -> None:
    officer, case = _case()
    agreement = propose_agreement(actor=officer, case=case, monthly_amount=Decimal("50.00"),
                                  starts_on=timezone.localdate())  # fmt: skip
    supervisor = signed_in(Role.SUPERVISOR, username="agreement-web-5")
    url = f"/cases/{case.number}/agreements/{agreement.pk}/decide/"

    missing = supervisor.post(url, {"decision": "reject", "note": ""})
    rejected = supervisor.post(url, {"decision": "reject", "note": "Too little toward $2,400.00 of arrears"})

    assert missing.status_code == 400 and "say why it is rejected" in missing.content.decode()
    assert rejected.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REJECTED


def test_an_officer_without_signature_authority_sees_no_decision_form_and_may_not_post_one() -> None:
    officer, case = _case()
    agreement = propose_agreement(actor=officer, case=case, monthly_amount=Decimal("50.00"),
                                  starts_on=timezone.localdate())  # fmt: skip
    seo1 = signed_in(Role.OFFICER_1, username="agreement-web-6")

    page = seo1.get(f"/cases/{case.number}/agreements/{agreement.pk}/").content.decode()
    posted = seo1.post(f"/cases/{case.number}/agreements/{agreement.pk}/decide/", {"decision": "sign"})

    assert "Record the decision" not in page and "Waiting for an SEO 2" in page
    assert posted.status_code == 403


def test_an_agreement_unpaid_past_its_first_month_shows_as_short() -> None:
    officer, case = _case()
    started = timezone.localdate() - timedelta(days=45)  # the first 31 days are over; nothing was paid
    agreement = propose_agreement(actor=officer, case=case, monthly_amount=Decimal("75.00"), starts_on=started)
    decide_agreement(actor=factories.user(Role.OFFICER_2, username="agreement-signer"), agreement=agreement,
                     approve=True)  # fmt: skip

    listing = signed_in(Role.AUDITOR, username="agreement-web-7").get(f"/cases/{case.number}/agreements/")

    page = listing.content.decode()
    assert "No: a month's payment is short" in page and "$0.00" in page
    assert "Negotiate an agreement" not in page  # an auditor reads, never negotiates


def test_an_officer_ends_an_agreement_from_its_page_and_every_error_comes_back_beside_its_field() -> None:
    officer, case = _case()
    agreement = propose_agreement(actor=officer, case=case, monthly_amount=Decimal("150.00"),
                                  starts_on=timezone.localdate())  # fmt: skip
    decide_agreement(actor=factories.user(Role.OFFICER_2, username="agreement-web-end-seo2"), agreement=agreement,
                     approve=True)  # fmt: skip
    client = signed_in(Role.OFFICER_1, username="agreement-web-end")
    url = f"/cases/{case.number}/agreements/{agreement.pk}/end/"
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "End the agreement" in client.get(f"/cases/{case.number}/agreements/{agreement.pk}/").content.decode()

    refused = client.post(url, {"end-reason": "ended_by_officer", "end-ended_on": tomorrow.isoformat(), "end-note": ""})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "cannot be in the future" in page and "say why the officer ends it" in page and "these 2 fields" in page
    ended = client.post(url, {"end-reason": "paid_off", "end-ended_on": timezone.localdate().isoformat()})
    assert ended.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason) == (AgreementStatus.ENDED, "paid_off")
    shown = client.get(f"/cases/{case.number}/agreements/{agreement.pk}/").content.decode()
    assert "paid off: the arrears it covered are paid" in shown and "End the agreement" not in shown
