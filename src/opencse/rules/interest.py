"""Interest on arrears: one month's interest on each arrears bucket, as the State's dated parameters say.

Sources (the citations of every value are in `params/<jurisdiction>/interest.yaml`; the plain-words
account is docs/rules/interest.md):

- Federal law neither requires nor forbids interest on past-due support. It makes every unpaid
  installment a judgment by operation of law when it falls due (42 U.S.C. 666(a)(9)(A)), which is
  why a State's judgment-interest statute can reach support arrears at all. The federal default
  (`us/interest`) is therefore *off*.
- Washington: "All judgments for unpaid child support that have accrued under a superior court
  order or an order entered under the administrative procedure act shall bear interest at the rate
  of twelve percent" (RCW 4.56.110(2)); DCS "may assess and collect interest at the rate of twelve
  percent per year" (RCW 26.23.030(2)) but "does not assess or collect interest on administrative or
  court orders for support entered in the state of Washington unless the amount of interest has
  been reduced to a judgment" (WAC 388-14A-8600(2)). A choice, so off, with 12% ready.
- Mississippi: support judgments bear interest "at a per annum rate set by the judge" (Miss. Code
  Ann. 75-17-7); each unpaid installment accrues interest from its due date (Brand v. Brand, 482
  So. 2d 236 (Miss. 1986)). No statewide rate for the agency to apply, so off.

The arithmetic, for each bucket listed in `accrues_on`:

- `method: simple`: interest = principal x annual rate / 12. The principal is the bucket's balance
  less the interest on it that is still unpaid, so interest never earns interest.
- `method: compound`: interest = the whole balance (principal and unpaid interest) x annual rate / 12:
  compounded monthly.
- Which part of a balance is unpaid interest depends on `payments_apply_to` (a State's choice):
  `principal_first` (interest is the last part of the balance to be paid: unpaid interest is the
  interest charged, up to the balance) or `interest_first` (each month's credits pay the interest
  charged before that month first; `unpaid_interest_interest_first` replays the months).
- `judgments_only`: when true, only the part of the principal that is a judgment bears interest;
  without a separate judgment amount the whole balance is a judgment (42 U.S.C. 666(a)(9)(A)).
- No interest in a month when the interest-bearing buckets of the case total less than
  `minimum_balance`, and never on a bucket whose balance is zero or negative.
- Each bucket's interest is rounded once, to the cent, with the mode the parameter `rounding` names
  (ROUND_HALF_UP in every file today: neither RCW 4.56.110 nor Miss. Code Ann. 75-17-7 says how to
  round; OpenCSE choice, docs/rules/interest.md).

A month is a twelfth of a year whatever its number of days (OpenCSE choice: the ledger posts interest
once a month, at the month's end; a State that computes daily interest needs a `period` parameter,
not built).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import HUNDRED, ZERO, is_whole_cents, round_cents
from opencse.rules.params import parameters

ARREARS_BUCKETS = (
    "permanently_assigned",
    "temporarily_assigned",
    "conditionally_assigned",
    "unassigned_during_assistance",
    "unassigned_pre_assistance",
    "never_assigned",
)
METHODS = frozenset({"simple", "compound"})
PAYMENT_ORDERS = frozenset({"principal_first", "interest_first"})
ROUNDINGS = {"ROUND_HALF_UP": ROUND_HALF_UP, "ROUND_DOWN": ROUND_DOWN}
MONTHS_PER_YEAR = Decimal(12)
RATE_PERCENT_MAXIMUM = Decimal(100)  # a limit on the input: no statute charges 100% a year
MONTHS_MAXIMUM = 1_200  # a hundred years of monthly history in one replay
REF_MONTHLY = "annual rate / 12 for each month (OpenCSE choice: docs/rules/interest.md)"
REF_JUDGMENT = "42 U.S.C. 666(a)(9)(A): each installment is a judgment by operation of law when due"


@dataclass(frozen=True, slots=True)
class InterestTerms:
    """A State's interest parameters in force on one date, read from `params/<name>.yaml`."""

    enabled: bool
    annual_rate_percent: Decimal
    method: str
    accrues_on: frozenset[str]
    minimum_balance: Decimal
    payments_apply_to: str
    judgments_only: bool
    rounding: str
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


@dataclass(frozen=True, slots=True)
class BucketBalance:
    """One arrears bucket of a case at a month's end.

    `balance` is the sum of every entry on the bucket (interest included); `interest_unpaid` is the
    part of it that is interest not yet paid (from `unpaid_interest_*`); `judgment`, when known, is
    the part of the principal reduced to a judgment.
    """

    balance: Decimal
    interest_unpaid: Decimal = ZERO
    judgment: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MonthInterest:
    """The interest one month adds to each bucket of one case (buckets with none are left out)."""

    month_ending: date
    interest: Mapping[str, Decimal]
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.interest.values(), ZERO)


