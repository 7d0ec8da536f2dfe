"""A request to adjust what is owed, made on the case's finance tab. It waits on the approval queue
(`opencse.web.approvals`) for an officer with signature authority other than the requester.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from opencse.cases.selectors import case_for_viewer
from opencse.ledger.adjustments import request_adjustment
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.ledger.forms import AdjustmentForm, add_ledger_error


@allow("ledger.post")
@require_http_methods(["GET", "POST"])
@domain_errors
def adjustment_request(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = AdjustmentForm(request.POST or None)
    if submit(
        form,
        lambda: request_adjustment(actor=request.user, case=case, **form.cleaned_data),
        place=partial(add_ledger_error, dated_by="effective_on"),
    ):
        messages.success(request, "Adjustment requested: it waits for an officer with signature authority.")
        return redirect("web:ledger:finance", number=case.number)
    status = form_status(form)
    return render(request, "web/ledger/adjustment_form.html", {"case": case, "form": form}, status=status)
