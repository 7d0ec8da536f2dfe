"""People, their addresses and the audited SSN reveal over HTTP."""

from datetime import date

from ninja import Query, Router, Schema, Status

from opencse.api.schemas import AddressIn, AddressOut, ErrorOut, PersonIn, PersonOut, PersonPatch, SsnOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.people import selectors, services

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PersonFilter(Schema):
    name: str = ""
    date_of_birth: date | None = None
    ssn: str = ""


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@allow("people.view")
def person_list(request: AuthenticatedRequest, filters: Query[PersonFilter]) -> object:
    return list(
        selectors.search_people(
            viewer=request.user, name=filters.name[:120], date_of_birth=filters.date_of_birth, ssn=filters.ssn[:20]
        )
    )


@router.post("/people", response={201: PersonOut, **ERRORS})
@allow("people.create")
def person_create(request: AuthenticatedRequest, payload: PersonIn) -> object:
    return Status(201, services.create_person(actor=request.user, **payload.dict()))


@router.get("/people/{int:person_id}", response={200: PersonOut, **ERRORS})
@allow("people.view")
def person_read(request: AuthenticatedRequest, person_id: int) -> object:
    return selectors.person_for_viewer(viewer=request.user, person_id=person_id)


@router.patch("/people/{int:person_id}", response={200: PersonOut, **ERRORS})
@allow("people.update")
def person_update(request: AuthenticatedRequest, person_id: int, payload: PersonPatch) -> object:
    person = selectors.person_for_viewer(viewer=request.user, person_id=person_id)
    return services.update_person(actor=request.user, person=person, **payload.dict(exclude_unset=True))


@router.post("/people/{int:person_id}/ssn", response={200: SsnOut, **ERRORS})
@allow("people.reveal_ssn")
def ssn_reveal(request: AuthenticatedRequest, person_id: int) -> object:
    person = selectors.person_for_viewer(viewer=request.user, person_id=person_id)
    return {"ssn": services.reveal_ssn(actor=request.user, person=person)}


@router.get("/people/{int:person_id}/addresses", response={200: list[AddressOut], **ERRORS})
@allow("people.view")
def address_list(request: AuthenticatedRequest, person_id: int) -> object:
    person = selectors.person_for_viewer(viewer=request.user, person_id=person_id)
    shown = selectors.addresses_for_viewer(viewer=request.user, person=person)
    if shown and shown[0].protected and shown[0].lines != (selectors.PROTECTED_ADDRESS_TEXT,):
        services.record_protected_view(actor=request.user, person=person)
    return [_address_out(item) for item in shown]


def _address_out(item: selectors.ShownAddress) -> dict[str, object]:
    address = item.address
    return {
        "id": address.pk,
        "kind": address.kind,
        "protected": item.protected,
        "lines": list(item.lines),
        "source": address.source,
        "verification": address.verification,
        "verified_on": address.verified_on,
        "effective_on": address.effective_on,
        "ended_on": address.ended_on,
    }


@router.post("/people/{int:person_id}/addresses", response={201: AddressOut, **ERRORS})
@allow("people.update")
def address_create(request: AuthenticatedRequest, person_id: int, payload: AddressIn) -> object:
    person = selectors.person_for_viewer(viewer=request.user, person_id=person_id)
    fields = payload.dict(exclude_none=True)
    address = services.add_address(actor=request.user, person=person, **fields)
    shown = selectors.addresses_for_viewer(viewer=request.user, person=person)
    return Status(201, _address_out(next(item for item in shown if item.address.pk == address.pk)))
