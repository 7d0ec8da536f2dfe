"""Reading enforcement: what an IWO to an employer would say today, the orders sent, and the other remedies'
actions of a case or waiting for approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet, Sum

from opencse.cases.models import Case
from opencse.cases.selectors import visible_cases
from opencse.enforcement.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    EnforcementAction,
    IncomeWithholding,
    WithholdingException,
)
from opencse.errors import InvalidInput, NotFound
from opencse.ledger.models import Account, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.orders.models import TermKind
from opencse.orders.selectors import obligations_in_force
from opencse.people.models import Employment, Person
from opencse.rules.income_withholding import IwoAmounts, Ordered, iwo_amounts
from opencse.rules.money import ZERO

# 15 U.S.C. 1673(b)(2): support owed "for a period which is prior to the twelve-week period which ends with
# the beginning of such workweek".
TWELVE_WEEKS = timedelta(weeks=12)
ARREARS_ACCOUNTS = [account for account in Account.values if account != Account.CURRENT_SUPPORT]
CHILD_SUPPORT_KINDS = {TermKind.CURRENT_SUPPORT, TermKind.CHILD_CARE}
PAST_DUE_KINDS = {TermKind.ARREARS_PAYMENT, TermKind.JUDGMENT}
OTHER_KINDS: dict[str, str] = {
    TermKind.UNREIMBURSED_MEDICAL: "unreimbursed medical",
    TermKind.GENETIC_TEST_FEE: "genetic test fee",
}


@dataclass(frozen=True, slots=True)
class Preview:
    """What an IWO dated `on` would order, and the facts it was computed from."""

    case: Case
    obligor: Person
    employment: Employment
    on: date
    amounts: IwoAmounts
    arrears_owed: Decimal


def obligor_of(case: Case, *, on: date) -> Person:
    """The person the case's orders in force on `on` charge (the one definition of an obligor: a term's)."""
    obligors = {amount.term.obligor for amount in obligations_in_force(case=case, on=on)}
    if not obligors:
        raise InvalidInput("The case has no support order in force on that date to withhold for.", field="dated_on")
    if len(obligors) > 1:
        raise InvalidInput("The case's orders charge more than one obligor; withhold per obligor.", field="dated_on")
    return obligors.pop()


def ordered_amounts(case: Case, obligor: Person, *, on: date) -> Ordered:
    """The monthly amounts of the obligor's terms in force on `on`, on the form's lines."""
    child = cash_medical = spousal = other = ZERO
    arrears_payment: Decimal | None = None
    described = []
    for amount in obligations_in_force(case=case, on=on):
        term = amount.term
        if term.obligor_id != obligor.pk or amount.monthly is None:
            continue  # another obligor's, or a one-time amount (a lump sum order, not a periodic one)
        if term.kind in CHILD_SUPPORT_KINDS:
            child += amount.monthly
        elif term.kind == TermKind.CASH_MEDICAL:
            cash_medical += amount.monthly
        elif term.kind == TermKind.SPOUSAL_SUPPORT:
            spousal += amount.monthly
        elif term.kind in PAST_DUE_KINDS:
            arrears_payment = (arrears_payment or ZERO) + amount.monthly
        elif term.kind in OTHER_KINDS:
            other += amount.monthly
            described.append(OTHER_KINDS[term.kind])
    return Ordered(
        child_support=child,
        cash_medical=cash_medical,
        spousal_support=spousal,
        other=other,
        other_description=", ".join(sorted(set(described))),
        arrears_payment=arrears_payment,
    )


def arrears_owed(case: Case, *, on: date) -> Decimal:
    """The case's arrears on `on`: every arrears account (current support due this month is not arrears)."""
    owed = balances(case=case, as_of=on)
    return max(ZERO, sum((owed[account] for account in ARREARS_ACCOUNTS), ZERO))


def arrears_over_12_weeks(case: Case, *, on: date) -> bool:
    """Whether arrears owed for a period before the 12 weeks ending on `on` are still unpaid: the arrears on
    the 12-week line, less what has been paid or credited to arrears since (paid oldest first: docs/enforcement.md),
    is above zero."""
    line = on - TWELVE_WEEKS
    old = arrears_owed(case, on=line)
    if old == ZERO:
        return False
    since = LedgerEntry.objects.filter(
        case=case, account__in=ARREARS_ACCOUNTS, effective_on__gt=line, effective_on__lte=on, amount__lt=0
    ).aggregate(total=Sum("amount"))["total"]
    return old + (since or ZERO) > ZERO


def withholding_preview(*, case: Case, employment: Employment, on: date) -> Preview:
    """The amounts an IWO to `employment`'s employer dated `on` would state (nothing is stored)."""
    obligor = obligor_of(case, on=on)
    if employment.person_id != obligor.pk:
        raise InvalidInput("That employer is not the obligor's.", field="employment")
    owed = arrears_owed(case, on=on)
    amounts = iwo_amounts(
        ordered=ordered_amounts(case, obligor, on=on),
        arrears_owed=owed,
        arrears_over_12_weeks=arrears_over_12_weeks(case, on=on),
        state=settings.OPENCSE_STATE,
        as_of=on,
    )
    return Preview(case=case, obligor=obligor, employment=employment, on=on, amounts=amounts, arrears_owed=owed)


