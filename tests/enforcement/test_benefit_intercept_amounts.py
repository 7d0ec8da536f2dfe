"""The amount withheld from a weekly benefit, at and around the State's limit and the CCPA's (pure rule,
`rules.benefit_intercept`), with worked examples.

Sources of the numbers: the weekly conversion is the IWO's (monthly x 12 / 52, 42 U.S.C. 666(b)(6)(C));
Washington's 50% of the benefit (params/wa/benefit_intercept.yaml: RCW 50.40.050, WAC 192-190-015, the Employment
Security Department's published "up to 50% of your benefit payment"; unconfirmed); Mississippi sets no share in
Miss. Code Ann. 71-5-516(1)-(4), so the ceiling is the benefit payable (42 U.S.C. 503(e)(2)(A)); the CCPA's 50%
(55% with arrears over 12 weeks old) of 15 U.S.C. 1673(b)(2) applies to legal process (45 CFR 303.100(a)(3)).
$235 is the weekly benefit amount used for Mississippi's examples.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.errors import InvalidInput
from opencse.rules.benefit_intercept import (
    UNEMPLOYMENT,
    WORKERS_COMPENSATION,
    Basis,
    intercept_amount,
    state_workforce_agency,
    support_not_met,
)

ON = date(2026, 5, 4)
D = Decimal


def _legal(weekly_benefit: str, monthly: str, state: str, *, old: bool = False,
           benefit: str = UNEMPLOYMENT) -> tuple[Decimal, str]:  # fmt: skip
    result = intercept_amount(basis=Basis.LEGAL_PROCESS, benefit=benefit, weekly_benefit=D(weekly_benefit),
                              ordered_monthly=D(monthly), arrears_over_12_weeks=old, state=state, as_of=ON)  # fmt: skip
    return result.weekly, result.limited_by


def _agreed(weekly_benefit: str, agreed: str, state: str, *, benefit: str = UNEMPLOYMENT) -> tuple[Decimal, str]:
    result = intercept_amount(basis=Basis.AGREEMENT, benefit=benefit, weekly_benefit=D(weekly_benefit),
                              agreed_weekly=D(agreed), state=state, as_of=ON)  # fmt: skip
    return result.weekly, result.limited_by


def test_washington_below_its_50_percent_limit_the_order_is_withheld_in_full() -> None:
    # $600.00 a month x 12 / 52 = $138.4615... -> $138.46; 50% of $400.00 = $200.00.
    assert _legal("400.00", "600.00", "WA") == (D("138.46"), "")


@pytest.mark.parametrize(
    ("monthly", "expected", "limited"),
    [
        # $866.67 x 12 / 52 = $200.0008 -> $200.00: exactly at the limit, not limited.
        ("866.67", "200.00", ""),
        # $866.70 x 12 / 52 = $200.0077 -> $200.01: one cent over, limited to $200.00.
        ("866.70", "200.00", "the State's limit on the weekly benefit"),
        # $866.60 x 12 / 52 = $199.9846 -> $199.98: one step under.
        ("866.60", "199.98", ""),
        ("1000.00", "200.00", "the State's limit on the weekly benefit"),
    ],
)
def test_washington_at_and_around_its_50_percent_limit(monthly: str, expected: str, limited: str) -> None:
    assert _legal("400.00", monthly, "WA") == (D(expected), limited)


def test_mississippi_legal_process_is_limited_by_the_ccpa_not_by_a_state_share() -> None:
    # $600.00 a month -> $138.46 a week; 50% of $235.00 = $117.50 (15 U.S.C. 1673(b)(2)(A)).
    assert _legal("235.00", "600.00", "MS") == (D("117.50"), "the Consumer Credit Protection Act limit")
    # Arrears over 12 weeks old: 55% of $235.00 = $129.25.
    assert _legal("235.00", "600.00", "MS", old=True) == (D("129.25"), "the Consumer Credit Protection Act limit")
    # Under the limit: $400.00 a month -> $92.31 a week.
    assert _legal("235.00", "400.00", "MS") == (D("92.31"), "")


def test_a_voluntary_agreement_is_not_capped_by_the_ccpa_only_by_the_state_and_the_benefit() -> None:
    # Mississippi: $200.00 agreed of a $235.00 benefit (85%) is withheld; more than the benefit is not.
    assert _agreed("235.00", "200.00", "MS") == (D("200.00"), "")
    assert _agreed("235.00", "250.00", "MS") == (D("235.00"), "the State's limit on the weekly benefit")
    # Washington: 50% of $400.00 = $200.00, at the limit and one cent over.
    assert _agreed("400.00", "200.00", "WA") == (D("200.00"), "")
    assert _agreed("400.00", "200.01", "WA") == (D("200.00"), "the State's limit on the weekly benefit")


def test_an_odd_cent_limit_is_rounded_down_never_over_the_share() -> None:
    # 50% of $401.15 = $200.575 -> $200.57 (a limit is never exceeded by rounding).
    assert _agreed("401.15", "300.00", "WA") == (D("200.57"), "the State's limit on the weekly benefit")


def test_the_explanation_cites_each_step() -> None:
    result = intercept_amount(basis=Basis.LEGAL_PROCESS, benefit=UNEMPLOYMENT, weekly_benefit=D("235.00"),
                              ordered_monthly=D("600.00"), state="MS", as_of=ON)  # fmt: skip
    references = " ".join(line.reference for line in result.explanation)
    assert "45 CFR 302.65(c)(2)" in references and "15 U.S.C. 1673(b)(2)" in references
    assert "Miss. Code Ann. 71-5-516(2)" in references
    assert {use.name for use in result.parameters} >= {"ms/benefit_intercept.weekly_benefit_limit_percent",
                                                       "us/benefit_intercept.ccpa_limit_percent"}  # fmt: skip


def test_bad_input_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as zero:
        intercept_amount(basis=Basis.LEGAL_PROCESS, benefit=UNEMPLOYMENT, weekly_benefit=D("0.00"),
                         ordered_monthly=D("1.00"), state="MS", as_of=ON)  # fmt: skip
    assert zero.value.field == "weekly_benefit"
    with pytest.raises(InvalidInput) as missing:
        intercept_amount(basis=Basis.AGREEMENT, benefit=UNEMPLOYMENT, weekly_benefit=D("235.00"), state="MS", as_of=ON)
    assert missing.value.field == "agreed_weekly"
    with pytest.raises(InvalidInput) as fraction:
        intercept_amount(basis=Basis.AGREEMENT, benefit=UNEMPLOYMENT, weekly_benefit=D("235.001"),
                         agreed_weekly=D("1"), state="MS", as_of=ON)  # fmt: skip
    assert fraction.value.field == "weekly_benefit"
    with pytest.raises(InvalidInput) as kind:
        intercept_amount(basis=Basis.AGREEMENT, benefit="pension", weekly_benefit=D("235.00"),
                         agreed_weekly=D("1.00"), state="MS", as_of=ON)  # fmt: skip
    assert kind.value.field == "benefit"


def test_workers_compensation_is_not_limited_by_the_states_unemployment_share() -> None:
    # RCW 50.40.050 / WAC 192-190-015 govern the Employment Security Department's unemployment benefits, not an
    # insurer's workers' compensation: Washington's 50% unemployment share is not applied. By agreement the ceiling
    # is the benefit payable (workers_compensation_limit_percent 100): $300.00 of a $400.00 benefit in full.
    assert _agreed("400.00", "300.00", "WA", benefit=WORKERS_COMPENSATION) == (D("300.00"), "")
    # The same agreement on an unemployment benefit stops at 50% of $400.00 = $200.00.
    assert _agreed("400.00", "300.00", "WA") == (D("200.00"), "the State's limit on the weekly benefit")
    # By legal process the CCPA still caps it: $1,000.00 a month -> $230.77 a week; 55% of $400.00 = $220.00 with
    # arrears over 12 weeks old (15 U.S.C. 1673(b)(2); workers' compensation is income, 42 U.S.C. 666(b)(8)).
    ccpa = (D("220.00"), "the Consumer Credit Protection Act limit")
    assert _legal("400.00", "1000.00", "WA", old=True, benefit=WORKERS_COMPENSATION) == ccpa


def test_mississippi_workers_compensation_sets_no_weekly_share() -> None:
    # Miss. Code Ann. 71-3-129(1)-(4): a lien for the delinquent support on the benefits payable, no weekly share;
    # the ceiling is the benefit payable, $235.00 of $235.00 when the agreement asks $250.00.
    result = intercept_amount(basis=Basis.AGREEMENT, benefit=WORKERS_COMPENSATION, weekly_benefit=D("235.00"),
                              agreed_weekly=D("250.00"), state="MS", as_of=ON)  # fmt: skip
    assert (result.weekly, result.state_limit) == (D("235.00"), D("235.00"))
    assert "us/benefit_intercept.workers_compensation_limit_percent" in {use.name for use in result.parameters}


@pytest.mark.parametrize(
    ("arrears", "monthly", "not_met"),
    [
        ("0.00", "500.00", False),  # nothing owed
        ("499.99", "500.00", False),  # less than a month missed
        ("500.00", "500.00", True),  # a month missed (45 CFR 303.100(c)(1)'s line)
        ("0.01", "0.00", True),  # an arrears-only order: any arrears
    ],
)
def test_support_not_being_met_is_a_month_missed_or_any_arrears_on_an_arrears_only_order(
    arrears: str, monthly: str, not_met: bool
) -> None:
    assert support_not_met(arrears=D(arrears), monthly_support=D(monthly), state="MS", as_of=ON).not_met is not_met


def test_the_state_workforce_agency_is_configured_data_per_state() -> None:
    name, lines = state_workforce_agency(state="MS", as_of=ON) or ("", [])
    assert name == "Mississippi Department of Employment Security" and lines
    assert state_workforce_agency(state="WA", as_of=ON) is not None
    assert state_workforce_agency(state="TX", as_of=ON) is None  # none configured: the officer names the payer
