"""A case with an order, an obligor with an SSN and a verified employer with a FEIN, and an order sent to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from opencse.cases.services import add_member
from opencse.enforcement.models import IncomeWithholding
from opencse.enforcement.services import issue_income_withholding
from opencse.people.services import add_employment, update_person
from tests import factories
from tests.ledger.helpers import case_with_order

SSN = "401-55-0123"
SENT_ON = date(2026, 6, 1)


def withholding_sent(officer: Any, *, fein: str = "640123456", employer: str = "Gulf Coast Shipbuilding",
                     dated_on: date = SENT_ON, ssn: str = "") -> IncomeWithholding:  # fmt: skip
    """$400.00 a month current support since January 2026 (no arrears accrued): the order states $400.00."""
    case, order = case_with_order(officer, monthly="400.00")
    obligor = order.terms.get().obligor
    update_person(actor=officer, person=obligor, ssn=ssn or SSN)
    mother = factories.person(officer, first_name="Alicia", last_name="Moreno")
    add_member(actor=officer, case=case, person=mother, role="custodial_party")
    job = add_employment(actor=officer, person=obligor, employer_name=employer, fein=fein, line1="100 Yard Road",
                         city="Pascagoula", state="MS", postal_code="39567-1234", verified=True)  # fmt: skip
    return issue_income_withholding(actor=officer, case=case, employment=job, dated_on=dated_on)
