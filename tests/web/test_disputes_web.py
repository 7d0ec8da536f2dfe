"""Disputes and referrals on the web: open a dispute (a task on the worklist), add evidence and a note,
resolve it with an adjustment that waits on /approvals/ for another officer, print the result letter;
refer a party and record the outcome; what each role may do."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from opencse.documents.correspondence.services import ScanFile, log_correspondence
from opencse.ledger.accrual import accrue
from opencse.ledger.models import Adjustment, AdjustmentStatus, LedgerEntry
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from opencse.work.disputes.models import Dispute
from opencse.work.models import Task, TaskKind
from opencse.work.referrals.models import Referral
from tests import factories
from tests.correspondence.samples import PDF
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text
from tests.web.test_posting import text_of

REASON = "The obligee confirmed the cash payment in writing (letter of 2/12)."


@pytest.fixture(autouse=True)
def scans_folder(settings: Any, tmp_path: Path) -> Path:
    settings.CORRESPONDENCE_DIR = tmp_path / "correspondence"
    return Path(settings.CORRESPONDENCE_DIR)


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_dispute_from_opening_to_the_result_letter(officer: User) -> None:
    case, _ = case_with_order(officer, monthly="300.00")  # tests/ledger/helpers: obligor Curtis Boone
    accrue(through=date(2026, 1, 31))
    obligor = case.members.get(role="noncustodial_parent").person
    client = _as(officer)

    opened = client.post(f"/cases/{case.number}/disputes/new/", {"kind": "misapplied_payment",
                         "raised_by": obligor.pk, "raised_on": "2026-02-10",
                         "statement": "I paid $200 in cash on January 15; it is not credited."})  # fmt: skip
    dispute = Dispute.objects.get()
    entry = log_correspondence(
        actor=officer, case=case, direction="in", channel="mail", dated_on=date(2026, 2, 12),
        summary="Obligee confirms the cash payment", scans=[ScanFile("ok.pdf", PDF)],
    )  # fmt: skip
    evidence = client.post(f"/disputes/{dispute.pk}/evidence/", {"entry": entry.pk, "scan": entry.scans.get().pk,
                                                                  "note": "signed"})  # fmt: skip
    noted = client.post(f"/disputes/{dispute.pk}/notes/", {"noted_on": "2026-02-13", "text": "Called the obligee."})
    resolved = client.post(f"/disputes/{dispute.pk}/resolve/", {
        "resolution": "upheld", "reason": REASON, "resolved_on": "2026-02-16", "adjust": "on",
        "account": "current_support", "adjustment_kind": "credit_direct_payment", "amount": "200.00",
        "effective_on": "2026-01-15"}, follow=True)  # fmt: skip
    letter = client.post(f"/disputes/{dispute.pk}/letter/", {"dated_on": "2026-02-17"}, follow=True)

    assert opened.status_code == 302 and opened["Location"] == f"/disputes/{dispute.pk}/"
    assert Task.objects.filter(kind=TaskKind.DISPUTE, case=case).count() == 1
    assert evidence.status_code == 302 and noted.status_code == 302
    page = text_of(resolved.content)
    assert "Upheld on 02/16/2026" in page and "Obligee confirms the cash payment" in page
    assert "Called the obligee." in page and "The adjustment waits for approval by another officer." in page
    adjustment = Adjustment.objects.get()
    assert Dispute.objects.get().adjustment_id == adjustment.pk
    assert adjustment.status == AdjustmentStatus.PENDING and not LedgerEntry.objects.filter(kind="adjustment").exists()
    assert letter.redirect_chain == [(f"/disputes/{dispute.pk}/letter.pdf", 302)]
    text = pdf_text(letter.content)
    assert "we decided: Upheld" in text and "requested a reduction of $200.00" in text
    assert AuditEvent.objects.filter(action="document.read").count() == 1  # the engine audits the reading

    # The request is on the one approval queue, for another officer with signature authority.
    assert _as(officer).get("/approvals/").status_code == 403  # an SEO 1 has no signature authority
    approver = _as(factories.user(Role.OFFICER_2, username="approver"))
    queue = text_of(approver.get("/approvals/").content)
    assert f"Case {case.number} : Credit for a payment made directly to the obligee, 200.00" in queue
    assert f"Dispute {dispute.pk} upheld" in queue


@pytest.mark.django_db
def test_resolving_refusals_come_back_beside_their_fields(officer: User) -> None:
    case, _ = case_with_order(officer)
    obligor = case.members.get(role="noncustodial_parent").person
    client = _as(officer)
    client.post(f"/cases/{case.number}/disputes/new/", {"kind": "debt_amount", "raised_by": obligor.pk,
                "raised_on": "2026-02-10", "statement": "The arrears are too high."})  # fmt: skip
    dispute = Dispute.objects.get()

    incomplete = {"resolution": "upheld", "reason": REASON, "resolved_on": "2026-02-16", "adjust": "on"}
    missing = client.post(f"/disputes/{dispute.pk}/resolve/", incomplete)
    denied = client.post(f"/disputes/{dispute.pk}/resolve/", {
        "resolution": "denied", "reason": REASON, "resolved_on": "2026-02-16", "adjust": "on",
        "account": "current_support", "adjustment_kind": "debt_reduction", "amount": "5.00",
        "effective_on": "2026-01-15"})  # fmt: skip
    early_letter = client.post(f"/disputes/{dispute.pk}/letter/", {"dated_on": "2026-02-17"})

    assert missing.status_code == 400
    for field in ("account", "adjustment_kind", "amount", "effective_on"):
        assert f'id="id_{field}-error">needed for the adjustment' in missing.content.decode()
    assert denied.status_code == 400
    assert 'id="id_adjust-error">a denied dispute changes no debt' in denied.content.decode()
    assert early_letter.status_code == 409
    assert "Resolve the dispute before printing its result letter." in early_letter.content.decode()
    assert Dispute.objects.get().is_open


@pytest.mark.django_db
def test_a_referral_and_its_outcome(officer: User) -> None:
    case, _, _, obligor = factories.family(officer)
    client = _as(officer)

    made = client.post(f"/cases/{case.number}/referrals/new/", {"person": obligor.person.pk,
                       "resource": "fatherhood_initiative", "referred_on": "2026-04-01", "note": "asked"})  # fmt: skip
    referral = Referral.objects.get()
    outcome = client.post(f"/referrals/{referral.pk}/outcome/", {"outcome": "enrolled", "outcome_on": "2026-04-08"},
                          follow=True)  # fmt: skip
    refused = client.post(f"/referrals/{referral.pk}/outcome/", {"outcome": "completed", "outcome_on": "2026-04-01"},
                          follow=True)  # fmt: skip

    assert made.status_code == 302
    assert "Responsible Fatherhood Program" in text_of(outcome.content)
    assert "Enrolled on 04/08/2026" in text_of(outcome.content)
    assert "cannot be before 04/08/2026" in text_of(refused.content)
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == ("enrolled", date(2026, 4, 8))


@pytest.mark.django_db
def test_who_may_do_what(officer: User) -> None:
    case, _, _, obligor = factories.family(officer)
    client = _as(officer)
    client.post(f"/cases/{case.number}/disputes/new/", {"kind": "identity", "raised_by": obligor.person.pk,
                "raised_on": "2026-02-10", "statement": "I am not this Curtis Boone."})  # fmt: skip
    dispute = Dispute.objects.get()
    technician = _as(factories.user(Role.TECHNICIAN, username="tech"))
    auditor = _as(factories.user(Role.AUDITOR, username="auditor"))
    elsewhere = _as(factories.user(Role.OFFICER_1, username="ran", office_code="RAN"))

    assert technician.post(f"/disputes/{dispute.pk}/notes/", {"noted_on": "2026-02-11", "text": "x"}).status_code == 302
    assert technician.get(f"/disputes/{dispute.pk}/resolve/").status_code == 403
    assert auditor.get(f"/disputes/{dispute.pk}/").status_code == 200
    assert auditor.post(f"/disputes/{dispute.pk}/notes/", {"noted_on": "2026-02-11", "text": "x"}).status_code == 403
    assert auditor.get(f"/cases/{case.number}/referrals/").status_code == 200
    assert elsewhere.get(f"/disputes/{dispute.pk}/").status_code == 404
    assert elsewhere.get(f"/cases/{case.number}/disputes/").status_code == 404
