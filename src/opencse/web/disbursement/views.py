"""The screens for paying money out: the disbursement page (run, files, timeliness, follow-up lists), the
payouts and undistributable money on a case's finance tab, returned payouts, and direct deposit
authorizations on the person page.

Each view parses the form, calls `opencse.ledger.disbursement` (which checks authority, runs in one
transaction and writes the audit row) and renders the result; a refusal goes back beside its field.
The bank file and the check register carry account numbers and addresses: each download is audited.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.errors import Conflict, InvalidInput, NotFound
from opencse.ledger import disbursement, disbursement_selectors, payouts
from opencse.ledger.direct_deposit import pending_direct_deposit_of, request_direct_deposit
from opencse.people.models import Person
from opencse.people.selectors import person_for_viewer
from opencse.security.audit import record_audit
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import add_domain_error, form_status, submit
from opencse.web.common.htmx import is_htmx
from opencse.web.disbursement.forms import (
    DirectDepositForm,
    ReasonForm,
    ReturnForm,
    RunForm,
    release_form,
    unclaimed_form,
)

RUNS_SHOWN = 30


PAYOUTS_SHOWN = 200  # newest first; the API lists up to 500


def _month_of(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def case_payouts_context(*, viewer: object, case: Case, today: date) -> dict[str, object]:
    """What the finance tab's "Payments to the family and the state" section shows."""
    return {
        "payouts": disbursement_selectors.payouts_of_case(case=case, limit=PAYOUTS_SHOWN),
        "held": payouts.undistributable_of_case(case=case, as_of=today),
        "release_form": release_form(),
        "unclaimed_form": unclaimed_form(),
    }


def direct_deposit_context(*, viewer: object, person: Person) -> dict[str, object]:
    """What the person page's "Direct deposit" section shows (the form only to roles that may record one)."""
    return {
        "deposit": disbursement_selectors.direct_deposit_of(person=person),
        "pending_deposit": pending_direct_deposit_of(person=person),
        "deposit_form": DirectDepositForm() if can(viewer, "people.update") else None,
    }


