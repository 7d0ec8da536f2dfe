"""Income withholding for support: the CCPA limit and the split of one paycheck across orders.

Three pure rules, each citing its source and taking its numbers from dated parameters:

- `disposable_earnings`: gross earnings less the deductions required by law (15 U.S.C. 1672(b)).
- `withholding_limit`: the most that may be withheld for support from one pay period,
  50% / 60% of disposable earnings, plus 5 points to the extent the withholding pays support owed
  for a period before the last 12 weeks (15 U.S.C. 1673(b)(2)), lowered by a State limit where
  the State sets one (15 U.S.C. 1677).
- `allocate_withholding`: what each of an obligor's orders receives. Current support of all orders
  comes first, prorated by current support when it cannot all be paid; arrears payments come next,
  prorated on the State's basis (45 CFR 303.100(a)(5)). No order with current support is left
  with nothing when there is at least a cent for each.

The 5-point increase may pay only old arrears, never current support: "if and to the extent" in
1673(b)(2). So current support takes at most the 50% / 60% line, and arrears take what is left up
to the (possibly increased) maximum. When current support alone exceeds the 50% / 60% line, the
increase still goes to the old arrears, because current support could not lawfully take it.

Leftover cents of a proration go one each to the largest remainders, ties to the order listed
first (`split_pro_rata`). Every decision where the law is silent is explained in
docs/rules/withholding.md and named by a parameter whose reference says so.

Why over 400 lines: the three rules share the limit, the parameter cache and the capped proration,
and each is one statute's arithmetic; split across modules, 1673(b)'s "to the extent" condition would
live in one file and the allocation that enforces it in another.

Hot path (bench/rules_withholding.py): parameter versions and the explanation lines that depend on no
amount are cached per date (`_parameter`, `_limit_terms`, `_arrears_terms`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import CENT, HUNDRED, ROUND_DOWN, ZERO, prorate_capped, round_cents
from opencse.rules.params import FEDERAL, ParameterValue, governing_jurisdiction, parameter_file, parameters

LIMIT = "us/ccpa_support_limit"
DEDUCTIONS = "us/ccpa_disposable_earnings"
ALLOCATION = "us/ccpa_withholding_allocation"
ARREARS_BASES = frozenset({"arrears_payment", "arrears_balance", "equal"})
LEFTOVER_CENTS_RULES = frozenset({"largest_remainder_then_listed_order"})
EMPLOYER_FEE_ORDERS = frozenset({"after_current_support_before_arrears"})
ORDERS_MAXIMUM = 100  # far above any real obligor's number of orders; a limit on every loop
# USPS codes of the IV-D jurisdictions: the 50 States, DC, Guam, Puerto Rico and the Virgin Islands.
_JURISDICTION_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA GU HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VI VA WA WV WI WY"
)
JURISDICTIONS = frozenset(_JURISDICTION_CODES.split())
REF_DISPOSABLE = "15 U.S.C. 1672(b)"
REF_LIMIT = "15 U.S.C. 1673(b)(2)"
REF_STATE_LIMIT = "15 U.S.C. 1677 (a State law allowing less is not preempted); input state_limit_percent"
REF_PRIORITY = "45 CFR 303.100(a)(5): priority to current support up to the CCPA limit"
REF_FEE = "45 CFR 303.100(e)(1)(i), (iii); 42 U.S.C. 666(b)(6)(A)(i): the fee counts toward the CCPA limit"
REF_EXTENT = "15 U.S.C. 1673(b)(2), closing clause: the increase only to the extent it pays old arrears"


RawStep = tuple[str, Decimal, str]  # (step, amount, reference): an explanation line not yet formatted


@dataclass(slots=True)
class _Sheet:
    """The steps of one computation and the parameters it used (`Explanation` for the hot path).

    Amount lines stay raw tuples until read; lines that depend on no amount are cached `Line`s.
    """

    steps: list[Line | RawStep] = field(default_factory=list)
    used: dict[tuple[str, date], ParameterUse] = field(default_factory=dict)

    def amount(self, step: str, value: Decimal, reference: str) -> None:
        self.steps.append((step, value, reference))

    def extend(self, lines: tuple[Line, ...], used: tuple[tuple[tuple[str, date], ParameterUse], ...]) -> None:
        self.steps.extend(lines)
        self.used.update(used)

    def parameters(self) -> tuple[ParameterUse, ...]:
        return tuple(self.used.values())


def _format(steps: Sequence[Line | RawStep]) -> tuple[Line, ...]:
    # f"{amount:f}" is how explain.show writes a Decimal, so both kinds of line read alike.
    return tuple(
        step if isinstance(step, Line) else Line(step=step[0], value=f"{step[1]:f}", reference=step[2])
        for step in steps
    )


@dataclass(frozen=True, slots=True)
class Order:
    """One income withholding order's amounts for this pay period (and its arrears balance)."""

    id: str
    current_support: Decimal
    arrears_payment: Decimal
    arrears_balance: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Allocation:
    """What one order receives from this pay period's withholding."""

    id: str
    current_support: Decimal
    arrears: Decimal

    @property
    def total(self) -> Decimal:
        return self.current_support + self.arrears


