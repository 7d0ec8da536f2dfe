"""The records of particular remedies over HTTP (docs/enforcement.md, "The API"): the obligor's licenses and what was
certified to their agencies; the obligor's benefit claims and the intercepts sent; a case's liens, their recording
and the filing of their release; the obligor's matched accounts and the levies' orders with the institutions'
answers. The same services and selectors as the web pages (`opencse.enforcement.licenses`, `.intercept`, `.liens`,
`.fidm`), so the same permissions, checks, audit rows and refusals: every field's error at once (400), another
office's case or a record not on the case (404), a record already ended or answered (409). Every date is the
business date the caller states. An account number is only ever its last four digits (`****1234`); the holder's
address the match reported is never returned (a protected obligor's address never leaves)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Router, Schema, Status

from opencse.api.schemas import ErrorOut, Money
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.enforcement.actions import record_lien
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.fidm import (
    accounts_of_obligor,
    levy_action_on_case,
    levy_actions_of_case,
    levy_order_of,
    may_take_levy,
    record_levy_answer,
)
from opencse.enforcement.intercept import (
    claim_of_case,
    claims_of_case,
    end_benefit_claim,
    intercepts_of_case,
    record_benefit_claim,
    unemployment_leads,
)
from opencse.enforcement.licenses import (
    end_license,
    license_of,
    licenses_of,
    licensing_agencies,
    record_license,
    source_choices,
)
from opencse.enforcement.liens import (
    LienProperty,
    lien_action_on_case,
    lien_actions_of_case,
    lien_of,
    may_record_lien,
    record_recording,
    record_release_filed,
)
from opencse.enforcement.models import EnforcementAction

router = Router(tags=["enforcement remedies"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
SHOWN = 50  # as the pages: the latest 50 licenses, claims and intercepts


# --- Licenses (42 U.S.C. 666(a)(16)) ----------------------------------------------------------------------------


class CertificationOut(Schema):
    id: int
    request: str = Field(description="S: suspend; R: release (reinstate)")
    request_name: str = Field(alias="get_request_display")
    agency: str
    effective_on: date
    sent_on: date
    file_name: str = Field(alias="transmission.file_name")
    result: str = Field(description="the agency's answer: S, N (no license found), M (name mismatch), R; blank: none")
    result_name: str = Field(alias="get_result_display")
    result_on: date | None
    result_received_on: date | None
    result_note: str


class LicenseOut(Schema):
    id: int
    kind: str
    kind_name: str = Field(alias="get_kind_display")
    agency: str
    agency_name: str
    number: str
    state: str
    source: str
    reported_on: date
    expires_on: date | None
    recorded_by: str = Field(alias="recorded_by.username")
    recorded_at: datetime
    ended_on: date | None
    end_reason: str
    certifications: list[CertificationOut] = Field(description="what was sent to the agency, the latest first")


class AgencyOut(Schema):
    key: str
    name: str
    kinds: list[str]
    unconfirmed: bool


class ChoiceOut(Schema):
    key: str
    name: str


class LicensesOut(Schema):
    case_number: str
    obligor_id: int
    licenses: list[LicenseOut]
    agencies: list[AgencyOut] = Field(description="the State's licensing agencies and boards (`agency` of a license)")
    sources: list[ChoiceOut] = Field(description="who may report a license (`source`)")


class LicenseIn(Schema):
    kind: str = Field(max_length=20, description="drivers, professional or recreational")
    agency: str = Field(max_length=40, description="a key of `agencies` in the listing")
    number: str = Field(max_length=60, description="as the agency prints it (spaces are dropped)")
    source: str = Field(max_length=32, description='"officer", or a locate source key of `sources`')
    reported_on: date = Field(description="the date the source reported it or the officer learned of it")
    expires_on: date | None = None


class LicenseEndIn(Schema):
    ended_on: date = Field(description="no longer held from")
    reason: str = Field(max_length=1000, description="why: expired, surrendered, recorded in error...")


@router.get("/cases/{number}/enforcement/licenses", response={200: LicensesOut, **ERRORS})
@allow("enforcement.view")
def licenses_read(request: AuthenticatedRequest, number: str) -> object:
    """The licenses the case's obligor holds (recorded on the person: they count on every case of the obligor), held
    first, each with the suspensions and releases sent to its agency and the agency's answers."""
    case = case_for_viewer(viewer=request.user, number=number)
    obligor = obligor_on_case(case)
    return {
        "case_number": case.number,
        "obligor_id": obligor.pk,
        "licenses": list(licenses_of(person=obligor)[:SHOWN]),
        "agencies": list(licensing_agencies().values()),
        "sources": [{"key": key, "name": name} for key, name in source_choices()],
    }


