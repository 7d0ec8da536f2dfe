"""Establishment over HTTP: guideline worksheets, their PDF, proposals and their approval."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Body, Field, Router, Schema, Status

from opencse.api.documents import document_download
from opencse.api.schemas import ErrorOut, Money
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.errors import InvalidInput
from opencse.establishment import selectors, services
from opencse.establishment.pdf import print_worksheet
from opencse.orders.models import Frequency, TermKind
from opencse.people.selectors import person_for_viewer

router = Router(tags=["establishment"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class WorksheetOut(Schema):
    id: int
    jurisdiction: str
    title: str
    as_of: date
    guideline_support: Decimal
    deviated: bool
    ordered_support: Decimal
    deviation_reasons: list[str]
    notes: list[str]
    inputs: dict[str, Any]
    result: dict[str, Any]
    computed_by: str = Field(alias="computed_by.username")
    computed_at: datetime


class ProposedTermIn(Schema):
    kind: TermKind
    frequency: Frequency
    amount: Money = Field(gt=0)
    starts_on: date
    ends_on: date | None = None
    obligor_id: int
    child_id: int | None = None


class ProposalIn(Schema):
    worksheet_id: int
    effective_on: date
    terms: list[ProposedTermIn] | None = Field(None, min_length=1, max_length=20)


class ProposedTermOut(Schema):
    kind: str
    frequency: str
    amount: Decimal
    starts_on: date
    ends_on: date | None
    obligor_id: int
    child_id: int | None


class ProposalOut(Schema):
    id: int
    worksheet_id: int
    effective_on: date
    status: str
    prepared_by: str = Field(alias="prepared_by.username")
    prepared_at: datetime
    decided_by: str | None = Field(None, alias="decided_by.username")
    decided_at: datetime | None
    decision_note: str
    order_id: int | None
    terms: list[ProposedTermOut]


class ApprovalIn(Schema):
    docket_number: str = Field(min_length=1, max_length=40)
    signed_on: date
    tribunal_name: str = Field("", max_length=120)
    note: str = Field("", max_length=500)


class RejectionIn(Schema):
    note: str = Field(min_length=1, max_length=500)


@router.post("/cases/{number}/worksheets", response={201: WorksheetOut, **ERRORS})
@allow("orders.enter")
def worksheet_create(request: AuthenticatedRequest, number: str, payload: Body[dict[str, Any]]) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    worksheet = services.compute_worksheet(actor=request.user, case=case, payload=payload)
    return Status(201, worksheet)


@router.get("/cases/{number}/worksheets", response={200: list[WorksheetOut], **ERRORS})
@allow("cases.view")
def worksheet_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return list(selectors.worksheets_of_case(case=case))


@router.get("/worksheets/{int:worksheet_id}/pdf", response={200: None, **ERRORS})
@allow("cases.view")
def worksheet_pdf_read(request: AuthenticatedRequest, worksheet_id: int) -> HttpResponse:
    worksheet = selectors.worksheet_for_viewer(viewer=request.user, worksheet_id=worksheet_id)
    printed = print_worksheet(actor=request.user, worksheet=worksheet, printed_on=timezone.localdate())
    return document_download(
        request,
        body=bytes(printed.pdf),
        file_name=f"worksheet-{worksheet.case.number}-{worksheet.pk}.pdf",
        content_type="application/pdf",
        action="worksheet.exported",
        target=worksheet,
        case_number=worksheet.case.number,
        summary=f"worksheet {worksheet.pk} as pdf",
    )


@router.post("/cases/{number}/proposals", response={201: ProposalOut, **ERRORS})
@allow("orders.enter")
def proposal_create(request: AuthenticatedRequest, number: str, payload: ProposalIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    worksheet = selectors.worksheet_on_case(case=case, worksheet_id=payload.worksheet_id)
    if worksheet is None:
        raise InvalidInput("no such worksheet on this case", field="worksheet_id")
    terms = None
    if payload.terms is not None:
        terms = [
            services.ProposedTermInput(
                kind=term.kind,
                frequency=term.frequency,
                amount=term.amount,
                starts_on=term.starts_on,
                ends_on=term.ends_on,
                obligor=person_for_viewer(viewer=request.user, person_id=term.obligor_id),
                child=person_for_viewer(viewer=request.user, person_id=term.child_id) if term.child_id else None,
            )
            for term in payload.terms
        ]
    proposal = services.propose_obligations(
        actor=request.user, case=case, worksheet=worksheet, effective_on=payload.effective_on, terms=terms
    )
    return Status(201, proposal)


@router.get("/cases/{number}/proposals", response={200: list[ProposalOut], **ERRORS})
@allow("cases.view")
def proposal_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return list(selectors.proposals_of_case(case=case))


@router.post("/proposals/{int:proposal_id}/approve", response={200: ProposalOut, **ERRORS})
@allow("orders.sign")
def proposal_approve(request: AuthenticatedRequest, proposal_id: int, payload: ApprovalIn) -> object:
    proposal = selectors.proposal_for_viewer(viewer=request.user, proposal_id=proposal_id)
    return services.approve_proposal(
        actor=request.user,
        proposal=proposal,
        docket_number=payload.docket_number,
        signed_on=payload.signed_on,
        tribunal_name=payload.tribunal_name,
        note=payload.note,
    )


@router.post("/proposals/{int:proposal_id}/reject", response={200: ProposalOut, **ERRORS})
@allow("orders.sign")
def proposal_reject(request: AuthenticatedRequest, proposal_id: int, payload: RejectionIn) -> object:
    proposal = selectors.proposal_for_viewer(viewer=request.user, proposal_id=proposal_id)
    return services.reject_proposal(actor=request.user, proposal=proposal, note=payload.note)
