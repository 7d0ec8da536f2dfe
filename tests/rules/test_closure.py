"""The closure rule at the thresholds 45 CFR 303.11 states (current text, 81 FR 93564; 85 FR 35207)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.closure import (
    ClosureFacts,
    Criterion,
    Notice,
    add_months,
    assess,
    notice_period_ends,
    response_stops_closure,
)

AS_OF = date(2026, 1, 15)


def met(facts: ClosureFacts, criterion: str, as_of: date = AS_OF) -> bool:
    return assess(facts, as_of=as_of).of(criterion).met


@pytest.mark.parametrize(
    ("arrears", "expected"),
    [("0.00", True), ("499.99", True), ("500.00", False), ("500.01", False)],  # (b)(1): "under $500"
)
def test_b1_arrears_under_500(arrears: str, expected: bool) -> None:
    assert met(ClosureFacts(has_current_order=False, arrears=Decimal(arrears)), "b1") is expected


def test_b1_needs_no_current_order_and_takes_unenforceable_arrears() -> None:
    assert not met(ClosureFacts(has_current_order=True, arrears=Decimal("10")), "b1")
    assert met(ClosureFacts(has_current_order=False, arrears=Decimal("9000"), arrears_unenforceable=True), "b1")
    reason = assess(ClosureFacts(has_current_order=False, arrears=Decimal("500")), as_of=AS_OF).of("b1").reason
    assert reason == "not met: arrears $500.00 are not under $500.00 and are enforceable"


@pytest.mark.parametrize(
    ("born", "expected"),
    # (b)(6)(i): "at least 18 years old"; born 2008-01-15 is 18 on 2026-01-15; born a day later is 17.
    [(date(2008, 1, 15), True), (date(2008, 1, 16), False), (date(2007, 1, 14), True)],
)
def test_b6_i_child_at_least_18(born: date, expected: bool) -> None:
    facts = ClosureFacts(child_born_on=born, paternity_action_time_barred=True)
    assert met(facts, "b6") is expected


def test_b6_iv_needs_an_interview() -> None:
    assert not met(ClosureFacts(father_unknown_after_diligent_efforts=True), "b6")
    assert met(ClosureFacts(father_unknown_after_diligent_efforts=True, recipient_interviewed=True), "b6")


@pytest.mark.parametrize(
    ("automated", "ssn_unverified", "began", "expected"),
    [
        # (b)(7)(i): over a 2-year period with automated-locate information.
        (True, False, date(2024, 1, 15), True),
        (True, False, date(2024, 1, 16), False),
        # (b)(7)(ii): over a 6-month period without it.
        (False, False, date(2025, 7, 15), True),
        (False, False, date(2025, 7, 16), False),
        # (b)(7)(iii): after a 1-year period when no SSN can be verified.
        (True, True, date(2025, 1, 15), True),
        (True, True, date(2025, 1, 16), False),
    ],
)
def test_b7_locate_periods(automated: bool, ssn_unverified: bool, began: date, expected: bool) -> None:
    facts = ClosureFacts(ncp_location_unknown=True, locate_efforts_began_on=began,
                         automated_locate_information=automated, ssn_unverified=ssn_unverified)  # fmt: skip
    assert met(facts, "b7") is expected


def test_b7_refuses_efforts_after_the_date() -> None:
    with pytest.raises(InvalidInput):
        assess(ClosureFacts(ncp_location_unknown=True, locate_efforts_began_on=date(2026, 1, 16)), as_of=AS_OF)


def test_add_months_month_end() -> None:
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("criterion", "notice"),
    # 303.11(d)(1): (b)(1)-(10), (15), (16); (d)(4): (b)(13); (d)(2): (b)(17); none for the others.
    [*((f"b{n}", Notice.RECIPIENT) for n in (*range(1, 11), 15, 16)), ("b13", Notice.RECIPIENT_WITH_REAPPLICATION),
     ("b17", Notice.INITIATING_AGENCY), *((f"b{n}", Notice.NONE) for n in (11, 12, 14, 18, 19, 20, 21))],
)  # fmt: skip
def test_notice_per_criterion(criterion: str, notice: Notice) -> None:
    assert assess(ClosureFacts(), as_of=AS_OF).of(criterion).notice == notice


def test_default_facts_meet_nothing_and_every_criterion_is_explained() -> None:
    result = assess(ClosureFacts(), as_of=AS_OF)
    assert result.met == ()
    assert len(result.criteria) == 21 and result.notice_days == 60
    assert sum(1 for line in result.explanation if line.step.startswith("45 CFR 303.11(b)(")) == 21


def test_b12_recipient_request_only_without_assistance_or_assignment() -> None:
    asked = ClosureFacts(recipient_requested_closure=True)
    assert met(asked, "b12")
    assert not met(ClosureFacts(recipient_requested_closure=True, current_assistance=True), "b12")
    assert not met(ClosureFacts(recipient_requested_closure=True, assigned_medical_support_or_arrears=True), "b12")


def test_b17_to_b19_only_on_a_responding_case() -> None:
    assert not met(ClosureFacts(initiating_agency_closed_its_case=True), "b18")
    assert met(ClosureFacts(initiating_agency_closed_its_case=True, responding_interstate=True), "b18")


def test_b21_not_before_85_fr_35207() -> None:
    facts = ClosureFacts(transferred_to_tribal_agency=True)
    assert not met(facts, "b21", as_of=date(2020, 7, 8))
    assert met(facts, "b21", as_of=date(2020, 7, 9))


def test_notice_period_is_60_calendar_days_across_a_year_end() -> None:
    # 303.11(d)(1): notice "60 calendar days prior to closure"; sent 2025-11-15 -> 2026-01-14.
    assert notice_period_ends(date(2025, 11, 15), as_of=date(2025, 11, 15)) == date(2026, 1, 14)


def test_what_stops_the_closure() -> None:
    assert response_stops_closure(Notice.RECIPIENT, could_lead_to_action=True, contact_reestablished=False)
    assert response_stops_closure(Notice.RECIPIENT, could_lead_to_action=False, contact_reestablished=True)
    assert not response_stops_closure(Notice.RECIPIENT, could_lead_to_action=False, contact_reestablished=False)
    # (d)(3) names the notices of (d)(1) and (d)(2) only.
    assert not response_stops_closure(Notice.RECIPIENT_WITH_REAPPLICATION, could_lead_to_action=True,
                                      contact_reestablished=False)  # fmt: skip


def test_before_the_first_version_is_refused() -> None:
    with pytest.raises(InvalidInput):
        assess(ClosureFacts(), as_of=date(2017, 1, 18))


@given(st.decimals(min_value=0, max_value=100000, places=2))
def test_b1_is_the_threshold_comparison(arrears: Decimal) -> None:
    assert met(ClosureFacts(has_current_order=False, arrears=arrears), Criterion.B1) is (arrears < 500)
