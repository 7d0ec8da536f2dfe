"""Enforcement over HTTP: a case's actions, payment agreements, and the facts about its obligor that hold
remedies (bankruptcy stays, SSI); recording and ending those facts, deciding a proposed action, ending an
agreement. The same services as the web pages (`opencse.enforcement`), so the same checks, audit rows and
refusals; every date is the business date the caller states (never today's by default)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Router, Schema, Status

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.enforcement import actions, facts
from opencse.enforcement.agreements import agreement_on_case, agreements_of_case, end_agreement
from opencse.enforcement.selectors import action_on_case, actions_of_case

router = Router(tags=["enforcement"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
RecordId = Field(ge=1, le=2**31 - 1)


class ActionOut(Schema):
    id: int
    remedy: str
    remedy_name: str
    citation: str
    status: str
    found_on: date
    arrears: Decimal
    monthly_support: Decimal
    reasons: list[str]
    decision_note: str
    notice_sent_on: date | None
    service_method: str
    served_on: date | None
    served_out_of_state: bool
    contest_ends_on: date | None
    taken_on: date | None
    released_on: date | None


class AgreementOut(Schema):
    id: int
    status: str
    monthly_amount: Decimal
    starts_on: date
    terms: str
    broken_on: date | None
    ended_on: date | None
    end_reason: str


class StayOut(Schema):
    id: int
    chapter: str
    court: str
    court_case_number: str
    petition_filed_on: date
    ended_on: date | None
    ended_how: str
    recorded_at: datetime


class SsiOut(Schema):
    id: int
    receiving_from: date
    receiving_to: date | None
    verified_how: str
    note: str
    recorded_at: datetime


class EnforcementOut(Schema):
    case_number: str
    obligor_id: int | None
    actions: list[ActionOut]
    agreements: list[AgreementOut]
    bankruptcy_stays: list[StayOut]
    ssi: list[SsiOut]


class StayIn(Schema):
    petition_filed_on: date
    chapter: Literal["7", "11", "12", "13"]
    court: str = Field(max_length=120)
    court_case_number: str = Field(max_length=40)
    recorded_on: date = Field(description="the day the agency learned of the petition: actions it holds stop then")


class StayEndIn(Schema):
    ended_on: date
    ended_how: Literal["lifted", "discharged", "dismissed"]
    note: str = Field("", max_length=500)


class SsiIn(Schema):
    receiving_from: date
    receiving_to: date | None = None
    verified_how: Literal["ssa_letter", "ssa_exchange", "bank_statement", "other"]
    recorded_on: date = Field(description="the day the agency learned of it: open levies stop then")
    note: str = Field("", max_length=500)


class SsiEndIn(Schema):
    receiving_to: date = Field(description="the last day received")
    note: str = Field("", max_length=500)


class DecisionIn(Schema):
    approve: bool
    decided_on: date
    service_method: str = Field("", max_length=20, description="for an approval with a notice: one of the remedy's")
    note: str = Field("", max_length=500)
    ability_to_pay: str = Field("", max_length=2000, description="the finding, where the remedy asks for one")


class AgreementEndIn(Schema):
    ended_on: date
    reason: Literal["paid_off", "renegotiated", "ended_by_officer"]
    note: str = Field("", max_length=500)


@router.get("/cases/{number}/enforcement", response={200: EnforcementOut, **ERRORS})
@allow("enforcement.view")
def enforcement_read(request: AuthenticatedRequest, number: str) -> object:
    """The case's enforcement actions (newest first), its payment agreements, and the bankruptcy stays and periods
    of SSI recorded on its obligor (none when the case has no order naming one)."""
    case = case_for_viewer(viewer=request.user, number=number)
    obligor = facts.obligor_on_case(case) if case.terms.exists() else None
    return {
        "case_number": case.number,
        "obligor_id": obligor.pk if obligor else None,
        "actions": list(actions_of_case(case=case)),
        "agreements": list(agreements_of_case(case=case)),
        "bankruptcy_stays": list(facts.bankruptcy_stays_of(person=obligor)) if obligor else [],
        "ssi": list(facts.ssi_receipts_of(person=obligor)) if obligor else [],
    }


@router.post("/cases/{number}/enforcement/bankruptcy-stays", response={201: StayOut, **ERRORS})
@allow("enforcement.act")
def bankruptcy_stay_create(request: AuthenticatedRequest, number: str, payload: StayIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return Status(201, facts.record_bankruptcy_stay(actor=request.user, case=case, **payload.dict()))


@router.post("/cases/{number}/enforcement/bankruptcy-stays/{int:stay_id}/end", response={200: StayOut, **ERRORS})
@allow("enforcement.act")
def bankruptcy_stay_end(request: AuthenticatedRequest, number: str, stay_id: int, payload: StayEndIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    stay = facts.stay_of(person=facts.obligor_on_case(case), stay_id=stay_id)
    return facts.end_bankruptcy_stay(actor=request.user, stay=stay, case=case, **payload.dict())


@router.post("/cases/{number}/enforcement/ssi", response={201: SsiOut, **ERRORS})
@allow("enforcement.act")
def ssi_create(request: AuthenticatedRequest, number: str, payload: SsiIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return Status(201, facts.record_ssi(actor=request.user, case=case, **payload.dict()))


@router.post("/cases/{number}/enforcement/ssi/{int:receipt_id}/end", response={200: SsiOut, **ERRORS})
@allow("enforcement.act")
def ssi_end(request: AuthenticatedRequest, number: str, receipt_id: int, payload: SsiEndIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    receipt = facts.ssi_receipt_of(person=facts.obligor_on_case(case), receipt_id=receipt_id)
    return facts.end_ssi(actor=request.user, receipt=receipt, case=case, **payload.dict())


@router.post("/cases/{number}/enforcement/actions/{int:action_id}/decision", response={200: ActionOut, **ERRORS})
@allow("enforcement.approve")
def action_decide(request: AuthenticatedRequest, number: str, action_id: int, payload: DecisionIn) -> object:
    """Approve (the notice is generated and dated `decided_on`) or reject (`note` says why) a proposed action:
    another officer than the one who proposed it, with signature authority for its remedy."""
    case = case_for_viewer(viewer=request.user, number=number)
    action = action_on_case(case=case, action_id=action_id)
    if payload.approve:
        return actions.approve_action(actor=request.user, action=action, decided_on=payload.decided_on,
                                      service_method=payload.service_method, note=payload.note,
                                      ability_to_pay=payload.ability_to_pay)  # fmt: skip
    return actions.reject_action(actor=request.user, action=action, decided_on=payload.decided_on, note=payload.note)


@router.post("/cases/{number}/enforcement/agreements/{int:agreement_id}/end", response={200: AgreementOut, **ERRORS})
@allow("enforcement.propose")
def agreement_end(request: AuthenticatedRequest, number: str, agreement_id: int, payload: AgreementEndIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    agreement = agreement_on_case(case=case, agreement_id=agreement_id)
    return end_agreement(actor=request.user, agreement=agreement, **payload.dict())