def interest_terms(name: str, as_of: date) -> InterestTerms:
    """The interest parameters of `params/<name>.yaml` (e.g. `wa/interest`) in force on `as_of`."""
    found = parameters(name, as_of)
    sheet = Explanation()
    enabled = sheet.take(found["enabled"], "interest on arrears charged")
    rate = sheet.take(found["annual_rate"], "annual rate (percent)")
    method = sheet.take(found["method"], "method")
    accrues_on = frozenset(sheet.take(found["accrues_on"], "buckets that bear interest"))
    minimum = sheet.take(found["minimum_balance"], "no interest when the interest-bearing arrears total less than")
    payments_apply_to = sheet.take(found["payments_apply_to"], "payments apply to")
    judgments_only = sheet.take(found["judgments_only"], "only judgments bear interest")
    rounding = sheet.take(found["rounding"], "rounding of each month's interest to the cent")
    # The parameter files are ours: a value outside these sets is a mistake in the data, not input.
    assert isinstance(enabled, bool), (name, enabled)
    assert isinstance(rate, Decimal) and ZERO <= rate <= RATE_PERCENT_MAXIMUM, (name, rate)
    assert method in METHODS, (name, method)
    assert accrues_on <= frozenset(ARREARS_BUCKETS), (name, accrues_on)
    assert isinstance(minimum, Decimal) and minimum >= ZERO and is_whole_cents(minimum), (name, minimum)
    assert payments_apply_to in PAYMENT_ORDERS, (name, payments_apply_to)
    assert isinstance(judgments_only, bool), (name, judgments_only)
    assert rounding in ROUNDINGS, (name, rounding)
    return InterestTerms(
        enabled=enabled,
        annual_rate_percent=rate,
        method=method,
        accrues_on=accrues_on,
        minimum_balance=minimum,
        payments_apply_to=payments_apply_to,
        judgments_only=judgments_only,
        rounding=rounding,
        explanation=sheet.done(),
        parameters=sheet.parameters(),
    )


def unpaid_interest_principal_first(*, balance: Decimal, interest_charged: Decimal) -> Decimal:
    """Payments apply to principal first, so interest is the last part of a balance to be paid: the
    unpaid interest is all the interest charged on the bucket, up to what is still owed on it."""
    assert interest_charged >= ZERO, interest_charged
    return min(max(balance, ZERO), interest_charged)


def unpaid_interest_interest_first(*, balance: Decimal, months: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Payments apply to interest first. `months` holds, oldest first, each month's credits (payments
    and reductions, as a positive amount) and the interest charged at that month's end (net of any
    reversal of interest, so possibly negative). A month's credits pay the interest charged before
    that month first; what is left pays principal. Reversing interest already paid leaves no unpaid
    interest, and the balance it lowers is principal."""
    assert len(months) <= MONTHS_MAXIMUM, len(months)
    unpaid = ZERO
    for credits, interest in months:
        assert credits >= ZERO, credits
        unpaid = max(max(unpaid - credits, ZERO) + interest, ZERO)
    return min(max(balance, ZERO), unpaid)


def monthly_interest(
    *, month_ending: date, balances: Mapping[str, BucketBalance], terms: InterestTerms
) -> MonthInterest:
    """The interest for the month ending `month_ending` on each bucket of one case."""
    assert set(balances) <= set(ARREARS_BUCKETS), set(balances)
    sheet = Explanation()
    for parameter in terms.parameters:
        sheet.used.setdefault((parameter.name, parameter.effective), parameter)
    if not terms.enabled:
        sheet.add("interest on arrears is not charged", False, _reference(terms, "enabled"))
        return MonthInterest(month_ending, {}, sheet.done(), sheet.parameters())
    bearing = {
        bucket: balances[bucket] for bucket in ARREARS_BUCKETS if bucket in terms.accrues_on and bucket in balances
    }
    total = sum((max(row.balance, ZERO) for row in bearing.values()), ZERO)
    sheet.add("interest-bearing arrears", total, _reference(terms, "accrues_on"))
    if total < terms.minimum_balance or total == ZERO:
        sheet.add("below the minimum balance: no interest", terms.minimum_balance, _reference(terms, "minimum_balance"))
        return MonthInterest(month_ending, {}, sheet.done(), sheet.parameters())
    interest: dict[str, Decimal] = {}
    for bucket, row in bearing.items():
        amount = _bucket_interest(bucket, row, terms, sheet)
        if amount > ZERO:
            interest[bucket] = amount
    assert all(is_whole_cents(amount) and amount > ZERO for amount in interest.values()), interest
    return MonthInterest(month_ending, interest, sheet.done(), sheet.parameters())


def _bucket_interest(bucket: str, row: BucketBalance, terms: InterestTerms, sheet: Explanation) -> Decimal:
    assert is_whole_cents(row.balance) and is_whole_cents(row.interest_unpaid), row
    assert ZERO <= row.interest_unpaid <= max(row.balance, ZERO), row
    if row.balance <= ZERO:
        return ZERO
    if terms.method == "simple":
        base = row.balance - row.interest_unpaid
        sheet.add(
            f"{bucket}: principal (balance {row.balance} less unpaid interest)", base, _reference(terms, "method")
        )
    else:
        base = row.balance
        sheet.add(f"{bucket}: balance with unpaid interest", base, _reference(terms, "method"))
    if terms.judgments_only and row.judgment is not None:
        base = min(base, max(row.judgment, ZERO))
        sheet.add(f"{bucket}: the part that is a judgment", base, _reference(terms, "judgments_only"))
    elif terms.judgments_only:
        sheet.add(f"{bucket}: the whole principal is a judgment", base, REF_JUDGMENT)
    exact = base * terms.annual_rate_percent / HUNDRED / MONTHS_PER_YEAR
    amount = round_cents(exact, rounding=ROUNDINGS[terms.rounding])
    sheet.add(f"{bucket}: interest for the month ({terms.annual_rate_percent}% a year / 12)", amount, REF_MONTHLY)
    assert amount >= ZERO, amount
    return amount


def _reference(terms: InterestTerms, key: str) -> str:
    name = next((use.name for use in terms.parameters if use.name.endswith(f".{key}")), "")
    return next((use.reference for use in terms.parameters if use.name == name), "")