@router.post("/cases/{number}/enforcement/licenses", response={201: LicenseOut, **ERRORS})
@allow("enforcement.act")
def license_create(request: AuthenticatedRequest, number: str, payload: LicenseIn) -> object:
    """Record a license of the case's obligor: certified to its agency while a license suspension action is taken
    against the obligor."""
    case = case_for_viewer(viewer=request.user, number=number)
    return Status(201, record_license(actor=request.user, case=case, **payload.dict()))


@router.post("/cases/{number}/enforcement/licenses/{int:license_id}/end", response={200: LicenseOut, **ERRORS})
@allow("enforcement.act")
def license_end(request: AuthenticatedRequest, number: str, license_id: int, payload: LicenseEndIn) -> object:
    """The obligor no longer holds the license (expired, surrendered; or recorded in error, the correction): a
    suspension outstanding on it is released in the next license file."""
    case = case_for_viewer(viewer=request.user, number=number)
    license = license_of(person=obligor_on_case(case), license_id=license_id)
    return end_license(actor=request.user, case=case, license=license, **payload.dict())


# --- Benefit claims (42 U.S.C. 666(b)(8); 45 CFR 302.65) -----------------------------------------------------------


class ClaimOut(Schema):
    id: int
    person_id: int
    kind: str
    kind_name: str = Field(alias="get_kind_display")
    payer_name: str
    payer_lines: list[str] = Field(description="the payer's mailing lines (an agency or insurer, never a party's)")
    claim_number: str
    weekly_benefit_amount: Decimal
    starts_on: date
    ends_on: date | None
    end_note: str
    locate_record_id: int | None
    recorded_at: datetime


class InterceptOut(Schema):
    id: int
    claim_id: int
    action: str = Field(description="ORG: the notice to withhold; TRM: the notice to stop (it replaces an ORG)")
    basis: str
    replaces_id: int | None
    replaced: bool = Field(alias="is_replaced", description="a termination has replaced this notice")
    dated_on: date
    reason: str
    weekly_amount: Decimal
    ordered_weekly: Decimal
    weekly_benefit_amount: Decimal
    agreed_weekly: Decimal | None
    agreement_signed_on: date | None
    document_id: int
    issued_at: datetime


class LeadOut(Schema):
    id: int
    source: str
    received_on: date
    employer_name: str = Field(description="the payer as the record names it")


class ClaimsOut(Schema):
    case_number: str
    claims: list[ClaimOut]
    intercepts: list[InterceptOut]
    unemployment_leads: list[LeadOut] = Field(
        description="the unemployment locate records posted as leads for the obligor: a claim's `locate_record`"
    )


class ClaimIn(Schema):
    kind: str = Field(max_length=30, description="unemployment or workers_compensation")
    weekly_benefit_amount: Money | None = None
    starts_on: date = Field(description="the claim's effective date")
    ends_on: date | None = Field(None, description="the last day paid, if known")
    claim_number: str = Field("", max_length=100)
    payer_name: str = Field("", max_length=300, description="unemployment: blank for this State's workforce agency")
    payer_lines: list[str] = Field([], max_length=10, description="the payer's address, a line each (up to four)")
    locate_record: int | None = Field(None, ge=1, le=2**31 - 1, description="the id of an unemployment locate record "
                                      "posted as a lead for the obligor")  # fmt: skip


class ClaimEndIn(Schema):
    ended_on: date = Field(description="the last day paid")
    note: str = Field("", max_length=1000)


@router.get("/cases/{number}/enforcement/benefit-claims", response={200: ClaimsOut, **ERRORS})
@allow("enforcement.view")
def benefit_claims_read(request: AuthenticatedRequest, number: str) -> object:
    """The unemployment and workers' compensation claims of the obligors the case's orders charge, latest first, and
    the intercept notices sent on the case, and the unemployment leads a claim may be recorded from."""
    case = case_for_viewer(viewer=request.user, number=number)
    return {
        "case_number": case.number,
        "claims": list(claims_of_case(case=case)[:SHOWN]),
        "intercepts": list(intercepts_of_case(case=case)[:SHOWN]),
        "unemployment_leads": unemployment_leads(case=case, limit=SHOWN),
    }


@router.post("/cases/{number}/enforcement/benefit-claims", response={201: ClaimOut, **ERRORS})
@allow("enforcement.withhold")
def benefit_claim_create(request: AuthenticatedRequest, number: str, payload: ClaimIn) -> object:
    """Record the obligor's claim, by hand or from an unemployment locate record."""
    case = case_for_viewer(viewer=request.user, number=number)
    data = payload.dict()
    claim = record_benefit_claim(actor=request.user, case=case, locate_record_id=data.pop("locate_record"), **data)
    return Status(201, claim)


