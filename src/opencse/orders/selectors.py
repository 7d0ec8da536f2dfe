"""Reading orders: one order for a viewer, the parties an order may name, the obligations a draft
order generates (the preview of the entry screen) and what a modification changed.

Every figure comes from the pure schedule rule (`opencse.rules.schedules`) that the nightly accrual
uses, so a preview shows exactly the charges the accrual will post. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.cases.selectors import visible_cases
from opencse.errors import InvalidInput, InvalidInputs, NotFound
from opencse.orders.models import ACCRUING_KINDS, Order, OrderStatus, OrderTerm, TermKind
from opencse.orders.models import Frequency as FrequencyChoice
from opencse.orders.services import OBLIGOR_ROLES, TermInput
from opencse.people.models import Person
from opencse.rules.money import ZERO
from opencse.rules.schedules import Charge, Frequency, Step, TermSchedule, charges_due, monthly_equivalent
from opencse.security.policy import can

PREVIEW_MONTHS = 12
LATEST_START_ON = date(2199, 12, 31)
# No emancipation age is in rules/params yet, so the entry screen only *suggests* an end date: the
# 18th birthday, the most common age of majority. It is never used in a computation; the officer types
# the date the order states (Mississippi's age is 21, Miss. Code Ann. 93-11-65(8)(a)).
EMANCIPATION_AGE_SUGGESTED = 18
# A step "when the child turns 12" is the commonest variable provision; the screen offers it in one click.
STEP_AGE_SUGGESTED = 12
# Medical insurance is coverage the obligor provides, not money paid through the agency: it is shown
# with its amount but left out of the monthly totals.
UNPAID_KINDS = frozenset({TermKind.MEDICAL_INSURANCE})


def order_for_viewer(*, viewer: object, order_id: int, case_number: str | None = None) -> Order:
    """The order, if the viewer may see its case and its orders (NotFound otherwise, never a hint)."""
    orders = Order.objects.filter(pk=order_id, case__in=visible_cases(viewer))
    if case_number is not None:
        orders = orders.filter(case__number=case_number)
    order = orders.select_related("case", "modifies", "entered_by").first()
    if order is None or not can(viewer, "orders.view", order.case):
        raise NotFound(f"No order {order_id} that you may see.")
    return order


def active_orders(*, case: Case) -> QuerySet[Order]:
    """The case's active orders, the ones a new order may modify, newest first."""
    return case.orders.filter(status=OrderStatus.ACTIVE).order_by("-effective_on", "-id")


def orders_modifying(*, order: Order) -> QuerySet[Order]:
    return order.modified_by.order_by("effective_on", "id")


@dataclass(frozen=True, slots=True)
class OrderParties:
    """Who a term may name: the parents who may owe (obligors) and the dependent children."""

    obligors: tuple[CaseMember, ...]
    children: tuple[CaseMember, ...]
    default_obligor: Person | None  # the one noncustodial parent, when the case has exactly one

    def obligor(self, person_id: int) -> Person | None:
        return next((m.person for m in self.obligors if m.person_id == person_id), None)

    def child(self, person_id: int) -> Person | None:
        return next((m.person for m in self.children if m.person_id == person_id), None)


def order_parties(*, case: Case) -> OrderParties:
    members = list(
        case.members.filter(left_on__isnull=True, role__in=[*OBLIGOR_ROLES, MemberRole.DEPENDENT_CHILD])
        .select_related("person")
        .order_by("role", "person__last_name", "person__first_name", "pk")
    )
    obligors = tuple(m for m in members if m.role in OBLIGOR_ROLES)
    children = tuple(m for m in members if m.role == MemberRole.DEPENDENT_CHILD)
    noncustodial = [m for m in obligors if m.role == MemberRole.NONCUSTODIAL_PARENT]
    default = noncustodial[0].person if len(noncustodial) == 1 else None
    return OrderParties(obligors=obligors, children=children, default_obligor=default)


def birthday_on(person: Person, age: int) -> date | None:
    """The day `person` turns `age`; a February 29 birthday falls on February 28 in common years."""
    born = person.date_of_birth
    if born is None:
        return None
    return born + relativedelta(years=age)  # relativedelta clamps Feb 29 to Feb 28


# --- Schedules -------------------------------------------------------------------------------------


