"""The paternity rule: the rescission period of an acknowledgment (42 U.S.C. 666(a)(5)(D)(ii)), the challenge
grounds ((D)(iii)) and what a genetic test means in Mississippi (Miss. Code Ann. 93-9-27) and Washington
(RCW 26.26A.325). Expected values are read from the statutes' text, cited beside each."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.paternity import Finding, challenge_grounds, interpret_genetic_test, rescission_period


def test_an_acknowledgment_can_be_rescinded_until_the_60th_day_after_signing() -> None:
    # 666(a)(5)(D)(ii)(I): "within ... 60 days". Signed Mon Mar 2, 2026 -> Fri May 1, 2026 is day 60.
    period = rescission_period(signed_on=date(2026, 3, 2), state="MS")

    assert period.last_day == date(2026, 5, 1)
    assert period.open_on(date(2026, 5, 1))
    assert not period.open_on(date(2026, 5, 2))
    assert not period.cut_short_by_proceeding


def test_a_proceeding_relating_to_the_child_ends_the_rescission_period_earlier() -> None:
    # 666(a)(5)(D)(ii)(II): "the date of an administrative or judicial proceeding relating to the child
    # (including a proceeding to establish a support order) in which the signatory is a party".
    period = rescission_period(signed_on=date(2026, 3, 2), proceeding_on=date(2026, 4, 6), state="MS")

    assert period.last_day == date(2026, 4, 6)
    assert period.cut_short_by_proceeding


def test_a_proceeding_after_the_60_days_does_not_extend_the_period() -> None:
    period = rescission_period(signed_on=date(2026, 3, 2), proceeding_on=date(2026, 6, 1), state="WA")

    assert period.last_day == date(2026, 5, 1)


def test_a_proceeding_before_the_signing_is_refused_on_its_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        rescission_period(signed_on=date(2026, 3, 2), proceeding_on=date(2026, 3, 1), state="MS")

    assert refused.value.field == "proceeding_on"


def test_a_signing_before_the_federal_law_is_refused_not_defaulted() -> None:
    # PRWORA, Pub. L. 104-193, was enacted Aug. 22, 1996: the parameter has no earlier version.
    with pytest.raises(InvalidInput) as refused:
        rescission_period(signed_on=date(1995, 1, 3), state="MS")

    assert refused.value.field == "as_of"


def test_the_challenge_grounds_are_fraud_duress_and_material_mistake_of_fact() -> None:
    # 666(a)(5)(D)(iii): "only on the basis of fraud, duress, or material mistake of fact".
    assert challenge_grounds(as_of=date(2026, 1, 1)) == ("fraud", "duress", "material_mistake_of_fact")


@pytest.mark.parametrize(
    ("probability", "expected"),
    [
        (Decimal("98"), Finding.PRESUMED),  # 93-9-27(2): "ninety-eight percent (98%) or greater"
        (Decimal("99.99"), Finding.PRESUMED),
        (Decimal("97.99"), Finding.INCONCLUSIVE),
    ],
)
def test_mississippi_presumes_paternity_at_98_percent(probability: Decimal, expected: Finding) -> None:
    found = interpret_genetic_test(state="MS", as_of=date(2026, 3, 2), probability_percent=probability,
                                   combined_index=Decimal("45"), lab_excludes=False)  # fmt: skip

    assert found.finding == expected
    assert found.jurisdiction == "MS"


def test_mississippi_has_no_combined_index_minimum() -> None:
    # 93-9-27(2) speaks of the probability only: a 98% result with a modest index is a presumption.
    found = interpret_genetic_test(state="MS", as_of=date(2026, 3, 2), probability_percent=Decimal("98.5"),
                                   combined_index=Decimal("65.7"), lab_excludes=False)  # fmt: skip

    assert found.finding == Finding.PRESUMED


def test_an_exclusion_by_the_laboratory_excludes_whatever_the_numbers() -> None:
    # 93-9-27(1): all experts concluding he is not the father resolves paternity "accordingly".
    found = interpret_genetic_test(state="MS", as_of=date(2026, 3, 2), probability_percent=Decimal("0"),
                                   combined_index=Decimal("0"), lab_excludes=True)  # fmt: skip

    assert found.finding == Finding.EXCLUDED


@pytest.mark.parametrize(
    ("probability", "index", "prior", "expected"),
    [
        (Decimal("99"), Decimal("100"), Decimal("0.50"), Finding.PRESUMED),  # both limits met exactly
        (Decimal("99.5"), Decimal("99"), Decimal("0.50"), Finding.INCONCLUSIVE),  # (1)(b): index under 100:1
        (Decimal("98.9"), Decimal("5000"), Decimal("0.50"), Finding.INCONCLUSIVE),  # (1)(a): under 99%
        (Decimal("99.9"), Decimal("5000"), Decimal("0.90"), Finding.INCONCLUSIVE),  # (1)(a): prior not 0.50
        (Decimal("99.9"), None, Decimal("0.50"), Finding.INCONCLUSIVE),  # no index reported
    ],
)
def test_washington_needs_99_percent_with_a_prior_of_half_and_an_index_of_100(
    probability: Decimal, index: Decimal | None, prior: Decimal, expected: Finding
) -> None:
    # RCW 26.26A.325(1)(a) and (b): both must be disclosed.
    found = interpret_genetic_test(state="WA", as_of=date(2026, 3, 2), probability_percent=probability,
                                   combined_index=index, lab_excludes=False, prior_probability=prior)  # fmt: skip

    assert found.finding == expected


def test_washington_results_before_the_2018_act_took_effect_are_refused() -> None:
    # Chapter 26.26A RCW took effect Jan. 1, 2019; the earlier threshold was not read.
    with pytest.raises(InvalidInput):
        interpret_genetic_test(state="WA", as_of=date(2018, 12, 31), probability_percent=Decimal("99.9"),
                               combined_index=Decimal("1000"), lab_excludes=False)  # fmt: skip


def test_a_state_without_a_threshold_on_file_is_refused() -> None:
    # 666(a)(5)(G) leaves the threshold to the State; there is no federal default to fall back on.
    with pytest.raises(InvalidInput) as refused:
        interpret_genetic_test(state="TX", as_of=date(2026, 3, 2), probability_percent=Decimal("99.9"),
                               combined_index=Decimal("1000"), lab_excludes=False)  # fmt: skip

    assert refused.value.field == "jurisdiction"


def test_a_probability_over_100_is_refused_on_its_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        interpret_genetic_test(state="MS", as_of=date(2026, 3, 2), probability_percent=Decimal("100.01"),
                               combined_index=Decimal("1000"), lab_excludes=False)  # fmt: skip

    assert refused.value.field == "probability"


def test_the_explanation_cites_the_mississippi_statute() -> None:
    found = interpret_genetic_test(state="MS", as_of=date(2026, 3, 2), probability_percent=Decimal("99.2"),
                                   combined_index=Decimal("124"), lab_excludes=False)  # fmt: skip

    assert any("93-9-27(2)" in line.reference for line in found.lines)
    assert any("93-9-27(4)" in line.reference for line in found.lines)


@given(
    signed=st.dates(min_value=date(1996, 8, 22), max_value=date(2060, 1, 1)),
    gap=st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)
def test_the_rescission_period_never_exceeds_60_days_nor_outlasts_a_proceeding(signed: date, gap: int | None) -> None:
    proceeding = None if gap is None else signed + timedelta(days=gap)

    period = rescission_period(signed_on=signed, proceeding_on=proceeding, state="MS")

    assert signed <= period.last_day <= signed + timedelta(days=60)
    assert proceeding is None or period.last_day <= proceeding


@given(
    probability=st.decimals(min_value=0, max_value=100, places=2),
    index=st.decimals(min_value=1, max_value=10**6, places=2),
)
def test_a_washington_presumption_is_also_a_mississippi_one(probability: Decimal, index: Decimal) -> None:
    # RCW 26.26A.325 (99% and 100:1) is stricter than Miss. Code Ann. 93-9-27(2) (98%).
    washington = interpret_genetic_test(state="WA", as_of=date(2026, 3, 2), probability_percent=probability,
                                        combined_index=index, lab_excludes=False)  # fmt: skip
    mississippi = interpret_genetic_test(state="MS", as_of=date(2026, 3, 2), probability_percent=probability,
                                         combined_index=index, lab_excludes=False)  # fmt: skip

    if washington.finding == Finding.PRESUMED:
        assert mississippi.finding == Finding.PRESUMED