@router.post("/cases/{number}/enforcement/benefit-claims/{int:claim_id}/end", response={200: ClaimOut, **ERRORS})
@allow("enforcement.withhold")
def benefit_claim_end(request: AuthenticatedRequest, number: str, claim_id: int, payload: ClaimEndIn) -> object:
    """The claim ended: each intercept of it in force is ended at once with a termination notice to the payer."""
    case = case_for_viewer(viewer=request.user, number=number)
    claim = claim_of_case(case=case, claim_id=claim_id)
    return end_benefit_claim(actor=request.user, case=case, claim=claim, **payload.dict())


# --- Liens (42 U.S.C. 666(a)(4)) -----------------------------------------------------------------------------------


class LienOut(Schema):
    id: int
    action_id: int
    property_kind: str
    property_kind_name: str = Field(alias="get_property_kind_display")
    property_description: str
    county: str
    recording_office: str
    dated_on: date = Field(description="the Notice of Lien's date")
    amount: Decimal = Field(description="the arrears owed on `dated_on`")
    document_id: int
    statement_document_id: int | None = Field(
        description="the sworn statement of the delinquent support filed with the notice, where the State asks for one"
    )
    issued_at: datetime
    recorded_on: date | None
    book_page: str
    instrument_number: str
    released_on: date | None
    release_document_id: int | None
    release_filed_on: date | None


class LienActionOut(Schema):
    id: int
    status: str
    found_on: date
    taken_on: date | None
    released_on: date | None
    may_record: bool = Field(description="a lien may be recorded on it (noticed: it is taken; taken: one more)")
    liens: list[LienOut]

    @staticmethod
    def resolve_may_record(action: EnforcementAction) -> bool:
        return may_record_lien(action)


class LiensOut(Schema):
    case_number: str
    actions: list[LienActionOut]


class LienIn(Schema):
    taken_on: date = Field(description="the Notice of Lien's date: the amount is the arrears owed that day")
    property_kind: str = Field("", max_length=30, description="real_property, motor_vehicle or personal_property")
    property_description: str = Field("", max_length=1000)
    county: str = Field("", max_length=200, description="where real property lies")
    recording_office: str = Field("", max_length=1000)
    note: str = Field("", max_length=500, description="on the action's step when this takes it")


class RecordingIn(Schema):
    recorded_on: date
    book_page: str = Field("", max_length=200)
    instrument_number: str = Field("", max_length=200)


class ReleaseFiledIn(Schema):
    filed_on: date


@router.get("/cases/{number}/enforcement/liens", response={200: LiensOut, **ERRORS})
@allow("enforcement.view")
def liens_read(request: AuthenticatedRequest, number: str) -> object:
    """The case's lien actions, each with its liens: the property, where recorded, the Notice of Lien, the recording
    the clerk returned, the Release of Lien and when it was filed."""
    case = case_for_viewer(viewer=request.user, number=number)
    return {"case_number": case.number, "actions": list(lien_actions_of_case(case=case))}


@router.post("/cases/{number}/enforcement/liens/{int:action_id}", response={201: LienOut, **ERRORS})
@allow("enforcement.act")
def lien_create(request: AuthenticatedRequest, number: str, action_id: int, payload: LienIn) -> object:
    """Record a lien where it is recorded: takes the lien action when it waits after its notice (the contest window
    over); adds one more to a taken action. The Notice of Lien is generated."""
    case = case_for_viewer(viewer=request.user, number=number)
    action = lien_action_on_case(case=case, action_id=action_id)
    where = LienProperty(property_kind=payload.property_kind, property_description=payload.property_description,
                         county=payload.county, recording_office=payload.recording_office)  # fmt: skip
    return Status(201, record_lien(actor=request.user, action=action, on=payload.taken_on, lien=where,
                                   note=payload.note))  # fmt: skip


@router.post("/cases/{number}/enforcement/liens/{int:action_id}/{int:lien_id}/recording",
             response={200: LienOut, **ERRORS})  # fmt: skip
@allow("enforcement.act")
def lien_recording(request: AuthenticatedRequest, number: str, action_id: int, lien_id: int,
                   payload: RecordingIn) -> object:  # fmt: skip
    """The recording the clerk returned: the date and the book and page or the instrument number (one at least)."""
    case = case_for_viewer(viewer=request.user, number=number)
    lien = lien_of(action=lien_action_on_case(case=case, action_id=action_id), lien_id=lien_id)
    return record_recording(actor=request.user, lien=lien, **payload.dict())


@router.post("/cases/{number}/enforcement/liens/{int:action_id}/{int:lien_id}/release-filed",
             response={200: LienOut, **ERRORS})  # fmt: skip
