"""The one approval queue: everything that needs another officer's signature authority waits here, oldest
first, for SEO 2s and supervisors: adjustments to what is owed, direct deposit changes
(`opencse.ledger.direct_deposit`), guideline proposals, enforcement actions and payment agreements (these three
decided on their own pages). The service refuses a
decision on one's own request (the two-person rule); the page shows its message beside the note.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opencse.enforcement.agreements import agreements_waiting
from opencse.enforcement.selectors import actions_waiting
from opencse.errors import Conflict, InvalidInput, NotAuthorized
from opencse.establishment.selectors import proposals_waiting
from opencse.ledger import selectors
from opencse.ledger.adjustments import approve_adjustment, reject_adjustment
from opencse.ledger.direct_deposit import (
    approve_direct_deposit,
    direct_deposit_request_for_viewer,
    direct_deposit_requests_waiting,
    reject_direct_deposit,
)
from opencse.ledger.models import Adjustment, AdjustmentStatus, DirectDepositRequest, DirectDepositRequestStatus
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors, refusal_status
from opencse.web.common.forms import add_domain_error
from opencse.web.ledger.forms import DecisionForm

APPROVALS_SHOWN = 200  # oldest first; the page says how many are waiting in all


def _pending(request: AuthenticatedRequest) -> QuerySet[Adjustment]:
    return selectors.adjustments_waiting(viewer=request.user)


def _decision_form(adjustment: Adjustment) -> DecisionForm:
    return DecisionForm(auto_id=f"id_{adjustment.pk}_%s")


def _deposit_decision_form(deposit_request: DirectDepositRequest) -> DecisionForm:
    return DecisionForm(auto_id=f"id_deposit_{deposit_request.pk}_%s")


def _approvals_page(
    request: AuthenticatedRequest,
    failed: Adjustment | DirectDepositRequest | None = None,
    form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = _pending(request)
    rows = [
        (adjustment, form if failed == adjustment else _decision_form(adjustment))
        for adjustment in pending[:APPROVALS_SHOWN]
    ]
    deposits = direct_deposit_requests_waiting(viewer=request.user)
    deposit_rows = [
        (waiting, form if failed == waiting else _deposit_decision_form(waiting))
        for waiting in deposits[:APPROVALS_SHOWN]
    ]
    proposals = proposals_waiting(viewer=request.user)
    remedies = actions_waiting(viewer=request.user)
    agreements = agreements_waiting(viewer=request.user)
    context = {
        "agreements": agreements[:APPROVALS_SHOWN],
        "agreements_waiting": agreements.count(),
        "remedies": remedies[:APPROVALS_SHOWN],
        "remedies_waiting": remedies.count(),
        "proposals": proposals[:APPROVALS_SHOWN],
        "proposals_waiting": proposals.count(),
        "rows": rows,
        "waiting": pending.count(),
        "deposit_rows": deposit_rows,
        "deposits_waiting": deposits.count(),
        "failed": failed,
        "failed_form": form,
    }
    return render(request, "web/ledger/approvals.html", context, status=status)


@allow("orders.sign")
@require_http_methods(["GET"])
@domain_errors
def approval_list(request: AuthenticatedRequest) -> HttpResponse:
    return _approvals_page(request)


@allow("orders.sign")
@require_POST
@domain_errors
def adjustment_decide(request: AuthenticatedRequest, adjustment_id: int) -> HttpResponse:
    """Approve (posts the ledger entry) or reject (with a note) a pending adjustment."""
    adjustment = selectors.adjustment_for_viewer(viewer=request.user, adjustment_id=adjustment_id)
    form = DecisionForm(request.POST, auto_id=f"id_{adjustment.pk}_%s")
    status = 400
    if form.is_valid():
        decide = approve_adjustment if form.cleaned_data["decision"] == "approve" else reject_adjustment
        try:
            decided = decide(actor=request.user, adjustment=adjustment, note=form.cleaned_data["note"])
        except (InvalidInput, NotAuthorized, Conflict) as error:
            add_domain_error(form, error)
            status = refusal_status(error)
        else:
            verb = "approved and posted" if decided.status == AdjustmentStatus.APPROVED else "rejected"
            messages.success(request, f"Adjustment on case {decided.case.number} {verb}.")
            return redirect("web:approvals:list")
    if adjustment.status != AdjustmentStatus.PENDING:
        # Decided meanwhile (by another officer): it is no longer in the queue, so say so above the list.
        messages.error(
            request, " ".join(str(error) for error in form.non_field_errors()) or "This adjustment was already decided."
        )
        return _approvals_page(request, status=status)
    return _approvals_page(request, failed=adjustment, form=form, status=status)


@allow("orders.sign")
@require_POST
@domain_errors
def direct_deposit_decide(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """Approve (the account takes effect) or reject (with a note) a direct deposit change."""
    deposit_request = direct_deposit_request_for_viewer(viewer=request.user, request_id=request_id)
    form = DecisionForm(request.POST, auto_id=f"id_deposit_{deposit_request.pk}_%s")
    status = 400
    if form.is_valid():
        approving = form.cleaned_data["decision"] == "approve"
        decide = approve_direct_deposit if approving else reject_direct_deposit
        try:
            decide(actor=request.user, deposit_request=deposit_request, note=form.cleaned_data["note"])
        except (InvalidInput, NotAuthorized, Conflict) as error:
            add_domain_error(form, error)
            status = refusal_status(error)
        else:
            verb = "approved: payments now go to it" if approving else "rejected"
            messages.success(request, f"Direct deposit change for {deposit_request.person.full_name} {verb}.")
            return redirect("web:approvals:list")
    deposit_request.refresh_from_db()
    if deposit_request.status != DirectDepositRequestStatus.PENDING:
        messages.error(
            request,
            " ".join(str(error) for error in form.non_field_errors()) or "This change was already decided.",
        )
        return _approvals_page(request, status=status)
    return _approvals_page(request, failed=deposit_request, form=form, status=status)
