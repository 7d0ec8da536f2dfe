"""Paternity over HTTP: the children of a case with their status and history; naming an alleged father,
recording an acknowledgment and a genetic test's result (the same services as the web pages)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema, Status

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.paternity import services
from opencse.paternity.selectors import case_paternity, test_on_case
from opencse.people.selectors import person_for_viewer

router = Router(tags=["paternity"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
RECORD_ID = Field(ge=1, le=2**31 - 1)
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class StatusOut(Schema):
    status: str
    established: bool
    father_id: int | None
    effective_on: date
    reason: str
    recorded_at: datetime = Field(alias="created_at")


class ChildPaternityOut(Schema):
    child_id: int
    child_name: str
    status: str
    established: bool
    alleged_father_ids: list[int]
    history: list[StatusOut]


class AllegedFatherIn(Schema):
    father_id: int = RECORD_ID
    child_ids: list[RecordId] = Field(min_length=1, max_length=12)
    named_on: date
    reason: str = Field("", max_length=2000)


class AcknowledgmentIn(Schema):
    child_id: int = RECORD_ID
    father_id: int = RECORD_ID
    signed_on: date
    filed_on: date
    proceeding_on: date | None = None


class AcknowledgmentOut(Schema):
    id: int
    child_id: int
    father_id: int
    signed_on: date
    filed_on: date
    rescission_ends_on: date
    status: str


class TestResultIn(Schema):
    lab: str = Field(min_length=1, max_length=120)
    received_on: date
    probability: Decimal = Field(ge=0, le=100, max_digits=9, decimal_places=6, description="percent")
    combined_index: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=4)
    prior_probability: Decimal = Field(Decimal("0.50"), gt=0, lt=1, max_digits=3, decimal_places=2)
    lab_excludes: bool = False


class TestOut(Schema):
    id: int
    child_id: int
    father_id: int
    ordered_on: date
    result_received_on: date | None
    probability: Decimal | None
    combined_index: Decimal | None
    finding: str


@router.get("/cases/{number}/paternity", response={200: list[ChildPaternityOut], **ERRORS})
@allow("paternity.view")
def paternity_read(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return [
        {"child_id": item.child.pk, "child_name": item.child.full_name, "status": item.status,
         "established": item.established, "alleged_father_ids": [link.father_id for link in item.alleged_fathers],
         "history": item.history}
        for item in case_paternity(case=case)
    ]  # fmt: skip


@router.post("/cases/{number}/paternity/alleged-fathers", response={201: list[int], **ERRORS})
@allow("paternity.manage")
def alleged_father_create(request: AuthenticatedRequest, number: str, payload: AllegedFatherIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    father = person_for_viewer(viewer=request.user, person_id=payload.father_id)
    children = [person_for_viewer(viewer=request.user, person_id=pk) for pk in payload.child_ids]
    links = services.name_alleged_father(actor=request.user, case=case, father=father, children=children,
                                         named_on=payload.named_on, reason=payload.reason)  # fmt: skip
    return Status(201, [link.child_id for link in links])


@router.post("/cases/{number}/paternity/acknowledgments", response={201: AcknowledgmentOut, **ERRORS})
@allow("paternity.manage")
def acknowledgment_create(request: AuthenticatedRequest, number: str, payload: AcknowledgmentIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    acknowledgment = services.record_acknowledgment(
        actor=request.user, case=case, child=person_for_viewer(viewer=request.user, person_id=payload.child_id),
        father=person_for_viewer(viewer=request.user, person_id=payload.father_id), signed_on=payload.signed_on,
        filed_on=payload.filed_on, proceeding_on=payload.proceeding_on,
    )  # fmt: skip
    return Status(201, acknowledgment)


@router.post("/cases/{number}/paternity/tests/{int:test_id}/result", response={200: TestOut, **ERRORS})
@allow("paternity.manage")
def test_result_create(request: AuthenticatedRequest, number: str, test_id: int, payload: TestResultIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    test = test_on_case(case=case, test_id=test_id)
    return services.record_test_result(actor=request.user, test=test, **payload.dict())
