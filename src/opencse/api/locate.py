"""Locate over HTTP: a case's requests, answers and verifications; referring a case to locate; the review
queue of imported records. The same services and selectors as the web (docs/locate.md)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema, Status

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.locate import selectors, services

router = Router(tags=["locate"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class LocateRequestIn(Schema):
    sources: list[str] = Field(min_length=1, max_length=20)
    requested_on: date
    note: str = Field("", max_length=500)


class LocateRequestOut(Schema):
    id: int
    source: str
    person_id: int
    requested_on: date
    status: str


class LocateResponseOut(Schema):
    id: int
    source: str
    person_id: int
    request_id: int | None
    received_on: date
    found: bool
    summary: str


class VerificationOut(Schema):
    id: int
    kind: str
    person_id: int
    employment_id: int | None
    address_id: int | None
    status: str
    requested_on: date
    decided_on: date | None
    letter_id: int | None


class CaseLocateOut(Schema):
    number: str
    requests: list[LocateRequestOut]
    responses: list[LocateResponseOut]
    verifications: list[VerificationOut]


class QueuedRecordOut(Schema):
    id: int
    kind: str
    source: str
    received_on: date
    full_name: str
    ssn_masked: str
    employer_name: str
    review_reason: str
    best: float | None = Field(None, description="the highest match probability of its candidates")


@router.get("/cases/{number}/locate", response={200: CaseLocateOut, **ERRORS})
@allow("locate.view")
def case_locate(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    found = selectors.case_locate(viewer=request.user, case=case)
    return {"number": case.number, "requests": found.requests, "responses": found.responses,
            "verifications": found.verifications}  # fmt: skip


@router.post("/cases/{number}/locate/requests", response={201: list[LocateRequestOut], **ERRORS})
@allow("locate.request")
def locate_request(request: AuthenticatedRequest, number: str, payload: LocateRequestIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    made = services.request_locate(actor=request.user, case=case, sources_asked=payload.sources,
                                   requested_on=payload.requested_on, note=payload.note)  # fmt: skip
    return Status(201, made)


@router.get("/locate/review", response={200: list[QueuedRecordOut], **ERRORS})
@allow("locate.review")
def review_queue(request: AuthenticatedRequest) -> object:
    return list(selectors.review_queue(viewer=request.user))
