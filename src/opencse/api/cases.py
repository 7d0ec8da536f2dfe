"""Cases, members and notes over HTTP: parse, call a selector or service, return."""

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from opencse.api.schemas import (
    CaseCloseIn,
    CaseIn,
    CaseOut,
    CasePatch,
    ErrorOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    NoteIn,
    NoteOut,
)
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases import selectors, services
from opencse.cases.services import record_case_read
from opencse.errors import InvalidInput, NotFound
from opencse.people.selectors import person_for_viewer

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CaseFilter(Schema):
    number: str = ""
    status: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


@router.get("/cases", response={200: list[CaseOut], **ERRORS})
@allow("cases.view")
def case_list(request: AuthenticatedRequest, filters: Query[CaseFilter]) -> object:
    cases = selectors.cases_listed(viewer=request.user, number_prefix=filters.number, status=filters.status)
    return list(cases[filters.offset : filters.offset + filters.limit])


@router.post("/cases", response={201: CaseOut, **ERRORS})
@allow("cases.open")
def case_create(request: AuthenticatedRequest, payload: CaseIn) -> object:
    case = services.open_case(
        actor=request.user,
        program=payload.program,
        category=payload.category,
        referral_received_on=payload.referral_received_on,
        opened_on=payload.opened_on,
        other_jurisdiction=payload.other_jurisdiction,
    )
    return Status(201, case)


@router.get("/cases/{number}", response={200: CaseOut, **ERRORS})
@allow("cases.view")
def case_read(request: AuthenticatedRequest, number: str) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    record_case_read(viewer=request.user, case=case)
    return case


@router.patch("/cases/{number}", response={200: CaseOut, **ERRORS})
@allow("cases.update")
def case_update(request: AuthenticatedRequest, number: str, payload: CasePatch) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    return services.update_case(
        actor=request.user,
        case=case,
        program=payload.program,
        category=payload.category,
        other_jurisdiction=payload.other_jurisdiction,
    )


@router.post("/cases/{number}/close", response={200: CaseOut, **ERRORS})
@allow("cases.close")
def case_close(request: AuthenticatedRequest, number: str, payload: CaseCloseIn) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    return services.close_case(
        actor=request.user,
        case=case,
        reason=payload.reason,
        closed_on=payload.closed_on or timezone.localdate(),
        note=payload.note,
    )


@router.get("/cases/{number}/members", response={200: list[MemberOut], **ERRORS})
@allow("cases.view")
def member_list(request: AuthenticatedRequest, number: str) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    return list(selectors.case_members(case=case))


@router.post("/cases/{number}/members", response={201: MemberOut, **ERRORS})
@allow("cases.add_member")
def member_create(request: AuthenticatedRequest, number: str, payload: MemberIn) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    person = person_for_viewer(viewer=request.user, person_id=payload.person_id)
    member = services.add_member(
        actor=request.user, case=case, person=person, role=payload.role, joined_on=payload.joined_on
    )
    return Status(201, member)


@router.patch("/cases/{number}/members/{int:member_id}", response={200: MemberOut, **ERRORS})
@allow("cases.add_member")
def member_update(request: AuthenticatedRequest, number: str, member_id: int, payload: MemberPatch) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    member = selectors.member_on_case(case=case, member_id=member_id)
    return services.end_membership(actor=request.user, member=member, left_on=payload.left_on)


@router.get("/cases/{number}/notes", response={200: list[NoteOut], **ERRORS})
@allow("cases.view")
def note_list(request: AuthenticatedRequest, number: str) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    return list(selectors.case_timeline(case=case))


@router.post("/cases/{number}/notes", response={201: NoteOut, **ERRORS})
@allow("cases.add_note")
def note_create(request: AuthenticatedRequest, number: str, payload: NoteIn) -> object:
    case = selectors.case_for_viewer(viewer=request.user, number=number)
    corrects = None
    if payload.corrects_id is not None:
        try:
            corrects = selectors.note_on_case(case=case, note_id=payload.corrects_id)
        except NotFound:
            raise InvalidInput("no such note on this case", field="corrects_id") from None
    note = services.add_note(actor=request.user, case=case, kind=payload.kind, text=payload.text, corrects=corrects)
    return Status(201, note)