def schedule_of_input(term: TermInput) -> TermSchedule:
    """The schedule rule's view of a term typed on the screen (raises InvalidInput naming the field)."""
    try:
        frequency = Frequency(term.frequency)
    except ValueError:
        raise InvalidInput(f"must be one of {', '.join(Frequency)}", field="frequency") from None
    return TermSchedule(
        frequency=frequency,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        steps=tuple(Step(starts_on=on, amount=amount) for on, amount in term.steps),
    )


def schedule_of_term(term: OrderTerm) -> TermSchedule:
    """The schedule of a stored term, built as the accrual builds it (steps in date order)."""
    steps = sorted(term.steps.all(), key=lambda step: step.starts_on)
    return TermSchedule(
        frequency=Frequency(term.frequency),
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        steps=tuple(Step(starts_on=step.starts_on, amount=step.amount) for step in steps),
    )


def _monthly(amount: Decimal, frequency: str, as_of: date) -> Decimal | None:
    """The monthly equivalent (docs/rules/schedules.md, Conversions); None for a one-time amount."""
    if frequency == Frequency.ONE_TIME:
        return None
    return monthly_equivalent(amount, Frequency(frequency), as_of=as_of)


def _amount_near(schedule: TermSchedule, on: date) -> tuple[date, Decimal]:
    """The amount in force on `on`, or on the term's nearest day when `on` falls outside it."""
    if on < schedule.starts_on:
        on = schedule.starts_on
    if schedule.ends_on is not None and on > schedule.ends_on:
        on = schedule.ends_on
    amount = schedule.steps[0].amount
    for step in schedule.steps:
        if step.starts_on > on:
            break
        amount = step.amount
    return on, amount


# --- Preview of a draft order ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermPreview:
    """What one term of a draft order generates: its charges in the preview window and its amounts."""

    term: TermInput
    accrues: bool  # False: the accrual posts no charge for this kind (the dates are payments expected)
    counted: bool  # in the monthly total (every kind but medical insurance)
    window_through: date
    charges: tuple[Charge, ...]
    window_total: Decimal
    monthly_by_step: tuple[tuple[date, Decimal, Decimal | None], ...]  # (from, amount, monthly equivalent)
    monthly_on_effective: Decimal  # monthly equivalent in force on the order's effective date (0 if none)
    due_by_today: tuple[int, Decimal]  # charges already due today: how many, how much

    @property
    def kind_label(self) -> str:
        return TermKind(self.term.kind).label

    @property
    def frequency_label(self) -> str:
        return FrequencyChoice(self.term.frequency).label


@dataclass(frozen=True, slots=True)
class OrderPreview:
    terms: tuple[TermPreview, ...]
    effective_on: date
    monthly_total: Decimal  # sum of the counted terms' monthly equivalents on the effective date


def obligations_preview(*, terms: Sequence[TermInput], effective_on: date, today: date) -> OrderPreview:
    """The charges each term generates in its first 12 months (from its start), as the accrual will
    post them, and the order's monthly-equivalent total on its effective date.

    Raises InvalidInputs naming each refused field as `terms[i].<field>`, every term checked.
    """
    schedules: list[TermSchedule] = []
    errors: list[InvalidInput] = []
    for index, term in enumerate(terms):
        try:
            _check_within_calendar(term)
            schedules.append(schedule_of_input(term))
        except InvalidInput as error:
            errors.append(InvalidInput(error.message, field=f"terms[{index}].{error.field or 'steps'}"))
    if errors:
        raise InvalidInputs(errors)
    previews = tuple(
        _term_preview(term, schedule, effective_on, today) for term, schedule in zip(terms, schedules, strict=True)
    )
    total = sum((p.monthly_on_effective for p in previews if p.counted), ZERO)
    return OrderPreview(terms=previews, effective_on=effective_on, monthly_total=total)


def _check_within_calendar(term: TermInput) -> None:
    """A start or an amount change so far ahead that its 12 months leave the calendar is a typing
    mistake (year 9999), refused by name rather than left to overflow."""
    if term.starts_on > LATEST_START_ON:
        raise InvalidInput(f"must be before {LATEST_START_ON.year + 1}", field="starts_on")
    for index, (on, _) in enumerate(term.steps):
        if on > LATEST_START_ON:
            raise InvalidInput(f"must be before {LATEST_START_ON.year + 1}", field=f"steps[{index}].starts_on")


