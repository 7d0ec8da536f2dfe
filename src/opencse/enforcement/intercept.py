"""Withholding support from an obligor's unemployment or workers' compensation (42 U.S.C. 654(19), 666(b)(8);
45 CFR 302.65; docs/enforcement.md, "Unemployment and workers' compensation intercept").

- **The benefit source** (`record_benefit_claim`, `end_benefit_claim`): the obligor's unemployment claim (paid by
  the State workforce agency, whose name and address are the State's configured data,
  `rules.benefit_intercept.state_workforce_agency`) or workers' compensation claim (the insurer or the state fund),
  recorded by an officer, or from an unemployment locate record posted as a lead for the obligor. Audited.
- **The intercept** (`issue_benefit_intercept`): when the obligor's support is "not being met"
  (`rules.benefit_intercept.support_not_met`), a notice to the payer to withhold from each week's benefit, by the
  obligor's voluntary agreement (the amount agreed, the agreement's copy to the payer) or by legal process (the
  amounts of the income withholding rule, converted to a week, within the State's and the CCPA's limits:
  `rules.benefit_intercept.intercept_amount`). The notice is a stored document (`benefit_intercept_notice`) with a
  copy to the obligor; one original per claim and case.
- **The end** (`terminate_benefit_intercept`): a termination notice that replaces the intercept, when the claim
  ended, the case closed, nothing is owed or ordered any more, or an officer ends it (the agreement revoked).

The nightly batch (`enforcement.intercept_batch`) issues and ends intercepts by legal process with the same
services. Dates are business dates the caller passes; the clock only stamps `recorded_at` and `issued_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from opencse.cases.models import Case
from opencse.cases.services import add_system_note
from opencse.common.validation import check_not_future
from opencse.documents.services import generate_document
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.intercept_models import (
    BenefitClaim,
    BenefitIntercept,
    BenefitKind,
    InterceptAction,
    InterceptBasis,
)
from opencse.enforcement.selectors import arrears_over_12_weeks, arrears_owed, obligor_of, ordered_amounts
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.locate.models import LocateRecord, RecordStatus
from opencse.orders.models import OrderTerm
from opencse.orders.selectors import active_orders
from opencse.people.models import Person
from opencse.rules.benefit_intercept import (
    Basis,
    InterceptAmount,
    Unmet,
    intercept_amount,
    state_workforce_agency,
    support_not_met,
)
from opencse.rules.income_withholding import CURRENT_LINES, IwoAmounts, iwo_amounts
from opencse.rules.money import ZERO
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

DOCUMENT_KIND = "benefit_intercept_notice"
TEXT_MAXIMUM = 300
POSTED = (RecordStatus.MATCHED, RecordStatus.LINKED)  # a locate record posted as a lead for its person


@dataclass(frozen=True, slots=True)
class InterceptPreview:
    """What an intercept dated `on` would withhold, and the facts it was computed from (nothing is stored)."""

    case: Case
    claim: BenefitClaim
    obligor: Person
    on: date
    arrears_owed: Decimal
    monthly_support: Decimal
    unmet: Unmet
    ordered: IwoAmounts  # what the income withholding rule orders on the date
    amount: InterceptAmount | None  # None when the rule refused (the reason in `refusal`)
    refusal: str


def _text(value: str, field: str, errors: list[InvalidInput], *, required: bool, maximum: int) -> str:
    value = value.strip()
    if required and not value:
        errors.append(InvalidInput("required", field=field))
    elif len(value) > maximum:
        errors.append(InvalidInput(f"at most {maximum} characters", field=field))
    return value


def _raise(errors: list[InvalidInput]) -> None:
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)


def _obligor(case: Case, on: date) -> Person:
    return obligor_of(case, on=on)  # refuses a case with no order in force, or two obligors


@transaction.atomic
def record_benefit_claim(
    *,
    actor: User,
    case: Case,
    kind: str,
    weekly_benefit_amount: Decimal | None,
    starts_on: date,
    ends_on: date | None = None,
    payer_name: str = "",
    payer_lines: list[str] | None = None,
    claim_number: str = "",
    locate_record_id: int | None = None,
) -> BenefitClaim:
    """Record the case's obligor's claim for unemployment or workers' compensation. An unemployment claim's payer
    is the State workforce agency configured for the State unless the officer names another (a claim in another
    State); a workers' compensation claim names its insurer or state fund. From a locate record
    (`locate_record_id`, one of `unemployment_leads`): it must be an unemployment record posted as a lead for the
    obligor. Every error at once."""
    require(actor, "enforcement.withhold", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise Conflict(f"Case {case.number} is closed.")
    obligor = obligor_on_case(case)
    errors: list[InvalidInput] = []
    if kind not in BenefitKind.values:
        errors.append(InvalidInput("choose unemployment or workers' compensation", field="kind"))
    try:
        check_not_future(starts_on, field="starts_on")
    except InvalidInput as error:
        errors.append(error)
    if ends_on is not None and ends_on < starts_on:
        errors.append(InvalidInput(f"cannot be before the claim's start, {starts_on:%m/%d/%Y}", field="ends_on"))
    if weekly_benefit_amount is None or weekly_benefit_amount <= ZERO:
        errors.append(InvalidInput("enter the weekly benefit amount, more than $0.00", field="weekly_benefit_amount"))
    elif weekly_benefit_amount != weekly_benefit_amount.quantize(Decimal("0.01")):
        errors.append(InvalidInput("in dollars and cents", field="weekly_benefit_amount"))
    claim_number = _text(claim_number, "claim_number", errors, required=False, maximum=40)
    payer_name = _text(payer_name, "payer_name", errors, required=False, maximum=120)
    lines = [line.strip()[:100] for line in (payer_lines or []) if line.strip()][:4]
    locate_record = None
    if locate_record_id is not None:
        locate_record = LocateRecord.objects.filter(pk=locate_record_id).first()
        if locate_record is None:
            errors.append(InvalidInput(f"no locate record {locate_record_id}", field="locate_record"))
        elif locate_record.kind != "unemployment":
            errors.append(InvalidInput("that locate record is not an unemployment claim", field="locate_record"))
        elif locate_record.status not in POSTED or locate_record.person_id != obligor.pk:
            errors.append(InvalidInput("use an unemployment record posted as a lead for the obligor",
                                       field="locate_record"))  # fmt: skip
        if kind != BenefitKind.UNEMPLOYMENT:
            errors.append(InvalidInput("a locate record gives an unemployment claim", field="kind"))
    if kind == BenefitKind.UNEMPLOYMENT and not payer_name:
        agency = state_workforce_agency(state=settings.OPENCSE_STATE, as_of=starts_on) if not errors else None
        if agency is None and not errors:
            errors.append(InvalidInput("no State workforce agency is configured: name the payer", field="payer_name"))
        elif agency is not None:
            payer_name, lines = agency
    elif kind == BenefitKind.WORKERS_COMPENSATION and (not payer_name or not lines):
        errors.append(InvalidInput("name the insurer or state fund that pays, and its address", field="payer_name"))
    _raise(errors)
    assert weekly_benefit_amount is not None  # refused above
    try:
        with transaction.atomic():
            claim = BenefitClaim.objects.create(
                person=obligor, kind=kind, payer_name=payer_name, payer_lines=lines, claim_number=claim_number,
                weekly_benefit_amount=weekly_benefit_amount, starts_on=starts_on, ends_on=ends_on,
                locate_record=locate_record, recorded_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise Conflict("That claim is already recorded for the obligor.") from error
    record_audit(actor=actor, action="benefit_claim.recorded", target=claim, case_number=case.number,
                 summary=str(claim), after={"kind": kind, "payer": payer_name, "starts_on": starts_on.isoformat(),
                                            "weekly_benefit_amount": str(weekly_benefit_amount),
                                            "locate_record": locate_record.pk if locate_record else None})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"benefit-claim:{claim.pk}:{case.pk}",
                    text=f"Benefit recorded: {claim}, from {starts_on:%m/%d/%Y}.")  # fmt: skip
    return claim


@transaction.atomic
def end_benefit_claim(*, actor: User, case: Case, claim: BenefitClaim, ended_on: date, note: str) -> BenefitClaim:
    """The claim ended on `ended_on` (the last day paid): recorded once; each intercept in force on it is ended at
    once with a termination notice to the payer."""
    require(actor, "enforcement.withhold", case)
    claim = BenefitClaim.objects.select_for_update().get(pk=claim.pk)
    errors: list[InvalidInput] = []
    try:
        check_not_future(ended_on, field="ended_on")
    except InvalidInput as error:
        errors.append(error)
    if ended_on < claim.starts_on:
        errors.append(InvalidInput(f"cannot be before the claim's start, {claim.starts_on:%m/%d/%Y}", field="ended_on"))
    if claim.ends_on is not None and claim.ended_by_id is not None:
        raise Conflict(f"This claim's end was already recorded: {claim.ends_on:%m/%d/%Y}.")
    note = _text(note, "note", errors, required=False, maximum=TEXT_MAXIMUM)
    _raise(errors)
    claim.ends_on, claim.end_note, claim.ended_by = ended_on, note, actor
    claim.save(update_fields=["ends_on", "end_note", "ended_by"])
    record_audit(actor=actor, action="benefit_claim.ended", target=claim, case_number=case.number, summary=str(claim),
                 after={"ends_on": ended_on.isoformat(), "note": note})  # fmt: skip
    for intercept in intercepts_in_force(claim=claim):
        terminate_benefit_intercept(actor=actor, intercept=intercept, dated_on=max(ended_on, intercept.dated_on),
                                    reason=f"The claim ended on {ended_on:%m/%d/%Y}.")  # fmt: skip
    return claim


def intercepts_in_force(*, claim: BenefitClaim | None = None, case: Case | None = None) -> QuerySet[BenefitIntercept]:
    """The originals not yet replaced by a termination, of a claim or of a case."""
    rows = BenefitIntercept.objects.filter(action=InterceptAction.ORIGINAL).exclude(
        Exists(BenefitIntercept.objects.filter(replaces=OuterRef("pk")))
    )
    if claim is not None:
        rows = rows.filter(claim=claim)
    if case is not None:
        rows = rows.filter(case=case)
    return rows.select_related("claim", "case")


def unemployment_leads(*, case: Case, limit: int = 50) -> list[LocateRecord]:
    """The unemployment locate records posted as leads for the case's obligor, newest first: what a claim may be
    recorded from (none when the case has no single obligor)."""
    try:
        obligor = obligor_on_case(case)
    except Conflict:
        return []
    rows = LocateRecord.objects.filter(person=obligor, kind="unemployment", status__in=POSTED)
    return list(rows.order_by("-received_on", "-pk")[:limit])


def claims_of_case(*, case: Case) -> QuerySet[BenefitClaim]:
    """The benefit claims of the people the case's orders charge, latest first."""
    obligors = OrderTerm.objects.filter(case=case).values("obligor_id")
    return BenefitClaim.objects.filter(person_id__in=obligors).order_by("-starts_on", "-pk")


