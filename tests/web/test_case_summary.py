"""The case page opens with where the case stands (issue #19): parties, the order and its monthly amount,
what is owed or the credit, arrears, how far accrual has run, the last payment and what waits for a
signature, in a fixed number of queries whatever the number of members."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencse.cases.services import add_member
from opencse.ledger.accrual import accrue
from opencse.ledger.services import post_collection
from opencse.ledger.summary import case_money
from opencse.people.services import add_address
from tests import factories
from tests.ledger.helpers import case_with_order


@pytest.mark.django_db
def test_the_summary_adds_up_the_order_the_balance_and_the_last_payment(officer: object) -> None:
    # $300.00 a month from January 2026; accrued through March: $900.00 charged, $125.00 paid on February 6.
    case, _ = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))
    accrue(through=date(2026, 3, 31), case_ids=[case.pk])
    post_collection(actor=officer, case=case, amount=Decimal("125.00"), source="income_withholding",
                    collected_on=date(2026, 2, 6), received_on=date(2026, 2, 9))  # fmt: skip

    money = case_money(case=case, as_of=date(2026, 3, 31))

    assert money.monthly_ordered == Decimal("300.00")
    assert money.balance == money.owed == Decimal("775.00")  # 900.00 - 125.00
    assert money.credit == 0
    assert money.accrued_through == date(2026, 3, 31)
    assert money.last_payment is not None and money.last_payment.amount == Decimal("125.00")
    assert money.arrears + money.current_support_due == money.balance


@pytest.mark.django_db
def test_money_paid_beyond_what_is_owed_is_a_credit_never_a_negative_amount_owed(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))
    accrue(through=date(2026, 1, 31), case_ids=[case.pk])
    post_collection(actor=officer, case=case, amount=Decimal("735.00"), source="direct_payment",
                    collected_on=date(2026, 1, 20), received_on=date(2026, 1, 20))  # fmt: skip

    money = case_money(case=case, as_of=date(2026, 1, 31))
    page = client_for(officer).get(f"/cases/{case.number}/").content.decode()

    # Charged $300.00, paid $735.00: whatever the ledger holds the $435.00 as, the family side owes nothing.
    assert money.owed == 0 and money.credit == money.balance * -1
    assert "$-" not in page and "-$" not in page
    assert "Where the case stands" in page


@pytest.mark.django_db
def test_the_summary_names_the_parties_and_the_order_per_month(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))

    page = client_for(officer).get(f"/cases/{case.number}/").content.decode()

    assert "Curtis Boone" in page and "Mateo Moreno" in page
    assert "$300.00 a month" in page or "No order in force." in page  # before 2026 the order is not in force


def _queries_for_case_page(client: object, number: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/cases/{number}/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_case_page_costs_the_same_queries_with_three_members_or_eleven(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)
    few = _queries_for_case_page(client, case.number)

    for index in range(8):
        child = factories.person(
            officer, first_name=f"Child{index}", last_name="Moreno", date_of_birth=date(2019, 1, 1)
        )
        add_member(actor=officer, case=case, person=child, role="dependent_child")
        add_address(actor=officer, person=child, kind="residential", line1=f"{index} Oak St", city="Jackson",
                    state="MS", postal_code="39201", effective_on=date(2025, 1, 1), source="party")  # fmt: skip

    assert _queries_for_case_page(client, case.number) == few