@dataclass(frozen=True, slots=True)
class DisposableEarnings:
    gross_earnings: Decimal
    deductions_total: Decimal
    disposable_earnings: Decimal
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


@dataclass(frozen=True, slots=True)
class WithholdingLimit:
    limit_percent: Decimal
    maximum: Decimal  # per pay period, everything withheld for support
    maximum_before_increase: Decimal  # the 50% / 60% line: the most current support may take
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


@dataclass(frozen=True, slots=True)
class Withholding:
    limit_percent: Decimal
    maximum: Decimal
    total_withheld: Decimal
    current_support_withheld: Decimal
    arrears_withheld: Decimal
    employer_fee_withheld: Decimal  # inside the limit, not part of any order's allocation
    allocations: tuple[Allocation, ...]
    steps: tuple[Line | RawStep, ...]
    parameters: tuple[ParameterUse, ...]

    @property
    def explanation(self) -> tuple[Line, ...]:
        """The explanation lines, formatted when read: a batch that reads only amounts never pays for them."""
        return _format(self.steps)


@lru_cache(maxsize=4096)
def _parameter(name: str, key: str, as_of: date) -> ParameterValue[Any]:
    """One parameter version, cached: the lookup is on the hot path of every allocation."""
    return parameters(name, as_of)[key]


@lru_cache(maxsize=128)
def _allocation_file(jurisdiction: str | None, key: str) -> str:
    """The State's withholding parameter file when it has one that sets `key`, else the default."""
    governing = governing_jurisdiction("withholding", state=jurisdiction, key=key)
    return ALLOCATION if governing == FEDERAL else parameter_file("withholding", jurisdiction=governing)


def _allocation_parameter(key: str, jurisdiction: str | None, as_of: date) -> ParameterValue[Any]:
    return _parameter(_allocation_file(jurisdiction, key), key, as_of)


def pay_frequencies(*, as_of: date) -> tuple[str, ...]:
    """The pay frequencies the withholding rule accepts (29 CFR 870.10)."""
    return _frequencies_terms(as_of)[0]


def deduction_codes(*, as_of: date) -> tuple[str, ...]:
    """The deductions required by law that 15 U.S.C. 1672(b) subtracts from earnings."""
    codes: tuple[str, ...] = _parameter(DEDUCTIONS, "deductions_required_by_law", as_of).value
    return codes