def claim_of_case(*, case: Case, claim_id: int) -> BenefitClaim:
    found = claims_of_case(case=case).filter(pk=claim_id).first()
    if found is None:
        raise NotFound(f"No benefit claim {claim_id} of the obligor on case {case.number}.")
    return found


def intercepts_of_case(*, case: Case) -> QuerySet[BenefitIntercept]:
    replaced = BenefitIntercept.objects.filter(replaces=OuterRef("pk"))
    return (
        BenefitIntercept.objects.filter(case=case)
        .select_related("claim", "document", "issued_by")
        .annotate(is_replaced=Exists(replaced))
        .order_by("-dated_on", "-pk")
    )


def intercept_of_case(*, case: Case, intercept_id: int) -> BenefitIntercept:
    found = BenefitIntercept.objects.filter(case=case, pk=intercept_id).select_related("claim").first()
    if found is None:
        raise NotFound(f"No benefit intercept {intercept_id} on case {case.number}.")
    return found


def intercept_preview(
    *, case: Case, claim: BenefitClaim, on: date, basis: str = InterceptBasis.LEGAL_PROCESS,
    agreed_weekly: Decimal | None = None,
) -> InterceptPreview:  # fmt: skip
    """What an intercept of `claim` for `case` dated `on` would withhold, and whether support is not being met."""
    obligor = _obligor(case, on)
    if claim.person_id != obligor.pk:
        raise InvalidInput("That claim is not the obligor's.", field="claim")
    owed = arrears_owed(case, on=on)
    old = arrears_over_12_weeks(case, on=on)
    ordered = iwo_amounts(ordered=ordered_amounts(case, obligor, on=on), arrears_owed=owed,
                          arrears_over_12_weeks=old, state=settings.OPENCSE_STATE, as_of=on)  # fmt: skip
    monthly = sum((ordered.monthly[str(line)] for line in CURRENT_LINES), ZERO)
    unmet = support_not_met(arrears=owed, monthly_support=monthly, state=settings.OPENCSE_STATE, as_of=on)
    amount, refusal = None, ""
    try:
        amount = intercept_amount(basis=Basis(basis), benefit=claim.kind, weekly_benefit=claim.weekly_benefit_amount,
                                  ordered_monthly=ordered.total_monthly, agreed_weekly=agreed_weekly,
                                  arrears_over_12_weeks=old, state=settings.OPENCSE_STATE, as_of=on)  # fmt: skip
    except InvalidInput as error:
        refusal = error.message
    return InterceptPreview(case=case, claim=claim, obligor=obligor, on=on, arrears_owed=owed, monthly_support=monthly,
                            unmet=unmet, ordered=ordered, amount=amount, refusal=refusal)  # fmt: skip


