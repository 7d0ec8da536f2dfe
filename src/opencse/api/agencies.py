"""The directory of other IV-D agencies over HTTP, and the link of an interstate case to one of them.

The account number goes in and never comes out: responses show its last four digits.
"""

from ninja import Field, Router, Schema, Status

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases import agencies
from opencse.cases.models import AgencyKind, Case, OtherAgency
from opencse.cases.selectors import case_for_viewer

router = Router(tags=["agencies"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class AgencyIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: AgencyKind
    fips_code: str = Field(min_length=5, max_length=7)
    routing_number: str = Field("", max_length=9)
    account_number: str | None = Field(None, max_length=17)  # None keeps the account on file
    address_line1: str = Field("", max_length=120)
    address_line2: str = Field("", max_length=120)
    address_line3: str = Field("", max_length=120)
    active: bool = True


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    fips_code: str
    routing_number: str
    account_last4: str
    address_line1: str
    address_line2: str
    address_line3: str
    active: bool


class CaseAgencyIn(Schema):
    agency_id: int | None
    other_case_identifier: str = Field("", max_length=20)


class CaseAgencyOut(Schema):
    number: str
    agency_id: int | None
    agency_name: str
    other_case_identifier: str


def _input(payload: AgencyIn) -> agencies.AgencyInput:
    return agencies.AgencyInput(**payload.dict())


def _case_agency_out(case: Case) -> dict[str, object]:
    agency = case.other_agency
    return {
        "number": case.number,
        "agency_id": agency.pk if agency else None,
        "agency_name": agency.name if agency else "",
        "other_case_identifier": case.other_case_identifier,
    }


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS})
@allow("agencies.view")
def agency_list(request: AuthenticatedRequest, include_inactive: bool = False) -> object:
    return list(agencies.other_agencies(include_inactive=include_inactive)[:1000])


@router.post("/agencies", response={201: AgencyOut, **ERRORS})
@allow("agencies.manage")
def agency_create(request: AuthenticatedRequest, payload: AgencyIn) -> object:
    return Status(201, agencies.register_agency(actor=request.user, data=_input(payload)))


@router.get("/agencies/{int:agency_id}", response={200: AgencyOut, **ERRORS})
@allow("agencies.view")
def agency_read(request: AuthenticatedRequest, agency_id: int) -> OtherAgency:
    return agencies.other_agency(agency_id=agency_id)


@router.put("/agencies/{int:agency_id}", response={200: AgencyOut, **ERRORS})
@allow("agencies.manage")
def agency_update(request: AuthenticatedRequest, agency_id: int, payload: AgencyIn) -> OtherAgency:
    agency = agencies.other_agency(agency_id=agency_id)
    return agencies.update_agency(actor=request.user, agency=agency, data=_input(payload))


@router.put("/cases/{number}/other-agency", response={200: CaseAgencyOut, **ERRORS})
@allow("cases.update")
def case_agency_link(request: AuthenticatedRequest, number: str, payload: CaseAgencyIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    agency = agencies.other_agency(agency_id=payload.agency_id) if payload.agency_id is not None else None
    case = agencies.link_case_to_agency(actor=request.user, case=case, agency=agency,
                                        other_case_identifier=payload.other_case_identifier)  # fmt: skip
    return _case_agency_out(case)