def disposable_earnings(
    *, gross_earnings: Decimal, deductions_required_by_law: Mapping[str, Decimal], as_of: date
) -> DisposableEarnings:
    """Earnings less the amounts required by law to be withheld (15 U.S.C. 1672(b)).

    Voluntary deductions (health premiums, 401(k), union dues) are not codes of the parameter, so
    they are refused rather than subtracted (DOL Fact Sheet #30; domain/withholding.md section 1).
    """
    if gross_earnings < ZERO:
        raise InvalidInput("must not be negative", field="gross_earnings")
    codes = _parameter(DEDUCTIONS, "deductions_required_by_law", as_of)
    lines = Explanation()
    lines.note(codes)
    lines.add("Gross earnings this pay period", gross_earnings, "15 U.S.C. 1672(a)")
    deductions_total = ZERO
    for code, amount in deductions_required_by_law.items():
        field = f"deductions_required_by_law.{code}"
        if code not in codes.value:
            raise InvalidInput(
                f"is not a deduction required by law; choose from: {', '.join(sorted(codes.value))}", field=field
            )
        if amount < ZERO:
            raise InvalidInput("must not be negative", field=field)
        lines.add(f"Less {code.replace('_', ' ')}", amount, codes.reference)
        deductions_total += amount
    if deductions_total > gross_earnings:
        raise InvalidInput("must not add up to more than gross_earnings", field="deductions_required_by_law")
    disposable = gross_earnings - deductions_total
    lines.add("Disposable earnings (gross less deductions required by law)", disposable, REF_DISPOSABLE)
    return DisposableEarnings(
        gross_earnings=gross_earnings,
        deductions_total=deductions_total,
        disposable_earnings=disposable,
        explanation=lines.done(),
        parameters=lines.parameters(),
    )


def withholding_limit(
    *,
    disposable_earnings: Decimal,
    supporting_other_spouse_or_child: bool,
    arrears_over_12_weeks: bool,
    as_of: date,
    state_limit_percent: Decimal | None = None,
) -> WithholdingLimit:
    """Most that may be withheld for support from one pay period (15 U.S.C. 1673(b)(2), 1677)."""
    lines = _Sheet()
    limit = _limit(
        lines,
        disposable_earnings=disposable_earnings,
        supporting_other_spouse_or_child=supporting_other_spouse_or_child,
        arrears_over_12_weeks=arrears_over_12_weeks,
        as_of=as_of,
        state_limit_percent=state_limit_percent,
    )
    return WithholdingLimit(
        limit_percent=limit[0],
        maximum=limit[1],
        maximum_before_increase=limit[2],
        explanation=_format(lines.steps),
        parameters=lines.parameters(),
    )


@lru_cache(maxsize=1024)
def _limit_terms(
    as_of: date, supporting_other_spouse_or_child: bool, arrears_over_12_weeks: bool
) -> tuple[Decimal, Decimal, tuple[Line, ...], tuple[tuple[tuple[str, date], ParameterUse], ...]]:
    """(base percent, federal percent, their lines, parameters used): cached, they depend on no amount."""
    lines = Explanation()
    if supporting_other_spouse_or_child:
        base_parameter = _parameter(LIMIT, "supporting_other_family", as_of)
        base: Decimal = lines.take(base_parameter, "Limit: supports another spouse or child")
    else:
        base_parameter = _parameter(LIMIT, "not_supporting_other_family", as_of)
        base = lines.take(base_parameter, "Limit: supports no other family")
    percent = base
    if arrears_over_12_weeks:
        weeks = _parameter(LIMIT, "arrears_period_weeks", as_of)
        lines.note(weeks)
        percent = base + lines.take(
            _parameter(LIMIT, "arrears_increase", as_of), f"Increase: support owed before the last {weeks.value} weeks"
        )
    return base, percent, lines.done(), tuple(lines.used.items())