@allow("enforcement.act")
def lien_release_filed(request: AuthenticatedRequest, number: str, action_id: int, lien_id: int,
                       payload: ReleaseFiledIn) -> object:  # fmt: skip
    """The Release of Lien was filed with the office: completes the task to file it."""
    case = case_for_viewer(viewer=request.user, number=number)
    lien = lien_of(action=lien_action_on_case(case=case, action_id=action_id), lien_id=lien_id)
    return record_release_filed(actor=request.user, lien=lien, filed_on=payload.filed_on)


# --- Matched accounts and levies (42 U.S.C. 666(a)(17)) ------------------------------------------------------------


class BalanceOut(Schema):
    balance: Decimal
    quarter: date
    received_on: date


class AccountOut(Schema):
    id: int = Field(alias="account.pk")
    institution: str = Field(alias="account.institution.name")
    account_type: str = Field(alias="account.account_type")
    account_type_name: str = Field(alias="type_label")
    account_masked: str = Field(alias="account.account_masked", description="the last four digits only")
    account_state: str = Field(alias="account.account_state")
    holder_name: str = Field(alias="account.holder_name", description="the name on the account, as reported")
    first_matched_on: date = Field(alias="account.first_matched_on")
    last_balance: Decimal | None
    last_balance_on: date | None
    balances: list[BalanceOut] = Field(description="each balance reported, the latest first")


class AccountsOut(Schema):
    case_number: str
    obligor_id: int
    accounts: list[AccountOut]


class LevyOrderOut(Schema):
    id: int
    action_id: int
    account_id: int
    institution: str = Field(alias="account.institution.name")
    account_masked: str = Field(alias="account.account_masked")
    dated_on: date
    amount: Decimal = Field(description="the arrears owed on `dated_on`")
    last_balance: Decimal | None
    last_balance_on: date | None
    document_id: int
    answer: str = Field(description="held, surrendered, closed, no_funds, not_found; blank: none yet")
    answer_name: str = Field(alias="get_answer_display")
    answer_amount: Decimal | None
    answered_on: date | None
    answer_note: str
    released_on: date | None
    release_document_id: int | None


class LevyActionOut(Schema):
    id: int
    status: str
    found_on: date
    taken_on: date | None
    released_on: date | None
    may_take: bool = Field(description="the notice is out: the levy may be taken on the matched accounts")
    orders: list[LevyOrderOut] = Field(alias="levy_orders")

    @staticmethod
    def resolve_may_take(action: EnforcementAction) -> bool:
        return may_take_levy(action)


class LeviesOut(Schema):
    case_number: str
    actions: list[LevyActionOut]


class LevyAnswerIn(Schema):
    answered_on: date = Field(description="the day the answer was received")
    answer: str = Field(max_length=20, description="held, surrendered, closed, no_funds or not_found")
    amount: Money | None = Field(None, description="held or surrendered; none for an answer of nothing")
    note: str = Field("", max_length=1000)


@router.get("/cases/{number}/enforcement/accounts", response={200: AccountsOut, **ERRORS})
@allow("enforcement.view")
def accounts_read(request: AuthenticatedRequest, number: str) -> object:
    """The obligor's accounts the financial institution data match found, each number masked to its last four
    digits, with the balances reported. The read is audited (42 U.S.C. 669a(b))."""
    case = case_for_viewer(viewer=request.user, number=number)
    obligor = obligor_on_case(case)
    return {"case_number": case.number, "obligor_id": obligor.pk,
            "accounts": accounts_of_obligor(viewer=request.user, case=case, obligor=obligor)}  # fmt: skip


@router.get("/cases/{number}/enforcement/levies", response={200: LeviesOut, **ERRORS})
@allow("enforcement.view")
def levies_read(request: AuthenticatedRequest, number: str) -> object:
    """The case's financial institution levies, each with its orders to withhold and deliver, the institutions'
    answers and the releases."""
    case = case_for_viewer(viewer=request.user, number=number)
    return {"case_number": case.number, "actions": list(levy_actions_of_case(case=case))}


@router.post("/cases/{number}/enforcement/levies/{int:action_id}/orders/{int:levy_id}/answer",
             response={200: LevyOrderOut, **ERRORS})  # fmt: skip
@allow("enforcement.act")
def levy_answer(request: AuthenticatedRequest, number: str, action_id: int, levy_id: int,
                payload: LevyAnswerIn) -> object:  # fmt: skip
    """The institution's answer to one order: the amount held or surrendered (never more than the order claimed), or
    nothing. Recorded once; the money posts through the payment import."""
    case = case_for_viewer(viewer=request.user, number=number)
    order = levy_order_of(action=levy_action_on_case(case=case, action_id=action_id), levy_id=levy_id)
    return record_levy_answer(actor=request.user, order=order, **payload.dict())
