"""Closing a case under 45 CFR 303.11: the notice of intent, the response that keeps the case open, the batch
that closes after 60 calendar days (303.11(d)(1)), and reopening. Dates are in 2025-2026, across a year end,
and before any day the suite runs on (the services refuse a closure dated in the future)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from opencse.cases.models import Case, CaseNote, MemberRole
from opencse.cases.services import add_member, close_case
from opencse.closure.models import Closure, Reopening, Status
from opencse.closure.services import (
    close_cases_after_notice,
    propose_closure,
    record_closure_response,
    reopen_case,
)
from opencse.documents.models import Document
from opencse.errors import Conflict, InvalidInput, NotAuthorized
from opencse.rules.closure import ClosureFacts
from opencse.security.audit import AuditEvent
from opencse.security.models import User
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.pdf_text import pdf_text

NOTICE_ON = date(2025, 11, 15)
DAY_60 = date(2026, 1, 14)  # 2025-11-15 + 60 calendar days (303.11(d)(1); the notice day is day 0)
SMALL_ARREARS = ClosureFacts(has_current_order=False, arrears=Decimal("499.99"))  # (b)(1): under $500


@pytest.fixture
def case(officer: User) -> Case:
    opened = factories.case(officer, referral_received_on=date(2025, 3, 3), opened_on=date(2025, 3, 5))
    custodial = factories.person(officer, first_name="Alicia", last_name="Moreno")
    add_member(actor=officer, case=opened, person=custodial, role=MemberRole.CUSTODIAL_PARTY)
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M")
    add_member(actor=officer, case=opened, person=obligor, role=MemberRole.NONCUSTODIAL_PARENT)
    return opened


def notice(officer: User, case: Case) -> Closure:
    note = "No order since the child emancipated; $499.99 left."
    return propose_closure(
        actor=officer, case=case, criterion="b1", facts=SMALL_ARREARS, note=note, proposed_on=NOTICE_ON
    )


def test_b1_sends_the_notice_and_keeps_the_case_open(officer: User, case: Case) -> None:
    closure = notice(officer, case)
    assert (closure.status, closure.closes_on, closure.notice) == (Status.PENDING, DAY_60, "recipient")
    case.refresh_from_db()
    assert case.is_open
    document = Document.objects.get(pk=closure.notice_document_id)
    text = pdf_text(bytes(document.pdf))
    assert "Notice of Intent to Close Your Child Support Case" in text
    assert "on or after January 14, 2026" in text and "November 15, 2025" in text  # closing and notice dates
    assert "(45CFR303.11(b)(1))" in text.replace(" ", "") and "support is under $500" in text
    assert "Alicia Moreno" in text and "keep your case open" in text
    assert document.person is not None and document.person.last_name == "Moreno"
    assert CaseNote.objects.filter(case=case, text__startswith="Notice of intent to close sent on 11/15/2025").exists()
    assert AuditEvent.objects.filter(action="case.closure_noticed", case_number=case.number).count() == 1
    task = Task.objects.get(case=case, source_key=f"closure:{closure.pk}")
    assert (task.kind, task.due_on, task.owner_id) == (TaskKind.FOLLOW_UP, DAY_60, officer.pk)


def test_a_criterion_not_met_is_refused_with_the_reason(officer: User, case: Case) -> None:
    with pytest.raises(InvalidInput) as refused:
        propose_closure(actor=officer, case=case, criterion="b1",
                        facts=ClosureFacts(has_current_order=False, arrears=Decimal("500.00")),
                        note="Arrears small", proposed_on=NOTICE_ON)  # fmt: skip
    assert refused.value.field == "criterion"
    assert "not under $500.00" in refused.value.message
    assert not Closure.objects.exists() and not Document.objects.exists()


def test_a_criterion_without_notice_closes_at_once(officer: User, case: Case) -> None:
    closure = propose_closure(actor=officer, case=case, criterion="b12",
                              facts=ClosureFacts(recipient_requested_closure=True),
                              note="Ms. Moreno asked in writing on 11/14/2025.", proposed_on=NOTICE_ON)  # fmt: skip
    case.refresh_from_db()
    assert (case.closed_on, case.closure_reason, closure.status) == (NOTICE_ON, "b14", Status.CLOSED)
    note = CaseNote.objects.filter(case=case, text__startswith="Case closed on 11/15/2025").get()
    assert "Closure criterion 45 CFR 303.11(b)(12)" in note.text
    assert not Document.objects.exists()


def test_the_batch_closes_on_day_60_not_before_and_only_once(officer: User, case: Case) -> None:
    notice(officer, case)
    assert close_cases_after_notice(as_of=date(2026, 1, 13)).closed == 0  # day 59
    case.refresh_from_db()
    assert case.is_open
    assert close_cases_after_notice(as_of=DAY_60).closed == 1
    case.refresh_from_db()
    assert (case.closed_on, case.closure_reason) == (DAY_60, "b1")
    notes, audits = CaseNote.objects.count(), AuditEvent.objects.count()
    again = close_cases_after_notice(as_of=date(2026, 2, 1))
    assert (again.closed, again.superseded, CaseNote.objects.count(), AuditEvent.objects.count()) == (
        0,
        0,
        notes,
        audits,
    )
    closed_by = AuditEvent.objects.get(action="case.closed", case_number=case.number).actor
    assert closed_by is not None and closed_by.role == "system"
    assert not Task.objects.filter(case=case, completed_on__isnull=True).exists()  # CaseClosed completes them


def test_a_response_keeps_the_case_open(officer: User, case: Case) -> None:
    notice(officer, case)
    closure = record_closure_response(actor=officer, case=case, received_on=date(2025, 12, 20),
                                      note="Ms. Moreno gave the obligor's new employer.")  # fmt: skip
    assert closure.status == Status.STOPPED
    assert close_cases_after_notice(as_of=date(2026, 3, 1)).closed == 0
    case.refresh_from_db()
    assert case.is_open
    assert CaseNote.objects.filter(case=case, text__contains="the case stays open (45 CFR 303.11(d)(3))").exists()


def test_a_response_without_useful_information_does_not_stop_it(officer: User, case: Case) -> None:
    notice(officer, case)
    with pytest.raises(InvalidInput) as refused:
        record_closure_response(actor=officer, case=case, received_on=date(2025, 12, 20), note="Called; no news.",
                                could_lead_to_action=False)  # fmt: skip
    assert refused.value.field == "could_lead_to_action"
    assert close_cases_after_notice(as_of=DAY_60).closed == 1


def test_cli_closes_noticed_cases(officer: User, case: Case) -> None:
    notice(officer, case)
    out = StringIO()
    call_command("cases", "close-noticed", "--as-of", "2026-01-14", stdout=out)
    assert "1 closed" in out.getvalue()
    call_command("cases", "close-noticed", "--as-of", "2026-01-14", stdout=out)
    assert "0 closed" in out.getvalue()


def test_one_notice_at_a_time_and_not_on_a_closed_case(officer: User, case: Case) -> None:
    notice(officer, case)
    with pytest.raises(Conflict):
        notice(officer, case)


def test_reopen(officer: User, case: Case) -> None:
    notice(officer, case)
    close_cases_after_notice(as_of=DAY_60)
    case.refresh_from_db()
    with pytest.raises(InvalidInput) as early:
        reopen_case(actor=officer, case=case, reopened_on=date(2026, 1, 13), reason="New employer")
    assert early.value.field == "reopened_on"
    reopening = reopen_case(actor=officer, case=case, reopened_on=date(2026, 2, 2), reason="New application filed.")
    case.refresh_from_db()
    assert case.is_open and case.closure_reason == ""
    assert (reopening.was_closed_on, reopening.was_closure_reason) == (DAY_60, "b1")
    assert AuditEvent.objects.filter(action="case.reopened", case_number=case.number).count() == 1
    assert CaseNote.objects.filter(case=case, text__startswith="Case reopened on 02/02/2026").exists()
    assert Reopening.objects.count() == 1
    with pytest.raises(Conflict):
        reopen_case(actor=officer, case=case, reopened_on=date(2026, 2, 3), reason="again")


def test_a_technician_may_not_close_or_reopen(technician: User, case: Case) -> None:
    with pytest.raises(NotAuthorized):
        notice(technician, case)


def test_b13_notice_says_how_to_reapply(officer: User, case: Case) -> None:
    # 303.11(d)(4): the notice for a completed limited service tells how to reapply and its consequences.
    closure = propose_closure(actor=officer, case=case, criterion="b13",
                              facts=ClosureFacts(limited_service_completed=True),
                              note="Paternity established as requested.", proposed_on=NOTICE_ON)  # fmt: skip
    assert (closure.notice, closure.closes_on) == ("recipient_reapply", DAY_60)
    text = pdf_text(bytes(Document.objects.get(pk=closure.notice_document_id).pdf))
    assert "Reapplying:" in text and "new application" in text
    # (d)(3) names the (d)(1) and (d)(2) notices only: a response to this one does not stop the closure.
    with pytest.raises(InvalidInput):
        record_closure_response(actor=officer, case=case, received_on=date(2025, 12, 1), note="Wants more help.")


def test_a_case_closed_by_hand_meanwhile_is_left_alone(officer: User, case: Case) -> None:
    closure = notice(officer, case)
    close_case(actor=officer, case=case, reason="b14", closed_on=date(2025, 12, 1), note=factories.CLOSURE_NOTE)
    result = close_cases_after_notice(as_of=DAY_60)
    closure.refresh_from_db()
    assert (result.closed, result.superseded, closure.status) == (0, 1, Status.SUPERSEDED)
    assert Case.objects.get(pk=case.pk).closed_on == date(2025, 12, 1)