def _claim_pays_on(claim: BenefitClaim, on: date) -> str:
    """Why the claim pays nothing on `on` ("" when it pays)."""
    if claim.starts_on > on:
        return f"the claim starts on {claim.starts_on:%m/%d/%Y}"
    if claim.ends_on is not None and claim.ends_on < on:
        return f"the claim ended on {claim.ends_on:%m/%d/%Y}"
    return ""


@transaction.atomic
def issue_benefit_intercept(
    *,
    actor: User,
    case: Case,
    claim: BenefitClaim,
    dated_on: date,
    basis: str,
    agreed_weekly: Decimal | None = None,
    agreement_signed_on: date | None = None,
) -> BenefitIntercept:
    """Send the payer the notice to withhold from each week's benefit (45 CFR 302.65(c)(2)): by the obligor's
    voluntary agreement (`agreed_weekly`, signed on `agreement_signed_on`) or by legal process."""
    require(actor, "enforcement.withhold", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_not_future(dated_on, field="dated_on")
    if case.closed_on is not None:
        raise Conflict(f"Case {case.number} is closed: no intercept is sent on a closed case.")
    claim = BenefitClaim.objects.get(pk=claim.pk)
    errors: list[InvalidInput] = []
    if basis not in InterceptBasis.values:
        errors.append(InvalidInput("choose a voluntary agreement or legal process", field="basis"))
    elif basis == InterceptBasis.AGREEMENT:
        if agreement_signed_on is None:
            errors.append(InvalidInput("enter the date the obligor signed the agreement", field="agreement_signed_on"))
        elif agreement_signed_on > dated_on:
            errors.append(InvalidInput("cannot be after the notice's date", field="agreement_signed_on"))
        if agreed_weekly is None or agreed_weekly <= ZERO:
            errors.append(InvalidInput("enter the weekly amount the obligor agreed to", field="agreed_weekly"))
    else:
        agreed_weekly, agreement_signed_on = None, None
    why = _claim_pays_on(claim, dated_on)
    if why:
        errors.append(InvalidInput(f"nothing to withhold from: {why}", field="dated_on"))
    _raise(errors)
    if BenefitIntercept.objects.filter(claim=claim, case=case, action=InterceptAction.ORIGINAL).exists():
        raise Conflict("An intercept of this claim was already sent on this case; a new claim starts a new one.")
    preview = intercept_preview(case=case, claim=claim, on=dated_on, basis=basis, agreed_weekly=agreed_weekly)
    if not preview.unmet.not_met:
        raise Conflict(f"Support is being met ({preview.unmet.reason}): the benefit is not intercepted "
                       "(45 CFR 302.65(c)(2)).")  # fmt: skip
    if preview.amount is None:
        raise InvalidInput(preview.refusal, field="agreed_weekly" if basis == InterceptBasis.AGREEMENT else "dated_on")
    amount = preview.amount
    explanation = [line.as_dict() for line in preview.unmet.explanation + amount.explanation]
    document = _notice(preview, actor=actor, action=InterceptAction.ORIGINAL, basis=basis, weekly=amount.weekly,
                       agreed_weekly=agreed_weekly, agreement_signed_on=agreement_signed_on, reason="",
                       explanation=explanation)  # fmt: skip
    try:
        with transaction.atomic():
            intercept = BenefitIntercept.objects.create(
                claim=claim, case=case, obligor=preview.obligor, basis=basis, action=InterceptAction.ORIGINAL,
                dated_on=dated_on, weekly_amount=amount.weekly, ordered_weekly=amount.ordered_weekly,
                weekly_benefit_amount=claim.weekly_benefit_amount, agreed_weekly=agreed_weekly,
                agreement_signed_on=agreement_signed_on, explanation=explanation, document=document, issued_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise Conflict("An intercept of this claim was just sent on this case; reload the page.") from error
    record_audit(actor=actor, action="benefit_intercept.original", target=intercept, case_number=case.number,
                 summary=f"Benefit intercept to {claim.payer_name}: ${amount.weekly:,} a week",
                 after={"basis": basis, "weekly_amount": str(amount.weekly),
                        "dated_on": dated_on.isoformat()})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"benefit-intercept:{intercept.pk}",
                    text=f"Benefit intercept sent to {claim.payer_name} ({InterceptBasis(basis).label}): "
                    f"${amount.weekly:,} from each week's benefit.")  # fmt: skip
    return intercept


@transaction.atomic
def terminate_benefit_intercept(
    *, actor: User, intercept: BenefitIntercept, dated_on: date, reason: str
) -> BenefitIntercept:
    """Send the payer the notice to stop: the claim ended, the case closed, nothing is owed or ordered, or the
    agreement or process was ended (an officer's reason)."""
    require(actor, "enforcement.withhold", intercept.case)
    case = Case.objects.select_for_update().get(pk=intercept.case_id)
    current = BenefitIntercept.objects.select_for_update().select_related("claim").get(pk=intercept.pk)
    if not current.in_force:
        raise Conflict("That intercept is no longer in force (it was ended).")
    errors: list[InvalidInput] = []
    try:
        check_not_future(dated_on, field="dated_on")
    except InvalidInput as error:
        errors.append(error)
    if dated_on < current.dated_on:
        errors.append(InvalidInput(f"must be on or after the intercept's date, {current.dated_on:%m/%d/%Y}",
                                   field="dated_on"))  # fmt: skip
    reason = _text(reason, "reason", errors, required=True, maximum=TEXT_MAXIMUM)
    _raise(errors)
    claim = current.claim
    document = _notice_for_termination(current, case=case, actor=actor, dated_on=dated_on, reason=reason)
    try:
        with transaction.atomic():
            ended = BenefitIntercept.objects.create(
                claim=claim, case=case, obligor=current.obligor, basis=current.basis,
                action=InterceptAction.TERMINATION, replaces=current, dated_on=dated_on, reason=reason,
                weekly_amount=ZERO, ordered_weekly=ZERO, weekly_benefit_amount=claim.weekly_benefit_amount,
                document=document, issued_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise Conflict("That intercept was just ended; reload the page.") from error
    record_audit(actor=actor, action="benefit_intercept.termination", target=ended, case_number=case.number,
                 summary=f"Benefit intercept to {claim.payer_name} ended",
                 after={"dated_on": dated_on.isoformat(), "reason": reason, "replaces": current.pk})  # fmt: skip
    return ended


def _name_last_first(person: Person) -> str:
    given = " ".join(part for part in [person.first_name, person.middle_name] if part)
    return f"{person.last_name}, {given}" if given else person.last_name


def _common(case: Case, claim: BenefitClaim, obligor: Person, *, actor: User, on: date) -> dict[str, Any]:
    state = str(settings.OPENCSE_STATE).upper()
    order = active_orders(case=case).order_by("-effective_on").first()
    return {
        "dated_on": on,
        "issuing_state": {"MS": "Mississippi", "WA": "Washington"}.get(state, state),
        "case_number": case.number,
        "order_id": order.docket_number if order else case.number,
        "payer_name": claim.payer_name,
        "payer_lines": list(claim.payer_lines) or ["Address not on file"],
        "benefit": BenefitKind(claim.kind).label,
        "claim_number": claim.claim_number or None,
        "claim_starts_on": claim.starts_on,
        "claimant_name": _name_last_first(obligor),
        "claimant_ssn": obligor.ssn_masked,
        "claimant_birth_date": obligor.date_of_birth,
        "weekly_benefit_amount": claim.weekly_benefit_amount,
        "sdu_name": settings.OPENCSE_SDU_NAME,
        "sdu_lines": [line.strip() for line in str(settings.OPENCSE_SDU_ADDRESS).split("|") if line.strip()],
        "obligor": obligor,
        "issued_by": actor.get_full_name() or actor.username,
    }


def _notice(preview: InterceptPreview, *, actor: User, action: str, basis: str, weekly: Decimal,
            agreed_weekly: Decimal | None, agreement_signed_on: date | None, reason: str,
            explanation: list[dict[str, str]]) -> Any:  # fmt: skip
    data = _common(preview.case, preview.claim, preview.obligor, actor=actor, on=preview.on) | {
        "action": InterceptAction(action).label,
        "basis": InterceptBasis(basis).label,
        "weekly_amount": weekly,
        "total_monthly": preview.ordered.total_monthly if basis == InterceptBasis.LEGAL_PROCESS else None,
        "agreed_weekly": agreed_weekly,
        "agreement_signed_on": agreement_signed_on,
        "explanation": explanation,
        "reason": reason or None,
    }
    return generate_document(actor=actor, case=preview.case, kind=DOCUMENT_KIND, data=data, dated_on=preview.on,
                             subject=f"benefit claim {preview.claim.pk}", person=preview.obligor)  # fmt: skip


def _notice_for_termination(current: BenefitIntercept, *, case: Case, actor: User, dated_on: date,
                            reason: str) -> Any:  # fmt: skip
    data = _common(case, current.claim, current.obligor, actor=actor, on=dated_on) | {
        "action": InterceptAction.TERMINATION.label,
        "basis": InterceptBasis(current.basis).label,
        "weekly_amount": ZERO,
        "total_monthly": None,
        "agreed_weekly": None,
        "agreement_signed_on": None,
        "explanation": [],
        "reason": reason,
    }
    return generate_document(actor=actor, case=case, kind=DOCUMENT_KIND, data=data, dated_on=dated_on,
                             subject=f"benefit claim {current.claim_id}", person=current.obligor)  # fmt: skip
