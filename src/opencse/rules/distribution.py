"""Distribution of a IV-D collection (42 U.S.C. 657; 45 CFR 302.51, 302.52, 303.72(h), 303.100(a)(5)).

A *collection* is money received; its *distribution* is the allocation of it to debts and payees;
the *disbursement* that pays it out is the ledger's business, not this module's. Two pure rules live
here, and the ledger calls them for each collection it posts:

- `split_across_cases` divides one collection among the cases of one obligor (45 CFR
  303.100(a)(5)): the current support of every case first, prorated by the current support due, then
  arrears, prorated by the method the State's parameter names. Cents always add up (`prorate_capped`).
- `distribute` allocates one case's share to current support and the six arrears buckets of
  AT-97-17 / 45 CFR 302.51 in the order the parameters give for the family's assistance status and
  the collection's source, and decides for each amount whether the family or the State gets it.

Federal law fixes who may keep what; the State plan chooses the sequence and the options. So the
payee of each bucket is code (42 U.S.C. 657(a)(1)-(4)), and the orders and options are dated
parameters in `params/<jurisdiction>/distribution.yaml`. "State" in a result means the government
share as a whole; splitting it into Federal and State shares by FMAP (657(c)(2)) is a later step.

The module is over 400 lines because the single-case rule, the multi-case split and the types the
ledger imports (`ArrearsBucket`, `CaseType`, `DistributionSource`) belong together: the split hands its
shares to `distribute`, and splitting them would scatter one regulation over several files.

Invariants asserted on every call: the allocations plus the unapplied amount equal the collection to
the cent; the State never retains more than the unreimbursed assistance (657(a)(3)); nothing is
applied to a debt beyond what is due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import ZERO, is_whole_cents, prorate_capped
from opencse.rules.params import ParameterSet, ParameterValue, parameter_file, parameters

CURRENT_SUPPORT = "current_support"
CASES_MAXIMUM = 100  # far above any real obligor's caseload; a larger list is a bug upstream


class CaseType(StrEnum):
    """The family's assistance status for the month of collection (42 U.S.C. 657(a))."""

    CURRENT_ASSISTANCE = "current_assistance"
    FORMER_ASSISTANCE = "former_assistance"
    NEVER_ASSISTANCE = "never_assistance"


class DistributionSource(StrEnum):
    """Where a collection came from, as far as distribution cares (the ledger's `CollectionSource` names
    every source an officer records; these are the three the law distributes differently: 45 CFR 302.51(a)(3),
    303.102(g))."""

    REGULAR = "regular"
    FEDERAL_TAX_OFFSET = "federal_tax_offset"
    STATE_TAX_OFFSET = "state_tax_offset"


class ArrearsBucket(StrEnum):
    """The arrears assignment categories of OCSE AT-97-17, used for 45 CFR 302.51 distribution."""

    PERMANENTLY_ASSIGNED = "permanently_assigned"
    TEMPORARILY_ASSIGNED = "temporarily_assigned"
    CONDITIONALLY_ASSIGNED = "conditionally_assigned"
    UNASSIGNED_DURING_ASSISTANCE = "unassigned_during_assistance"
    UNASSIGNED_PRE_ASSISTANCE = "unassigned_pre_assistance"
    NEVER_ASSIGNED = "never_assigned"


class PaidTo(StrEnum):
    """Whose money an applied amount is: the family's, or the State's to keep against assistance paid
    (42 U.S.C. 657(a)). Where the ledger then puts it (paid, held, undistributable) is `ledger.models.Payee`."""

    FAMILY = "family"
    STATE = "state"


class UnappliedTreatment(StrEnum):
    """What happens to money left when every debt is paid (45 CFR 302.51(b), 303.72(h)(4), 303.102(g)(2))."""

    HELD_AS_FUTURE_SUPPORT = "held_as_future_support"
    RETURNED_TO_OBLIGOR = "returned_to_obligor"


