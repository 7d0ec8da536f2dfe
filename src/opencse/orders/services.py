"""Entering and modifying support orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from opencse.cases.models import Case, MemberRole
from opencse.common.events import publish
from opencse.common.validation import clean_or_raise
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.orders.events import OrderEntered
from opencse.orders.models import Order, OrderStatus, OrderTerm, TermStep
from opencse.paternity.selectors import paternity_not_established
from opencse.people.models import Person
from opencse.rules.money import is_whole_cents
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

# The members who may be named obligor on an order term. Who owes on a case is the obligor of its terms
# (`orders.selectors.cases_owed_by`), not a member role.
OBLIGOR_ROLES = (MemberRole.NONCUSTODIAL_PARENT, MemberRole.ALLEGED_FATHER, MemberRole.CUSTODIAL_PARTY)
TERMS_MAXIMUM = 40
STEPS_MAXIMUM = 60


@dataclass(frozen=True, slots=True)
class TermInput:
    """One obligation as written in the order. `steps` are (from date, amount per period), oldest first;
    the first starts on `starts_on`."""

    kind: str
    frequency: str
    starts_on: date
    obligor: Person
    steps: Sequence[tuple[date, Decimal]]
    ends_on: date | None = None
    child: Person | None = None


def _check_term(case: Case, term: TermInput, index: int) -> None:
    field = f"terms[{index}]"
    if not term.steps or len(term.steps) > STEPS_MAXIMUM:
        raise InvalidInput(f"give 1 to {STEPS_MAXIMUM} amounts", field=f"{field}.steps")
    if term.steps[0][0] != term.starts_on:
        raise InvalidInput("the first amount must start on the term's start date", field=f"{field}.steps")
    previous = None
    for on, amount in term.steps:
        if previous is not None and on <= previous:
            raise InvalidInput("amount changes must be in date order, one per date", field=f"{field}.steps")
        if amount < 0 or not is_whole_cents(amount):
            raise InvalidInput("amounts must be whole cents and not negative", field=f"{field}.steps")
        if term.ends_on is not None and on > term.ends_on:
            raise InvalidInput("an amount change falls after the term ends", field=f"{field}.steps")
        previous = on
    if not case.members.filter(person=term.obligor, role__in=OBLIGOR_ROLES).exists():
        raise InvalidInput("the obligor must be a parent on this case", field=f"{field}.obligor")
    if term.child is not None and not case.members.filter(person=term.child, role=MemberRole.DEPENDENT_CHILD).exists():
        raise InvalidInput("the child must be a dependent child on this case", field=f"{field}.child")
    _check_paternity(case, term, field)


def _check_paternity(case: Case, term: TermInput, field: str) -> None:
    """No order against an alleged father whose paternity of the order's children (the term's child, or every
    child of the case) is not legally established (docs/paternity.md)."""
    children = [term.child] if term.child is not None else None
    missing = paternity_not_established(case=case, father=term.obligor, children=children)
    if missing:
        names = ", ".join(child.full_name for child in missing)
        raise InvalidInput(
            f"{term.obligor.full_name} is an alleged father: paternity of {names} is not established. Record the "
            "acknowledgment (once its rescission period has ended) or the court's determination first.",
            field=f"{field}.obligor",
        )


def check_order_terms(*, actor: User, case: Case, terms: Sequence[TermInput]) -> None:
    """The checks `enter_order` makes on the terms, every term at once and without writing (the entry
    screen's preview). Raises InvalidInputs naming each refused field (`terms[i].steps`, ...)."""
    require(actor, "orders.enter", case)
    errors: list[InvalidInput] = []
    if not 1 <= len(terms) <= TERMS_MAXIMUM:
        errors.append(InvalidInput(f"an order needs 1 to {TERMS_MAXIMUM} terms", field="terms"))
    for index, term in enumerate(terms[:TERMS_MAXIMUM]):
        try:
            _check_term(case, term, index)
        except InvalidInput as error:
            errors.append(error)
    if errors:
        raise InvalidInputs(errors)


@transaction.atomic
def enter_order(
    *,
    actor: User,
    case: Case,
    tribunal_kind: str,
    tribunal_name: str,
    issuing_jurisdiction: str,
    docket_number: str,
    signed_on: date,
    effective_on: date,
    terms: Sequence[TermInput],
    filed_on: date | None = None,
    modifies: Order | None = None,
    adjusted_by_ledger: bool = False,
) -> Order:
    """Enter an order from the paper with its terms. A modification ends the old order's terms the day
    before the new order takes effect and marks the old order modified; when the ledger already accrued
    the old order past that day, the ledger must be adjusted too: that use case is
    `opencse.ledger.modifications.enter_modification`, which calls this; entering such a modification
    here alone is refused."""
    require(actor, "orders.enter", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed; reopen it before entering an order.")
    if not 1 <= len(terms) <= TERMS_MAXIMUM:
        raise InvalidInput(f"an order needs 1 to {TERMS_MAXIMUM} terms", field="terms")
    for index, term in enumerate(terms):
        _check_term(case, term, index)
    if modifies is not None:
        _end_modified_order(
            actor=actor, order=modifies, case=case, effective_on=effective_on, adjusted_by_ledger=adjusted_by_ledger
        )
    order = Order(
        case=case,
        tribunal_kind=tribunal_kind,
        tribunal_name=tribunal_name,
        issuing_jurisdiction=issuing_jurisdiction,
        docket_number=docket_number,
        signed_on=signed_on,
        effective_on=effective_on,
        filed_on=filed_on,
        modifies=modifies,
        entered_by=actor,
    )
    clean_or_raise(order)
    order.save()
    for term in terms:
        row = OrderTerm(
            order=order,
            case=case,
            kind=term.kind,
            frequency=term.frequency,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            obligor=term.obligor,
            child=term.child,
        )
        clean_or_raise(row, exclude=["order", "case"])
        row.save()
        TermStep.objects.bulk_create([TermStep(term=row, starts_on=on, amount=amount) for on, amount in term.steps])
    record_audit(
        actor=actor,
        action="order.entered",
        target=order,
        case_number=case.number,
        summary=f"{docket_number}: {len(terms)} term(s)",
        after={
            "docket_number": docket_number,
            "effective_on": str(effective_on),
            "modifies": modifies.pk if modifies else None,
            "terms": [
                {"kind": t.kind, "frequency": t.frequency, "steps": [[str(on), str(amount)] for on, amount in t.steps]}
                for t in terms
            ],
        },
    )
    publish(OrderEntered(order_id=order.pk, case_id=case.pk, signed_on=signed_on,
                         modifies_id=modifies.pk if modifies else None, actor_id=actor.pk))  # fmt: skip
    return order


def _end_modified_order(*, actor: User, order: Order, case: Case, effective_on: date, adjusted_by_ledger: bool) -> None:
    """End the modified order's terms the day before the modification takes effect."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.case_id != case.pk:
        raise InvalidInput("the modified order belongs to another case", field="modifies")
    if order.status != OrderStatus.ACTIVE:
        raise Conflict(f"Order {order.docket_number} is {order.status}, not active.")
    if effective_on <= order.effective_on:
        raise InvalidInput("a modification must take effect after the order it modifies", field="effective_on")
    last_day = effective_on - timedelta(days=1)
    if order.terms.filter(accrued_through__gt=last_day).exists() and not adjusted_by_ledger:
        raise Conflict(
            f"Order {order.docket_number} was accrued past {last_day:%m/%d/%Y}: enter the modification through "
            "the ledger (opencse.ledger.modifications.enter_modification), which adjusts each month."
        )
    for term in order.terms.all():
        if term.ends_on is None or term.ends_on > last_day:
            term.ends_on = max(last_day, term.starts_on)
            term.save(update_fields=["ends_on"])
    order.status = OrderStatus.MODIFIED
    order.save(update_fields=["status"])
    record_audit(
        actor=actor,
        action="order.modified",
        target=order,
        case_number=case.number,
        before={"status": OrderStatus.ACTIVE},
        after={"status": OrderStatus.MODIFIED, "terms_end_on": str(last_day)},
    )
