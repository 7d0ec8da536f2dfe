"""The assignment rules (42 U.S.C. 608(a)(3), 657(a)(3), (b); 45 CFR 302.51; OCSE AT-97-17, AT-09-03).

Worked examples take their figures from shared/domain/distribution.md (section 7 and the invariants
of section 1.1); the properties hold for every input: moves create and lose no cent, leave no bucket
negative, keep assigned arrears within the unreimbursed assistance, and a second run moves nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.assignment import (
    AssistanceSpan,
    Move,
    assistance_paid,
    month_bucket,
    reclassify,
)
from opencse.rules.distribution import ArrearsBucket

PA = ArrearsBucket.PERMANENTLY_ASSIGNED
TA = ArrearsBucket.TEMPORARILY_ASSIGNED
CA = ArrearsBucket.CONDITIONALLY_ASSIGNED
UDA = ArrearsBucket.UNASSIGNED_DURING_ASSISTANCE
UPA = ArrearsBucket.UNASSIGNED_PRE_ASSISTANCE
NA = ArrearsBucket.NEVER_ASSIGNED
ZERO = Decimal("0.00")
AS_OF = date(2026, 6, 30)


def _d(amount: str) -> Decimal:
    return Decimal(amount)


# --- (a) the bucket of a month's unpaid current support -----------------------------------------


def test_support_of_a_month_on_assistance_is_permanently_assigned() -> None:
    periods = [AssistanceSpan(starts_on=date(2026, 1, 1), ends_on=None)]

    chosen = month_bucket(month_ending=date(2026, 3, 31), periods=periods)

    assert chosen.bucket is PA
    assert "608(a)(3)" in chosen.reference


def test_support_of_a_month_after_assistance_ended_is_never_assigned() -> None:
    periods = [AssistanceSpan(starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 28))]

    assert month_bucket(month_ending=date(2026, 3, 31), periods=periods).bucket is NA


def test_support_of_a_family_never_assisted_is_never_assigned() -> None:
    assert month_bucket(month_ending=date(2026, 3, 31), periods=[]).bucket is NA


def test_a_month_the_family_leaves_assistance_is_still_an_assistance_month() -> None:
    # shared/domain/distribution.md section 8: "Family goes off TANF mid-month: the month is a
    # current-assistance month"; URA counts the month's grant.
    periods = [AssistanceSpan(starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 15))]

    assert month_bucket(month_ending=date(2026, 3, 31), periods=periods).bucket is PA


def test_a_month_before_assistance_began_is_never_assigned() -> None:
    periods = [AssistanceSpan(starts_on=date(2026, 4, 1), ends_on=None)]

    assert month_bucket(month_ending=date(2026, 3, 31), periods=periods).bucket is NA


def test_a_month_recorded_on_two_cases_of_one_assistance_group_counts_once() -> None:
    # One TANF grant of 300.00 a month, January to April, recorded on each IV-D case of the group.
    spans = [AssistanceSpan(starts_on=date(2026, 1, 1), ends_on=date(2026, 4, 30), grant_monthly=_d("300.00"))] * 2

    assert assistance_paid(spans, through=date(2026, 6, 30)) == _d("1200.00")


def test_assistance_paid_counts_the_grant_for_every_whole_or_partial_month() -> None:
    spans = [
        AssistanceSpan(starts_on=date(2026, 1, 15), ends_on=date(2026, 3, 2), grant_monthly=_d("300.00")),
        AssistanceSpan(starts_on=date(2026, 6, 1), ends_on=None, grant_monthly=_d("100.00")),
    ]

    assert assistance_paid(spans, through=date(2026, 6, 10)) == _d("1000.00")  # 3 x 300 + 1 x 100


# --- (b) moves between buckets ----------------------------------------------------------------


def test_example_2_during_assistance_arrears_above_ura_are_unassigned() -> None:
    # shared/domain/distribution.md section 7, Example 2: URA 450.00 including this month's grant,
    # of which the month's assigned current support takes 300.00 (invariant 1: "assigned current
    # 300 + PA 150 = URA 450"); during-assistance arrears of 1,200.00 split into PA 150 and UDA 1,050.
    result = reclassify(
        balances={PA: _d("1200.00")},
        on_assistance=True,
        assistance_began_on=date(2026, 1, 1),
        unreimbursed_assistance=_d("450.00") - _d("300.00"),
        as_of=AS_OF,
    )

    assert result.balances_after[PA] == _d("150.00")
    assert result.balances_after[UDA] == _d("1050.00")
    assert [(m.from_bucket, m.to_bucket, m.amount) for m in result.moves] == [(PA, UDA, _d("1050.00"))]


def test_example_3_assigned_arrears_equal_to_ura_stay_assigned() -> None:
    # Example 3: former assistance, PA 450.00, URA 450.00; after the State retains 250.00 both are 200.00.
    for pa, ura in (("450.00", "450.00"), ("200.00", "200.00")):
        result = reclassify(
            balances={PA: _d(pa), NA: _d("200.00")},
            on_assistance=False,
            assistance_began_on=None,
            unreimbursed_assistance=_d(ura),
            as_of=AS_OF,
        )

        assert result.moves == ()


def test_after_the_dra_pre_assistance_arrears_stay_the_familys_when_assistance_begins() -> None:
    # AT-09-03: assignments from 2009-10-01 cover only support accruing during assistance.
    result = reclassify(
        balances={NA: _d("800.00")},
        on_assistance=True,
        assistance_began_on=date(2026, 3, 1),
        unreimbursed_assistance=_d("5000.00"),
        as_of=AS_OF,
    )

    assert result.moves == (Move(NA, UPA, _d("800.00"), result.moves[0].reference),)
    assert "AT-09-03" in result.moves[0].reference


def test_a_pre_dra_assignment_makes_pre_assistance_arrears_temporarily_assigned() -> None:
    result = reclassify(
        balances={NA: _d("800.00")},
        on_assistance=True,
        assistance_began_on=date(2005, 6, 1),
        unreimbursed_assistance=_d("5000.00"),
        as_of=date(2009, 6, 30),
    )

    assert result.balances_after[TA] == _d("800.00")
    assert result.balances_after[NA] == ZERO


def test_washington_applied_the_dra_assignment_rule_from_october_2008() -> None:
    # WAC 388-14A-2038: temporarily assigned arrears only for TANF periods that began before 2008-10-01.
    arguments = {
        "balances": {NA: _d("800.00")},
        "on_assistance": True,
        "assistance_began_on": date(2009, 1, 5),
        "unreimbursed_assistance": _d("5000.00"),
        "as_of": date(2009, 6, 30),
    }

    assert reclassify(**arguments, jurisdiction="US").balances_after[TA] == _d("800.00")  # type: ignore[arg-type]
    assert reclassify(**arguments, jurisdiction="WA").balances_after[UPA] == _d("800.00")  # type: ignore[arg-type]


def test_temporarily_assigned_arrears_become_conditionally_assigned_when_assistance_ends() -> None:
    result = reclassify(
        balances={TA: _d("800.00"), PA: _d("100.00")},
        on_assistance=False,
        assistance_began_on=None,
        unreimbursed_assistance=_d("5000.00"),
        as_of=AS_OF,
    )

    assert result.balances_after[CA] == _d("800.00")
    assert result.balances_after[TA] == ZERO
    assert result.balances_after[PA] == _d("100.00")


def test_excess_over_ura_is_unassigned_pre_assistance_assignments_first() -> None:
    # Ariz. Admin. Code R6-7-715(A) order (temporarily assigned before permanently assigned): assigned
    # 400 + 300 = 700 against URA 500 leaves 200 to unassign, all from the temporarily assigned 300.
    result = reclassify(
        balances={PA: _d("400.00"), TA: _d("300.00")},
        on_assistance=True,
        assistance_began_on=date(2005, 6, 1),
        unreimbursed_assistance=_d("500.00"),
        as_of=date(2009, 6, 30),
    )

    assert [(m.from_bucket, m.to_bucket, m.amount) for m in result.moves] == [(TA, UPA, _d("200.00"))]


def test_leaving_assistance_with_little_ura_left_converts_then_unassigns() -> None:
    result = reclassify(
        balances={PA: _d("400.00"), TA: _d("300.00")},
        on_assistance=False,
        assistance_began_on=None,
        unreimbursed_assistance=_d("250.00"),
        as_of=AS_OF,
    )

    assert [(m.from_bucket, m.to_bucket, m.amount) for m in result.moves] == [
        (TA, CA, _d("300.00")),
        (CA, UPA, _d("300.00")),
        (PA, UDA, _d("150.00")),
    ]


def test_negative_balances_are_refused() -> None:
    with pytest.raises(InvalidInput):
        reclassify(
            balances={PA: _d("-1.00")},
            on_assistance=False,
            assistance_began_on=None,
            unreimbursed_assistance=ZERO,
            as_of=AS_OF,
        )


# --- properties ---------------------------------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("50000"), places=2, allow_nan=False, allow_infinity=False
)
states = st.fixed_dictionaries(
    {
        "balances": st.dictionaries(st.sampled_from(ArrearsBucket), amounts),
        "on_assistance": st.booleans(),
        "assistance_began_on": st.dates(min_value=date(1997, 10, 1), max_value=date(2026, 6, 30)),
        "unreimbursed_assistance": amounts,
    }
)


@given(state=states)
def test_moves_conserve_the_total_and_keep_assigned_arrears_within_ura(state: dict[str, object]) -> None:
    result = reclassify(**state, as_of=AS_OF)  # type: ignore[arg-type]

    before: dict[ArrearsBucket, Decimal] = state["balances"]  # type: ignore[assignment]
    after = result.balances_after
    assert sum(after.values(), ZERO) == sum(before.values(), ZERO)
    assert min(after.values()) >= ZERO
    assert after[PA] + after[TA] + after[CA] <= state["unreimbursed_assistance"]  # type: ignore[operator]
    for bucket in ArrearsBucket:
        moved_in = sum((m.amount for m in result.moves if m.to_bucket is bucket), ZERO)
        moved_out = sum((m.amount for m in result.moves if m.from_bucket is bucket), ZERO)
        assert after[bucket] == before.get(bucket, ZERO) + moved_in - moved_out
    assert all(m.amount > ZERO for m in result.moves)


@given(state=states)
def test_reclassifying_twice_moves_nothing_the_second_time(state: dict[str, object]) -> None:
    first = reclassify(**state, as_of=AS_OF)  # type: ignore[arg-type]

    second = reclassify(**{**state, "balances": first.balances_after}, as_of=AS_OF)  # type: ignore[arg-type]

    assert second.moves == ()


@given(state=states)
def test_on_assistance_nothing_stays_never_assigned_and_off_assistance_nothing_stays_temporarily_assigned(
    state: dict[str, object],
) -> None:
    result = reclassify(**state, as_of=AS_OF)  # type: ignore[arg-type]

    if state["on_assistance"]:
        assert result.balances_after[NA] == ZERO
    else:
        assert result.balances_after[TA] == ZERO
        assert result.balances_after[NA] == state["balances"].get(NA, ZERO)  # type: ignore[attr-defined]