# Assigned under 42 U.S.C. 608(a)(3): money applied to them is retained, up to unreimbursed assistance.
ASSIGNED_BUCKETS = frozenset({ArrearsBucket.PERMANENTLY_ASSIGNED, ArrearsBucket.TEMPORARILY_ASSIGNED})
DEBT_NAMES = frozenset({CURRENT_SUPPORT, *ArrearsBucket})


@dataclass(frozen=True, slots=True)
class Debts:
    """What one case's obligor owes when the collection is distributed."""

    case_type: CaseType
    current_support_due: Decimal  # this month's current support not yet paid
    arrears: Mapping[ArrearsBucket, Decimal]  # a missing bucket owes nothing
    unreimbursed_assistance: Decimal  # URA: the most the State may still retain (657(a)(3))
    pass_through: Decimal | None = None  # what is left of this month's pass-through; None: the State's parameter

    def due(self, debt: str) -> Decimal:
        if debt == CURRENT_SUPPORT:
            return self.current_support_due
        return self.arrears.get(ArrearsBucket(debt), ZERO)


@dataclass(frozen=True, slots=True)
class Collection:
    amount: Decimal
    source: DistributionSource


@dataclass(frozen=True, slots=True)
class Allocation:
    applied_to: str  # CURRENT_SUPPORT or an ArrearsBucket value
    amount: Decimal
    payee: PaidTo


@dataclass(frozen=True, slots=True)
class Distribution:
    """One collection's distribution: ordered allocations and their totals, with the explanation."""

    allocations: tuple[Allocation, ...]
    family_total: Decimal
    state_total: Decimal
    unapplied: Decimal
    unapplied_treatment: UnappliedTreatment
    unreimbursed_assistance_after: Decimal
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]
    case_type: CaseType = CaseType.NEVER_ASSISTANCE  # the family's status the distribution used
    passed_through: Decimal = ZERO  # of `family_total`, the pass-through (42 U.S.C. 657(a)(6)(B))


@dataclass(frozen=True, slots=True)
class CaseDue:
    """One of the obligor's cases, as the multi-case split sees it."""

    case_id: str
    current_support_due: Decimal
    arrears_due: Decimal


@dataclass(frozen=True, slots=True)
class CaseShare:
    case_id: str
    current_support: Decimal
    arrears: Decimal

    @property
    def total(self) -> Decimal:
        return self.current_support + self.arrears


@dataclass(frozen=True, slots=True)
class CaseSplit:
    """One collection divided among an obligor's cases (45 CFR 303.100(a)(5))."""

    shares: tuple[CaseShare, ...]
    unapplied: Decimal
    unapplied_treatment: UnappliedTreatment
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def distribution_parameters(*, jurisdiction: str, as_of: date) -> ParameterSet:
    """The distribution options of `jurisdiction` (federal defaults for "US") in force on `as_of`."""
    return parameters(parameter_file("distribution", jurisdiction=jurisdiction), as_of)


