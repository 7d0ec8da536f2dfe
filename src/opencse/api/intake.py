"""Intake over HTTP: one referral from the assistance agency's system (JSON), an application, the queue.

A referral sent here is checked by the same reader as the referral file (opencse.interfaces.referral): the same
fields, the same reasons. Sending the same program and referral id again opens nothing: the answer is 200 with
`created: false` and the referral received first.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.models import MemberRole, Program
from opencse.errors import InvalidInput, InvalidInputs
from opencse.intake import selectors, services
from opencse.intake.models import Referral
from opencse.interfaces.referral import SEPARATOR, ReferralRecord, read_referral_file
from opencse.people.models import Sex

router = Router(tags=["intake"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PartyIn(Schema):
    """A person named on a referral or an application."""

    first_name: str = Field("", max_length=60)
    middle_name: str = Field("", max_length=60)
    last_name: str = Field("", max_length=60)
    date_of_birth: date | None = None
    ssn: str = Field("", max_length=11, description="nine digits, with or without dashes")
    sex: Sex = Sex.UNKNOWN
    line1: str = Field("", max_length=100)
    line2: str = Field("", max_length=100)
    city: str = Field("", max_length=60)
    state: str = Field("", max_length=2)
    postal_code: str = Field("", max_length=10)


class ReferralIn(Schema):
    program: str = Field(description="TANF, MEDICAID or IVE")
    referral_id: str = Field(min_length=1, max_length=30)
    assistance_unit_id: str = Field(min_length=1, max_length=30)
    referred_on: date
    received_on: date | None = Field(None, description="the day the IV-D agency received it (default: today)")
    good_cause: str = Field("N", description="N (no claim), P (pending) or Y (granted)")
    family_violence: bool = False
    custodial_party: PartyIn
    noncustodial_parent: PartyIn | None = None
    children: list[PartyIn] = Field(min_length=1, max_length=20)


class ReferralOut(Schema):
    id: int
    label: str
    status: str
    program: str
    received_on: date
    case_opening_due: date | None
    case_number: str | None
    created: bool
    message: str


class QueueOut(Schema):
    id: int
    label: str
    status: str
    program: str
    received_on: date
    case_opening_due: date | None
    days_left: int | None
    custodial_party: str


class ApplicationIn(Schema):
    received_on: date
    program: Program = Program.NEVER_ASSISTANCE
    custodial_party: PartyIn
    other_parent: PartyIn | None = None
    other_parent_role: MemberRole = MemberRole.NONCUSTODIAL_PARENT
    children: list[PartyIn] = Field(min_length=1, max_length=20)
    family_violence: bool = False


def _line(kind: str, referral_id: str, party: PartyIn) -> str:
    born = party.date_of_birth.strftime("%Y%m%d") if party.date_of_birth else ""
    values = [kind, referral_id, party.last_name, party.first_name, party.middle_name, born, party.ssn, party.sex,
              party.line1, party.line2, party.city, party.state, party.postal_code]  # fmt: skip
    return SEPARATOR.join(values)


def _record(payload: ReferralIn, received_on: date) -> ReferralRecord:
    """The referral as a one-referral file, read by the file's reader: every refusal at once, named by party."""
    texts = [payload.program, payload.referral_id, payload.assistance_unit_id, payload.good_cause]
    parties = [payload.custodial_party, *([payload.noncustodial_parent] if payload.noncustodial_parent else []),
               *payload.children]  # fmt: skip
    if any(SEPARATOR in text for text in texts) or any(SEPARATOR in str(v) for p in parties for v in p.dict().values()):
        raise InvalidInput(f"no value may contain {SEPARATOR!r}")
    fields = {2: ""}  # line -> the field an error on it is named by
    violence = "Y" if payload.family_violence else "N"
    reference = ["REF", payload.referral_id, payload.program, payload.assistance_unit_id,
                 f"{payload.referred_on:%Y%m%d}", payload.good_cause, violence]  # fmt: skip
    lines = [f"HDR|API|{payload.referral_id}|{received_on:%Y%m%d}", SEPARATOR.join(reference),
             _line("CP", payload.referral_id, payload.custodial_party)]  # fmt: skip
    fields[3] = "custodial_party"
    if payload.noncustodial_parent is not None:
        lines.append(_line("NCP", payload.referral_id, payload.noncustodial_parent))
        fields[len(lines)] = "noncustodial_parent"
    for n, child in enumerate(payload.children):
        lines.append(_line("CH", payload.referral_id, child))
        fields[len(lines)] = f"children.{n}"
    lines.append(f"TRL|{len(lines) - 1}")
    parsed = read_referral_file("\n".join(lines))
    own = [line for line in parsed.rejected if "was not accepted" not in line.reason]
    if own or not parsed.records:
        refused = own or list(parsed.rejected)
        raise InvalidInputs([InvalidInput(line.reason, field=fields.get(line.line_number) or None) for line in refused])
    (record,) = parsed.records
    return record