def _limit(
    lines: _Sheet,
    *,
    disposable_earnings: Decimal,
    supporting_other_spouse_or_child: bool,
    arrears_over_12_weeks: bool,
    as_of: date,
    state_limit_percent: Decimal | None,
) -> tuple[Decimal, Decimal, Decimal]:
    """(limit percent, maximum, maximum before the 5-point increase), lines added to `lines`."""
    if disposable_earnings < ZERO:
        raise InvalidInput("must not be negative", field="disposable_earnings")
    if state_limit_percent is not None and not ZERO <= state_limit_percent <= HUNDRED:
        raise InvalidInput("must be between 0 and 100", field="state_limit_percent")
    base, percent, terms_lines, terms_used = _limit_terms(
        as_of, supporting_other_spouse_or_child, arrears_over_12_weeks
    )
    lines.extend(terms_lines, terms_used)
    if state_limit_percent is not None and state_limit_percent < percent:
        percent = state_limit_percent
        lines.amount("State limit lowers the limit to", state_limit_percent, REF_STATE_LIMIT)
    before_increase_percent = min(base, percent)
    lines.amount("Limit (percent of disposable earnings)", percent, REF_LIMIT)
    # Round down: the statute says "shall not exceed", so half-up could overshoot by half a cent.
    maximum = round_cents(disposable_earnings * percent / HUNDRED, rounding=ROUND_DOWN)
    maximum_before_increase = round_cents(disposable_earnings * before_increase_percent / HUNDRED, rounding=ROUND_DOWN)
    lines.amount("Maximum withholding for support (rounded down to the cent)", maximum, REF_LIMIT)
    if maximum_before_increase < maximum:
        lines.amount(
            "Of which current support may take at most (the line before the increase)",
            maximum_before_increase,
            REF_EXTENT,
        )
    assert ZERO <= maximum_before_increase <= maximum <= disposable_earnings, (maximum, disposable_earnings)
    return percent, maximum, maximum_before_increase


def _check_orders(orders: Sequence[Order]) -> None:
    if not orders:
        raise InvalidInput("must have at least one order", field="orders")
    if len(orders) > ORDERS_MAXIMUM:
        raise InvalidInput(f"must have at most {ORDERS_MAXIMUM} orders", field="orders")
    seen: set[str] = set()
    for index, order in enumerate(orders):
        if order.id in seen:
            raise InvalidInput(f"{order.id[:40]!r} is the id of an earlier order", field=f"orders[{index}].id")
        seen.add(order.id)
        if order.current_support < ZERO or order.arrears_payment < ZERO or order.arrears_balance < ZERO:
            name = next(
                n for n in ("current_support", "arrears_payment", "arrears_balance") if getattr(order, n) < ZERO
            )
            raise InvalidInput("must not be negative", field=f"orders[{index}].{name}")


def allocate_withholding(
    *,
    disposable_earnings: Decimal,
    supporting_other_spouse_or_child: bool,
    arrears_over_12_weeks: bool,
    orders: Sequence[Order],
    as_of: date,
    pay_frequency: str,
    state_limit_percent: Decimal | None = None,
    jurisdiction: str | None = None,
    employer_fee: Decimal = ZERO,
) -> Withholding:
    """One pay period's withholding and its split across the obligor's orders.

    15 U.S.C. 1673(b)(2) caps the total; 45 CFR 303.100(a)(5) puts current support first and
    forbids leaving any order unimplemented; 42 U.S.C. 666(b)(6)(A)(i)(IV) lets the State of the
    principal place of employment set the allocation method (`jurisdiction`).
    """
    _check_orders(orders)
    if jurisdiction is not None and jurisdiction not in JURISDICTIONS:
        raise InvalidInput(f"{jurisdiction[:40]!r} is not a U.S. State or territory code", field="jurisdiction")
    frequencies, frequencies_used = _frequencies_terms(as_of)
    if pay_frequency not in frequencies:
        raise InvalidInput(f"{pay_frequency[:40]!r} is not one of: {', '.join(frequencies)}", field="pay_frequency")
    lines = _Sheet()
    lines.extend((), frequencies_used)
    lines.amount(f"Disposable earnings this pay period ({pay_frequency})", disposable_earnings, REF_DISPOSABLE)
    percent, maximum, maximum_before_increase = _limit(
        lines,
        disposable_earnings=disposable_earnings,
        supporting_other_spouse_or_child=supporting_other_spouse_or_child,
        arrears_over_12_weeks=arrears_over_12_weeks,
        as_of=as_of,
        state_limit_percent=state_limit_percent,
    )
    current_parts = _allocate_current(lines, orders=orders, maximum=maximum_before_increase)
    current_withheld = sum(current_parts, ZERO)
    fee = _withhold_fee(lines, employer_fee=employer_fee, room=maximum_before_increase - current_withheld, as_of=as_of)
    arrears_parts = _allocate_arrears(
        lines, orders=orders, available=maximum - current_withheld - fee, jurisdiction=jurisdiction, as_of=as_of
    )
    arrears_withheld = sum(arrears_parts, ZERO)
    total = current_withheld + arrears_withheld
    lines.amount("Total withheld for support", total, REF_LIMIT)
    if fee > ZERO:
        lines.amount("Support and the employer's fee together (within the maximum)", total + fee, REF_FEE)
    allocations = tuple(
        Allocation(id=order.id, current_support=current, arrears=arrears)
        for order, current, arrears in zip(orders, current_parts, arrears_parts, strict=True)
    )
    _assert_lawful(orders, allocations, fee=fee, maximum=maximum, maximum_before_increase=maximum_before_increase)
    return Withholding(
        limit_percent=percent,
        maximum=maximum,
        total_withheld=total,
        current_support_withheld=current_withheld,
        arrears_withheld=arrears_withheld,
        employer_fee_withheld=fee,
        allocations=allocations,
        steps=tuple(lines.steps),
        parameters=lines.parameters(),
    )


