"""A dispute from opening to its result letter: a task on the worklist, evidence and notes, a resolution that
requests an adjustment through the two-person approval, and the letter's text."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from opencse.documents.correspondence.services import ScanFile, log_correspondence
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotAuthorized
from opencse.ledger.accrual import accrue
from opencse.ledger.adjustments import approve_adjustment
from opencse.ledger.models import AdjustmentStatus
from opencse.ledger.selectors import balances
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from opencse.work.disputes.models import Evidence
from opencse.work.disputes.services import (
    DISPUTE_REVIEW_DAYS,
    AdjustmentInput,
    add_evidence,
    add_investigation_note,
    generate_result_letter,
    open_dispute,
    resolve_dispute,
)
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.correspondence.samples import PDF
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

RAISED = date(2026, 2, 10)
STATEMENT = "I paid $200 in cash to the mother on January 15; it is not credited."
REASON = "The obligee confirmed the cash payment in writing (letter of 2/12)."


def _dispute(officer: User) -> tuple[object, object]:
    case, _ = case_with_order(officer, monthly="300.00")  # current support from 2026-01-01 (tests/ledger/helpers)
    obligor = case.members.get(role="noncustodial_parent").person
    return case, open_dispute(actor=officer, case=case, kind="misapplied_payment", raised_by=obligor,
                              raised_on=RAISED, statement=STATEMENT)  # fmt: skip


@pytest.mark.django_db
def test_an_open_dispute_puts_a_task_on_the_case_workers_worklist(officer: User) -> None:
    case, dispute = _dispute(officer)

    task = Task.objects.get(kind=TaskKind.DISPUTE)

    assert (task.case_id, task.owner_id, task.source_key) == (case.pk, case.assigned_worker_id, f"dispute:{dispute.pk}")
    assert (task.event_on, task.due_on) == (RAISED, RAISED + timedelta(days=DISPUTE_REVIEW_DAYS))
    assert task.clock == ""  # the agency's target, no federal clock
    assert AuditEvent.objects.filter(action="dispute.opened", target_id=str(dispute.pk)).exists()


@pytest.mark.django_db
def test_the_lifecycle_requests_an_adjustment_another_officer_must_approve(officer: User) -> None:
    case, dispute = _dispute(officer)
    accrue(through=date(2026, 1, 31))  # January's $300 is owed
    entry = log_correspondence(actor=officer, case=case, direction="in", channel="mail", dated_on=date(2026, 2, 12),
                               summary="Obligee's letter confirming the cash payment",
                               scans=[ScanFile("letter.pdf", PDF)])  # fmt: skip
    add_evidence(actor=officer, dispute=dispute, entry=entry, scan=entry.scans.get(), note="signed by the obligee")
    add_investigation_note(actor=officer, dispute=dispute, noted_on=date(2026, 2, 13), text="Called the obligee.")

    resolved = resolve_dispute(
        actor=officer, dispute=dispute, resolution="upheld", reason=REASON, resolved_on=date(2026, 2, 16),
        adjustment=AdjustmentInput(account="current_support", kind="credit_direct_payment",
                                   amount=Decimal("200.00"), effective_on=date(2026, 1, 15)),
    )  # fmt: skip

    adjustment = resolved.adjustment
    assert adjustment is not None and adjustment.status == AdjustmentStatus.PENDING
    assert (adjustment.requested_by_id, adjustment.amount) == (officer.pk, Decimal("200.00"))
    assert adjustment.reason.startswith(f"Dispute {dispute.pk} upheld: The obligee confirmed")
    assert Task.objects.get(kind=TaskKind.DISPUTE).completed_on == date(2026, 2, 16)
    with pytest.raises(NotAuthorized):  # the requester is an SEO 1: no signature authority, nor own request
        approve_adjustment(actor=officer, adjustment=adjustment)
    approve_adjustment(actor=factories.user(Role.OFFICER_2, username="seo2"), adjustment=adjustment)
    assert balances(case=case, as_of=date(2026, 1, 31))["current_support"] == Decimal("100.00")  # 300 - 200
    with pytest.raises(Conflict):
        add_investigation_note(actor=officer, dispute=dispute, noted_on=date(2026, 2, 17), text="too late")
    with pytest.raises(DatabaseError), transaction.atomic():
        Evidence.objects.filter(dispute=dispute).update(note="changed")


@pytest.mark.django_db
def test_a_denial_requests_nothing_and_refusals_come_at_once(officer: User) -> None:
    _, dispute = _dispute(officer)
    wanted = AdjustmentInput(account="current_support", kind="debt_reduction", amount=Decimal("1"),
                             effective_on=RAISED)  # fmt: skip

    with pytest.raises(InvalidInputs) as refused:
        resolve_dispute(actor=officer, dispute=dispute, resolution="denied", reason="no",
                        resolved_on=RAISED - timedelta(days=1), adjustment=wanted)  # fmt: skip
    denied = resolve_dispute(actor=officer, dispute=dispute, resolution="denied", reason=REASON, resolved_on=RAISED)

    assert {e.field for e in refused.value.errors} == {"reason", "resolved_on", "adjustment"}
    assert denied.adjustment is None and denied.resolution == "denied"


@pytest.mark.django_db
def test_a_technician_works_a_dispute_but_does_not_decide_it_and_another_office_does_neither(officer: User) -> None:
    case, dispute = _dispute(officer)
    technician = factories.user(Role.TECHNICIAN, username="tech")
    elsewhere = factories.user(Role.OFFICER_1, username="ran-officer", office_code="RAN")

    add_investigation_note(actor=technician, dispute=dispute, noted_on=RAISED, text="Pulled the payment record.")
    with pytest.raises(NotAuthorized):
        resolve_dispute(actor=technician, dispute=dispute, resolution="denied", reason=REASON, resolved_on=RAISED)
    with pytest.raises(NotAuthorized):
        add_investigation_note(actor=elsewhere, dispute=dispute, noted_on=RAISED, text="not my office")
    with pytest.raises(InvalidInputs) as refused:
        open_dispute(actor=officer, case=case, kind="paternity", raised_by=factories.person(officer),
                     raised_on=timezone.localdate() + timedelta(days=1), statement="short")  # fmt: skip
    assert {e.field for e in refused.value.errors} == {"raised_by", "raised_on", "statement"}


@pytest.mark.django_db
def test_the_result_letter_tells_the_party_the_decision_and_the_adjustment(officer: User) -> None:
    _, dispute = _dispute(officer)
    with pytest.raises(Conflict):
        generate_result_letter(actor=officer, dispute=dispute, dated_on=RAISED)
    resolve_dispute(
        actor=officer, dispute=dispute, resolution="partly_upheld", reason=REASON, resolved_on=date(2026, 2, 16),
        adjustment=AdjustmentInput(account="current_support", kind="credit_direct_payment",
                                   amount=Decimal("150.00"), effective_on=date(2026, 1, 15)),
    )  # fmt: skip
    with pytest.raises(InvalidInput):
        generate_result_letter(actor=officer, dispute=dispute, dated_on=date(2026, 2, 15))

    letter = generate_result_letter(actor=officer, dispute=dispute, dated_on=date(2026, 2, 17))

    text = pdf_text(bytes(letter.pdf))
    # The dates as a letter writes them (documents.formatting.letter_date); money as $1,234.56 (formatting.money).
    assert "Result of Your Dispute" in text
    assert "Curtis Boone" in text  # the party who raised it, the letter's recipient (tests/ledger/helpers)
    assert "On February 10, 2026" in text and "received your dispute" in text
    assert "Misapplied payment" in text
    assert "On February 16, 2026 we decided: Partly upheld" in text
    assert "The obligee confirmed the cash payment in writing" in text
    assert "requested a reduction of $150.00" in text and "effective January 15, 2026" in text
    assert (letter.kind, letter.subject, letter.person_id) == ("dispute_result", f"dispute {dispute.pk}",
                                                               dispute.raised_by_id)  # fmt: skip
    dispute.refresh_from_db()
    assert dispute.letter_id == letter.pk


@pytest.mark.django_db
def test_a_letter_without_adjustment_says_the_debt_is_unchanged(officer: User) -> None:
    _, dispute = _dispute(officer)
    resolve_dispute(actor=officer, dispute=dispute, resolution="denied", reason=REASON, resolved_on=RAISED)

    text = pdf_text(bytes(generate_result_letter(actor=officer, dispute=dispute, dated_on=RAISED).pdf))

    assert "we decided: Denied" in text
    assert "does not change the amount of support owed" in text
    assert "requested a" not in text
