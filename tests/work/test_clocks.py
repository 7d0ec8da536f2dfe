"""Due dates come from the pure timeframes rule on Mississippi's business-day calendar (settings.OPENCSE_STATE
"MS": weekends, the 5 U.S.C. 6103(a) holidays on their observed dates, Miss. Code Ann. 3-3-7).

Expected dates are the worked examples of domain/timeframes.md (2026 federal holidays), or counted by hand
below each case."""

from __future__ import annotations

from datetime import date

import pytest

from opencse.work.clocks import APPLICATION_OPENS_CASE, CLOCKS, REFERRAL_OPENS_CASE, case_opening_clock, due
from opencse.work.models import TaskKind


@pytest.mark.parametrize(
    ("clock", "event_on", "due_on", "reference"),
    [
        # 303.2(b): 20 calendar days. domain 2.1: referral Mon 2026-02-02 -> Sun 2026-02-22 (kept on a Sunday).
        (REFERRAL_OPENS_CASE, date(2026, 2, 2), date(2026, 2, 22), "45 CFR 303.2(b)"),
        # Across the year end: 2026-12-22 + 20 days = 2027-01-11 (us/timeframes_counting.yaml documentation).
        (APPLICATION_OPENS_CASE, date(2026, 12, 22), date(2027, 1, 11), "45 CFR 303.2(b)"),
        # 303.3(b)(3): 75 calendar days. Oct 5 + 75 days: 26 to Oct 31, 30 in Nov, 19 in Dec -> 2026-12-19.
        (CLOCKS[TaskKind.LOCATE], date(2026, 10, 5), date(2026, 12, 19), "45 CFR 303.3(b)(3)"),
        # 303.100(e): 2 business days. domain 2.9: Thu 2026-06-18 -> Tue 2026-06-23 (Juneteenth Fri Jun 19).
        (CLOCKS[TaskKind.INCOME_WITHHOLDING], date(2026, 6, 18), date(2026, 6, 23), "45 CFR 303.100(e)(2)-(3)"),
        # Across the year end: Wed 2026-12-30; Thu Dec 31 is day 1, Fri 2027-01-01 New Year's Day, Sat, Sun,
        # Mon 2027-01-04 is day 2.
        (CLOCKS[TaskKind.INCOME_WITHHOLDING], date(2026, 12, 30), date(2027, 1, 4), "45 CFR 303.100(e)(2)-(3)"),
        # 302.32(b): 2 business days. domain 2.9: received Thu 2026-12-24 -> Tue 2026-12-29 (Christmas Fri Dec 25).
        ("collection_received.disburse", date(2026, 12, 24), date(2026, 12, 29), "45 CFR 302.32(b)(3)(i)"),
        # 303.8(b)(1): 36 months. domain 2.7: order Mon 2026-03-02 -> review due 2029-03-02.
        (CLOCKS[TaskKind.REVIEW_ORDER], date(2026, 3, 2), date(2029, 3, 2), "45 CFR 303.8(b)(1)"),
        # A leap day has no anniversary three years on: the month's last day (domain 1, convention 4).
        (CLOCKS[TaskKind.REVIEW_ORDER], date(2028, 2, 29), date(2031, 2, 28), "45 CFR 303.8(b)(1)"),
        # 303.3(b)(5): quarterly. Aug 31 + 3 months: November has 30 days -> 2026-11-30.
        (CLOCKS[TaskKind.REPEAT_LOCATE], date(2026, 8, 31), date(2026, 11, 30), "45 CFR 303.3(b)(5)"),
        # Across the year end: 2026-11-15 + 3 months = 2027-02-15 (Washington's Birthday, kept like a calendar day).
        (CLOCKS[TaskKind.REPEAT_LOCATE], date(2026, 11, 15), date(2027, 2, 15), "45 CFR 303.3(b)(5)"),
        # 303.7(d)(2): 75 calendar days. domain 2.6: forms received Mon 2026-10-05 -> Sat 2026-12-19.
        (CLOCKS[TaskKind.INTERSTATE_RESPONSE], date(2026, 10, 5), date(2026, 12, 19), "45 CFR 303.7(d)(2)"),
    ],
)
def test_the_due_date_is_the_rules_for_the_clock(clock: str, event_on: date, due_on: date, reference: str) -> None:
    deadline = due(clock, event_on)

    assert deadline is not None
    assert deadline.due_on == due_on
    assert deadline.reference.startswith(reference)
    assert deadline.effective_on == date(2017, 1, 19)  # the version of the row in us/timeframes.yaml


def test_an_event_before_the_timeframe_table_opens_no_clock() -> None:
    # us/timeframes.yaml's first version is 2017-01-19: the rule refuses older dates, so no task is opened.
    assert due(REFERRAL_OPENS_CASE, date(2016, 12, 31)) is None


def test_a_referral_from_another_program_and_an_application_run_the_same_twenty_days() -> None:
    assert case_opening_clock("current_assistance") == REFERRAL_OPENS_CASE
    assert case_opening_clock("foster_care") == REFERRAL_OPENS_CASE
    assert case_opening_clock("never_assistance") == APPLICATION_OPENS_CASE
