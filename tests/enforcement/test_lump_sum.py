"""A one-time order for a lump sum payment (the federal Income Withholding for Support form, OMB 0970-0154:
"One-Time Order/Notice for Lump Sum Payment"; e-IWO document action LUM): arrears only, up to what is owed,
beside the periodic order, which it does not stop."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.documents.services import open_document
from opencse.enforcement.models import Action
from opencse.enforcement.services import issue_income_withholding, issue_lump_sum_order
from opencse.errors import InvalidInputs, NotAuthorized
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.enforcement.test_income_withholding import MAY_4, _with_arrears
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def test_the_order_claims_the_arrears_owed_and_leaves_the_periodic_order_in_force(officer: object) -> None:
    case, employment = _with_arrears(officer)  # $2,000.00 of arrears on May 4 (January to April unpaid)
    periodic = issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)

    lump = issue_lump_sum_order(actor=officer, case=case, employment=employment, dated_on=MAY_4, amount=None,
                                payment="Annual safety bonus")  # fmt: skip

    assert (lump.action, lump.lump_sum, lump.total_monthly, lump.replaces) == (
        Action.LUMP_SUM, Decimal("2000.00"), Decimal("0.00"), None)  # fmt: skip
    # The form's limit is the parameter form_limit_percent (50%, 15 U.S.C. 1673(b)(2)(A)), as on the periodic order.
    assert (lump.limit_percent, lump.arrears_over_12_weeks) == (Decimal("50"), True)
    assert lump.reason == "Annual safety bonus"
    periodic.refresh_from_db()
    assert periodic.in_force and not lump.in_force
    text = pdf_text(open_document(viewer=officer, document_id=lump.document_id).pdf)
    for item in ["One-time order for a lump sum payment", "$2,000.00", "Lump sum payment. Do not stop any existing",
                 "Annual safety bonus"]:  # fmt: skip
        assert item in text, item
    event = AuditEvent.objects.get(action="income_withholding.lump_sum", target_id=str(lump.pk))
    assert event.after["lump_sum"] == "2000.00"


def test_less_than_the_arrears_may_be_claimed_never_more_and_every_error_comes_at_once(officer: object) -> None:
    case, employment = _with_arrears(officer)

    lump = issue_lump_sum_order(actor=officer, case=case, employment=employment, dated_on=MAY_4,
                                amount=Decimal("750.00"), payment="Commission")  # fmt: skip
    assert lump.lump_sum == Decimal("750.00")
    with pytest.raises(InvalidInputs) as refused:
        issue_lump_sum_order(actor=officer, case=case, employment=employment, dated_on=MAY_4,
                             amount=Decimal("2000.01"), payment=" ")  # fmt: skip

    assert {error.field: error.message for error in refused.value.errors} == {
        "payment": "say what the employer will pay (a bonus, a commission, severance pay ...)",
        "amount": "must be more than $0.00 and at most the arrears owed, $2,000.00",
    }


def test_nothing_past_due_means_no_lump_sum_order(officer: object) -> None:
    case, employment = _with_arrears(officer)

    with pytest.raises(InvalidInputs) as refused:  # January 1: nothing has come due yet
        issue_lump_sum_order(actor=officer, case=case, employment=employment, dated_on=date(2026, 1, 1),
                             amount=None, payment="Severance")  # fmt: skip

    assert refused.value.errors[0].field == "amount"
    assert "nothing is past due on 01/01/2026" in refused.value.errors[0].message


def test_it_does_not_complete_the_periodic_orders_task_and_an_auditor_may_not_send_one(officer: object) -> None:
    case, employment = _with_arrears(officer)
    task = Task.objects.get(case=case, kind=TaskKind.INCOME_WITHHOLDING)

    issue_lump_sum_order(actor=officer, case=case, employment=employment, dated_on=MAY_4, amount=None,
                         payment="Bonus")  # fmt: skip

    task.refresh_from_db()
    assert task.completed_on is None
    with pytest.raises(NotAuthorized):
        issue_lump_sum_order(actor=factories.user(Role.AUDITOR), case=case, employment=employment, dated_on=MAY_4,
                             amount=None, payment="Bonus")  # fmt: skip
