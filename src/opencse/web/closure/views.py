"""The officer's closure pages (45 CFR 303.11): the criteria the facts meet, then close now or send the
60-day notice; the response that keeps the case open; reopening a closed case. Each form reaches its
service through `submit`; a refusal comes back beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.selectors import case_for_viewer
from opencse.closure.models import Status
from opencse.closure.selectors import closures_of, pending_closure, reopenings_of
from opencse.closure.services import propose_closure, record_closure_response, reopen_case
from opencse.errors import InvalidInput
from opencse.rules.closure import ClosureAssessment, assess
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.closure.forms import ClosureForm, ReopenForm, ResponseForm
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import add_domain_error, form_status, submit

TEMPLATES = "web/closure"


@allow("cases.close")
@require_http_methods(["GET", "POST"])
@domain_errors
def closure_propose(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The facts found, the criteria they meet ("Check the criteria"), and the closure or notice."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = ClosureForm(request.POST or None, initial={"proposed_on": timezone.localdate()})
    assessment: ClosureAssessment | None = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("proposed_on"):
        try:
            assessment = assess(form.facts(), as_of=form.cleaned_data["proposed_on"])
        except InvalidInput as error:
            add_domain_error(form, error)
    pending = pending_closure(case=case)
    if request.method == "POST" and request.POST.get("action") != "check" and case.is_open and pending is None:
        data = form.cleaned_data if form.is_bound and not form.errors else {}
        closure = submit(form, lambda: propose_closure(
            actor=request.user, case=case, criterion=data.get("criterion", ""), facts=form.facts(),
            note=data.get("note", ""), proposed_on=data["proposed_on"],
        ))  # fmt: skip
        if closure is not None:
            if closure.status == Status.CLOSED:
                messages.success(request, f"Case {case.number} closed on {closure.closed_on:%m/%d/%Y}.")
            else:
                messages.success(
                    request, f"Notice of intent to close sent: case {case.number} closes on or after "
                    f"{closure.closes_on:%m/%d/%Y} unless the recipient responds."
                )  # fmt: skip
            return redirect("web:cases:show", number=case.number)
    case.refresh_from_db()
    context = {
        "case": case, "form": form, "assessment": assessment, "pending": pending,
        "closures": closures_of(case=case)[:20], "reopenings": reopenings_of(case=case)[:20],
        "fact_names": ClosureForm.fact_names(),
    }  # fmt: skip
    status = form_status(form) if request.method == "POST" and request.POST.get("action") != "check" else 200
    return render(request, f"{TEMPLATES}/closure.html", context, status=status)


@allow("cases.close")
@require_http_methods(["GET", "POST"])
@domain_errors
def closure_response(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The recipient's response to the notice: the case stays open (303.11(d)(3))."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = ResponseForm(request.POST or None, initial={"received_on": timezone.localdate()})
    stopped = submit(form, lambda: record_closure_response(actor=request.user, case=case, **form.cleaned_data))
    if stopped:
        messages.success(request, f"Response recorded: case {case.number} stays open.")
        return redirect("web:cases:show", number=case.number)
    context = {"case": case, "form": form, "pending": pending_closure(case=case), "title": "Response to the notice"}
    return render(request, f"{TEMPLATES}/form.html", context, status=form_status(form))


@allow("cases.reopen")
@require_http_methods(["GET", "POST"])
@domain_errors
def case_reopen(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Reopen a closed case on a change in circumstances (303.11(d)(5))."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = ReopenForm(request.POST or None, initial={"reopened_on": timezone.localdate()})
    reopened = submit(form, lambda: reopen_case(actor=request.user, case=case, **form.cleaned_data))
    if reopened:
        messages.success(request, f"Case {case.number} reopened on {reopened.reopened_on:%m/%d/%Y}.")
        return redirect("web:cases:show", number=case.number)
    case.refresh_from_db()
    context = {"case": case, "form": form, "title": "Reopen the case"}
    return render(request, f"{TEMPLATES}/form.html", context, status=form_status(form))
