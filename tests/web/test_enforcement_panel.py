"""The Enforcement panel of the case page (`{% enforcement_panel case %}`): the income withholding orders in
force, each open action with its state and next step, and the payment agreement, in a fixed few queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from opencse.enforcement.agreements import propose_agreement
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.selectors import NEXT_STEPS
from opencse.enforcement.services import issue_income_withholding
from opencse.enforcement.sweep import sweep
from opencse.ledger.accrual import accrue, roll_over
from opencse.people.services import add_employment
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
JULY_1 = date(2026, 7, 1)
PANEL_QUERIES = 4  # the orders in force, the open actions, the agreement, its payments this month


def _enforced() -> object:
    """$500.00 a month from January 2026, nothing paid through June: the sweep proposes remedies on July 1."""
    officer = factories.user(Role.OFFICER_1, username="panel-officer")
    case, order = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 7, 31))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31),
                      date(2026, 6, 30)):  # fmt: skip
        roll_over(month_ending=month_end)
    sweep(as_of=JULY_1)
    job = add_employment(actor=officer, person=order.terms.get().obligor, employer_name="Gulf Coast Shipbuilding",
                         verified=True)  # fmt: skip
    issue_income_withholding(actor=officer, case=case, employment=job, dated_on=JULY_1)
    propose_agreement(actor=officer, case=case, monthly_amount=Decimal("150.00"), starts_on=JULY_1)
    return case


def _render(case: object, user: object) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load enforcement %}{% enforcement_panel case %}").render(
        Context({"request": request, "case": case})
    )


def test_the_case_page_shows_withholding_open_actions_with_their_next_step_and_the_agreement() -> None:
    case = _enforced()
    proposed = EnforcementAction.objects.filter(case=case, status=ActionStatus.PROPOSED)
    assert proposed.exists()  # $3,000.00 owed, six months of support: the sweep found remedies

    page = signed_in(Role.OFFICER_1, username="panel-web").get(f"/cases/{case.number}/").content.decode()

    panel = page[page.index('data-testid="enforcement-panel"') :]
    # Current support $500.00 plus 20% of it on arrears (Miss. Code Ann. 93-11-103): $600.00 a month.
    assert "Gulf Coast Shipbuilding: $600.00 a month" in panel
    for action in proposed:
        assert escape(action.remedy_name) in panel
    assert escape(NEXT_STEPS[ActionStatus.PROPOSED]) in panel
    assert "$150.00 a month from 07/01/2026" in panel and "waiting for an SEO 2" in panel
    assert f"/cases/{case.number}/agreements/" in panel and f"/cases/{case.number}/enforcement/" in panel


def test_the_panel_reads_a_fixed_few_queries_however_many_actions_are_open() -> None:
    case = _enforced()

    user = factories.user(Role.OFFICER_2, username="panel-seo2")

    with CaptureQueriesContext(connection) as queries:
        html = _render(case, user)

    assert "Open enforcement actions" in html
    assert EnforcementAction.objects.filter(case=case).count() >= 3
    assert len(queries) == PANEL_QUERIES, [query["sql"][:80] for query in queries.captured_queries]


def test_a_role_that_may_not_see_enforcement_gets_no_panel_and_no_query() -> None:
    case = _enforced()

    user = factories.user(Role.ADMINISTRATOR, username="panel-admin")

    with CaptureQueriesContext(connection) as queries:
        html = _render(case, user)

    assert html.strip() == "" and len(queries) == 0