def distribute(*, collection: Collection, debts: Debts, as_of: date, jurisdiction: str = "US") -> Distribution:
    """Allocate one case's collection to its debts and payees (42 U.S.C. 657(a); 45 CFR 302.51).

    Regular collections pay current support first (302.51(a)(1)); tax offsets pay arrears only
    (302.51(a)(3)(i), 303.102(g)(1)). The State keeps assigned amounts up to the unreimbursed
    assistance (657(a)(3)); everything else goes to the family; what no debt needs is unapplied.
    """
    _check(collection=collection, debts=debts)
    options = distribution_parameters(jurisdiction=jurisdiction, as_of=as_of)
    lines = Explanation()
    lines.add(f"Collection received ({collection.source.value})", collection.amount, "45 CFR 302.51(a)")
    lines.add("Family's assistance status", debts.case_type.value, _CASE_TYPE_REFERENCE[debts.case_type])
    family_first = _family_first(collection=collection, debts=debts, options=options, lines=lines)
    order = _order(collection=collection, debts=debts, family_first=family_first, options=options, lines=lines)
    pass_through = _pass_through(collection=collection, debts=debts, options=options, lines=lines)
    reduces_ura = pass_through > ZERO and bool(
        lines.take(
            options["pass_through_reduces_unreimbursed_assistance"], "Pass-through reduces unreimbursed assistance"
        )
    )
    walk = _Walk(
        remaining=collection.amount,
        unreimbursed=debts.unreimbursed_assistance,
        pass_through=pass_through,
        pass_through_reduces_unreimbursed=reduces_ura,
    )
    for debt in order:
        walk.apply(debt=debt, due=debts.due(debt), retainable=_retainable(debt, collection, debts, family_first))
    walk.explain(lines, collection=collection, debts=debts)
    treatment = _unapplied_treatment(source=collection.source, options=options, lines=lines, unapplied=walk.remaining)
    return _result(collection=collection, debts=debts, walk=walk, treatment=treatment, lines=lines)


_CASE_TYPE_REFERENCE = {
    CaseType.CURRENT_ASSISTANCE: "42 U.S.C. 657(a)(1); 45 CFR 302.51(a)",
    CaseType.FORMER_ASSISTANCE: "42 U.S.C. 657(a)(2); 45 CFR 302.51(a)",
    CaseType.NEVER_ASSISTANCE: "42 U.S.C. 657(a)(4); 45 CFR 302.51(a)(5)",
}


def _check(*, collection: Collection, debts: Debts) -> None:
    """Refuse inputs the law rules out, naming the field as the `distribute` command spells it."""
    if collection.amount <= ZERO:
        raise InvalidInput("must be more than zero", field="collection.amount")
    amounts = {
        "current_support_due": debts.current_support_due,
        "unreimbursed_assistance": debts.unreimbursed_assistance,
        "pass_through": debts.pass_through or ZERO,
    }
    amounts.update({f"arrears.{bucket.value}": due for bucket, due in debts.arrears.items()})
    for name, amount in [("collection.amount", collection.amount), *amounts.items()]:
        if amount < ZERO:
            raise InvalidInput("must not be negative", field=name)
        if not is_whole_cents(amount):
            raise InvalidInput("must be an amount in whole cents", field=name)
    if debts.case_type is not CaseType.CURRENT_ASSISTANCE and (debts.pass_through or ZERO) > ZERO:
        raise InvalidInput("a pass-through applies only to a current-assistance family", field="pass_through")
    if debts.case_type is CaseType.NEVER_ASSISTANCE:
        for bucket, due in debts.arrears.items():
            if bucket is not ArrearsBucket.NEVER_ASSIGNED and due > ZERO:
                raise InvalidInput(
                    "a never-assistance family has only never_assigned arrears", field=f"arrears.{bucket}"
                )
        if debts.unreimbursed_assistance > ZERO:
            raise InvalidInput(
                "a never-assistance family has no unreimbursed assistance", field="unreimbursed_assistance"
            )


def _family_first(*, collection: Collection, debts: Debts, options: ParameterSet, lines: Explanation) -> bool:
    """Whether the State's section 454(34) election puts the family first for this tax offset."""
    if collection.source is not DistributionSource.FEDERAL_TAX_OFFSET:
        return False
    if debts.case_type is not CaseType.FORMER_ASSISTANCE:
        return False  # the election concerns former-assistance families (42 U.S.C. 654(34), 657(a)(2))
    elected: bool = lines.take(options["federal_tax_offset_family_first"], "State elected family-first tax offset")
    return elected


