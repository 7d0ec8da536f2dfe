"""Exceptions to immediate income withholding (45 CFR 303.100(b)(1)(i)-(ii)): good cause found, or a written
alternative arrangement; withholding waits until the payments missed equal one month's support (303.100(c)(1);
42 U.S.C. 666(b)(3)(B)(i))."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.enforcement.batch import send_due_withholdings
from opencse.enforcement.models import IncomeWithholding
from opencse.enforcement.services import (
    end_withholding_exception,
    issue_income_withholding,
    record_withholding_exception,
)
from opencse.errors import Conflict, InvalidInputs, NotAuthorized
from opencse.ledger.accrual import accrue, roll_over
from opencse.rules.income_withholding import WithholdingException, withholding_held
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.test_withholding_batch import _verified
from tests.ledger.helpers import case_with_order

MONTH = Decimal("400.00")


@pytest.mark.parametrize(
    ("exception", "unpaid", "held"),
    [
        (None, Decimal("0.00"), False),  # immediate withholding: 303.100(b)(1)
        (WithholdingException.GOOD_CAUSE, Decimal("399.99"), True),  # a cent short of one month
        (WithholdingException.GOOD_CAUSE, Decimal("400.00"), False),  # one month's support missed: 303.100(c)(1)
        (WithholdingException.ALTERNATIVE_ARRANGEMENT, Decimal("0.00"), True),
        (WithholdingException.ALTERNATIVE_ARRANGEMENT, Decimal("1200.00"), False),
    ],
)
def test_the_exception_holds_until_the_payments_missed_equal_one_months_support(
    exception: WithholdingException | None, unpaid: Decimal, held: bool
) -> None:
    result, why = withholding_held(exception=exception, unpaid=unpaid, monthly_support=MONTH)

    assert result is held
    assert ("303.100(c)(1)" if exception else "303.100(b)(1)") in why


@pytest.mark.django_db
def test_the_batch_holds_an_excepted_case_then_sends_once_a_month_is_missed(officer: object) -> None:
    supervisor = factories.user(Role.OFFICER_2, username="exception-seo2")
    case, order = case_with_order(officer, monthly="400.00")
    _verified(officer, order.terms.get().obligor, "Gulf Coast Shipbuilding", verified_on=date(2026, 1, 2))
    record_withholding_exception(actor=supervisor, case=case, kind="good_cause", since=date(2026, 1, 5),
                                 reference="Order of 01/05/2026 finding good cause")  # fmt: skip

    held = send_due_withholdings(as_of=date(2026, 1, 20))
    accrue(through=date(2026, 1, 31))
    roll_over(month_ending=date(2026, 1, 31))  # January's $400.00 unpaid: one month's support missed
    sent = send_due_withholdings(as_of=date(2026, 2, 2))

    assert (held.sent, held.held, held.refused) == ([], [case.number], [])
    assert len(sent.sent) == 1 and sent.held == []
    assert IncomeWithholding.objects.get().dated_on == date(2026, 2, 2)


@pytest.mark.django_db
def test_only_signature_authority_records_one_every_error_at_once_and_one_in_force(officer: object) -> None:
    supervisor = factories.user(Role.OFFICER_2, username="exception-seo2-b")
    case, _ = case_with_order(officer, monthly="400.00")

    with pytest.raises(NotAuthorized):
        record_withholding_exception(actor=officer, case=case, kind="good_cause", since=date(2026, 1, 5),
                                     reference="Order")  # fmt: skip
    with pytest.raises(InvalidInputs) as refused:
        record_withholding_exception(actor=supervisor, case=case, kind="whim", since=date(2099, 1, 1), reference=" ")
    assert {error.field for error in refused.value.errors} == {"kind", "since", "reference"}
    first = record_withholding_exception(actor=supervisor, case=case, kind="alternative_arrangement",
                                         since=date(2026, 1, 5), reference="Agreement signed 01/05/2026")  # fmt: skip
    with pytest.raises(Conflict):
        record_withholding_exception(actor=supervisor, case=case, kind="good_cause", since=date(2026, 1, 6),
                                     reference="Order")  # fmt: skip
    assert AuditEvent.objects.filter(action="income_withholding.exception_recorded", target_id=str(first.pk)).exists()


@pytest.mark.django_db
def test_an_officer_cannot_send_while_it_holds_and_can_once_it_is_ended(officer: object) -> None:
    supervisor = factories.user(Role.OFFICER_2, username="exception-seo2-c")
    case, order = case_with_order(officer, monthly="400.00")
    job = _verified(officer, order.terms.get().obligor, "Gulf Coast Shipbuilding", verified_on=date(2026, 1, 2))
    exception = record_withholding_exception(actor=supervisor, case=case, kind="good_cause", since=date(2026, 1, 5),
                                             reference="Order of 01/05/2026")  # fmt: skip

    with pytest.raises(Conflict, match="End the exception first"):
        issue_income_withholding(actor=officer, case=case, employment=job, dated_on=date(2026, 1, 20))
    with pytest.raises(InvalidInputs) as refused:
        end_withholding_exception(actor=officer, exception=exception, ended_on=date(2026, 1, 1), reason="")
    assert {error.field for error in refused.value.errors} == {"ended_on", "reason"}
    end_withholding_exception(actor=officer, exception=exception, ended_on=date(2026, 1, 20),
                              reason="The obligor asked for withholding")  # fmt: skip

    sent = issue_income_withholding(actor=officer, case=case, employment=job, dated_on=date(2026, 1, 21))

    assert sent.current_child_support == Decimal("400.00")
