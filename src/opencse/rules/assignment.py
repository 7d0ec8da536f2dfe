"""Assignment of support rights and the arrears buckets it creates (42 U.S.C. 608(a)(3), 657(a)(3), (b);
45 CFR 302.50, 302.51; OCSE AT-97-17, AT-09-03).

A family that receives assistance assigns its support rights to the State, and the State never keeps
more than the assistance it paid and has not recovered, the unreimbursed assistance (URA). The ledger
keeps arrears in the six buckets of AT-97-17 (`ArrearsBucket`); three pure decisions live here:

- `month_bucket`: the bucket of a month's unpaid current support when the month ends. Support that
  accrued during assistance is permanently assigned (608(a)(3)); support of a month after assistance
  ended, or of a family never assisted, is never assigned.
- `reclassify`: given a case's bucket balances, whether the family is on assistance and the URA, the
  moves between buckets that restore the invariants: arrears still never assigned when assistance
  begins were owed before it, so they become unassigned pre-assistance (DRA, AT-09-03) or, for a
  pre-DRA assignment, temporarily assigned; temporarily assigned arrears become conditionally assigned
  when assistance ends (AT-97-17); and assigned arrears (permanently, temporarily and conditionally
  assigned) never exceed URA (608(a)(3), 657(a)(3)): the excess is unassigned in the State's order.
- `assistance_paid`: the assistance of one assistance group counted in URA, the monthly grant for every
  month, whole or partial, of its periods, each month once (OpenCSE choice: docs/ledger.md).

Arrears once unassigned are not assigned again when URA later grows (OpenCSE choice: docs/ledger.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from opencse.errors import InvalidInput
from opencse.rules.distribution import ArrearsBucket
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import ZERO, is_whole_cents
from opencse.rules.params import ParameterSet, first_effective, parameter_file, parameters

PA = ArrearsBucket.PERMANENTLY_ASSIGNED
TA = ArrearsBucket.TEMPORARILY_ASSIGNED
CA = ArrearsBucket.CONDITIONALLY_ASSIGNED
UDA = ArrearsBucket.UNASSIGNED_DURING_ASSISTANCE
UPA = ArrearsBucket.UNASSIGNED_PRE_ASSISTANCE
NA = ArrearsBucket.NEVER_ASSIGNED

# Assigned under 42 U.S.C. 608(a)(3), so capped at URA (657(a)(3)); where each goes when unassigned.
ASSIGNED = (PA, TA, CA)
UNASSIGNED_TO = {PA: UDA, TA: UPA, CA: UPA}

REFERENCE_DURING = "42 U.S.C. 608(a)(3): support accruing during assistance is assigned; OCSE AT-97-17"
REFERENCE_NOT_DURING = "42 U.S.C. 608(a)(3), 657(a)(2), (a)(4); OCSE AT-97-17: support after assistance is the family's"
REFERENCE_ENDED = "OCSE AT-97-17; WAC 388-14A-2038(2): temporarily assigned arrears become conditionally assigned"


@dataclass(frozen=True, slots=True)
class AssistanceSpan:
    """A period of assistance to the family: from `starts_on` through `ends_on` (None: still open)."""

    starts_on: date
    ends_on: date | None
    grant_monthly: Decimal = ZERO

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


@dataclass(frozen=True, slots=True)
class MonthBucket:
    bucket: ArrearsBucket
    reference: str


def month_bucket(*, month_ending: date, periods: Sequence[AssistanceSpan]) -> MonthBucket:
    """The bucket of the unpaid current support of the month that ends on `month_ending`.

    A month in which the family received assistance on any day is an assistance month: its support is
    permanently assigned (42 U.S.C. 608(a)(3)); URA counts the month's grant in full, and a family that
    leaves assistance mid-month is a current-assistance family for that month (OpenCSE choice:
    docs/ledger.md). Any other month, after assistance ended or in a family never assisted, is never
    assigned (AT-97-17)."""
    assert (month_ending + timedelta(days=1)).day == 1, "a month's last day"
    first = month_ending.replace(day=1)
    during = any(p.starts_on <= month_ending and (p.ends_on is None or p.ends_on >= first) for p in periods)
    return MonthBucket(PA, REFERENCE_DURING) if during else MonthBucket(NA, REFERENCE_NOT_DURING)


def months_of_assistance(span: AssistanceSpan, *, through: date) -> int:
    """Whole or partial months of a period up to `through` (a month counts when assistance was paid in it)."""
    end = min(span.ends_on or through, through)
    if end < span.starts_on:
        return 0
    return (end.year - span.starts_on.year) * 12 + end.month - span.starts_on.month + 1


def assistance_paid(spans: Sequence[AssistanceSpan], *, through: date) -> Decimal:
    """The assistance paid to one assistance group through `through`: the monthly grant for every month,
    whole or partial, of its periods (OpenCSE choice until the IV-A payment history is interfaced:
    docs/ledger.md). The group receives one grant a month, so where periods share a month (the same
    assistance recorded on each IV-D case of the group) the month counts once, at its largest grant."""
    counted = sorted((span for span in spans if months_of_assistance(span, through=through)), key=_first_month)
    overlapping = any(_first_month(later) <= _last_month(earlier, through) for earlier, later in pairwise(counted))
    if not overlapping:
        return sum((span.grant_monthly * months_of_assistance(span, through=through) for span in counted), ZERO)
    grants: dict[int, Decimal] = {}
    for span in counted:
        for month in range(_first_month(span), _last_month(span, through) + 1):
            grants[month] = max(grants.get(month, ZERO), span.grant_monthly)
    return sum(grants.values(), ZERO)


def _first_month(span: AssistanceSpan) -> int:
    return span.starts_on.year * 12 + span.starts_on.month - 1


def _last_month(span: AssistanceSpan, through: date) -> int:
    end = min(span.ends_on or through, through)
    return end.year * 12 + end.month - 1


@dataclass(frozen=True, slots=True)
class Move:
    """Arrears moved from one bucket to another; the amount is positive."""

    from_bucket: ArrearsBucket
    to_bucket: ArrearsBucket
    amount: Decimal
    reference: str


@dataclass(frozen=True, slots=True)
class Reclassification:
    moves: tuple[Move, ...]
    balances_after: Mapping[ArrearsBucket, Decimal]
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def assignment_parameters(*, jurisdiction: str, as_of: date) -> ParameterSet:
    """The assignment options of `jurisdiction` (federal defaults for "US") in force on `as_of`."""
    return parameters(parameter_file("assignment", jurisdiction=jurisdiction), as_of)


def assignment_rules_start(*, jurisdiction: str) -> date:
    """The first date `jurisdiction`'s assignment parameters cover (1997-10-01, PRWORA and AT-97-17, in
    the federal file): assistance that began earlier is refused when it is recorded."""
    return first_effective(parameter_file("assignment", jurisdiction=jurisdiction))


def reclassify(
    *,
    balances: Mapping[ArrearsBucket, Decimal],
    on_assistance: bool,
    assistance_began_on: date | None,
    unreimbursed_assistance: Decimal,
    as_of: date,
    jurisdiction: str = "US",
) -> Reclassification:
    """The moves between arrears buckets that restore the assignment invariants on `as_of`.

    1. On assistance, arrears still never assigned were owed before it began. An assignment that took
       effect (`assistance_began_on`) under the DRA leaves them the family's: unassigned pre-assistance
       (42 U.S.C. 608(a)(3) as amended by P.L. 109-171; AT-09-03); a pre-DRA assignment makes them
       temporarily assigned (AT-97-17), as the State's parameter for that date says.
    2. Off assistance, temporarily assigned arrears become conditionally assigned (AT-97-17;
       WAC 388-14A-2038(2)).
    3. Assigned arrears (permanently, temporarily, conditionally assigned) never exceed URA
       (608(a)(3), 657(a)(3); 45 CFR 302.51): the excess is unassigned in the State's order,
       permanently assigned to unassigned during-assistance, the others to unassigned pre-assistance.
    """
    _check(balances=balances, unreimbursed_assistance=unreimbursed_assistance)
    assert not on_assistance or assistance_began_on is not None, "on assistance since a date"
    after = {bucket: balances.get(bucket, ZERO) for bucket in ArrearsBucket}
    lines = Explanation()
    lines.add("Family on assistance", on_assistance, "42 U.S.C. 608(a)(3)")
    lines.add("Unreimbursed assistance", unreimbursed_assistance, "42 U.S.C. 657(a)(3); OCSE AT-09-03")
    moves: list[Move] = []

    def move(source: ArrearsBucket, target: ArrearsBucket, amount: Decimal, reference: str) -> None:
        assert ZERO < amount <= after[source], (source, amount, after[source])
        after[source] -= amount
        after[target] += amount
        moves.append(Move(from_bucket=source, to_bucket=target, amount=amount, reference=reference))
        lines.add(f"Moved from {source.value.replace('_', ' ')} to {target.value.replace('_', ' ')}", amount, reference)

    if on_assistance and after[NA] > ZERO:
        assert assistance_began_on is not None
        began = assignment_parameters(jurisdiction=jurisdiction, as_of=assistance_began_on)
        assigned = lines.take(began["assign_pre_assistance_arrears"], "Assignment covers pre-assistance arrears")
        move(NA, TA if assigned else UPA, after[NA], began["assign_pre_assistance_arrears"].reference)
    if not on_assistance and after[TA] > ZERO:
        move(TA, CA, after[TA], REFERENCE_ENDED)
    excess = sum((after[bucket] for bucket in ASSIGNED), ZERO) - unreimbursed_assistance
    if excess > ZERO:
        order = assignment_parameters(jurisdiction=jurisdiction, as_of=as_of)["unassignment_order"]
        lines.note(order)
        buckets = tuple(ArrearsBucket(name) for name in order.value)
        assert sorted(buckets) == sorted(ASSIGNED), f"{order.name} must name each assigned bucket once"
        lines.add("Assigned arrears above unreimbursed assistance", excess, "42 U.S.C. 608(a)(3), 657(a)(3)")
        for bucket in buckets:
            amount = min(excess, after[bucket])
            if amount > ZERO:
                move(bucket, UNASSIGNED_TO[bucket], amount, order.reference)
                excess -= amount
    _check_after(before=balances, after=after, unreimbursed_assistance=unreimbursed_assistance)
    return Reclassification(
        moves=tuple(moves), balances_after=after, explanation=lines.done(), parameters=lines.parameters()
    )


def _check(*, balances: Mapping[ArrearsBucket, Decimal], unreimbursed_assistance: Decimal) -> None:
    for name, amount in [*((f"balances.{b.value}", a) for b, a in balances.items()), ("ura", unreimbursed_assistance)]:
        if amount < ZERO:
            raise InvalidInput("must not be negative", field=name)
        if not is_whole_cents(amount):
            raise InvalidInput("must be an amount in whole cents", field=name)


def _check_after(
    *, before: Mapping[ArrearsBucket, Decimal], after: Mapping[ArrearsBucket, Decimal], unreimbursed_assistance: Decimal
) -> None:
    # Moves neither create nor lose a cent, leave no bucket negative, and keep assigned arrears within URA.
    assert sum(after.values(), ZERO) == sum(before.values(), ZERO), (before, after)
    assert all(amount >= ZERO for amount in after.values()), after
    assert sum((after[bucket] for bucket in ASSIGNED), ZERO) <= unreimbursed_assistance, after