def _order(
    *, collection: Collection, debts: Debts, family_first: bool, options: ParameterSet, lines: Explanation
) -> tuple[str, ...]:
    """The debts in the order the collection pays them."""
    by_case_type = options[f"order_{debts.case_type.value}"]
    if collection.source is DistributionSource.FEDERAL_TAX_OFFSET:
        if debts.case_type is CaseType.NEVER_ASSISTANCE or family_first:
            chosen = _without_current(by_case_type)
        else:
            chosen = options["order_federal_tax_offset"]
        pays_current: bool = lines.take(
            options["federal_tax_offset_pays_current_support"], "Federal tax offset may pay current support"
        )
        if pays_current:
            chosen = replace(chosen, value=(CURRENT_SUPPORT, *chosen.value))
    elif collection.source is DistributionSource.STATE_TAX_OFFSET:
        chosen = _without_current(by_case_type)
        lines.add("State tax offset pays past-due support only", "yes", "45 CFR 303.102(g)(1)")
    else:
        chosen = by_case_type
    lines.note(chosen)
    order = tuple(str(debt) for debt in chosen.value)
    assert set(order) <= DEBT_NAMES, order
    assert len(set(order)) == len(order), order
    lines.add("Order of application", ", ".join(order), chosen.reference)
    return order


def _without_current(chosen: ParameterValue[Any]) -> ParameterValue[Any]:
    """The same order without current support: offsets are applied to past-due support only."""
    return replace(chosen, value=tuple(debt for debt in chosen.value if debt != CURRENT_SUPPORT))


def _pass_through(*, collection: Collection, debts: Debts, options: ParameterSet, lines: Explanation) -> Decimal:
    """The most of this collection's current support passed to the family (42 U.S.C. 657(a)(6)(B))."""
    if debts.case_type is not CaseType.CURRENT_ASSISTANCE or collection.source is not DistributionSource.REGULAR:
        return ZERO
    if debts.pass_through is not None:
        lines.add("Pass-through left this month (input)", debts.pass_through, "42 U.S.C. 657(a)(6)(B)")
        return debts.pass_through
    amount: Decimal = lines.take(options["pass_through_monthly"], "Pass-through per month (State parameter)")
    return amount


def _retainable(debt: str, collection: Collection, debts: Debts, family_first: bool) -> bool:
    """Whether money applied to `debt` is the State's to retain, up to unreimbursed assistance.

    Current support is assigned only while the family receives assistance (42 U.S.C. 608(a)(3),
    657(a)(1)). Permanently and temporarily assigned arrears are the State's (657(a)(2)(B)(ii)).
    Conditionally assigned arrears are the family's except a federal tax offset without the
    family-first election (AT-97-17; OCSE DCL-08-43). Every other bucket is the family's.
    """
    if debts.case_type is CaseType.NEVER_ASSISTANCE:
        return False
    if debt == CURRENT_SUPPORT:
        return debts.case_type is CaseType.CURRENT_ASSISTANCE
    bucket = ArrearsBucket(debt)
    if bucket in ASSIGNED_BUCKETS:
        return True
    if bucket is ArrearsBucket.CONDITIONALLY_ASSIGNED:
        return collection.source is DistributionSource.FEDERAL_TAX_OFFSET and not family_first
    return False


