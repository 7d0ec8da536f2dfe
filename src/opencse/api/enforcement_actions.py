"""An enforcement action's steps, payment agreements and income withholding over HTTP: what the web pages do
(`web.enforcement.actions`, `.agreements`, `.views`), through the same services (`opencse.enforcement`), so the same
permissions, second-person rule, audit rows, case notes and refusals. Every date is the business date the caller
states (never today's by default). Errors: every field's at once (400), another office's case or a wrong id (404),
a step the action's state forbids (409)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from opencse.api.enforcement import ERRORS, ActionOut, AgreementOut
from opencse.api.schemas import Money
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.enforcement import actions, agreements
from opencse.enforcement.employer_service import EVIDENCE_MAXIMUM, record_employer_service
from opencse.enforcement.liens import LienProperty
from opencse.enforcement.models import DeliveryMethod, EnforcementAction, ExceptionKind
from opencse.enforcement.selectors import (
    NEXT_STEPS,
    action_on_case,
    employers_with_orders,
    employment_to_withhold_from,
    withholding_exception_on_case,
    withholding_exceptions_of_case,
    withholding_on_case,
    withholding_preview,
    withholdings_of_case,
)
from opencse.enforcement.services import (
    REASON_MAXIMUM,
    amend_income_withholding,
    end_withholding_exception,
    issue_income_withholding,
    issue_lump_sum_order,
    record_withholding_exception,
    terminate_income_withholding,
)

router = Router(tags=["enforcement"])
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]
NOTE = actions.NOTE_MAXIMUM
WITHHOLDINGS_SHOWN = 100


# --- An enforcement action's steps ------------------------------------------------------------------------------


class StepOut(Schema):
    step: str
    on: date
    note: str
    by: str = Field(alias="by.username")


class ActionDetailOut(ActionOut):
    next_step: str
    ability_to_pay: str
    steps: list[StepOut]

    @staticmethod
    def resolve_next_step(action: EnforcementAction) -> str:
        return NEXT_STEPS.get(action.status, "")

    @staticmethod
    def resolve_steps(action: EnforcementAction) -> list[object]:
        return list(action.steps.select_related("by").order_by("on", "pk"))


class ServiceIn(Schema):
    served_on: date = Field(description="the day the notice was served: the contest window starts that day")
    out_of_state: bool = Field(
        False, description="served outside the State: its longer window, where its law gives one"
    )
    note: str = Field("", max_length=NOTE, description="the proof of service")


class ContestIn(Schema):
    received_on: date = Field(description="within the contest window")
    note: str = Field("", max_length=NOTE, description="what the obligor contests (required)")


class ContestDecisionIn(Schema):
    for_obligor: bool = Field(description="true: the contest is granted and the action withdrawn; false: denied")
    decided_on: date
    note: str = Field("", max_length=NOTE, description="what was decided and why (required)")


class TakeIn(Schema):
    taken_on: date = Field(description="after the contest window")
    note: str = Field("", max_length=NOTE)
    accounts: list[RecordId] = Field(
        [], max_length=100, description="a financial institution levy only: the obligor's matched accounts to levy"
    )
    property_kind: str = Field("", max_length=20, description="a lien only: real_property, motor_vehicle or "
                               "personal_property")  # fmt: skip
    property_description: str = Field("", max_length=300, description="a lien only: the parcel or the vehicle")
    county: str = Field("", max_length=60, description="a lien on real property: the county where it lies")
    recording_office: str = Field("", max_length=200, description="a lien only: where it is recorded")


class ReleaseIn(Schema):
    released_on: date
    reason: str = Field("", max_length=NOTE, description="why it is released (required)")


def _action(request: AuthenticatedRequest, number: str, action_id: int) -> EnforcementAction:
    return action_on_case(case=case_for_viewer(viewer=request.user, number=number), action_id=action_id)


@router.get("/cases/{number}/enforcement/actions/{int:action_id}", response={200: ActionDetailOut, **ERRORS})
@allow("enforcement.view")
def action_read(request: AuthenticatedRequest, number: str, action_id: int) -> object:
    """The action with its next step and every step so far (who, when, the note)."""
    return _action(request, number, action_id)


@router.post("/cases/{number}/enforcement/actions/{int:action_id}/service", response={200: ActionDetailOut, **ERRORS})
@allow("enforcement.act")
def action_service(request: AuthenticatedRequest, number: str, action_id: int, payload: ServiceIn) -> object:
    """The notice was served (certified mail's receipt, personal service): the contest window starts that day."""
    action = _action(request, number, action_id)
    return actions.record_service(actor=request.user, action=action, **payload.dict())


@router.post("/cases/{number}/enforcement/actions/{int:action_id}/contest", response={200: ActionDetailOut, **ERRORS})
@allow("enforcement.act")
def action_contest(request: AuthenticatedRequest, number: str, action_id: int, payload: ContestIn) -> object:
    """A contest received in the window: the action is held until an SEO 2 or supervisor decides it."""
    action = _action(request, number, action_id)
    return actions.record_contest(actor=request.user, action=action, **payload.dict())


@router.post(
    "/cases/{number}/enforcement/actions/{int:action_id}/contest/decision", response={200: ActionDetailOut, **ERRORS}
)
@allow("enforcement.approve")
def action_contest_decide(
    request: AuthenticatedRequest, number: str, action_id: int, payload: ContestDecisionIn
) -> object:
    """The contest decided: for the obligor the action is withdrawn; against, it may be taken."""
    action = _action(request, number, action_id)
    return actions.decide_contest(actor=request.user, action=action, **payload.dict())


@router.post("/cases/{number}/enforcement/actions/{int:action_id}/take", response={200: ActionDetailOut, **ERRORS})
@allow("enforcement.act")
def action_take(request: AuthenticatedRequest, number: str, action_id: int, payload: TakeIn) -> object:
    """Take the action after its contest window. A financial institution levy is taken on the `accounts` chosen (an
    order to withhold and deliver to each institution); a lien with where it is recorded (`property_kind`,
    `property_description`, `county` for real property, `recording_office`: the Notice of Lien is generated).
    Accounts or a property given for another remedy are refused, with every other error, at once."""
    action = _action(request, number, action_id)
    lien = LienProperty(property_kind=payload.property_kind, property_description=payload.property_description,
                        county=payload.county, recording_office=payload.recording_office)  # fmt: skip
    return actions.take_action(actor=request.user, action=action, taken_on=payload.taken_on, note=payload.note,
                               accounts=payload.accounts, lien=lien)  # fmt: skip


@router.post("/cases/{number}/enforcement/actions/{int:action_id}/release", response={200: ActionDetailOut, **ERRORS})
@allow("enforcement.act")
def action_release(request: AuthenticatedRequest, number: str, action_id: int, payload: ReleaseIn) -> object:
    """End the action (the debt paid, an agreement kept, the officer's decision); a levy's and a lien's releases
    are generated."""
    action = _action(request, number, action_id)
    return actions.release_action(actor=request.user, action=action, **payload.dict())


# --- Payment agreements -------------------------------------------------------------------------------------------


class AgreementIn(Schema):
    monthly_amount: Money = Field(description='on arrears, on top of current support: "150.00"')
    starts_on: date = Field(description="within 90 days")
    terms: str = Field("", max_length=500)


class AgreementDecisionIn(Schema):
    approve: bool = Field(description="true: sign (it takes effect); false: reject (say why in `note`)")
    note: str = Field("", max_length=500)


class StandingOut(Schema):
    agreement: AgreementOut
    paid_this_month: Decimal = Field(description="voluntary payments in the 31 days up to `as_of`")
    kept: bool | None = Field(description="while signed and in effect on `as_of`: whether it is kept")


class AsOf(Schema):
    as_of: date


@router.get("/cases/{number}/enforcement/agreements", response={200: list[StandingOut], **ERRORS})
@allow("enforcement.view")
def agreement_list(request: AuthenticatedRequest, number: str, query: Query[AsOf]) -> object:
    """The case's agreements, latest first, each with what was paid toward it and whether it is kept on `as_of`."""
    case = case_for_viewer(viewer=request.user, number=number)
    return agreements.standings(list(agreements.agreements_of_case(case=case)[:100]), as_of=query.as_of)


@router.post("/cases/{number}/enforcement/agreements", response={201: AgreementOut, **ERRORS})
@allow("enforcement.propose")
def agreement_create(request: AuthenticatedRequest, number: str, payload: AgreementIn) -> object:
    """Negotiated with the obligor: it waits for an SEO 2's or supervisor's signature (one waiting or in effect per
    case: 409)."""
    case = case_for_viewer(viewer=request.user, number=number)
    return Status(201, agreements.propose_agreement(actor=request.user, case=case, **payload.dict()))


@router.post(
    "/cases/{number}/enforcement/agreements/{int:agreement_id}/decision", response={200: AgreementOut, **ERRORS}
)
@allow("enforcement.approve")
def agreement_decide(
    request: AuthenticatedRequest, number: str, agreement_id: int, payload: AgreementDecisionIn
) -> object:
    """Sign or reject an agreement another officer negotiated."""
    case = case_for_viewer(viewer=request.user, number=number)
    agreement = agreements.agreement_on_case(case=case, agreement_id=agreement_id)
    return agreements.decide_agreement(actor=request.user, agreement=agreement, **payload.dict())


# --- Income withholding -------------------------------------------------------------------------------------------


class LineOut(Schema):
    step: str
    value: str
    reference: str


class EmployerServiceOut(Schema):
    id: int
    method: str
    sent_on: date
    received_on: date | None
    evidence: str
    recorded_at: datetime


class WithholdingOut(Schema):
    id: int
    action: str = Field(description="ORG original, AMD amended, TRM termination, LUM lump sum")
    employment_id: int
    employer: str = Field(alias="employer.name")
    dated_on: date
    reason: str
    replaces_id: int | None
    in_force: bool
    current_child_support: Decimal
    past_due_child_support: Decimal
    current_cash_medical_support: Decimal
    current_spousal_support: Decimal
    other: Decimal
    other_description: str
    total_monthly: Decimal
    per_weekly: Decimal
    per_biweekly: Decimal
    per_semimonthly: Decimal
    per_monthly: Decimal
    lump_sum: Decimal | None
    arrears_over_12_weeks: bool
    begin_within_days: int
    remit_within_business_days: int
    employer_fee: Decimal
    limit_percent: Decimal
    direct_to_state: str
    explanation: list[LineOut]
    document_id: int
    services: list[EmployerServiceOut]


class EmployerOut(Schema):
    employment_id: int
    employer: str
    in_force_id: int | None = Field(description="the order in force with this employer on the case, if any")


class ExceptionOut(Schema):
    id: int
    kind: str
    since: date
    reference: str
    ended_on: date | None
    end_reason: str


class WithholdingListOut(Schema):
    on: date
    employers: list[EmployerOut] = Field(description="the obligor's verified jobs not ended on `on`")
    withholdings: list[WithholdingOut] = Field(description="every order sent, latest first (the last 100)")
    exceptions: list[ExceptionOut]


class AmountsOut(Schema):
    monthly: dict[str, Decimal]
    total_monthly: Decimal
    per_pay_period: dict[str, Decimal]
    arrears_over_12_weeks: bool
    other_description: str
    begin_within_days: int
    remit_within_business_days: int
    employer_fee: Decimal
    limit_percent: Decimal
    explanation: list[LineOut]


class PreviewOut(Schema):
    on: date
    employment_id: int = Field(alias="employment.pk")
    employer: str = Field(alias="employment.employer.name")
    obligor_id: int = Field(alias="obligor.pk")
    arrears_owed: Decimal
    amounts: AmountsOut


class OnDate(Schema):
    on: date


class SendIn(Schema):
    dated_on: date = Field(description="the date printed on the form; the employer counts its days from it")


class ChangeIn(Schema):
    dated_on: date
    reason: str = Field("", max_length=REASON_MAXIMUM, description="printed on the form (required)")


class LumpSumIn(Schema):
    dated_on: date
    payment: str = Field("", max_length=REASON_MAXIMUM, description="what the employer will pay (printed on the form)")
    amount: Money | None = Field(None, description="at most the arrears owed; null claims all of them")


class EmployerServiceIn(Schema):
    method: DeliveryMethod
    sent_on: date
    received_on: date | None = None
    evidence: str = Field("", max_length=EVIDENCE_MAXIMUM, description="the return receipt's number for certified "
                          "mail, who served it for personal service (required for those two)")  # fmt: skip


class ExceptionIn(Schema):
    kind: ExceptionKind
    since: date
    reference: str = Field("", max_length=200, description="the order or the signed agreement (required)")


class ExceptionEndIn(Schema):
    ended_on: date
    reason: str = Field("", max_length=REASON_MAXIMUM)


@router.get("/cases/{number}/withholding", response={200: WithholdingListOut, **ERRORS})
@allow("enforcement.view")
def withholding_list(request: AuthenticatedRequest, number: str, query: Query[OnDate]) -> object:
    """The obligor's verified employers on `on`, each with its order in force; every order sent; the exceptions."""
    case = case_for_viewer(viewer=request.user, number=number)
    employers = [
        {"employment_id": employment.pk, "employer": employment.employer.name, "in_force_id": order and order.pk}
        for employment, order in employers_with_orders(case=case, on=query.on)
    ]
    return {"on": query.on, "employers": employers,
            "withholdings": list(withholdings_of_case(case=case)[:WITHHOLDINGS_SHOWN]),
            "exceptions": withholding_exceptions_of_case(case=case)}  # fmt: skip


@router.get("/cases/{number}/withholding/employers/{int:employment_id}", response={200: PreviewOut, **ERRORS})
@allow("enforcement.withhold")
def withholding_prepare(request: AuthenticatedRequest, number: str, employment_id: int, query: Query[OnDate]) -> object:
    """What the order to this employer dated `on` would state, with every step of the computation and its
    citation (nothing is stored; 400 when no order in force charges the obligor on that date)."""
    case = case_for_viewer(viewer=request.user, number=number)
    employment = employment_to_withhold_from(case=case, employment_id=employment_id, on=query.on)
    return withholding_preview(case=case, employment=employment, on=query.on)


@router.post("/cases/{number}/withholding/employers/{int:employment_id}", response={201: WithholdingOut, **ERRORS})
@allow("enforcement.withhold")
def withholding_send(request: AuthenticatedRequest, number: str, employment_id: int, payload: SendIn) -> object:
    """Send the original order to this employer (45 CFR 303.100(e)); 409 when one is already in force."""
    case = case_for_viewer(viewer=request.user, number=number)
    employment = employment_to_withhold_from(case=case, employment_id=employment_id, on=payload.dated_on)
    return Status(201, issue_income_withholding(actor=request.user, case=case, employment=employment,
                                                dated_on=payload.dated_on))  # fmt: skip


@router.post(
    "/cases/{number}/withholding/employers/{int:employment_id}/lump-sum", response={201: WithholdingOut, **ERRORS}
)
@allow("enforcement.withhold")
def withholding_lump_sum(request: AuthenticatedRequest, number: str, employment_id: int, payload: LumpSumIn) -> object:
    """A one-time order claiming arrears from a lump sum the employer is about to pay."""
    case = case_for_viewer(viewer=request.user, number=number)
    employment = employment_to_withhold_from(case=case, employment_id=employment_id, on=payload.dated_on)
    return Status(201, issue_lump_sum_order(actor=request.user, case=case, employment=employment, **payload.dict()))


@router.post("/cases/{number}/withholding/{int:withholding_id}/amend", response={201: WithholdingOut, **ERRORS})
@allow("enforcement.withhold")
def withholding_amend(request: AuthenticatedRequest, number: str, withholding_id: int, payload: ChangeIn) -> object:
    """An amended order with the amounts owed on `dated_on`; it replaces the order in force (409 if none)."""
    case = case_for_viewer(viewer=request.user, number=number)
    withholding = withholding_on_case(case=case, withholding_id=withholding_id)
    return Status(201, amend_income_withholding(actor=request.user, withholding=withholding, **payload.dict()))


@router.post("/cases/{number}/withholding/{int:withholding_id}/end", response={201: WithholdingOut, **ERRORS})
@allow("enforcement.withhold")
def withholding_end(request: AuthenticatedRequest, number: str, withholding_id: int, payload: ChangeIn) -> object:
    """The termination of the order in force (45 CFR 303.100(a)(7)), sent to the employer."""
    case = case_for_viewer(viewer=request.user, number=number)
    withholding = withholding_on_case(case=case, withholding_id=withholding_id)
    return Status(201, terminate_income_withholding(actor=request.user, withholding=withholding, **payload.dict()))


@router.post("/cases/{number}/withholding/{int:withholding_id}/service", response={201: EmployerServiceOut, **ERRORS})
@allow("enforcement.withhold")
def withholding_service(
    request: AuthenticatedRequest, number: str, withholding_id: int, payload: EmployerServiceIn
) -> object:
    """The employer's record of service: how and when the order was sent, when it was received, the evidence."""
    case = case_for_viewer(viewer=request.user, number=number)
    withholding = withholding_on_case(case=case, withholding_id=withholding_id)
    return Status(201, record_employer_service(actor=request.user, withholding=withholding, **payload.dict()))


@router.post("/cases/{number}/withholding/exceptions", response={201: ExceptionOut, **ERRORS})
@allow("enforcement.approve")
def withholding_exception_create(request: AuthenticatedRequest, number: str, payload: ExceptionIn) -> object:
    """The good-cause finding or the written alternative arrangement that holds withholding (45 CFR
    303.100(b)(1)): signature authority; one in force per case (409)."""
    case = case_for_viewer(viewer=request.user, number=number)
    return Status(201, record_withholding_exception(actor=request.user, case=case, **payload.dict()))


@router.post("/cases/{number}/withholding/exceptions/{int:exception_id}/end", response={200: ExceptionOut, **ERRORS})
@allow("enforcement.withhold")
def withholding_exception_end(
    request: AuthenticatedRequest, number: str, exception_id: int, payload: ExceptionEndIn
) -> object:
    """End the exception: the next nightly run sends the order."""
    case = case_for_viewer(viewer=request.user, number=number)
    exception = withholding_exception_on_case(case=case, exception_id=exception_id)
    return end_withholding_exception(actor=request.user, exception=exception, **payload.dict())
