"""People, their addresses and the audited SSN reveal over HTTP.

A search by SSN is a POST (`/people/search`, the number in the JSON body): a number in a URL is kept by
access logs, proxies and browser history. `GET /people?ssn=...` is refused with a 400 that says so.
"""

from datetime import date
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from opencse.api.schemas import AddressIn, AddressOut, ErrorOut, PersonIn, PersonOut, PersonPatch, SsnOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.errors import InvalidInput
from opencse.people import selectors, services
from opencse.people.services import record_person_read

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}  # 429: the SSN lookup limit


class PersonFilter(Schema):
    name: str = ""
    date_of_birth: date | None = None


class PersonSearchIn(Schema):
    name: str = Field("", max_length=120)
    date_of_birth: date | None = None
    ssn: str = Field("", max_length=11, description="the full nine digits (audited, limited) or the last four")


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@allow("people.view")
def person_list(request: AuthenticatedRequest, filters: Query[PersonFilter]) -> object:
    """People by name and date of birth. By SSN: POST /api/v1/people/search."""
    if "ssn" in request.GET:
        raise InvalidInput(
            "search by SSN with POST /api/v1/people/search (the number in the body, never in a URL)", field="ssn"
        )
    return services.search_people(actor=request.user, name=filters.name[:120], date_of_birth=filters.date_of_birth)


@router.post("/people/search", response={200: list[PersonOut], **ERRORS})
@allow("people.view")
def person_search(request: AuthenticatedRequest, payload: PersonSearchIn) -> object:
    """People by name, date of birth and SSN; a full-SSN search is audited and limited per user (429)."""
    if not (payload.name.strip() or payload.date_of_birth or payload.ssn.strip()):
        raise InvalidInput("give a name, a date of birth or an SSN")
    return services.search_people(
        actor=request.user, name=payload.name, date_of_birth=payload.date_of_birth, ssn=payload.ssn
    )


@router.post("/people", response={201: PersonOut, **ERRORS})
@allow("people.create")
def person_create(request: AuthenticatedRequest, payload: PersonIn) -> object:
    return Status(201, services.create_person(actor=request.user, **payload.dict()))


@router.get("/people/{int:person_id}", response={200: PersonOut, **ERRORS})
@allow("people.view")
def person_read(request: AuthenticatedRequest, person_id: int) -> object:
    person = selectors.person_for_viewer(viewer=request.user, person_id=person_id)
    record_person_read(viewer=request.user, person=person)
    return person


@router.patch("/people/{int:person_id}", response={200: PersonOut, **ERRORS})
@allow("people.update")
def person_update(request: AuthenticatedRequest, person_id: int, payload: PersonPatch) -> object:
    person = selectors.person_for_viewer(viewer=request.user, person_id=person_id)
    return services.update_person(actor=request.user, person=person, **_patched(payload.dict(exclude_unset=True)))


CLEARABLE_TEXT = {"middle_name", "suffix", "phone", "email", "language", "tribal_affiliation"}


def _patched(fields: dict[str, Any]) -> dict[str, Any]:
    """A PATCH's explicit null: an optional text field is cleared (stored as ""), a date cleared (NULL); a name,
    the sex or the SSN cannot be cleared, so a null there changes nothing."""
    return {name: "" if value is None and name in CLEARABLE_TEXT else value
            for name, value in fields.items()
            if value is not None or name in CLEARABLE_TEXT or name in ("date_of_birth", "date_of_death")}  # fmt: skip


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