@dataclass(slots=True)
class _Walk:
    """The running state of one distribution: what is left of the collection, of URA, of pass-through."""

    remaining: Decimal
    unreimbursed: Decimal
    pass_through: Decimal
    pass_through_reduces_unreimbursed: bool
    allocations: list[Allocation] = field(default_factory=list)
    steps: list[tuple[str, Decimal, Decimal, Decimal, Decimal]] = field(default_factory=list)

    def apply(self, *, debt: str, due: Decimal, retainable: bool) -> None:
        """Pay `debt` as far as the collection reaches; split the payment between State and family."""
        paid = min(due, self.remaining)
        if paid == ZERO:
            return
        self.remaining -= paid
        passed = min(self.pass_through, paid) if retainable and debt == CURRENT_SUPPORT else ZERO
        self.pass_through -= passed
        if self.pass_through_reduces_unreimbursed:
            self.unreimbursed -= min(passed, self.unreimbursed)
        retained = min(paid - passed, self.unreimbursed) if retainable else ZERO
        self.unreimbursed -= retained
        to_family = paid - retained
        if retained > ZERO:
            self.allocations.append(Allocation(applied_to=debt, amount=retained, payee=PaidTo.STATE))
        if to_family > ZERO:
            self.allocations.append(Allocation(applied_to=debt, amount=to_family, payee=PaidTo.FAMILY))
        self.steps.append((debt, due, paid, retained, passed))
        assert retained + to_family == paid, (retained, to_family, paid)
        assert self.remaining >= ZERO, self.remaining
        assert self.unreimbursed >= ZERO, self.unreimbursed

    def explain(self, lines: Explanation, *, collection: Collection, debts: Debts) -> None:
        for debt, due, paid, retained, passed in self.steps:
            where = _debt_reference(debt, collection=collection, debts=debts)
            lines.add(f"{_label(debt)}: {due} due, paid", paid, where)
            if passed > ZERO:
                lines.add("  of which passed through to the family", passed, "42 U.S.C. 657(a)(6)(B)")
            if retained > ZERO:
                lines.add(
                    "  of which retained by the State (reduces unreimbursed assistance)",
                    retained,
                    _retained_reference(debt, debts),
                )
            if paid - retained - passed > ZERO:
                lines.add("  of which paid to the family", paid - retained - passed, _family_reference(debt, debts))
        lines.add("Unreimbursed assistance after distribution", self.unreimbursed, "42 U.S.C. 657(a)(3)")


def _label(debt: str) -> str:
    return "Current support" if debt == CURRENT_SUPPORT else f"Arrears, {debt.replace('_', ' ')}"


_CURRENT_SUPPORT_REFERENCE = {
    CaseType.CURRENT_ASSISTANCE: "45 CFR 302.51(a)(1)-(2); 42 U.S.C. 657(a)(1)",
    CaseType.FORMER_ASSISTANCE: "45 CFR 302.51(a)(1)-(2); 42 U.S.C. 657(a)(2)(A)",
    CaseType.NEVER_ASSISTANCE: "45 CFR 302.51(a)(1)-(2), (a)(5); 42 U.S.C. 657(a)(4)",
}
_ARREARS_REFERENCE = {
    CaseType.CURRENT_ASSISTANCE: "45 CFR 302.51(a)(1); 42 U.S.C. 657(a)(1)",
    CaseType.NEVER_ASSISTANCE: "45 CFR 302.51(a)(1), (a)(5); 42 U.S.C. 657(a)(4)",
}


def _debt_reference(debt: str, *, collection: Collection, debts: Debts) -> str:
    """The paragraph that puts this debt at this place in the order."""
    if collection.source is DistributionSource.FEDERAL_TAX_OFFSET:
        return "45 CFR 302.51(a)(3); 303.72(h)(1), (h)(3)"
    if collection.source is DistributionSource.STATE_TAX_OFFSET:
        return "45 CFR 303.102(g)(1); 302.51(a)(1)"
    if debt == CURRENT_SUPPORT:
        return _CURRENT_SUPPORT_REFERENCE[debts.case_type]
    if debts.case_type is CaseType.FORMER_ASSISTANCE:
        paragraph = "(a)(2)(B)(ii)" if ArrearsBucket(debt) in ASSIGNED_BUCKETS else "(a)(2)(B)(i)"
        return f"45 CFR 302.51(a)(1); 42 U.S.C. 657{paragraph}"
    return _ARREARS_REFERENCE[debts.case_type]


def _retained_reference(debt: str, debts: Debts) -> str:
    if debt == ArrearsBucket.CONDITIONALLY_ASSIGNED:
        return "45 CFR 302.51(a)(3)(i); OCSE DCL-08-43 (tax offset pays conditionally assigned arrears to the State)"
    if debts.case_type is CaseType.CURRENT_ASSISTANCE:
        return "42 U.S.C. 657(a)(1)(A)-(B), (a)(3); 45 CFR 302.50(d)"
    return "42 U.S.C. 657(a)(2)(B)(ii), (a)(3); 45 CFR 302.50(d)"