def _allocate_current(lines: _Sheet, *, orders: Sequence[Order], maximum: Decimal) -> list[Decimal]:
    """Current support first, prorated by current support when it cannot all be paid (303.100(a)(5))."""
    ordered = [order.current_support for order in orders]
    ordered_total = sum(ordered, ZERO)
    withheld = min(ordered_total, maximum)
    lines.amount("Current support ordered, all orders", ordered_total, "42 U.S.C. 666(b)(1)")
    if withheld < ordered_total:
        lines.amount(
            "Current support withheld, prorated by current support (cannot all be paid)", withheld, REF_PRIORITY
        )
    else:
        lines.amount("Current support withheld in full", withheld, REF_PRIORITY)
    return prorate(withheld, weights=ordered, caps=ordered)


def _withhold_fee(lines: _Sheet, *, employer_fee: Decimal, room: Decimal, as_of: date) -> Decimal:
    """The employer's fee, inside the limit, after current support and before arrears.

    The fee counts toward the CCPA limit (45 CFR 303.100(e)(1)(i)). It is not support owed for a
    period before the last 12 weeks, so it may not use the 5-point increase (15 U.S.C. 1673(b)(2)):
    it fits in what current support left below the 50% / 60% line. Whether the fee or the arrears
    give way first is State law; the order is a parameter (OpenCSE choice).
    """
    if employer_fee < ZERO:
        raise InvalidInput("must not be negative", field="employer_fee")
    if employer_fee == ZERO:
        return ZERO
    order, used = _fee_terms(as_of)
    lines.extend(order, used)
    withheld = min(employer_fee, room)
    lines.amount("Employer's fee withheld (inside the limit)", withheld, REF_FEE)
    return withheld


@lru_cache(maxsize=1024)
def _fee_terms(as_of: date) -> tuple[tuple[Line, ...], tuple[tuple[tuple[str, date], ParameterUse], ...]]:
    order = _parameter(ALLOCATION, "employer_fee_order", as_of)
    assert order.value in EMPLOYER_FEE_ORDERS, order
    lines = Explanation()
    lines.take(order, "Employer's fee is withheld")
    return lines.done(), tuple(lines.used.items())


@lru_cache(maxsize=1024)
def _arrears_terms(
    jurisdiction: str | None, as_of: date
) -> tuple[str, tuple[Line, ...], tuple[tuple[tuple[str, date], ParameterUse], ...]]:
    """The arrears basis, its line and the parameters the arrears step uses: cached, they depend on no amount."""
    basis = _allocation_parameter("arrears_basis", jurisdiction, as_of)
    leftover = _allocation_parameter("leftover_cents", jurisdiction, as_of)
    assert basis.value in ARREARS_BASES, basis
    assert leftover.value in LEFTOVER_CENTS_RULES, leftover
    lines = Explanation()
    lines.note(leftover)
    lines.take(basis, "Arrears prorated across orders by")
    return basis.value, lines.done(), tuple(lines.used.items())