def withholdings_of_case(*, case: Case) -> QuerySet[IncomeWithholding]:
    """Every IWO sent on the case, latest first, with `is_replaced` annotated, its e-IWO file and its records of
    service (the employer's record of service)."""
    replaced = IncomeWithholding.objects.filter(replaces=OuterRef("pk"))
    return (
        IncomeWithholding.objects.filter(case=case)
        .select_related("employer", "document", "issued_by", "eiwo_transmission__file")
        .prefetch_related("services")
        .annotate(is_replaced=Exists(replaced))
        .order_by("-dated_on", "-pk")
    )


def withholding_in_force(*, case: Case, employment: Employment) -> IncomeWithholding | None:
    """The order in force with the employer of `employment` on the case, if one is."""
    return (
        IncomeWithholding.objects.filter(case=case, employment=employment, action__in=[Action.ORIGINAL, Action.AMENDED])
        .exclude(Exists(IncomeWithholding.objects.filter(replaces=OuterRef("pk"))))
        .first()
    )


def withholding_on_case(*, case: Case, withholding_id: int) -> IncomeWithholding:
    found = IncomeWithholding.objects.filter(case=case, pk=withholding_id).select_related("employer").first()
    if found is None:
        raise NotFound(f"No income withholding {withholding_id} on case {case.number}.")
    return found


def employments_to_withhold_from(*, case: Case, on: date) -> list[Employment]:
    """The obligor's verified jobs not ended on `on` (none when no order is in force)."""
    try:
        obligor = obligor_of(case, on=on)
    except InvalidInput:
        return []
    return list(
        Employment.objects.filter(person=obligor, verified=True)
        .exclude(ended_on__lt=on)
        .select_related("employer")
        .order_by("employer__name", "pk")
    )


def employment_to_withhold_from(*, case: Case, employment_id: int, on: date) -> Employment:
    """The obligor's verified job `employment_id`, among those an order may go to on `on` (NotFound otherwise)."""
    employment = next((e for e in employments_to_withhold_from(case=case, on=on) if e.pk == employment_id), None)
    if employment is None:
        raise NotFound(f"No verified employer of the case's obligor with that number, not ended on {on:%m/%d/%Y}.")
    return employment


def employers_with_orders(*, case: Case, on: date) -> list[tuple[Employment, IncomeWithholding | None]]:
    """The obligor's verified jobs not ended on `on`, each with the order in force with its employer, if any."""
    return [
        (employment, withholding_in_force(case=case, employment=employment))
        for employment in employments_to_withhold_from(case=case, on=on)
    ]


NEXT_STEPS: dict[str, str] = {
    ActionStatus.PROPOSED: "An SEO 2 or supervisor approves it (the notice is sent) or rejects it.",
    ActionStatus.NOTICED: "Record the notice's service, or a contest; after the contest window, take the action.",
    ActionStatus.CONTESTED: "An SEO 2 or supervisor decides the contest.",
    ActionStatus.TAKEN: "Release it when the debt is paid or an agreement is kept.",
}


def actions_of_case(*, case: Case) -> QuerySet[EnforcementAction]:
    """The case's enforcement actions, open ones first, then latest first, with their steps."""
    return (
        EnforcementAction.objects.filter(case=case)
        .select_related("decided_by", "proposed_by")
        .prefetch_related("steps__by")
        .order_by("status", "-found_on", "remedy")
    )


def action_on_case(*, case: Case, action_id: int) -> EnforcementAction:
    found = EnforcementAction.objects.filter(case=case, pk=action_id).select_related("case", "obligor").first()
    if found is None:
        raise NotFound(f"No enforcement action {action_id} on case {case.number}.")
    return found


def actions_waiting(*, viewer: object) -> QuerySet[EnforcementAction]:
    """Proposals waiting for a decision on the cases the viewer may see, oldest first (the approval queue)."""
    return (
        EnforcementAction.objects.filter(status=ActionStatus.PROPOSED, case__in=visible_cases(viewer))
        .select_related("case", "proposed_by")
        .order_by("found_on", "case__number", "remedy")
    )


def withholdings_in_force_of_case(*, case: Case) -> QuerySet[IncomeWithholding]:
    """The case's income withholding orders in force (sent, not replaced, not a termination), by employer."""
    return (
        IncomeWithholding.objects.filter(case=case, action__in=[Action.ORIGINAL, Action.AMENDED])
        .exclude(Exists(IncomeWithholding.objects.filter(replaces=OuterRef("pk"))))
        .select_related("employer")
        .order_by("employer__name", "pk")
    )


def open_actions_of_case(*, case: Case) -> QuerySet[EnforcementAction]:
    """The case's enforcement actions still open (proposed, noticed, contested, taken), oldest first."""
    return EnforcementAction.objects.filter(case=case, status__in=OPEN_STATUSES).order_by("found_on", "remedy", "pk")


def withholding_exceptions_of_case(*, case: Case) -> list[WithholdingException]:
    """The case's exceptions to immediate withholding, the one in force first, then the ended, latest first."""
    rows = case.withholding_exceptions.select_related("recorded_by", "ended_by")
    return list(rows.order_by(F("ended_on").desc(nulls_first=True), "-since", "-pk"))


def withholding_exception_on_case(*, case: Case, exception_id: int) -> WithholdingException:
    found = case.withholding_exceptions.filter(pk=exception_id).first()
    if found is None:
        raise NotFound(f"No exception to withholding {exception_id} on case {case.number}.")
    return found
