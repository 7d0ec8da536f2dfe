"""Orders, balances, the ledger and collections over HTTP: parse, call a selector or service, return."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from opencse.api.documents import document_download
from opencse.api.schemas import ErrorOut, Money
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.errors import InvalidInput
from opencse.ledger import history, notice, selectors, services
from opencse.ledger.adjustments import approve_adjustment, reject_adjustment, request_adjustment
from opencse.ledger.models import Account, AdjustmentKind, CollectionSource
from opencse.ledger.modifications import enter_modification
from opencse.orders.models import Frequency, TermKind, TribunalKind
from opencse.orders.selectors import order_on_case, orders_of_case
from opencse.orders.services import TermInput, enter_order
from opencse.people.selectors import person_for_viewer

router = Router(tags=["orders and ledger"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class StepIn(Schema):
    starts_on: date
    amount: Money = Field(ge=0)


class TermIn(Schema):
    kind: TermKind
    frequency: Frequency
    starts_on: date
    ends_on: date | None = None
    obligor_id: int
    child_id: int | None = None
    steps: list[StepIn] = Field(min_length=1, max_length=60)


class OrderIn(Schema):
    tribunal_kind: TribunalKind
    tribunal_name: str = Field(min_length=1, max_length=120)
    issuing_jurisdiction: str = Field(min_length=2, max_length=80)
    docket_number: str = Field(min_length=1, max_length=40)
    signed_on: date
    effective_on: date
    filed_on: date | None = None
    modifies_id: int | None = None
    terms: list[TermIn] = Field(min_length=1, max_length=40)


class StepOut(Schema):
    starts_on: date
    amount: Decimal


class TermOut(Schema):
    id: int
    kind: str
    frequency: str
    starts_on: date
    ends_on: date | None
    obligor_id: int
    child_id: int | None
    accrued_through: date | None
    steps: list[StepOut]


class OrderOut(Schema):
    id: int
    tribunal_kind: str
    tribunal_name: str
    issuing_jurisdiction: str
    docket_number: str
    signed_on: date
    effective_on: date
    filed_on: date | None
    status: str
    modifies_id: int | None
    terms: list[TermOut]


class BalanceOut(Schema):
    as_of: date
    accounts: dict[str, Decimal]
    total: Decimal
    unreimbursed_assistance: Decimal


class EntryOut(Schema):
    id: int
    effective_on: date
    account: str
    kind: str
    amount: Decimal
    balance_after: Decimal
    collection_id: int | None
    memo: str


class CollectionIn(Schema):
    amount: Money = Field(gt=0)
    source: CollectionSource
    collected_on: date
    received_on: date
    payor_name: str = Field("", max_length=120)
    reference: str = Field("", max_length=60)


class DisbursementOut(Schema):
    payee: str
    amount: Decimal
    due_on: date


class CollectionOut(Schema):
    id: int
    case_number: str | None = Field(None, alias="case.number")
    amount: Decimal
    source: str
    collected_on: date
    received_on: date
    status: str
    reference: str
    suspense_reason: str
    # The collection's shares (`ledger.models.CollectionShare`), under the name the API has always used.
    disbursements: list[DisbursementOut] = Field(alias="shares")


class ReverseIn(Schema):
    reason: str = Field(min_length=1, max_length=200)
    reversed_on: date | None = Field(
        None, description="The business day of the reversal (bank return, error found); default: today, agency time"
    )


class AdjustmentIn(Schema):
    account: Account
    kind: AdjustmentKind
    amount: Money = Field(gt=0)
    effective_on: date
    reason: str = Field(min_length=10, max_length=500)


class AdjustmentOut(Schema):
    id: int
    account: str
    kind: str
    amount: Decimal
    effective_on: date
    reason: str
    status: str
    requested_by: str = Field(alias="requested_by.username")
    decided_by: str | None = Field(None, alias="decided_by.username")
    decision_note: str


class DecisionIn(Schema):
    note: str = Field("", max_length=500)


class IdentifyIn(Schema):
    case_number: str = Field(min_length=1, max_length=20)


@router.get("/cases/{number}/orders", response={200: list[OrderOut], **ERRORS})
@allow("orders.view")
def order_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return orders_of_case(case=case)


@router.post("/cases/{number}/orders", response={201: OrderOut, **ERRORS})
@allow("orders.enter")
def order_create(request: AuthenticatedRequest, number: str, payload: OrderIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    modifies = order_on_case(case=case, order_id=payload.modifies_id) if payload.modifies_id else None
    if payload.modifies_id and modifies is None:
        raise InvalidInput("no such order on this case", field="modifies_id")
    terms = [
        TermInput(
            kind=term.kind,
            frequency=term.frequency,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            obligor=person_for_viewer(viewer=request.user, person_id=term.obligor_id),
            child=person_for_viewer(viewer=request.user, person_id=term.child_id) if term.child_id else None,
            steps=[(step.starts_on, step.amount) for step in term.steps],
        )
        for term in payload.terms
    ]
    values: dict[str, Any] = {
        "actor": request.user,
        "case": case,
        "tribunal_kind": payload.tribunal_kind,
        "tribunal_name": payload.tribunal_name,
        "issuing_jurisdiction": payload.issuing_jurisdiction,
        "docket_number": payload.docket_number,
        "signed_on": payload.signed_on,
        "effective_on": payload.effective_on,
        "filed_on": payload.filed_on,
        "terms": terms,
    }
    if modifies is None:
        order = enter_order(**values)
    else:  # the ledger's use case: it adjusts months already accrued, as of the day the agency records it
        order = enter_modification(modifies=modifies, entered_on=timezone.localdate(), **values)
    return Status(201, order)


class AsOf(Schema):
    as_of: date | None = None


@router.get("/cases/{number}/balances", response={200: BalanceOut, **ERRORS})
@allow("ledger.view")
def balance_read(request: AuthenticatedRequest, number: str, query: Query[AsOf]) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    as_of = query.as_of or timezone.localdate()
    accounts = selectors.balances(case=case, as_of=as_of)
    return {
        "as_of": as_of,
        "accounts": accounts,
        "total": sum(accounts.values(), Decimal("0.00")),
        "unreimbursed_assistance": selectors.unreimbursed_assistance(case=case, as_of=as_of),
    }


@router.get("/cases/{number}/ledger", response={200: list[EntryOut], **ERRORS})
@allow("ledger.view")
def ledger_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return [
        {
            "id": line.entry.pk,
            "effective_on": line.entry.effective_on,
            "account": line.entry.account,
            "kind": line.entry.kind,
            "amount": line.entry.amount,
            "balance_after": line.balance_after,
            "collection_id": line.entry.collection_id,
            "memo": line.entry.memo,
        }
        for line in selectors.ledger_lines(case=case)
    ]


class Period(Schema):
    start: date
    end: date
    format: str = Field("csv", pattern="^(csv|pdf)$")


@router.get("/cases/{number}/payment-history", response={200: None, **ERRORS})
@allow("ledger.view")
def payment_history_read(request: AuthenticatedRequest, number: str, query: Query[Period]) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    if query.format == "pdf":  # stored by the document engine, on the case timeline
        certified = history.certify_payment_history(
            actor=request.user, case=case, start=query.start, end=query.end, certified_on=timezone.localdate()
        )
        body: bytes | str = bytes(certified.pdf)
        content_type = "application/pdf"
    else:
        found = history.payment_history(case=case, start=query.start, end=query.end)
        body, content_type = history.history_csv(found), "text/csv; charset=utf-8"
    return document_download(
        request,
        body=body,
        file_name=f"payment-history-{case.number}-{query.start}-{query.end}.{query.format}",
        content_type=content_type,
        action="ledger.history_exported",
        target=case,
        case_number=case.number,
        summary=f"{query.start} to {query.end} as {query.format}",
    )


@router.get("/cases/{number}/notice-of-debt", response={200: None, **ERRORS})
@allow("ledger.view")
def debt_notice_read(request: AuthenticatedRequest, number: str, query: Query[AsOf]) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    as_of = query.as_of or today
    issued = notice.issue_notice_of_support_debt(actor=request.user, case=case, as_of=as_of, issued_on=today)
    return document_download(
        request,
        body=bytes(issued.pdf),
        file_name=f"notice-of-debt-{case.number}-{as_of}.pdf",
        content_type="application/pdf",
        action="ledger.debt_notice_issued",
        target=case,
        case_number=case.number,
        summary=f"as of {as_of}: {issued.data['total']}",
    )


@router.get("/cases/{number}/collections", response={200: list[CollectionOut], **ERRORS})
@allow("ledger.view")
def collection_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return list(selectors.collections_of_case(case=case).select_related("case"))


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENT_POSTING = {
    "parameters": [
        {
            "name": IDEMPOTENCY_HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 100, "pattern": "^[A-Za-z0-9._:~+/=-]{1,100}$"},
            "description": "Any unique value (a UUID): a retry with the same key and body returns the payment "
            "first posted (same status and body) instead of posting it again; the same key with another "
            "body is a 409.",
        }
    ]
}


def _idempotency_key(request: AuthenticatedRequest) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    return None if key is None else key.strip()


@router.post("/cases/{number}/collections", response={201: CollectionOut, **ERRORS}, openapi_extra=IDEMPOTENT_POSTING)
@allow("ledger.post")
def collection_post(request: AuthenticatedRequest, number: str, payload: CollectionIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    collection = services.post_collection(
        actor=request.user,
        case=case,
        idempotency_key=_idempotency_key(request),
        **payload.dict(),
    )
    return Status(201, collection)


@router.post(
    "/people/{int:person_id}/collections",
    response={201: list[CollectionOut], **ERRORS},
    openapi_extra=IDEMPOTENT_POSTING,
)
@allow("ledger.post")
def obligor_collection_post(request: AuthenticatedRequest, person_id: int, payload: CollectionIn) -> object:
    obligor = person_for_viewer(viewer=request.user, person_id=person_id)
    collections = services.post_collection_for_obligor(
        actor=request.user,
        obligor=obligor,
        idempotency_key=_idempotency_key(request),
        **payload.dict(),
    )
    return Status(201, collections)


@router.post("/collections/{int:collection_id}/reverse", response={200: CollectionOut, **ERRORS})
@allow("ledger.reverse")
def collection_reverse(request: AuthenticatedRequest, collection_id: int, payload: ReverseIn) -> object:
    collection = selectors.collection_for_viewer(viewer=request.user, collection_id=collection_id)
    return services.reverse_collection(
        actor=request.user,
        collection=collection,
        reason=payload.reason,
        reversed_on=payload.reversed_on or timezone.localdate(),
    )


@router.get("/suspense", response={200: list[CollectionOut], **ERRORS})
@allow("ledger.post")
def suspense_list(request: AuthenticatedRequest) -> object:
    return list(selectors.suspense_queue()[:500])


@router.post("/suspense/{int:collection_id}/identify", response={200: CollectionOut, **ERRORS})
@allow("ledger.post")
def suspense_identify(request: AuthenticatedRequest, collection_id: int, payload: IdentifyIn) -> object:
    collection = selectors.suspense_collection_for_viewer(viewer=request.user, collection_id=collection_id)
    case = case_for_viewer(viewer=request.user, number=payload.case_number)
    return services.resolve_suspense(actor=request.user, collection=collection, case=case)


@router.get("/cases/{number}/adjustments", response={200: list[AdjustmentOut], **ERRORS})
@allow("ledger.view")
def adjustment_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return selectors.adjustments_of_case(case=case)


@router.post("/cases/{number}/adjustments", response={201: AdjustmentOut, **ERRORS})
@allow("ledger.post")
def adjustment_create(request: AuthenticatedRequest, number: str, payload: AdjustmentIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    adjustment = request_adjustment(
        actor=request.user,
        case=case,
        account=payload.account,
        kind=payload.kind,
        amount=payload.amount,
        effective_on=payload.effective_on,
        reason=payload.reason,
    )
    return Status(201, adjustment)


@router.post("/adjustments/{int:adjustment_id}/approve", response={200: AdjustmentOut, **ERRORS})
@allow("orders.sign")
def adjustment_approve(request: AuthenticatedRequest, adjustment_id: int, payload: DecisionIn) -> object:
    adjustment = selectors.adjustment_for_viewer(viewer=request.user, adjustment_id=adjustment_id)
    return approve_adjustment(actor=request.user, adjustment=adjustment, note=payload.note)


@router.post("/adjustments/{int:adjustment_id}/reject", response={200: AdjustmentOut, **ERRORS})
@allow("orders.sign")
def adjustment_reject(request: AuthenticatedRequest, adjustment_id: int, payload: DecisionIn) -> object:
    adjustment = selectors.adjustment_for_viewer(viewer=request.user, adjustment_id=adjustment_id)
    return reject_adjustment(actor=request.user, adjustment=adjustment, note=payload.note)