@lru_cache(maxsize=1024)
def _frequencies_terms(as_of: date) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, date], ParameterUse], ...]]:
    frequencies = _parameter(ALLOCATION, "pay_frequencies", as_of)
    lines = Explanation()
    lines.note(frequencies)
    return frequencies.value, tuple(lines.used.items())


def _allocate_arrears(
    lines: _Sheet, *, orders: Sequence[Order], available: Decimal, jurisdiction: str | None, as_of: date
) -> list[Decimal]:
    """Then arrears payments, from what is left up to the maximum, on the State's basis."""
    ordered = [order.arrears_payment for order in orders]
    ordered_total = sum(ordered, ZERO)
    withheld = min(ordered_total, available)
    lines.amount("Arrears payments ordered, all orders", ordered_total, "42 U.S.C. 666(b)(1); 45 CFR 303.100(a)(2)")
    lines.amount("Arrears withheld (what is left up to the maximum)", withheld, REF_PRIORITY)
    basis, basis_line, used = _arrears_terms(jurisdiction, as_of)
    if ZERO < withheld < ordered_total and sum(1 for amount in ordered if amount > ZERO) > 1:
        lines.extend(basis_line, used)
    else:
        lines.extend((), used)
    if basis == "arrears_balance":
        weights = [order.arrears_balance for order in orders]
    elif basis == "equal":
        weights = [Decimal(1)] * len(orders)
    else:
        weights = ordered
    return prorate(withheld, weights=weights, caps=ordered)


def prorate(total: Decimal, *, weights: Sequence[Decimal], caps: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` by weight, no part above its cap, parts adding up to `total` exactly (`prorate_capped`);
    then every part with weight and room that got nothing receives one cent from the largest part, when
    there are enough cents for all (45 CFR 303.100(a)(5): no order left unimplemented).
    """
    parts = prorate_capped(total, weights=weights, caps=caps)
    eligible = [i for i, cap in enumerate(caps) if cap > ZERO and weights[i] > ZERO]
    if ZERO < total < sum(caps, ZERO):
        _give_each_a_cent(parts, eligible, total)
    assert sum(parts, ZERO) == total, (parts, total)
    assert all(ZERO <= part <= cap for part, cap in zip(parts, caps, strict=True)), (parts, caps)
    return parts


def _give_each_a_cent(parts: list[Decimal], eligible: Sequence[int], total: Decimal) -> None:
    if total < CENT * len(eligible):
        return
    for i in eligible:
        if parts[i] == ZERO:
            donor = max(range(len(parts)), key=lambda j: (parts[j], -j))
            if parts[donor] < 2 * CENT:  # only when cents sit on parts without weight; none to spare
                return
            parts[donor] -= CENT
            parts[i] += CENT


def _assert_lawful(
    orders: Sequence[Order],
    allocations: Sequence[Allocation],
    *,
    fee: Decimal,
    maximum: Decimal,
    maximum_before_increase: Decimal,
) -> None:
    # Re-derived from the allocations, not from the totals the caller computed (a paired check).
    total = current = current_ordered = ZERO
    for order, allocation in zip(orders, allocations, strict=True):
        assert ZERO <= allocation.current_support <= order.current_support, (order, allocation)
        assert ZERO <= allocation.arrears <= order.arrears_payment, (order, allocation)
        current += allocation.current_support
        total += allocation.current_support + allocation.arrears
        current_ordered += order.current_support
    assert total + fee <= maximum, (total, fee, maximum)
    assert current + fee <= maximum_before_increase, (current, fee, maximum_before_increase)
    unpaid_current = current_ordered - current
    if unpaid_current > ZERO:
        # Arrears while current support is unpaid only from the increase current support may not take.
        assert current == maximum_before_increase and fee == ZERO, (current, fee, maximum_before_increase)
        assert total - current <= maximum - maximum_before_increase, (total, maximum)