def _disbursement_page(
    request: AuthenticatedRequest, form: RunForm, *, confirming: bool = False, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    start, end = _month_of(today)
    pending = disbursement.pending_rows()  # one scan for the three reports
    context = {
        "form": form,
        "confirming": confirming,
        "today": today,
        "runs": disbursement_selectors.recent_runs(limit=RUNS_SHOWN),
        "month_start": start,
        "month_end": end,
        "timeliness": disbursement_selectors.timeliness(start=start, end=end, as_of=today, pending=pending),
        "overpayments": disbursement_selectors.overpayments_to_recover(viewer=request.user, pending=pending),
        "refunds": disbursement_selectors.refunds_undeliverable(viewer=request.user, as_of=today, pending=pending),
    }
    return render(request, "web/disbursement/disbursement.html", context, status=status)


@allow("ledger.disburse")
@require_GET
@domain_errors
def disbursement_show(request: AuthenticatedRequest) -> HttpResponse:
    return _disbursement_page(request, RunForm())


@allow("ledger.disburse")
@require_POST
@domain_errors
def run_create(request: AuthenticatedRequest) -> HttpResponse:
    """Run the disbursement in two steps: choose the date, then confirm."""
    form = RunForm(request.POST)
    if not form.is_valid():
        return _disbursement_page(request, form, status=400)
    if request.POST.get("confirm") != "yes":
        return _disbursement_page(request, form, confirming=True)
    summary = disbursement.run_disbursements(actor=request.user, run_on=form.cleaned_data["run_on"])
    messages.success(request, _run_message(summary))
    return redirect("web:disbursement:show")


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _run_message(summary: disbursement.RunSummary) -> str:
    message = (
        f"Disbursement run of {summary.run.run_on:%m/%d/%Y}: {_counted(summary.payouts, 'payout')}, "
        f"{summary.total:,.2f} in all ({_counted(summary.eft, 'direct deposit')}, {_counted(summary.checks, 'check')}, "
        f"{_counted(summary.transfers, 'transfer')})."
    )
    if summary.undistributable:
        message += f" {summary.undistributable:,.2f} could not be paid and is now undistributable (see each case)."
    for earlier in summary.finished_first:  # a run a crash had left unfinished: its files go out today
        message += (
            f" The run of {earlier.run.run_on:%m/%d/%Y} had not finished: it is finished now, its "
            f"{_counted(earlier.payouts, 'payout')} ({earlier.total:,.2f}) sent on {summary.run.run_on:%m/%d/%Y} "
            "with its own files (see Recent runs)."
        )
    return message


@allow("ledger.disburse")
@require_GET
@domain_errors
def run_bank_file(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """The NACHA PPD credit file of a run (it holds account numbers: the download is audited)."""
    run = disbursement_selectors.disbursement_run(run_id=run_id)
    if not run.nacha_file:
        raise NotFound(f"The disbursement run of {run.run_on:%m/%d/%Y} paid nothing by direct deposit.")
    record_audit(actor=request.user, action="export.bank_file", target=run, summary=f"run {run.pk}")
    response = HttpResponse(run.nacha_file, content_type="text/plain; charset=us-ascii")
    response["Content-Disposition"] = f'attachment; filename="ppd-{run.run_on.isoformat()}.ach"'
    return response


@allow("ledger.disburse")
@require_GET
@domain_errors
def run_check_register(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """The check printer's CSV of a run (it holds mailing addresses: the download is audited)."""
    run = disbursement_selectors.disbursement_run(run_id=run_id)
    record_audit(actor=request.user, action="export.check_register", target=run, summary=f"run {run.pk}")
    response = HttpResponse(run.check_register, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="checks-{run.run_on.isoformat()}.csv"'
    return response


@allow("ledger.post")
@require_http_methods(["GET", "POST"])
@domain_errors
def payout_return(request: AuthenticatedRequest, payout_id: int) -> HttpResponse:
    """Record that a direct deposit came back or a check was voided: its money becomes undistributable."""
    payout = disbursement_selectors.payout_for_viewer(viewer=request.user, payout_id=payout_id)
    form = ReturnForm(request.POST or None, method=payout.method)
    returned = getattr(payout, "returned", None)
    returnable = disbursement_selectors.CasePayout(payout=payout, returned=returned).returnable
    recorded = None
    if returnable:
        recorded = submit(form, lambda: payouts.return_payout(actor=request.user, payout=payout, **form.cleaned_data))
    if recorded:
        messages.success(request, f"Payout {payout.reference} recorded as returned: {payout.amount:,.2f} is now "
                         "undistributable until it is released to the family.")  # fmt: skip
        return redirect("web:ledger:finance", number=payout.case.number)
    status = 409 if not returnable and request.method == "POST" else form_status(form)
    context = {"payout": payout, "case": payout.case, "form": form, "returned": returned, "returnable": returnable}
    return render(request, "web/disbursement/payout_return.html", context, status=status)


def _held_response(
    request: AuthenticatedRequest, case: Case, form: ReasonForm, *, action: str, status: int
) -> HttpResponse:
    """A refused release or transfer: the section again with the message (htmx), or a page of its own."""
    context = {
        "case": case,
        "held": payouts.undistributable_of_case(case=case, as_of=timezone.localdate()),
        "release_form": form if action == "release" else release_form(),
        "unclaimed_form": form if action == "unclaimed" else unclaimed_form(),
    }
    template = "web/disbursement/partials/undistributable.html" if is_htmx(request) else (
        "web/disbursement/undistributable.html"
    )  # fmt: skip
    return render(request, template, context, status=status)


def _held_done(request: AuthenticatedRequest, case: Case, notice: str) -> HttpResponse:
    if not is_htmx(request):
        messages.success(request, notice)
        return redirect("web:ledger:finance", number=case.number)
    context = {
        "case": case,
        "held": payouts.undistributable_of_case(case=case, as_of=timezone.localdate()),
        "release_form": release_form(),
        "unclaimed_form": unclaimed_form(),
        "notice": notice,
    }
    return render(request, "web/disbursement/partials/undistributable.html", context)


@allow("ledger.disburse")
@require_POST
@domain_errors
def undistributable_release(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Give the case's undistributable money back to the family: the next run pays it."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = release_form(request.POST)
    if form.is_valid():
        try:
            moved = payouts.release_undistributable(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
            return _held_response(
                request, case, form, action="release", status=409 if isinstance(error, Conflict) else 400
            )
        return _held_done(request, case, f"{moved:,.2f} released to the family: the next disbursement run pays it.")
    return _held_response(request, case, form, action="release", status=400)


@allow("ledger.disburse")
@require_POST
@domain_errors
def undistributable_transfer(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Transfer the case's undistributable money to the state's unclaimed property program (after the
    dormancy period; the service refuses before it)."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = unclaimed_form(request.POST)
    if form.is_valid():
        try:
            moved = payouts.transfer_unclaimed(actor=request.user, case=case, as_of=timezone.localdate(),
                                                    reason=form.cleaned_data["reason"])  # fmt: skip
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
            return _held_response(
                request, case, form, action="unclaimed", status=409 if isinstance(error, Conflict) else 400
            )
        return _held_done(request, case, f"{moved:,.2f} transferred to the state's unclaimed property program.")
    return _held_response(request, case, form, action="unclaimed", status=400)


@allow("people.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def direct_deposit_record(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Request a direct deposit authorization (once a second officer approves it, it replaces the one on
    file). With htmx, the person page's section is swapped; the full account number is never sent back,
    only its last four digits."""
    person = person_for_viewer(viewer=request.user, person_id=person_id)
    form = DirectDepositForm(request.POST or None)
    notice = ""
    if form.is_valid():
        try:
            data = form.cleaned_data  # the repeated account number only served the form's own check
            deposit = request_direct_deposit(
                actor=request.user,
                person=person,
                routing_number=data["routing_number"],
                account_number=data["account_number"],
                account_type=data["account_type"],
                starts_on=data["starts_on"],
            )
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
        else:
            notice = (f"Direct deposit change requested: {deposit.get_account_type_display().lower()} account "
                      f"****{deposit.account_last4} at routing number {deposit.routing_number}, "
                      f"from {deposit.starts_on:%m/%d/%Y}. It takes effect once an officer with signature "
                      "authority approves it; until then payments go as before.")  # fmt: skip
            if not is_htmx(request):
                messages.success(request, notice)
                return redirect("web:people:show", pk=person.pk)
            form = DirectDepositForm()
    context = {
        "person": person,
        "deposit": disbursement_selectors.direct_deposit_of(person=person),
        "pending_deposit": pending_direct_deposit_of(person=person),
        "deposit_form": form,
        "notice": notice,
        "open_form": not is_htmx(request),
    }
    template = "web/disbursement/partials/direct_deposit.html" if is_htmx(request) else (
        "web/disbursement/direct_deposit.html"
    )  # fmt: skip
    return render(request, template, context, status=form_status(form))