def _family_reference(debt: str, debts: Debts) -> str:
    if debt == CURRENT_SUPPORT and debts.case_type is CaseType.CURRENT_ASSISTANCE:
        return "42 U.S.C. 657(a)(1)(C), (a)(3): beyond unreimbursed assistance, to the family"
    if debt != CURRENT_SUPPORT and ArrearsBucket(debt) in ASSIGNED_BUCKETS:
        return "42 U.S.C. 657(a)(3), (a)(2)(B)(iii): beyond unreimbursed assistance, to the family"
    return _CASE_TYPE_REFERENCE[debts.case_type]


def _unapplied_treatment(
    *, source: DistributionSource, options: ParameterSet, lines: Explanation, unapplied: Decimal
) -> UnappliedTreatment:
    chosen = options[f"unapplied_{source.value}"]
    lines.note(chosen)
    try:
        treatment = UnappliedTreatment(chosen.value)
    except ValueError:
        raise AssertionError(f"{chosen.name} is not a known treatment: {chosen.value!r}") from None
    step = f"Unapplied, left when every debt it may pay is paid ({treatment.value.replace('_', ' ')})"
    lines.add(step, unapplied, chosen.reference)
    return treatment


def _result(
    *, collection: Collection, debts: Debts, walk: _Walk, treatment: UnappliedTreatment, lines: Explanation
) -> Distribution:
    family_total = sum((a.amount for a in walk.allocations if a.payee is PaidTo.FAMILY), ZERO)
    state_total = sum((a.amount for a in walk.allocations if a.payee is PaidTo.STATE), ZERO)
    # Money is neither created nor lost (design/style.md 1): allocations plus unapplied = collection.
    assert family_total + state_total + walk.remaining == collection.amount, (family_total, state_total, walk)
    assert state_total <= debts.unreimbursed_assistance, (state_total, debts.unreimbursed_assistance)
    assert walk.unreimbursed <= debts.unreimbursed_assistance - state_total, walk.unreimbursed
    lines.add("Paid to the family", family_total, "42 U.S.C. 657(a)")
    lines.add("Retained by the State (Federal and State shares)", state_total, "42 U.S.C. 657(a)(1)-(3), (c)")
    lines.add("Allocated plus unapplied equals the collection", collection.amount, "45 CFR 302.51")
    return Distribution(
        allocations=tuple(walk.allocations),
        family_total=family_total,
        state_total=state_total,
        unapplied=walk.remaining,
        unapplied_treatment=treatment,
        unreimbursed_assistance_after=walk.unreimbursed,
        explanation=lines.done(),
        parameters=lines.parameters(),
        case_type=debts.case_type,
        passed_through=sum((step[4] for step in walk.steps), ZERO),
    )


