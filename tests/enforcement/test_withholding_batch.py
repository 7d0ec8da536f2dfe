"""The nightly income withholding batch: an order to every verified employer with none, once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencse.cases.models import CaseNote
from opencse.enforcement.batch import jobs_without_withholding, send_due_withholdings
from opencse.enforcement.models import IncomeWithholding
from opencse.orders.services import TermInput, enter_order
from opencse.people.models import Employment
from opencse.people.services import add_employment
from opencse.security.models import AuditEvent
from opencse.security.services import system_actor
from tests import factories
from tests.ledger.helpers import case_with_order

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 1)


def _verified(officer: object, person: object, name: str, *, verified_on: date = date(2026, 5, 1)) -> Employment:
    job = add_employment(actor=officer, person=person, employer_name=name, verified=True)
    Employment.objects.filter(pk=job.pk).update(verified_on=verified_on)
    job.refresh_from_db()
    return job


def test_every_verified_job_of_an_obligor_with_an_order_gets_one_order_sent_by_the_system(officer: object) -> None:
    case, order = case_with_order(officer, monthly="400.00")
    obligor = order.terms.get().obligor
    first = _verified(officer, obligor, "Gulf Coast Shipbuilding")
    second = _verified(officer, obligor, "Delta Freight")
    _verified(officer, factories.person(officer, first_name="No", last_name="Order"), "Somewhere")  # owes nothing
    unverified = add_employment(actor=officer, person=obligor, employer_name="Rumored Job")

    batch = send_due_withholdings(as_of=AS_OF)

    sent = IncomeWithholding.objects.order_by("employment_id")
    assert [w.employment_id for w in sent] == sorted([first.pk, second.pk])
    assert unverified.pk not in {w.employment_id for w in sent}
    assert {w.issued_by_id for w in sent} == {system_actor().pk}
    assert all(w.dated_on == AS_OF and w.case_id == case.pk for w in sent)
    assert len(batch.sent) == 2 and batch.refused == []
    assert AuditEvent.objects.filter(action="income_withholding.original", actor=system_actor()).count() == 2


def test_a_second_run_sends_nothing(officer: object) -> None:
    _case, order = case_with_order(officer, monthly="400.00")
    _verified(officer, order.terms.get().obligor, "Gulf Coast Shipbuilding")
    send_due_withholdings(as_of=AS_OF)

    again = send_due_withholdings(as_of=date(2026, 6, 2))

    assert again.sent == [] and IncomeWithholding.objects.count() == 1
    assert jobs_without_withholding(as_of=date(2026, 6, 2)) == []


def test_a_job_verified_after_the_date_or_ended_before_it_gets_nothing(officer: object) -> None:
    _case, order = case_with_order(officer, monthly="400.00")
    obligor = order.terms.get().obligor
    _verified(officer, obligor, "Later Job", verified_on=date(2026, 6, 5))
    ended = _verified(officer, obligor, "Old Job")
    Employment.objects.filter(pk=ended.pk).update(ended_on=date(2026, 5, 15))

    assert jobs_without_withholding(as_of=AS_OF) == []


def test_a_case_the_service_refuses_gets_one_note_and_is_reported(officer: object) -> None:
    """Arrears owed, no current support and no payment on arrears: the service refuses (rules.income_withholding);
    the batch says why on the case, once, and reports it."""
    case = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M")
    from opencse.cases.services import add_member

    add_member(actor=officer, case=case, person=obligor, role="noncustodial_parent")
    judgment = TermInput(kind="judgment", frequency="one_time", starts_on=date(2026, 1, 5), obligor=obligor,
                         steps=[(date(2026, 1, 5), Decimal("3000.00"))])  # fmt: skip
    enter_order(actor=officer, case=case, tribunal_kind="court", tribunal_name="Hinds County Chancery Court",
                issuing_jurisdiction="MS", docket_number="J-1", signed_on=date(2026, 1, 5),
                effective_on=date(2026, 1, 5), terms=[judgment])  # fmt: skip
    from opencse.ledger.accrual import accrue, roll_over

    accrue(through=date(2026, 1, 31))
    roll_over(month_ending=date(2026, 1, 31))
    _verified(officer, obligor, "Gulf Coast Shipbuilding")

    first = send_due_withholdings(as_of=AS_OF)
    send_due_withholdings(as_of=date(2026, 6, 2))

    assert first.sent == [] and first.refused[0][:2] == (case.number, "Gulf Coast Shipbuilding")
    assert "payment on arrears" in first.refused[0][2]
    assert CaseNote.objects.filter(case=case, text__contains="was not sent automatically").count() == 1


def test_the_command_reports_what_it_sent(officer: object, capsys: pytest.CaptureFixture[str]) -> None:
    _case, order = case_with_order(officer, monthly="400.00")
    _verified(officer, order.terms.get().obligor, "Gulf Coast Shipbuilding")

    call_command("enforcement", "withhold", "--as-of", "2026-06-01", "--dry-run")
    call_command("enforcement", "withhold", "--as-of", "2026-06-01")

    out = capsys.readouterr().out
    assert "0 orders sent, 1 not sent (dry run)" in out
    assert "1 orders sent, 0 not sent" in out
