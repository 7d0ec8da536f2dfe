"""When a collection's money must be paid out (45 CFR 302.32(b)): one rule over the dated timeframe table.

Worked examples from domain/timeframes.md section 2.9 and domain/distribution.md section 6.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from opencse.rules.assignment import assignment_rules_start
from opencse.rules.timeframes import DisbursementClock, disbursement_due_on, timeframes

RECEIPT = DisbursementClock.RECEIPT
MONTH_END = DisbursementClock.MONTH_END
OFFSET = DisbursementClock.FEDERAL_TAX_OFFSET


def test_two_business_days_after_receipt_skip_christmas() -> None:
    # 302.32(b)(3)(i): received Thu 2026-12-24; Fri 2026-12-25 is closed; Mon 28 is day 1, Tue 29 day 2.
    assert disbursement_due_on(received_on=date(2026, 12, 24), clock=RECEIPT, jurisdiction="MS") == date(2026, 12, 29)


def test_a_current_assistance_familys_money_waits_for_the_end_of_the_month() -> None:
    # 302.32(b)(2)(i): received Wed 2026-06-10; the month ends Tue 2026-06-30; two business days: Thu 2026-07-02.
    assert disbursement_due_on(received_on=date(2026, 6, 10), clock=MONTH_END, jurisdiction="WA") == date(2026, 7, 2)
    # The pass-through is due two business days after receipt: Fri 2026-06-12.
    assert disbursement_due_on(received_on=date(2026, 6, 10), clock=RECEIPT, jurisdiction="WA") == date(2026, 6, 12)


def test_a_federal_tax_refund_offset_is_due_30_calendar_days_after_receipt() -> None:
    # 302.32(b)(2)(iv), (b)(3)(ii): received Mon 2026-04-20, due Wed 2026-05-20.
    assert disbursement_due_on(received_on=date(2026, 4, 20), clock=OFFSET, jurisdiction="MS") == date(2026, 5, 20)
    # A calendar-day deadline on a closed day is kept (us/timeframes_counting.yaml): Fri 2026-01-02 + 30 days
    # is Sun 2026-02-01.
    assert disbursement_due_on(received_on=date(2026, 1, 2), clock=OFFSET, jurisdiction="MS") == date(2026, 2, 1)


@given(
    received_on=st.dates(min_value=date(2017, 1, 19), max_value=date(2099, 11, 30)),
    clock=st.sampled_from(list(DisbursementClock)),
    jurisdiction=st.sampled_from(["MS", "WA"]),
)
def test_the_due_date_is_the_timeframes_rule_for_the_same_row(
    received_on: date, clock: DisbursementClock, jurisdiction: str
) -> None:
    event, action = clock.value.split(".")
    event_on = received_on
    if clock is MONTH_END:
        event_on = received_on.replace(day=monthrange(received_on.year, received_on.month)[1])
    table = timeframes(event=event, event_on=event_on, jurisdiction=jurisdiction, as_of=date(2026, 12, 1))
    expected = next(deadline.due for deadline in table.deadlines if deadline.action == action)

    assert disbursement_due_on(received_on=received_on, clock=clock, jurisdiction=jurisdiction) == expected
    assert disbursement_due_on(received_on=received_on, clock=clock, jurisdiction=jurisdiction) >= received_on


def test_assignment_rules_start_on_the_first_date_of_the_assignment_parameters() -> None:
    assert assignment_rules_start(jurisdiction="US") == date(1997, 10, 1)
    assert assignment_rules_start(jurisdiction="WA") == date(1997, 10, 1)
