"""Events from the real services open and complete tasks (opencse.common.events; docs/work.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from opencse.cases.events import CaseOpened
from opencse.cases.models import Case, Category
from opencse.cases.services import add_note, close_case
from opencse.common.events import publish, subscribed, subscribers
from opencse.errors import InvalidInput, NotAuthorized
from opencse.ledger.bulk import CollectionInput, post_collections
from opencse.ledger.services import post_collection
from opencse.people.services import add_employment
from opencse.security.services import system_actor
from opencse.work.models import Completion, Task, TaskKind
from opencse.work.subscribers import case_opened
from tests import factories
from tests.ledger.helpers import case_with_order


@pytest.fixture
def worker(db: None) -> Any:
    return factories.user("seo1", username="worker")


def test_opening_a_case_opens_the_case_opening_task_for_its_worker(officer: Any, worker: Any) -> None:
    case = factories.case(officer, assigned_worker=worker, referral_received_on=date(2026, 2, 2),
                          opened_on=date(2026, 2, 3))  # fmt: skip

    (task,) = Task.objects.filter(case=case)
    assert (task.kind, task.owner, task.event_on) == (TaskKind.CASE_OPENING, worker, date(2026, 2, 2))
    assert task.due_on == date(2026, 2, 22)  # 45 CFR 303.2(b): 20 calendar days (domain/timeframes.md 2.1)
    assert (task.clock, task.clock_reference) == ("application_received.open_case", "45 CFR 303.2(b)")
    assert task.clock_effective_on == date(2017, 1, 19)


def test_a_responding_interstate_case_also_gets_the_interstate_clock(officer: Any) -> None:
    case = factories.case(officer, category=Category.INTERSTATE_RESPONDING, program="current_assistance",
                          referral_received_on=date(2026, 10, 5), opened_on=date(2026, 10, 6))  # fmt: skip

    tasks = dict(Task.objects.filter(case=case).values_list("kind", "due_on"))
    assert tasks == {
        TaskKind.CASE_OPENING: date(2026, 10, 25),  # 303.2(b): Oct 5 + 20 days
        TaskKind.INTERSTATE_RESPONSE: date(2026, 12, 19),  # 303.7(d)(2): Oct 5 + 75 days (domain 2.6)
    }


def test_publishing_the_same_event_twice_opens_one_task(officer: Any) -> None:
    case = factories.case(officer)
    event = CaseOpened(case_id=case.pk, program=case.program, category=case.category, actor_id=officer.pk,
                       referral_received_on=case.referral_received_on, opened_on=case.opened_on)  # fmt: skip

    with transaction.atomic():
        publish(event)
        publish(event)

    assert Task.objects.filter(case=case).count() == 1  # the one open_case already opened, nothing more


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_publish_outside_a_transaction_is_refused() -> None:
    @dataclass(frozen=True)
    class Happened:
        pass

    with pytest.raises(AssertionError, match="inside the transaction"):
        publish(Happened())


def test_a_failing_subscriber_rolls_back_the_publishers_change(officer: Any) -> None:
    def broken(event: CaseOpened) -> None:
        raise RuntimeError("subscriber failed")

    before = Task.objects.count()
    with subscribed(CaseOpened, broken), pytest.raises(RuntimeError):
        factories.case(officer)

    assert not Case.objects.exists()
    assert Task.objects.count() == before
    assert subscribers(CaseOpened) == (case_opened,)  # the test's subscriber is gone


def test_closing_a_case_completes_its_open_tasks(officer: Any) -> None:
    case = factories.case(officer)

    close_case(actor=officer, case=case, reason="b14", closed_on=date(2026, 4, 1), note=factories.CLOSURE_NOTE)

    (task,) = Task.objects.filter(case=case)
    assert (task.completed_on, task.completion, task.completed_by) == (
        date(2026, 4, 1),
        Completion.CASE_CLOSED,
        officer,
    )


def test_a_note_with_a_follow_up_date_becomes_a_tickler_for_its_author(officer: Any, worker: Any) -> None:
    case = factories.case(officer, assigned_worker=worker)
    follow_up_on = timezone.localdate() + timedelta(days=14)

    note = add_note(actor=officer, case=case, kind="phone", text="Mother will fax the birth certificate.",
                    follow_up_on=follow_up_on)  # fmt: skip

    task = Task.objects.get(case=case, kind=TaskKind.FOLLOW_UP)
    assert (task.owner, task.due_on, task.source_key) == (officer, follow_up_on, f"note:{note.pk}")
    assert task.detail == "Mother will fax the birth certificate."
    assert (task.clock, task.clock_reference) == ("", "")  # the officer chose the date: no legal clock
    assert note.follow_up_on == follow_up_on


def test_a_follow_up_in_the_past_is_refused(officer: Any) -> None:
    case = factories.case(officer)

    with pytest.raises(InvalidInput) as refused:
        add_note(actor=officer, case=case, kind="phone", text="Called.",
                 follow_up_on=timezone.localdate() - timedelta(days=1))  # fmt: skip

    assert refused.value.field == "follow_up_on"
    assert not Task.objects.filter(kind=TaskKind.FOLLOW_UP).exists()


def test_an_order_starts_the_36_month_review(officer: Any) -> None:
    case, order = case_with_order(officer, starts_on=date(2026, 3, 2))

    review = Task.objects.get(case=case, kind=TaskKind.REVIEW_ORDER)
    assert (review.event_on, review.due_on) == (date(2026, 3, 2), date(2029, 3, 2))  # 303.8(b)(1); domain 2.7
    assert review.source_key == f"order:{order.pk}"


def test_a_verified_employer_opens_an_income_withholding_task_on_each_case_owed(officer: Any) -> None:
    case, order = case_with_order(officer, starts_on=date(2026, 1, 1))
    obligor = order.terms.get().obligor

    employment = add_employment(actor=officer, person=obligor, employer_name="Magnolia Foods", verified=True)

    task = Task.objects.get(case=case, kind=TaskKind.INCOME_WITHHOLDING)
    assert task.event_on == employment.verified_on
    assert task.clock == "employer_identified.send_income_withholding_notice"
    assert task.due_on > task.event_on  # two business days later (the dates are in test_clocks)


def test_an_unverified_employer_opens_nothing(officer: Any) -> None:
    _, order = case_with_order(officer)

    add_employment(actor=officer, person=order.terms.get().obligor, employer_name="Magnolia Foods")

    assert not Task.objects.filter(kind=TaskKind.INCOME_WITHHOLDING).exists()


def test_a_posted_collection_opens_a_pay_out_task_on_the_ledgers_clock(officer: Any) -> None:
    case, _ = case_with_order(officer, starts_on=date(2026, 1, 1))

    collection = post_collection(actor=officer, case=case, amount=Decimal("300.00"), source="income_withholding",
                                 collected_on=date(2026, 1, 16), received_on=date(2026, 1, 16))  # fmt: skip

    task = Task.objects.get(case=case, kind=TaskKind.DISBURSE)
    assert task.source_key == f"collection:{collection.pk}"
    # 302.32(b): 2 business days. Fri 2026-01-16; Mon Jan 19 is Martin Luther King Jr. Day (5 U.S.C. 6103(a)),
    # Tue Jan 20 is day 1, Wed Jan 21 day 2.
    assert task.due_on == date(2026, 1, 21)
    assert set(collection.shares.values_list("due_on", flat=True)) == {task.due_on}  # the ledger agrees


def test_a_payment_file_opens_its_tasks_in_one_batch(officer: Any) -> None:
    cases = [case_with_order(officer, starts_on=date(2025, 12, 1))[0] for _ in range(3)]
    received_on = date(2025, 12, 30)
    items = [CollectionInput(case_id=case.pk, amount=Decimal("100.00"), source="income_withholding",
                             collected_on=received_on, received_on=received_on) for case in cases]  # fmt: skip

    post_collections(items, actor=system_actor())

    tasks = Task.objects.filter(kind=TaskKind.DISBURSE)
    assert sorted(tasks.values_list("case_id", flat=True)) == sorted(case.pk for case in cases)
    # Tue 2025-12-30: Wed Dec 31 is day 1, Thu 2026-01-01 New Year's Day is skipped, Fri Jan 2 is day 2.
    assert set(tasks.values_list("due_on", flat=True)) == {date(2026, 1, 2)}


def test_a_disbursement_run_completes_the_pay_out_tasks(officer: Any) -> None:
    from opencse.ledger.disbursement import run_disbursements

    case, _ = case_with_order(officer, starts_on=date(2026, 1, 1))
    custodial = factories.person(officer, first_name="Alicia", last_name="Moreno")
    from opencse.cases.services import add_member
    from opencse.people.services import add_address

    add_address(actor=officer, person=custodial, line1="118 Magnolia Street", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    add_member(actor=officer, case=case, person=custodial, role="custodial_party")
    post_collection(actor=officer, case=case, amount=Decimal("300.00"), source="income_withholding",
                    collected_on=date(2026, 2, 13), received_on=date(2026, 2, 13))  # fmt: skip

    run_disbursements(actor=factories.user("seo2", username="signer"), run_on=date(2026, 2, 17))

    task = Task.objects.get(case=case, kind=TaskKind.DISBURSE)
    assert (task.completed_on, task.completion) == (date(2026, 2, 17), Completion.BY_EVENT)


def test_a_modification_supersedes_the_review_and_restarts_the_36_months(officer: Any) -> None:
    from opencse.orders.services import TermInput, enter_order

    case, old = case_with_order(officer, starts_on=date(2026, 1, 1))
    obligor = old.terms.get().obligor

    new = enter_order(actor=officer, case=case, tribunal_kind="court", tribunal_name="Hinds County Chancery Court",
                      issuing_jurisdiction="MS", docket_number="MOD-1", signed_on=date(2026, 6, 30),
                      effective_on=date(2026, 7, 1), modifies=old,
                      terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 7, 1),
                                       obligor=obligor, steps=[(date(2026, 7, 1), Decimal("250.00"))])])  # fmt: skip

    reviews = {task.source_key: task for task in Task.objects.filter(case=case, kind=TaskKind.REVIEW_ORDER)}
    earlier, current = reviews[f"order:{old.pk}"], reviews[f"order:{new.pk}"]
    assert (earlier.completed_on, earlier.completion) == (date(2026, 6, 30), Completion.SUPERSEDED)
    assert (current.completed_on, current.due_on) == (None, date(2029, 6, 30))  # 303.8(b)(1): 36 months


def test_a_subscriber_may_not_publish(officer: Any) -> None:
    case = factories.case(officer)

    def cascading(event: CaseOpened) -> None:
        publish(event)

    with subscribed(CaseOpened, cascading), pytest.raises(AssertionError, match="published by a subscriber"):
        factories.case(officer)

    assert Task.objects.filter(case=case).count() == 1


def test_a_case_pages_open_tasks_come_next_deadline_first(officer: Any, worker: Any) -> None:
    from opencse.work.selectors import tasks_for_case

    case = factories.case(officer, category=Category.INTERSTATE_RESPONDING, program="current_assistance",
                          referral_received_on=date(2026, 10, 5), opened_on=date(2026, 10, 6))  # fmt: skip

    rows = tasks_for_case(viewer=worker, case=case, as_of=date(2026, 11, 1))

    assert [(row.kind, row.days_late) for row in rows] == [
        (TaskKind.CASE_OPENING, 7),  # due Oct 25 (303.2(b)), 7 days late on Nov 1
        (TaskKind.INTERSTATE_RESPONSE, 0),  # due Dec 19 (303.7(d)(2))
    ]
    elsewhere = factories.user("seo1", username="elsewhere", office_code="HAR")
    with pytest.raises(NotAuthorized):
        tasks_for_case(viewer=elsewhere, case=case, as_of=date(2026, 11, 1))
