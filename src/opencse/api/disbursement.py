"""Paying money out over HTTP: the disbursement run and its files, payouts, returns, undistributable
money, direct deposit authorizations, and the 45 CFR 302.32(b) timeliness report."""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from opencse.api.schemas import ErrorOut
from opencse.api.security import AuthenticatedRequest, allow
from opencse.cases.selectors import case_for_viewer
from opencse.errors import NotFound
from opencse.ledger import direct_deposit, disbursement, disbursement_selectors, payouts
from opencse.ledger.models import AccountType, DisbursementRun, Payout, ReturnKind
from opencse.people.selectors import person_for_viewer
from opencse.security.audit import record_audit

router = Router(tags=["disbursement"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PayoutOut(Schema):
    id: int
    case_number: str
    payee: str
    recipient_name: str
    method: str
    amount: Decimal
    due_on: date
    issued_on: date
    sent_on: date | None  # the day its run's files were written (null: its run has not finished)
    reference: str
    returned: bool


class RunIn(Schema):
    run_on: date


class RunOut(Schema):
    id: int
    run_on: date
    payouts: int
    total_amount: Decimal
    finished_at: str | None
    sent_on: date | None  # the day its files were written: run_on, or later for a run a crash left unfinished
    has_bank_file: bool
    has_interstate_file: bool


class ReturnIn(Schema):
    kind: ReturnKind
    returned_on: date
    reason: str = Field(min_length=1, max_length=200)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class MovedOut(Schema):
    amount: Decimal


class DirectDepositIn(Schema):
    routing_number: str = Field(min_length=9, max_length=9)
    account_number: str = Field(min_length=4, max_length=17)
    account_type: AccountType
    starts_on: date


class DirectDepositRequestOut(Schema):
    """A direct deposit change: `pending` until a second officer with signature authority decides it."""

    id: int
    person_id: int
    routing_number: str
    account_last4: str
    account_type: str
    starts_on: date
    status: str
    requested_by: str = Field(alias="requested_by.username")
    decided_by: str | None = Field(None, alias="decided_by.username")
    decision_note: str
    deposit_id: int | None


class DepositDecisionIn(Schema):
    note: str = Field("", max_length=500)


class Period(Schema):
    start: date
    end: date


class TimelinessOut(Schema):
    start: date
    end: date
    issued: int
    on_time: int
    late: int
    percent_on_time: Decimal
    overdue_unpaid: int
    overdue_unpaid_amount: Decimal


def _payout_out(payout: Payout) -> dict[str, object]:
    return {
        "id": payout.pk,
        "case_number": payout.case.number,
        "payee": payout.payee,
        "recipient_name": payout.recipient_name,
        "method": payout.method,
        "amount": payout.amount,
        "due_on": payout.due_on,
        "issued_on": payout.issued_on,
        "sent_on": payout.run.sent_on,
        "reference": payout.reference,
        "returned": hasattr(payout, "returned"),
    }


def _run_out(run: DisbursementRun) -> dict[str, object]:
    return {
        "id": run.pk,
        "run_on": run.run_on,
        "payouts": run.payouts,
        "total_amount": run.total_amount,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "sent_on": run.sent_on,
        "has_bank_file": bool(run.nacha_file),
        "has_interstate_file": bool(run.interstate_file),
    }


def _run(run_id: int) -> DisbursementRun:
    return disbursement_selectors.run_by_id(run_id)


@router.get("/cases/{number}/payouts", response={200: list[PayoutOut], **ERRORS})
@allow("ledger.view")
def payout_list(request: AuthenticatedRequest, number: str) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return [_payout_out(row.payout) for row in disbursement_selectors.payouts_of_case(case=case, limit=500)]


@router.post("/payouts/{int:payout_id}/return", response={200: PayoutOut, **ERRORS})
@allow("ledger.post")
def payout_return(request: AuthenticatedRequest, payout_id: int, payload: ReturnIn) -> object:
    payout = disbursement_selectors.payout_for_viewer(viewer=request.user, payout_id=payout_id)  # 404 outside
    payouts.return_payout(actor=request.user, payout=payout, kind=payload.kind,
                               returned_on=payload.returned_on, reason=payload.reason)  # fmt: skip
    return _payout_out(disbursement_selectors.payout_by_id(payout.pk))


@router.post("/cases/{number}/undistributable/release", response={200: MovedOut, **ERRORS})
@allow("ledger.disburse")
def undistributable_release(request: AuthenticatedRequest, number: str, payload: ReasonIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    return {"amount": payouts.release_undistributable(actor=request.user, case=case, reason=payload.reason)}


@router.post("/cases/{number}/undistributable/unclaimed-property", response={200: MovedOut, **ERRORS})
@allow("ledger.disburse")
def undistributable_escheat(request: AuthenticatedRequest, number: str, payload: ReasonIn) -> object:
    case = case_for_viewer(viewer=request.user, number=number)
    moved = payouts.transfer_unclaimed(actor=request.user, case=case, as_of=timezone.localdate(),
                                            reason=payload.reason)  # fmt: skip
    return {"amount": moved}


@router.post("/people/{int:person_id}/direct-deposit", response={201: DirectDepositRequestOut, **ERRORS})
@allow("people.update")
def direct_deposit_create(request: AuthenticatedRequest, person_id: int, payload: DirectDepositIn) -> object:
    """Request a new or changed account: it takes effect once a second officer approves it."""
    person = person_for_viewer(viewer=request.user, person_id=person_id)
    deposit = direct_deposit.request_direct_deposit(
        actor=request.user,
        person=person,
        routing_number=payload.routing_number,
        account_number=payload.account_number,
        account_type=payload.account_type,
        starts_on=payload.starts_on,
    )
    return Status(201, deposit)


@router.post("/direct-deposit-requests/{int:request_id}/approve", response={200: DirectDepositRequestOut, **ERRORS})
@allow("orders.sign")
def direct_deposit_approve(request: AuthenticatedRequest, request_id: int, payload: DepositDecisionIn) -> object:
    found = direct_deposit.direct_deposit_request_for_viewer(viewer=request.user, request_id=request_id)
    direct_deposit.approve_direct_deposit(actor=request.user, deposit_request=found, note=payload.note)
    found.refresh_from_db()
    return found


@router.post("/direct-deposit-requests/{int:request_id}/reject", response={200: DirectDepositRequestOut, **ERRORS})
@allow("orders.sign")
def direct_deposit_reject(request: AuthenticatedRequest, request_id: int, payload: DepositDecisionIn) -> object:
    found = direct_deposit.direct_deposit_request_for_viewer(viewer=request.user, request_id=request_id)
    return direct_deposit.reject_direct_deposit(actor=request.user, deposit_request=found, note=payload.note)


@router.post("/disbursement-runs", response={201: RunOut, **ERRORS})
@allow("ledger.disburse")
def run_create(request: AuthenticatedRequest, payload: RunIn) -> object:
    summary = disbursement.run_disbursements(actor=request.user, run_on=payload.run_on)
    return Status(201, _run_out(summary.run))


@router.get("/disbursement-runs/{int:run_id}", response={200: RunOut, **ERRORS})
@allow("ledger.disburse")
def run_read(request: AuthenticatedRequest, run_id: int) -> object:
    return _run_out(_run(run_id))


def _download(request: AuthenticatedRequest, run: DisbursementRun, *, kind: str, text: str, name: str) -> HttpResponse:
    """A run's file as an audited download (`kind`: bank_file, interstate_file, check_register)."""
    record_audit(actor=request.user, action=f"export.{kind}", target=run, summary=f"run {run.pk}")
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "text/plain; charset=us-ascii"
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/disbursement-runs/{int:run_id}/bank-file", response={200: None, **ERRORS})
@allow("ledger.disburse")
def run_bank_file(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """The NACHA PPD credit file (it holds account numbers: the download is audited)."""
    run = _run(run_id)
    if not run.nacha_file:
        raise NotFound(f"Disbursement run {run_id} paid nothing by direct deposit.")
    return _download(request, run, kind="bank_file", text=run.nacha_file, name=f"ppd-{run.run_on.isoformat()}.ach")


@router.get("/disbursement-runs/{int:run_id}/interstate-file", response={200: None, **ERRORS})
@allow("ledger.disburse")
def run_interstate_file(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """The NACHA CCD+ file with DED addenda to other IV-D agencies (it holds account numbers and SSNs: the
    download is audited)."""
    run = _run(run_id)
    if not run.interstate_file:
        raise NotFound(f"Disbursement run {run_id} paid no other agency by EFT.")
    name = f"ccd-{run.run_on.isoformat()}.ach"
    return _download(request, run, kind="interstate_file", text=run.interstate_file, name=name)


@router.get("/disbursement-runs/{int:run_id}/check-register", response={200: None, **ERRORS})
@allow("ledger.disburse")
def run_check_register(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    name = f"checks-{run.run_on.isoformat()}.csv"
    return _download(request, run, kind="check_register", text=run.check_register, name=name)


@router.get("/reports/disbursement-timeliness", response={200: TimelinessOut, **ERRORS})
@allow("ledger.view")
def timeliness_report(request: AuthenticatedRequest, query: Query[Period]) -> object:
    report = disbursement_selectors.timeliness(start=query.start, end=query.end, as_of=timezone.localdate())
    return {
        "start": query.start,
        "end": query.end,
        "issued": report.issued,
        "on_time": report.on_time,
        "late": report.late,
        "percent_on_time": report.percent_on_time,
        "overdue_unpaid": report.overdue_unpaid,
        "overdue_unpaid_amount": report.overdue_unpaid_amount,
    }