def _out(referral: Referral, *, created: bool, message: str) -> dict[str, object]:
    deadline = selectors.case_opening_deadline(source=referral.source, received_on=referral.received_on)
    return {
        "id": referral.pk, "label": referral.label, "status": referral.status, "program": referral.program,
        "received_on": referral.received_on, "case_opening_due": deadline.due if deadline else None,
        "case_number": referral.case.number if referral.case else None, "created": created, "message": message,
    }  # fmt: skip


@router.post("/intake/referrals", response={200: ReferralOut, 201: ReferralOut, **ERRORS})
@allow("intake.receive")
def referral_create(request: AuthenticatedRequest, payload: ReferralIn) -> object:
    """One referral (TANF, Medicaid, IV-E) into the intake queue; the same program and referral id again
    opens nothing (200, `created: false`)."""
    received_on = payload.received_on or timezone.localdate()
    record = _record(payload, received_on)
    received = services.receive_referral(actor=request.user, record=record, received_on=received_on)
    if not received.created:
        message = f"already received on {received.referral.received_on:%m/%d/%Y}: nothing was opened twice"
        return Status(200, _out(received.referral, created=False, message=message))
    return Status(201, _out(received.referral, created=True, message="in the intake queue"))


@router.post("/intake/applications", response={201: ReferralOut, **ERRORS})
@allow("intake.receive")
def application_create(request: AuthenticatedRequest, payload: ApplicationIn) -> object:
    """An application for services (a family not on TANF) into the intake queue."""
    application = services.ApplicationInput(
        received_on=payload.received_on, program=payload.program,
        custodial_party=services.PartyInput(**payload.custodial_party.dict()),
        other_parent=services.PartyInput(**payload.other_parent.dict()) if payload.other_parent else None,
        other_parent_role=payload.other_parent_role,
        children=[services.PartyInput(**child.dict()) for child in payload.children],
        family_violence=payload.family_violence,
    )  # fmt: skip
    referral = services.receive_application(actor=request.user, application=application)
    return Status(201, _out(referral, created=True, message="in the intake queue"))


@router.get("/intake/referrals", response={200: list[QueueOut], **ERRORS})
@allow("intake.view")
def queue_list(request: AuthenticatedRequest) -> object:
    """The intake queue: referrals and applications waiting for a case, the soonest due first."""
    rows = selectors.intake_queue(viewer=request.user)
    return [
        {"id": row.referral.pk, "label": row.referral.label, "status": row.referral.status,
         "program": row.referral.program, "received_on": row.referral.received_on,
         "case_opening_due": row.deadline.due if row.deadline else None, "days_left": row.days_left,
         "custodial_party": next((p.full_name for p in row.referral.parties.all() if p.role == "custodial_party"), "")}
        for row in rows
    ]  # fmt: skip