def _term_preview(term: TermInput, schedule: TermSchedule, effective_on: date, today: date) -> TermPreview:
    window_through = schedule.starts_on + relativedelta(months=PREVIEW_MONTHS) - timedelta(days=1)
    charges = charges_due(schedule, after=schedule.starts_on - timedelta(days=1), through=window_through)
    already = charges_due(schedule, after=schedule.starts_on - timedelta(days=1), through=today)
    in_force = schedule.starts_on <= effective_on and (schedule.ends_on is None or effective_on <= schedule.ends_on)
    amount_on_effective = _amount_near(schedule, effective_on)[1] if in_force else ZERO
    return TermPreview(
        term=term,
        accrues=term.kind in ACCRUING_KINDS,
        counted=term.kind not in UNPAID_KINDS,
        window_through=window_through,
        charges=charges,
        window_total=sum((charge.amount for charge in charges), ZERO),
        monthly_by_step=tuple(
            (step.starts_on, step.amount, _monthly(step.amount, schedule.frequency, schedule.starts_on))
            for step in schedule.steps
        ),
        monthly_on_effective=_monthly(amount_on_effective, schedule.frequency, schedule.starts_on) or ZERO,
        due_by_today=(len(already), sum((charge.amount for charge in already), ZERO)),
    )


# --- What a modification changed -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermSide:
    """One side (old or new) of a compared term, on its reference date."""

    term: OrderTerm
    reference_on: date  # the day whose amount is shown
    amount: Decimal  # per period of the term's frequency
    monthly: Decimal | None  # None for a one-time amount
    later_steps: tuple[tuple[date, Decimal], ...]  # steps ordered after the reference date


@dataclass(frozen=True, slots=True)
class TermChange:
    status: str  # "changed", "unchanged", "added" (only in the new order), "ended" (only in the old)
    kind_label: str
    child: Person | None
    obligor: Person
    old: TermSide | None
    new: TermSide | None
    changed: tuple[str, ...]  # which of "frequency", "amount", "later steps" differ
    monthly_difference: Decimal  # new monthly equivalent - old (one-time amounts count as 0)


@dataclass(frozen=True, slots=True)
class OrderComparison:
    old: Order
    new: Order
    old_on: date  # the old order's last day (the day before the new one takes effect)
    terms: tuple[TermChange, ...]
    old_monthly_total: Decimal
    new_monthly_total: Decimal

    @property
    def monthly_difference(self) -> Decimal:
        return self.new_monthly_total - self.old_monthly_total


def order_comparisons(*, order: Order) -> list[OrderComparison]:
    """The order against the order it modified, and each order that modified it against it."""
    pairs: list[tuple[Order, Order]] = []
    if order.modifies_id is not None:
        assert order.modifies is not None
        pairs.append((order.modifies, order))
    pairs.extend((order, later) for later in orders_modifying(order=order))
    return [compare_orders(old=old, new=new) for old, new in pairs]


def _terms_of(order: Order) -> list[OrderTerm]:
    return list(order.terms.select_related("obligor", "child").prefetch_related("steps").order_by("starts_on", "pk"))


def _key(term: OrderTerm) -> tuple[str, int | None, int]:
    return (term.kind, term.child_id, term.obligor_id)


def compare_orders(*, old: Order, new: Order) -> OrderComparison:
    """Term by term, matched by kind, child and obligor (in start-date order when an order has two
    such terms): the old amount on the old order's last day against the new amount on the day the new
    order takes effect (each on the term's nearest day when it is not in force then), the frequency,
    the later steps, the terms added and ended, and the monthly-equivalent totals."""
    old_on = new.effective_on - timedelta(days=1)
    waiting: dict[tuple[str, int | None, int], list[OrderTerm]] = defaultdict(list)
    for term in _terms_of(old):
        waiting[_key(term)].append(term)
    changes = []
    for term in _terms_of(new):
        matches = waiting[_key(term)]
        changes.append(_change(matches.pop(0) if matches else None, term, old_on, new.effective_on))
    ended = sorted((t for terms in waiting.values() for t in terms), key=lambda t: (t.starts_on, t.pk))
    changes.extend(_change(term, None, old_on, new.effective_on) for term in ended)
    old_total = sum((_counted_monthly(change.old) for change in changes), ZERO)
    new_total = sum((_counted_monthly(change.new) for change in changes), ZERO)
    comparison = OrderComparison(
        old=old,
        new=new,
        old_on=old_on,
        terms=tuple(changes),
        old_monthly_total=old_total,
        new_monthly_total=new_total,
    )
    # Paired check: the per-term differences add up to the order's difference.
    assert sum((c.monthly_difference for c in changes), ZERO) == comparison.monthly_difference
    return comparison


