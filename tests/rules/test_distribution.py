"""Properties and library-level checks of `opencse.rules.distribution` (42 U.S.C. 657; 45 CFR 302.51, 303.100).

The worked examples with cited sources are in cases/distribute.yaml; these tests check the
guarantees that must hold for every input: no cent created or lost, current support before arrears,
the State never retains more than the unreimbursed assistance, and the multi-case split adds up.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.commands import execute
from opencse.rules.distribution import (
    CURRENT_SUPPORT,
    ArrearsBucket,
    CaseDue,
    CaseType,
    Collection,
    Debts,
    Distribution,
    DistributionSource,
    PaidTo,
    distribute,
    split_across_cases,
)

AS_OF = date(2026, 11, 23)
ZERO = Decimal("0.00")

amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("20000"), places=2, allow_nan=False, allow_infinity=False
)
positive_amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def debts_strategy(draw: st.DrawFn) -> Debts:
    case_type = draw(st.sampled_from(CaseType))
    if case_type is CaseType.NEVER_ASSISTANCE:
        arrears = {ArrearsBucket.NEVER_ASSIGNED: draw(amounts)}
        return Debts(
            case_type=case_type, current_support_due=draw(amounts), arrears=arrears, unreimbursed_assistance=ZERO
        )
    arrears = {bucket: draw(amounts) for bucket in ArrearsBucket}
    pass_through = draw(st.one_of(st.none(), amounts)) if case_type is CaseType.CURRENT_ASSISTANCE else None
    return Debts(
        case_type=case_type,
        current_support_due=draw(amounts),
        arrears=arrears,
        unreimbursed_assistance=draw(amounts),
        pass_through=pass_through,
    )


collections = st.builds(Collection, amount=positive_amounts, source=st.sampled_from(DistributionSource))


def _paid(distribution: Distribution, debt: str) -> Decimal:
    return sum((line.amount for line in distribution.allocations if line.applied_to == debt), ZERO)


@given(collection=collections, debts=debts_strategy())
def test_distribution_creates_and_loses_no_cent(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    allocated = sum((line.amount for line in distribution.allocations), ZERO)

    assert allocated + distribution.unapplied == collection.amount
    assert distribution.family_total + distribution.state_total == allocated
    assert all(line.amount > ZERO for line in distribution.allocations)
    assert distribution.unapplied >= ZERO


@given(collection=collections, debts=debts_strategy())
def test_no_debt_is_paid_beyond_what_is_due(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    assert _paid(distribution, CURRENT_SUPPORT) <= debts.current_support_due
    for bucket in ArrearsBucket:
        assert _paid(distribution, bucket.value) <= debts.arrears.get(bucket, ZERO)


@given(collection=collections, debts=debts_strategy())
def test_money_is_unapplied_only_when_every_payable_debt_is_paid(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    if distribution.unapplied > ZERO:
        for bucket in ArrearsBucket:
            assert _paid(distribution, bucket.value) == debts.arrears.get(bucket, ZERO)
        if collection.source is DistributionSource.REGULAR:
            assert _paid(distribution, CURRENT_SUPPORT) == debts.current_support_due


@given(
    collection=st.builds(Collection, amount=positive_amounts, source=st.just(DistributionSource.REGULAR)),
    debts=debts_strategy(),
)
def test_a_regular_collection_pays_current_support_in_full_before_any_arrears(
    collection: Collection, debts: Debts
) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    arrears_paid = sum((line.amount for line in distribution.allocations if line.applied_to != CURRENT_SUPPORT), ZERO)

    if arrears_paid > ZERO:
        assert _paid(distribution, CURRENT_SUPPORT) == debts.current_support_due
    assert (
        distribution.allocations == ()
        or distribution.allocations[0].applied_to == CURRENT_SUPPORT
        or (debts.current_support_due == ZERO)
    )


@given(
    collection=st.builds(
        Collection,
        amount=positive_amounts,
        source=st.sampled_from([DistributionSource.FEDERAL_TAX_OFFSET, DistributionSource.STATE_TAX_OFFSET]),
    ),
    debts=debts_strategy(),
)
def test_a_tax_offset_never_pays_current_support_under_federal_defaults(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    assert _paid(distribution, CURRENT_SUPPORT) == ZERO


@given(collection=collections, debts=debts_strategy())
def test_the_state_never_retains_more_than_the_unreimbursed_assistance(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    assert distribution.state_total <= debts.unreimbursed_assistance
    assert distribution.unreimbursed_assistance_after == debts.unreimbursed_assistance - distribution.state_total


@given(collection=collections, debts=debts_strategy())
def test_the_state_retains_only_assigned_support(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    retained_from = {line.applied_to for line in distribution.allocations if line.payee is PaidTo.STATE}

    allowed = {ArrearsBucket.PERMANENTLY_ASSIGNED.value, ArrearsBucket.TEMPORARILY_ASSIGNED.value}
    if debts.case_type is CaseType.CURRENT_ASSISTANCE:
        allowed.add(CURRENT_SUPPORT)
    if collection.source is DistributionSource.FEDERAL_TAX_OFFSET:
        allowed.add(ArrearsBucket.CONDITIONALLY_ASSIGNED.value)
    if debts.case_type is CaseType.NEVER_ASSISTANCE:
        allowed = set()
    assert retained_from <= allowed


@given(collection=collections, debts=debts_strategy())
def test_every_allocation_has_an_explanation_line_that_cites_the_law(collection: Collection, debts: Debts) -> None:
    distribution = distribute(collection=collection, debts=debts, as_of=AS_OF)

    cited = [line for line in distribution.explanation if line.step.endswith("due, paid")]

    assert len(cited) == len({line.applied_to for line in distribution.allocations})
    assert all(line.reference for line in distribution.explanation)
    assert distribution.parameters


def test_the_pass_through_goes_to_the_family_and_does_not_reduce_the_unreimbursed_assistance() -> None:
    debts = Debts(
        case_type=CaseType.CURRENT_ASSISTANCE,
        current_support_due=Decimal("400.00"),
        arrears={},
        unreimbursed_assistance=Decimal("2500.00"),
        pass_through=Decimal("50.00"),
    )

    distribution = distribute(
        collection=Collection(amount=Decimal("400.00"), source=DistributionSource.REGULAR), debts=debts, as_of=AS_OF
    )

    assert distribution.family_total == Decimal("50.00")
    assert distribution.unreimbursed_assistance_after == Decimal("2150.00")


def test_a_result_cannot_be_changed_after_it_is_made() -> None:
    debts = Debts(
        case_type=CaseType.NEVER_ASSISTANCE,
        current_support_due=Decimal("10.00"),
        arrears={},
        unreimbursed_assistance=ZERO,
    )
    distribution = distribute(
        collection=Collection(amount=Decimal("10.00"), source=DistributionSource.REGULAR), debts=debts, as_of=AS_OF
    )

    with pytest.raises(dataclasses.FrozenInstanceError):
        distribution.state_total = Decimal("1.00")  # type: ignore[misc]  # the point is that it is refused


# The multi-case split (45 CFR 303.100(a)(5)).

cases_strategy = st.lists(
    st.builds(CaseDue, case_id=st.just(""), current_support_due=amounts, arrears_due=amounts), min_size=1, max_size=8
).map(lambda cases: [dataclasses.replace(case, case_id=f"C{index}") for index, case in enumerate(cases)])


@given(amount=positive_amounts, cases=cases_strategy)
def test_the_multi_case_split_always_adds_up(amount: Decimal, cases: list[CaseDue]) -> None:
    split = split_across_cases(amount=amount, source=DistributionSource.REGULAR, cases=cases, as_of=AS_OF)

    assert sum((share.total for share in split.shares), ZERO) + split.unapplied == amount
    assert [share.case_id for share in split.shares] == [case.case_id for case in cases]
    for share, case in zip(split.shares, cases, strict=True):
        assert ZERO <= share.current_support <= case.current_support_due
        assert ZERO <= share.arrears <= case.arrears_due


@given(amount=positive_amounts, cases=cases_strategy)
def test_the_multi_case_split_pays_every_case_current_support_pro_rata_before_arrears(
    amount: Decimal, cases: list[CaseDue]
) -> None:
    split = split_across_cases(amount=amount, source=DistributionSource.REGULAR, cases=cases, as_of=AS_OF)

    current_total = sum((case.current_support_due for case in cases), ZERO)
    if any(share.arrears > ZERO for share in split.shares):
        assert all(s.current_support == c.current_support_due for s, c in zip(split.shares, cases, strict=True))
    if amount < current_total:
        for share, case in zip(split.shares, cases, strict=True):
            exact = amount * case.current_support_due / current_total
            assert abs(share.current_support - exact) < Decimal("0.01")


@settings(max_examples=50)
@given(amount=positive_amounts, cases=cases_strategy)
def test_each_case_share_distributes_without_losing_a_cent(amount: Decimal, cases: list[CaseDue]) -> None:
    split = split_across_cases(amount=amount, source=DistributionSource.REGULAR, cases=cases, as_of=AS_OF)

    for share, case in zip(split.shares, cases, strict=True):
        if share.total == ZERO:
            continue
        debts = Debts(
            case_type=CaseType.NEVER_ASSISTANCE,
            current_support_due=case.current_support_due,
            arrears={ArrearsBucket.NEVER_ASSIGNED: case.arrears_due},
            unreimbursed_assistance=ZERO,
        )
        distribution = distribute(
            collection=Collection(amount=share.total, source=DistributionSource.REGULAR), debts=debts, as_of=AS_OF
        )
        assert distribution.unapplied == ZERO


def test_two_cases_share_a_short_collection_by_current_support() -> None:
    # Hand computation: $400 against $300 + $200 current support is 60% / 40% (45 CFR 303.100(a)(5);
    # dshs.wa.gov/node/364 "percent-of-total").
    cases = [
        CaseDue(case_id="A", current_support_due=Decimal("300.00"), arrears_due=Decimal("1000.00")),
        CaseDue(case_id="B", current_support_due=Decimal("200.00"), arrears_due=Decimal("0.00")),
    ]

    split = split_across_cases(amount=Decimal("400.00"), source=DistributionSource.REGULAR, cases=cases, as_of=AS_OF)

    assert [(s.current_support, s.arrears) for s in split.shares] == [
        (Decimal("240.00"), ZERO),
        (Decimal("160.00"), ZERO),
    ]


def test_arrears_are_prorated_by_arrears_due_after_all_current_support() -> None:
    # Hand computation: $800 pays $500 current support, then $300 of arrears 600 : 300 = 200 / 100.
    cases = [
        CaseDue(case_id="A", current_support_due=Decimal("300.00"), arrears_due=Decimal("600.00")),
        CaseDue(case_id="B", current_support_due=Decimal("200.00"), arrears_due=Decimal("300.00")),
        CaseDue(case_id="C", current_support_due=Decimal("0.00"), arrears_due=Decimal("0.00")),
    ]

    split = split_across_cases(amount=Decimal("800.00"), source=DistributionSource.REGULAR, cases=cases, as_of=AS_OF)

    assert [(s.current_support, s.arrears) for s in split.shares] == [
        (Decimal("300.00"), Decimal("200.00")),
        (Decimal("200.00"), Decimal("100.00")),
        (ZERO, ZERO),
    ]
    assert split.unapplied == ZERO


def test_an_odd_cent_goes_to_the_larger_remainder() -> None:
    # $100.00 over three equal current supports: 33.33 each and one spare cent to the first (split_pro_rata).
    cases = [CaseDue(case_id=name, current_support_due=Decimal("50.00"), arrears_due=ZERO) for name in "ABC"]

    split = split_across_cases(amount=Decimal("100.00"), source=DistributionSource.REGULAR, cases=cases, as_of=AS_OF)

    assert [s.current_support for s in split.shares] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_a_case_listed_twice_is_refused() -> None:
    case = CaseDue(case_id="A", current_support_due=Decimal("1.00"), arrears_due=ZERO)

    with pytest.raises(InvalidInput) as error:
        split_across_cases(amount=Decimal("1.00"), source=DistributionSource.REGULAR, cases=[case, case], as_of=AS_OF)

    assert error.value.field == "cases"


def test_a_negative_balance_given_to_the_library_is_refused_with_its_field() -> None:
    debts = Debts(
        case_type=CaseType.FORMER_ASSISTANCE,
        current_support_due=Decimal("10.00"),
        arrears={ArrearsBucket.UNASSIGNED_PRE_ASSISTANCE: Decimal("-1.00")},
        unreimbursed_assistance=ZERO,
    )

    with pytest.raises(InvalidInput) as error:
        distribute(
            collection=Collection(amount=Decimal("5.00"), source=DistributionSource.REGULAR), debts=debts, as_of=AS_OF
        )

    assert error.value.field == "arrears.unassigned_pre_assistance"


def test_the_pass_through_comes_only_from_current_support_never_from_arrears() -> None:
    # 42 U.S.C. 657(a)(6)(B); design/rules-cli.md: the most of the month's current-support collection.
    debts = Debts(
        case_type=CaseType.CURRENT_ASSISTANCE,
        current_support_due=Decimal("20.00"),
        arrears={ArrearsBucket.PERMANENTLY_ASSIGNED: Decimal("100.00")},
        unreimbursed_assistance=Decimal("1000.00"),
        pass_through=Decimal("50.00"),
    )

    distribution = distribute(
        collection=Collection(amount=Decimal("120.00"), source=DistributionSource.REGULAR), debts=debts, as_of=AS_OF
    )

    assert distribution.family_total == Decimal("20.00")
    assert distribution.state_total == Decimal("100.00")


@given(
    amount=positive_amounts,
    cases=cases_strategy,
    source=st.sampled_from([DistributionSource.FEDERAL_TAX_OFFSET, DistributionSource.STATE_TAX_OFFSET]),
)
def test_a_tax_offset_split_pays_no_case_current_support(
    amount: Decimal, cases: list[CaseDue], source: DistributionSource
) -> None:
    split = split_across_cases(amount=amount, source=source, cases=cases, as_of=AS_OF)

    assert all(share.current_support == ZERO for share in split.shares)
    assert sum((share.arrears for share in split.shares), ZERO) + split.unapplied == amount


def test_a_federal_tax_offset_is_shared_by_arrears_only() -> None:
    # Hand computation: $300 over arrears 400 : 200 = 200 / 100; current support is not touched
    # (45 CFR 302.51(a)(3)(i); dshs.wa.gov/node/364 "IRS tax refund intercept payments ... back support").
    cases = [
        CaseDue(case_id="A", current_support_due=Decimal("300.00"), arrears_due=Decimal("400.00")),
        CaseDue(case_id="B", current_support_due=Decimal("200.00"), arrears_due=Decimal("200.00")),
    ]

    split = split_across_cases(
        amount=Decimal("300.00"), source=DistributionSource.FEDERAL_TAX_OFFSET, cases=cases, as_of=AS_OF
    )

    assert [(s.current_support, s.arrears) for s in split.shares] == [
        (ZERO, Decimal("200.00")),
        (ZERO, Decimal("100.00")),
    ]


# The multi-case form of the command, end to end through the same entry point as `opencse rules`.


@st.composite
def case_payloads(draw: st.DrawFn) -> list[dict[str, object]]:
    payloads = []
    for index in range(draw(st.integers(min_value=1, max_value=5))):
        debts = draw(debts_strategy())
        payload: dict[str, object] = {
            "case_id": f"C{index}",
            "case_type": debts.case_type.value,
            "current_support_due": str(debts.current_support_due),
            "arrears": {bucket.value: str(amount) for bucket, amount in debts.arrears.items()},
            "unreimbursed_assistance": str(debts.unreimbursed_assistance),
        }
        if debts.pass_through is not None:
            payload["pass_through"] = str(debts.pass_through)
        payloads.append(payload)
    return payloads


@settings(max_examples=60)
@given(amount=positive_amounts, source=st.sampled_from(DistributionSource), cases=case_payloads())
def test_the_multi_case_command_accounts_for_every_cent(
    amount: Decimal, source: DistributionSource, cases: list[dict[str, object]]
) -> None:
    payload = {"as_of": "2026-11-23", "collection": {"amount": str(amount), "source": source.value}, "cases": cases}

    code, document, _ = execute("distribute", payload, today=AS_OF)

    assert code == 0, document
    result = document["result"]
    allocated = sum((Decimal(line["amount"]) for line in result["allocations"]), ZERO)
    assert allocated + Decimal(result["unapplied"]) == amount
    assert Decimal(result["family_total"]) + Decimal(result["state_total"]) == allocated
    assert {line["case_id"] for line in result["allocations"]} <= {case["case_id"] for case in cases}
