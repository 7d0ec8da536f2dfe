"""Which remedies a delinquent case qualifies for (rules.remedies), at and around every threshold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.remedies import DelinquencyFacts, assess, delinquent, remedies

ON = date(2026, 6, 1)


def _eligible(facts: DelinquencyFacts, state: str = "MS", on: date = ON) -> dict[str, bool]:
    return {finding.remedy.key: finding.eligible for finding in assess(facts, state=state, as_of=on)}


def _facts(arrears: str, monthly: str = "100.00", **flags: bool) -> DelinquencyFacts:
    return DelinquencyFacts(
        arrears=Decimal(arrears), monthly_support=Decimal(monthly), **{"assistance": False, **flags}
    )


@pytest.mark.parametrize(
    ("arrears", "assistance", "expected"),
    [("149.99", True, False), ("150.00", True, True), ("499.99", False, False), ("500.00", False, True)],
)
def test_federal_tax_offset_needs_150_dollars_assigned_or_500_not(
    arrears: str, assistance: bool, expected: bool
) -> None:
    """45 CFR 303.72(a)(2): $150 on assistance cases; (a)(3) and 42 U.S.C. 664(b)(2)(A): $500 otherwise."""
    facts = DelinquencyFacts(arrears=Decimal(arrears), monthly_support=Decimal("100.00"), assistance=assistance)
    assert _eligible(facts)["federal_tax_offset"] is expected


@pytest.mark.parametrize(("arrears", "expected"), [("2500.00", False), ("2500.01", True)])
def test_passport_denial_needs_more_than_2500_dollars(arrears: str, expected: bool) -> None:
    """42 U.S.C. 652(k)(1): arrearage "exceeding $2,500" (a strict comparison)."""
    assert _eligible(_facts(arrears))["passport_denial"] is expected


@pytest.mark.parametrize(
    ("on", "arrears", "expected"),
    [
        (date(2006, 9, 30), "5000.00", False),
        (date(2006, 9, 30), "5000.01", True),
        (date(2006, 9, 30), "2500.01", False),
        (date(2006, 10, 1), "2500.01", True),
    ],
)
def test_the_passport_threshold_was_5000_dollars_before_october_2006(on: date, arrears: str, expected: bool) -> None:
    """42 U.S.C. 652(k)(1) as enacted (Pub. L. 104-193 sec. 370): "exceeding $5,000"; lowered to $2,500 by the
    Deficit Reduction Act of 2005 (Pub. L. 109-171 sec. 7303) from October 1, 2006 (FOP release 06-01,
    shared/domain/federal-interfaces.md section 2.3, "Thresholds")."""
    assert _eligible(_facts(arrears), on=on)["passport_denial"] is expected


@pytest.mark.parametrize(("arrears", "expected"), [("199.99", False), ("200.00", True)])
def test_mississippi_license_suspension_at_two_months_of_support(arrears: str, expected: bool) -> None:
    """MDHS: a parent two months behind is subject to the license suspension program."""
    assert _eligible(_facts(arrears))["license_suspension"] is expected


@pytest.mark.parametrize(("arrears", "expected"), [("600.00", False), ("600.01", True)])
def test_washington_license_suspension_at_more_than_six_months(arrears: str, expected: bool) -> None:
    """WAC 388-14A-4510(2): more than six months' worth of support payments owed."""
    assert _eligible(_facts(arrears), state="WA")["license_suspension"] is expected


def test_the_state_tax_offset_exists_in_mississippi_and_not_in_washington() -> None:
    """42 U.S.C. 666(a)(3); Washington has no personal income tax."""
    assert "state_tax_offset" in _eligible(_facts("900.00"), state="MS")
    assert "state_tax_offset" not in _eligible(_facts("900.00"), state="WA")


def test_nothing_qualifies_below_one_months_support() -> None:
    """45 CFR 303.6(b): a delinquency is unpaid support equal to one month's support."""
    findings = assess(_facts("99.99"), state="MS", as_of=ON)
    assert not any(finding.eligible for finding in findings)
    assert all("303.6(b)" in finding.reasons[0] for finding in findings)
    assert delinquent(_facts("100.00"))


def test_an_arrears_only_case_is_delinquent_on_any_arrears_and_months_triggers_are_met() -> None:
    facts = _facts("700.00", monthly="0.00")
    assert delinquent(facts)
    eligible = _eligible(facts)
    assert eligible["contempt_referral"] and eligible["financial_institution_levy"] and eligible["federal_tax_offset"]


def test_an_ssi_recipient_is_exempt_from_a_bank_levy_only() -> None:
    """45 CFR 307.11(c)(3)(i): no levy on the account of an SSI recipient."""
    eligible = _eligible(_facts("3000.00", ssi_recipient=True))
    assert eligible["financial_institution_levy"] is False
    assert eligible["passport_denial"] is True


def test_a_kept_payment_agreement_holds_the_remedies_that_name_it() -> None:
    findings = {f.remedy.key: f for f in assess(_facts("3000.00", payment_agreement_kept=True), state="MS", as_of=ON)}
    assert not findings["license_suspension"].eligible
    assert "Exempt: a payment agreement is being kept." in findings["license_suspension"].reasons
    assert findings["federal_tax_offset"].eligible  # the offset continues during an agreement


def test_a_bankruptcy_stay_or_a_pending_contest_holds_every_remedy() -> None:
    assert not any(_eligible(_facts("9000.00", bankruptcy_stay=True)).values())
    assert not any(_eligible(_facts("9000.00", contest_pending=True)).values())


def test_the_federal_offset_definition_starts_with_the_2004_rule() -> None:
    """69 FR 62413 (Oct. 26, 2004) removed the three-month delinquency; the parameter's first version is that
    date, so a date before it has no federal offset remedy defined (rather than the later one)."""
    assert "federal_tax_offset" not in _eligible(_facts("900.00"), on=date(2004, 10, 25))
    assert _eligible(_facts("900.00"), on=date(2004, 10, 26))["federal_tax_offset"]


def test_negative_amounts_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        assess(_facts("-1.00"), state="MS", as_of=ON)
    assert refused.value.field == "arrears"


def test_every_remedy_names_its_citation_notice_and_approvers() -> None:
    for remedy in remedies(state="MS", as_of=ON):
        assert remedy.citation and remedy.approvers and remedy.contest_days >= 0


CENTS = st.integers(min_value=0, max_value=2_000_000).map(lambda cents: Decimal(cents) / 100)


@given(arrears=CENTS, more=CENTS, monthly=CENTS, assistance=st.booleans())
def test_owing_more_never_makes_a_case_qualify_for_fewer_remedies(
    arrears: Decimal, more: Decimal, monthly: Decimal, assistance: bool
) -> None:
    """Every trigger is a floor: with the same facts, more arrears never removes a remedy."""
    less = DelinquencyFacts(arrears=arrears, monthly_support=monthly, assistance=assistance)
    greater = DelinquencyFacts(arrears=arrears + more, monthly_support=monthly, assistance=assistance)
    before = {key for key, ok in _eligible(less).items() if ok}
    after = {key for key, ok in _eligible(greater).items() if ok}
    assert before <= after