def _side(term: OrderTerm, on: date) -> TermSide:
    schedule = schedule_of_term(term)
    reference_on, amount = _amount_near(schedule, on)
    return TermSide(
        term=term,
        reference_on=reference_on,
        amount=amount,
        monthly=_monthly(amount, term.frequency, term.starts_on),
        later_steps=tuple((s.starts_on, s.amount) for s in schedule.steps if s.starts_on > reference_on),
    )


def _counted_monthly(side: TermSide | None) -> Decimal:
    if side is None or side.term.kind in UNPAID_KINDS:
        return ZERO
    return side.monthly or ZERO


def _change(old_term: OrderTerm | None, new_term: OrderTerm | None, old_on: date, new_on: date) -> TermChange:
    old = _side(old_term, old_on) if old_term is not None else None
    new = _side(new_term, new_on) if new_term is not None else None
    either = new_term or old_term
    assert either is not None
    changed: tuple[str, ...] = ()
    if old is not None and new is not None:
        changed = tuple(
            name
            for name, differs in (
                ("frequency", old.term.frequency != new.term.frequency),
                ("amount", old.amount != new.amount),
                ("later steps", old.later_steps != new.later_steps),
            )
            if differs
        )
        status = "changed" if changed else "unchanged"
    else:
        status = "added" if old is None else "ended"
    return TermChange(
        status=status,
        kind_label=TermKind(either.kind).label,
        child=either.child,
        obligor=either.obligor,
        old=old,
        new=new,
        changed=changed,
        monthly_difference=_counted_monthly(new) - _counted_monthly(old),
    )


def cases_owed_by(*, person: Person) -> QuerySet[Case]:
    """The open cases on which `person` owes support: the one definition of an obligor on a case is the
    obligor of one of its order terms (ended terms too: their arrears are still owed). A member's role
    (noncustodial parent, alleged father) says who may be ordered to pay, not who owes."""
    return Case.objects.filter(
        pk__in=OrderTerm.objects.filter(obligor=person).values("case_id"), closed_on__isnull=True
    )


def orders_of_case(*, case: Case) -> list[Order]:
    """The case's orders with their terms and steps, latest effective first."""
    return list(case.orders.prefetch_related("terms__steps").order_by("-effective_on", "-id"))


def order_on_case(*, case: Case, order_id: int) -> Order | None:
    """One order of the case, or None."""
    return case.orders.filter(pk=order_id).first()


def terms_of_order(*, order: Order) -> list[OrderTerm]:
    """An order's terms with their obligor, child and steps, in the order entered."""
    return list(order.terms.select_related("obligor", "child").prefetch_related("steps").order_by("pk"))


@dataclass(frozen=True, slots=True)
class OrderedAmount:
    """One obligation in force on a day: what the order charges, and its monthly equivalent."""

    term: OrderTerm
    amount: Decimal  # per period of the term's frequency
    monthly: Decimal | None  # None for a one-time amount


def obligations_in_force(*, case: Case, on: date) -> list[OrderedAmount]:
    """The terms of the case's active orders in force on `on` (medical insurance, which charges nothing,
    left out), with their amounts: three queries whatever the number of orders, terms and steps."""
    terms = (
        OrderTerm.objects.filter(order__case=case, order__status=OrderStatus.ACTIVE, starts_on__lte=on)
        .exclude(kind__in=UNPAID_KINDS)
        .exclude(ends_on__lt=on)
        .select_related("order", "child")
        .prefetch_related("steps")
        .order_by("order__effective_on", "pk")
    )
    found = []
    for term in terms:
        schedule = schedule_of_term(term)
        _, amount = _amount_near(schedule, on)
        found.append(OrderedAmount(term=term, amount=amount, monthly=_monthly(amount, term.frequency, on)))
    return found