def split_across_cases(
    *,
    amount: Decimal,
    source: DistributionSource,
    cases: Sequence[CaseDue],
    as_of: date,
    jurisdiction: str = "US",
) -> CaseSplit:
    """Divide one collection among an obligor's cases (45 CFR 303.100(a)(5)).

    Current support of every case is paid first, prorated by the current support due when the
    collection cannot pay it all, so that no case is left unpaid; what remains pays arrears by the
    State's method (default: prorated by the arrears due). A tax offset skips current support
    (45 CFR 302.51(a)(3)(i), 303.102(g)(1)) unless the State's parameter lets a federal offset pay it.
    Each case's share is then distributed on its own with `distribute`.
    """
    _check_cases(amount=amount, cases=cases)
    options = distribution_parameters(jurisdiction=jurisdiction, as_of=as_of)
    lines = Explanation()
    lines.add(f"Collection to divide among the obligor's cases ({source.value})", amount, "45 CFR 303.100(a)(5)")
    if _split_pays_current_support(source=source, options=options, lines=lines):
        currents = [case.current_support_due for case in cases]
    else:
        currents = [ZERO for _ in cases]
    current_paid = _fill(amount, dues=currents, weights=currents)
    lines.add(
        "Current support paid, prorated by current support due",
        sum(current_paid, ZERO),
        "45 CFR 303.100(a)(5): current support first, no case left unpaid",
    )
    arrears = [case.arrears_due for case in cases]
    weights = _arrears_weights(options=options, lines=lines, arrears=arrears, currents=currents)
    arrears_paid = _fill(amount - sum(current_paid, ZERO), dues=arrears, weights=weights)
    shares = tuple(
        CaseShare(case_id=case.case_id, current_support=current, arrears=past)
        for case, current, past in zip(cases, current_paid, arrears_paid, strict=True)
    )
    for share in shares:
        lines.add(
            f"Case {share.case_id}: current support + arrears",
            f"{share.current_support} + {share.arrears}",
            "45 CFR 303.100(a)(5)",
        )
    unapplied = amount - sum((share.total for share in shares), ZERO)
    assert unapplied >= ZERO, unapplied
    assert unapplied == ZERO or all(
        s.total == current + c.arrears_due for s, c, current in zip(shares, cases, currents, strict=True)
    )
    treatment = _unapplied_treatment(source=source, options=options, lines=lines, unapplied=unapplied)
    return CaseSplit(
        shares=shares,
        unapplied=unapplied,
        unapplied_treatment=treatment,
        explanation=lines.done(),
        parameters=lines.parameters(),
    )


def _split_pays_current_support(*, source: DistributionSource, options: ParameterSet, lines: Explanation) -> bool:
    if source is DistributionSource.REGULAR:
        return True
    if source is DistributionSource.STATE_TAX_OFFSET:
        lines.add("State tax offset pays past-due support only", "yes", "45 CFR 303.102(g)(1)")
        return False
    pays: bool = lines.take(
        options["federal_tax_offset_pays_current_support"], "Federal tax offset may pay current support"
    )
    return pays


def _arrears_weights(
    *, options: ParameterSet, lines: Explanation, arrears: list[Decimal], currents: list[Decimal]
) -> list[Decimal]:
    method = lines.take(options["multi_case_arrears_method"], "Arrears method")
    if method == "pro_rata_by_arrears_due":
        return arrears
    if method == "pro_rata_by_current_support":
        return currents
    raise AssertionError(f"unknown multi_case_arrears_method {method!r}")


def _check_cases(*, amount: Decimal, cases: Sequence[CaseDue]) -> None:
    if amount <= ZERO or not is_whole_cents(amount):
        raise InvalidInput("must be a positive amount in whole cents", field="amount")
    if not 1 <= len(cases) <= CASES_MAXIMUM:
        raise InvalidInput(f"must list between 1 and {CASES_MAXIMUM} cases", field="cases")
    if len({case.case_id for case in cases}) != len(cases):
        raise InvalidInput("each case may appear only once", field="cases")
    for index, case in enumerate(cases):
        for name in ("current_support_due", "arrears_due"):
            due: Decimal = getattr(case, name)
            if due < ZERO or not is_whole_cents(due):
                raise InvalidInput("must be a non-negative amount in whole cents", field=f"cases[{index}].{name}")


def _fill(total: Decimal, *, dues: Sequence[Decimal], weights: Sequence[Decimal]) -> list[Decimal]:
    """Pay `dues` from `total` by weight, never a part beyond its due (`prorate_capped`); cents add up exactly.

    When the total covers every due, each is paid in full. Otherwise the total is split pro rata; a part
    whose share would exceed its due is capped and the rest is split again among the parts still short,
    by weight, or by what they are still due when those weights are all zero.
    """
    return prorate_capped(min(total, sum(dues, ZERO)), weights=weights, caps=dues)
