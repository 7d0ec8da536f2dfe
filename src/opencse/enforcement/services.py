"""Sending an Income Withholding for Support to an employer, amending it and ending it.

45 CFR 303.100(e): the agency sends the federal form to the employer within two business days of learning of
the employer (the worklist's task, `work.clocks`); income withholding needs no other officer's signature (it
is the law's default remedy, 303.100(a)-(b), issued by the automated system: 42 U.S.C. 654a(g)(1)(A)(i)).
Each order is a stored document (`documents.generate_document`, template `income_withholding_order`) and an
`IncomeWithholding` row; an amendment or a termination is a new one that replaces it (never an edit). The
date on the form is the business date the caller passes in; the clock only stamps `issued_at`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from opencse.cases.models import Case, MemberRole
from opencse.common.events import publish
from opencse.common.states import state_name
from opencse.common.validation import check_not_future, future_dates
from opencse.documents.services import generate_document
from opencse.enforcement.events import IncomeWithholdingSent
from opencse.enforcement.models import Action, ExceptionKind, IncomeWithholding, WithholdingException
from opencse.enforcement.selectors import (
    Preview,
    withholding_in_force,
    withholding_preview,
    withholdings_in_force_of_case,
)
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.orders.selectors import active_orders
from opencse.people.models import Employment
from opencse.rules.income_withholding import Ordered, iwo_amounts, sent_across_state_lines, withholding_held
from opencse.rules.income_withholding import WithholdingException as RuleException
from opencse.rules.money import ZERO
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

DOCUMENT_KIND = "income_withholding_order"
REASON_MAXIMUM = 300


def _check_date(case: Case, dated_on: date) -> None:
    check_not_future(dated_on, field="dated_on")
    if case.closed_on is not None:
        raise Conflict(f"Case {case.number} is closed: no withholding is sent on a closed case.")


def _usable_employment(employment: Employment, dated_on: date) -> None:
    if not employment.verified:
        raise InvalidInput(
            "Verify the employer first: an income withholding order goes to a verified employer.", field="employment"
        )
    if employment.ended_on is not None and employment.ended_on < dated_on:
        raise InvalidInput(f"The job ended on {employment.ended_on:%m/%d/%Y}.", field="employment")


def _name_last_first(person: Any) -> str:
    """ "Last, First Middle", as the form asks."""
    given = " ".join(part for part in [person.first_name, person.middle_name] if part)
    return f"{person.last_name}, {given}" if given else person.last_name


def _form_data(preview: Preview, *, action: Action, actor: User, reason: str) -> dict[str, Any]:
    case, obligor, employment = preview.case, preview.obligor, preview.employment
    employer, amounts = employment.employer, preview.amounts
    members = list(case.members.filter(left_on__isnull=True).select_related("person").order_by("pk"))
    obligee = next((m.person for m in members if m.role == MemberRole.CUSTODIAL_PARTY), None)
    children = [m.person for m in members if m.role == MemberRole.DEPENDENT_CHILD]
    order = active_orders(case=case).order_by("-effective_on").first()
    state = str(settings.OPENCSE_STATE).upper()
    city_line = " ".join(
        part for part in [f"{employer.city}," if employer.city else "", employer.state, employer.postal_code] if part
    )
    return {
        "action": Action(action).label,
        "dated_on": preview.on,
        "issuing_state": state_name(state),
        "issuing_jurisdiction": order.tribunal_name if order else case.office.name,
        "case_number": case.number,
        "order_id": order.docket_number if order else case.number,
        "remittance_id": case.number,
        "employer_name": employer.name,
        "employer_lines": [line for line in [employer.line1, city_line] if line] or ["Address not on file"],
        "employer_fein": employer.fein,
        "employee_name": _name_last_first(obligor),
        "employee_ssn": obligor.ssn_masked,
        "employee_birth_date": obligor.date_of_birth,
        "obligee_name": _name_last_first(obligee) if obligee else "Not on file",
        "children": [{"name": _name_last_first(child), "birth_date": child.date_of_birth} for child in children],
        **amounts.monthly,
        "arrears_over_12_weeks": "Yes" if amounts.arrears_over_12_weeks else "No",
        "other_description": amounts.other_description,
        "total_monthly": amounts.total_monthly,
        **{f"per_{period}": amount for period, amount in amounts.per_pay_period.items()},
        "begin_within_days": amounts.begin_within_days,
        "remit_within_business_days": amounts.remit_within_business_days,
        "limit_percent": amounts.limit_percent,
        "employer_fee": amounts.employer_fee,
        "work_state": employer.state or "not on file",
        "employee_copy": "Yes" if employer.state and employer.state.upper() != state else "No",
        "sdu_name": settings.OPENCSE_SDU_NAME,
        "sdu_lines": [line.strip() for line in str(settings.OPENCSE_SDU_ADDRESS).split("|") if line.strip()],
        "issued_by": actor.get_full_name() or actor.username,
        "issuer_title": actor.get_role_display() if hasattr(actor, "get_role_display") else "",
        "reason": reason,
    }


def _record(
    preview: Preview,
    *,
    actor: User,
    action: Action,
    replaces: IncomeWithholding | None,
    reason: str,
    lump_sum: Decimal | None = None,
    announce: bool = True,
) -> IncomeWithholding:
    amounts = preview.amounts
    employer_state = preview.employment.employer.state
    across = sent_across_state_lines(issuing_state=settings.OPENCSE_STATE, employer_state=employer_state,
                                     as_of=preview.on)  # fmt: skip
    explanation = [line.as_dict() for line in amounts.explanation] + ([across.as_dict()] if across else [])
    document = generate_document(
        actor=actor,
        case=preview.case,
        kind=DOCUMENT_KIND,
        data=_form_data(preview, action=action, actor=actor, reason=reason) | {"lump_sum": lump_sum},
        dated_on=preview.on,
        subject=preview.employment.employer.name,
        person=preview.obligor,
    )

    try:
        with transaction.atomic():
            withholding = IncomeWithholding.objects.create(
                case=preview.case,
                obligor=preview.obligor,
                employment=preview.employment,
                employer=preview.employment.employer,
                action=action,
                replaces=replaces,
                dated_on=preview.on,
                reason=reason,
                current_child_support=amounts.monthly["current_child_support"],
                past_due_child_support=amounts.monthly["past_due_child_support"],
                current_cash_medical_support=amounts.monthly["current_cash_medical_support"],
                current_spousal_support=amounts.monthly["current_spousal_support"],
                other=amounts.monthly["other"],
                other_description=amounts.other_description[:35],
                total_monthly=amounts.total_monthly,
                per_weekly=amounts.per_pay_period["weekly"],
                per_biweekly=amounts.per_pay_period["biweekly"],
                per_semimonthly=amounts.per_pay_period["semimonthly"],
                per_monthly=amounts.per_pay_period["monthly"],
                arrears_over_12_weeks=amounts.arrears_over_12_weeks,
                begin_within_days=amounts.begin_within_days,
                remit_within_business_days=amounts.remit_within_business_days,
                employer_fee=amounts.employer_fee,
                limit_percent=amounts.limit_percent,
                lump_sum=lump_sum,
                explanation=explanation,
                direct_to_state=across.value if across else "",
                document=document,
                issued_by=actor,
            )
    except IntegrityError as error:  # another request sent or replaced the same order a moment ago
        raise Conflict(
            "An income withholding order was just sent to this employer on this case; reload the page."
        ) from error
    record_audit(
        actor=actor,
        action=f"income_withholding.{Action(action).name.lower()}",
        target=withholding,
        case_number=preview.case.number,
        summary=f"{Action(action).label} income withholding to {withholding.employer.name}",
        after={
            "dated_on": preview.on.isoformat(),
            "total_monthly": str(withholding.total_monthly),
            "lump_sum": str(lump_sum) if lump_sum is not None else None,
            "replaces": replaces.pk if replaces else None,
        },
    )
    if not announce:  # sent as another event's consequence (a case closed): subscribers do not publish
        return withholding
    publish(
        IncomeWithholdingSent(
            withholding_id=withholding.pk,
            case_id=preview.case.pk,
            obligor_id=preview.obligor.pk,
            employer_id=withholding.employer_id,
            action=action,
            sent_on=preview.on,
            actor_id=actor.pk,
        )
    )
    return withholding


@transaction.atomic
def issue_income_withholding(*, actor: User, case: Case, employment: Employment, dated_on: date) -> IncomeWithholding:
    """Send the original order to a verified employer of the case's obligor (45 CFR 303.100(e))."""
    require(actor, "enforcement.withhold", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_date(case, dated_on)
    employment = Employment.objects.select_related("employer").get(pk=employment.pk)
    _usable_employment(employment, dated_on)
    if withholding_in_force(case=case, employment=employment) is not None:
        raise Conflict("An income withholding order is already in force with this employer on this case: amend it.")
    if IncomeWithholding.objects.filter(case=case, employment=employment, action=Action.ORIGINAL).exists():
        raise Conflict("This employer's withholding on the case was ended; a new job record starts a new one.")
    preview = withholding_preview(case=case, employment=employment, on=dated_on)
    if preview.amounts.total_monthly == 0:
        raise InvalidInput("Nothing is owed or ordered on that date: there is nothing to withhold.", field="dated_on")
    held, why = exception_holds(case=case, preview=preview)
    if held:
        raise Conflict(f"{why}. End the exception first if the obligor asked for withholding.")
    return _record(preview, actor=actor, action=Action.ORIGINAL, replaces=None, reason="")


CURRENT_LINES = ("current_child_support", "current_cash_medical_support", "current_spousal_support")


def exception_holds(*, case: Case, preview: Preview) -> tuple[bool, str]:
    """Whether the case's exception to immediate withholding (if one is in force) still holds on the preview's
    date (`rules.income_withholding.withholding_held`: until the payments missed equal one month's support)."""
    exception = case.withholding_exceptions.filter(ended_on__isnull=True, since__lte=preview.on).first()
    monthly = sum((preview.amounts.monthly[line] for line in CURRENT_LINES), ZERO)
    kind = RuleException(exception.kind) if exception else None
    return withholding_held(exception=kind, unpaid=preview.arrears_owed, monthly_support=monthly)


@transaction.atomic
def amend_income_withholding(
    *, actor: User, withholding: IncomeWithholding, dated_on: date, reason: str
) -> IncomeWithholding:
    """Send an amended order with today's amounts (a modified order, arrears paid down or grown)."""
    case, current, reason = _order_to_replace(actor=actor, withholding=withholding, dated_on=dated_on, reason=reason)
    employment = Employment.objects.select_related("employer").get(pk=current.employment_id)
    preview = withholding_preview(case=case, employment=employment, on=dated_on)
    return _record(preview, actor=actor, action=Action.AMENDED, replaces=current, reason=reason)


@transaction.atomic
def terminate_income_withholding(
    *, actor: User, withholding: IncomeWithholding, dated_on: date, reason: str
) -> IncomeWithholding:
    """Send the termination (45 CFR 303.100(a)(7): no current order and every arrears paid, or the job ended)."""
    case, current, reason = _order_to_replace(actor=actor, withholding=withholding, dated_on=dated_on, reason=reason)
    return _terminate(case, current, actor=actor, dated_on=dated_on, reason=reason, announce=True)


def _terminate(
    case: Case, current: IncomeWithholding, *, actor: User, dated_on: date, reason: str, announce: bool
) -> IncomeWithholding:
    employment = Employment.objects.select_related("employer").get(pk=current.employment_id)
    # Nothing more to withhold: every amount on the form is zero; the terms (days, fee) are those in force.
    nothing = iwo_amounts(
        ordered=Ordered(), arrears_owed=ZERO, arrears_over_12_weeks=False, state=settings.OPENCSE_STATE, as_of=dated_on
    )
    preview = Preview(
        case=case, obligor=current.obligor, employment=employment, on=dated_on, amounts=nothing, arrears_owed=ZERO
    )
    return _record(preview, actor=actor, action=Action.TERMINATION, replaces=current, reason=reason, announce=announce)


def terminate_withholding_of_closed_case(*, actor: User, case: Case, closed_on: date) -> list[IncomeWithholding]:
    """The case was closed (45 CFR 303.11) by `actor`: each order in force on it is terminated, dated the day it
    closed (or the order's own date, if later), with the closure as its reason. The closure is the authority
    (`cases.close`, checked by `cases.services.close_case`); no event is published (this runs as the closure's
    consequence, and the worklist completes the case's tasks on the closure itself)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    assert case.closed_on is not None, case.pk
    sent = []
    # The case row is locked; a parallel amendment of the same order fails on `replaces` (one-to-one).
    for current in withholdings_in_force_of_case(case=case):
        reason = f"The child support case was closed on {closed_on:%m/%d/%Y}: stop withholding for it."
        sent.append(_terminate(case, current, actor=actor, dated_on=max(closed_on, current.dated_on), reason=reason,
                               announce=False))  # fmt: skip
    return sent


def _order_to_replace(
    *, actor: User, withholding: IncomeWithholding, dated_on: date, reason: str
) -> tuple[Case, IncomeWithholding, str]:
    """What an amended or terminating order replaces, checked: the case (locked), the order in force on
    `dated_on` (locked), and the reason given."""
    require(actor, "enforcement.withhold", withholding.case)
    case = Case.objects.select_for_update().get(pk=withholding.case_id)
    _check_date(case, dated_on)
    current = _in_force(withholding, dated_on)
    return case, current, _reason(reason)


def _in_force(withholding: IncomeWithholding, dated_on: date) -> IncomeWithholding:
    current = IncomeWithholding.objects.select_for_update().get(pk=withholding.pk)
    if not current.in_force:
        raise Conflict("That income withholding order is no longer in force (it was amended or ended).")
    if dated_on < current.dated_on:
        raise InvalidInput(f"must be on or after the order's date, {current.dated_on:%m/%d/%Y}", field="dated_on")
    return current


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why (the employer and the file will read it)", field="reason")
    if len(reason) > REASON_MAXIMUM:
        raise InvalidInput(f"at most {REASON_MAXIMUM} characters", field="reason")
    return reason


@transaction.atomic
def issue_lump_sum_order(
    *, actor: User, case: Case, employment: Employment, dated_on: date, amount: Decimal | None, payment: str
) -> IncomeWithholding:
    """Send a one-time order for a lump sum payment (the federal form's "One-Time Order/Notice for Lump Sum
    Payment", OMB 0970-0154; e-IWO document action LUM) to an employer of the case's obligor that is about to pay
    a bonus, commission, severance or other lump sum (`payment`, printed on the form).

    The amount is the arrears owed on the case on `dated_on` unless the officer asks for less: a lump sum order
    claims past-due support only (current support is the periodic order's). The employer withholds it subject to
    the limit printed on the form (15 U.S.C. 1673(b), applied by the employer to the pay period's disposable
    earnings, the lump sum included: 45 CFR 303.100(a)(5)); it stops no order in force, which goes on as it is.
    An OpenCSE choice: the order need not wait for a periodic order to the same employer, and does not complete
    the income withholding task (that task asks for the periodic order)."""
    require(actor, "enforcement.withhold", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_date(case, dated_on)
    employment = Employment.objects.select_related("employer").get(pk=employment.pk)
    _usable_employment(employment, dated_on)
    payment = payment.strip()
    errors: list[InvalidInput] = []
    if not payment:
        errors.append(InvalidInput("say what the employer will pay (a bonus, a commission, severance pay ...)",
                                   field="payment"))  # fmt: skip
    elif len(payment) > REASON_MAXIMUM:
        errors.append(InvalidInput(f"at most {REASON_MAXIMUM} characters", field="payment"))
    preview = withholding_preview(case=case, employment=employment, on=dated_on)
    owed = preview.arrears_owed
    if owed <= ZERO:
        errors.append(InvalidInput(f"nothing is past due on {dated_on:%m/%d/%Y}: a lump sum order claims arrears "
                                   "only", field="amount"))  # fmt: skip
    elif amount is not None and not ZERO < amount <= owed:
        errors.append(InvalidInput(f"must be more than $0.00 and at most the arrears owed, ${owed:,}", field="amount"))
    if errors:
        raise InvalidInputs(errors)
    # The periodic lines are empty on a lump sum order; its terms (days, fee, the limit with the 12-week line of
    # 15 U.S.C. 1673(b)(2)) are those in force.
    terms = iwo_amounts(ordered=Ordered(), arrears_owed=ZERO, state=settings.OPENCSE_STATE, as_of=dated_on,
                        arrears_over_12_weeks=preview.amounts.arrears_over_12_weeks)  # fmt: skip
    lump = Preview(case=case, obligor=preview.obligor, employment=employment, on=dated_on, amounts=terms,
                   arrears_owed=owed)  # fmt: skip
    return _record(lump, actor=actor, action=Action.LUMP_SUM, replaces=None, reason=payment,
                   lump_sum=owed if amount is None else amount)  # fmt: skip


@transaction.atomic
def record_withholding_exception(
    *, actor: User, case: Case, kind: str, since: date, reference: str
) -> WithholdingException:
    """Record the court's or agency's good-cause finding, or the parties' written alternative arrangement, that
    holds the case's income withholding (45 CFR 303.100(b)(1)(i)-(ii)). It stops the law's default remedy, so it
    takes signature authority (`enforcement.approve`); one in force per case. Every error at once."""
    require(actor, "enforcement.approve", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    reference = reference.strip()
    errors: list[InvalidInput] = []
    if kind not in ExceptionKind.values:
        errors.append(InvalidInput("choose good cause or an alternative arrangement", field="kind"))
    errors += future_dates(since=since)
    if not reference:
        errors.append(InvalidInput("name the order or the signed agreement (it goes in the record)",
                                   field="reference"))  # fmt: skip
    elif len(reference) > 200:
        errors.append(InvalidInput("at most 200 characters", field="reference"))
    if errors:
        raise InvalidInputs(errors)
    if case.withholding_exceptions.filter(ended_on__isnull=True).exists():
        raise Conflict("An exception to immediate withholding is already in force on this case: end it first.")
    exception = WithholdingException.objects.create(case=case, kind=kind, since=since, reference=reference,
                                                    recorded_by=actor)  # fmt: skip
    record_audit(actor=actor, action="income_withholding.exception_recorded", target=exception,
                 case_number=case.number, summary=str(exception),
                 after={"kind": kind, "since": since.isoformat()})  # fmt: skip
    return exception


@transaction.atomic
def end_withholding_exception(
    *, actor: User, exception: WithholdingException, ended_on: date, reason: str
) -> WithholdingException:
    """End the exception (the obligor asked for withholding, the agreement was broken, the order was modified):
    from the next run the nightly batch sends the order. Any caseworker may restart the default remedy."""
    require(actor, "enforcement.withhold", exception.case)
    exception = WithholdingException.objects.select_for_update().select_related("case").get(pk=exception.pk)
    if exception.ended_on is not None:
        raise Conflict(f"That exception ended on {exception.ended_on:%m/%d/%Y}.")
    errors: list[InvalidInput] = []
    if ended_on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field="ended_on"))
    elif ended_on < exception.since:
        errors.append(InvalidInput(f"cannot be before the exception's date, {exception.since:%m/%d/%Y}",
                                   field="ended_on"))  # fmt: skip
    try:
        reason = _reason(reason)
    except InvalidInput as error:
        errors.append(error)
    if errors:
        raise InvalidInputs(errors)
    exception.ended_on, exception.end_reason, exception.ended_by = ended_on, reason, actor
    exception.save(update_fields=["ended_on", "end_reason", "ended_by"])
    record_audit(actor=actor, action="income_withholding.exception_ended", target=exception,
                 case_number=exception.case.number, summary=str(exception),
                 after={"ended_on": ended_on.isoformat(), "reason": reason})  # fmt: skip
    return exception
