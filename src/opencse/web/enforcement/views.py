"""The officer's income withholding pages (45 CFR 303.100): the obligor's verified employers with the order
each would get (amounts explained with their citations), the orders sent, and the amendment or termination
of one, and a one-time lump sum order. Each form reaches its service through `submit`; a refusal comes back
beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.selectors import case_for_viewer
from opencse.enforcement.eiwo import eiwo_overview, mark_eiwo_employers_by_fein
from opencse.enforcement.employer_service import record_employer_service
from opencse.enforcement.selectors import (
    employers_with_orders,
    employment_to_withhold_from,
    withholding_exception_on_case,
    withholding_exceptions_of_case,
    withholding_on_case,
    withholding_preview,
    withholdings_of_case,
)
from opencse.enforcement.services import (
    amend_income_withholding,
    end_withholding_exception,
    issue_income_withholding,
    issue_lump_sum_order,
    record_withholding_exception,
    terminate_income_withholding,
)
from opencse.errors import InvalidInput, NotAuthorized
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.enforcement.forms import (
    ChangeForm,
    EiwoEmployerForm,
    EmployerServiceForm,
    ExceptionEndForm,
    IssueForm,
    LumpSumForm,
    WithholdingExceptionForm,
)
from opencse.web.enforcement.intercept import benefit_context

TEMPLATES = "web/enforcement"


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def withholding_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The obligor's verified employers (each with its order in force, if any) and every order sent."""
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    employers = employers_with_orders(case=case, on=today)
    context = {"case": case, "employers": employers, "withholdings": list(withholdings_of_case(case=case)[:100]),
               "exceptions": withholding_exceptions_of_case(case=case), **benefit_context(case)}  # fmt: skip
    return render(request, f"{TEMPLATES}/list.html", context)


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def withholding_new(request: AuthenticatedRequest, number: str, employment_id: int) -> HttpResponse:
    """What the order to this employer would say on the date chosen, then send it."""
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    employment = employment_to_withhold_from(case=case, employment_id=employment_id, on=today)
    form = IssueForm(request.POST or None, initial={"dated_on": today})
    if request.method == "POST":
        sent = submit(form, lambda: issue_income_withholding(
            actor=request.user, case=case, employment=employment, dated_on=form.cleaned_data["dated_on"]))  # fmt: skip
        if sent is not None:
            messages.success(request, f"Income withholding order sent to {sent.employer.name}, dated "
                                      f"{sent.dated_on:%m/%d/%Y}: ${sent.total_monthly:,} a month.")  # fmt: skip
            return redirect("web:enforcement:withholding", number=case.number)
    on = form.cleaned_data["dated_on"] if form.is_bound and form.is_valid() else today
    preview, refused = None, None
    try:
        preview = withholding_preview(case=case, employment=employment, on=on)
    except InvalidInput as error:
        refused = error.message
    context = {"case": case, "employment": employment, "form": form, "preview": preview, "refused": refused}
    return render(request, f"{TEMPLATES}/new.html", context, status=form_status(form))


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def withholding_change(request: AuthenticatedRequest, number: str, withholding_id: int) -> HttpResponse:
    """Amend the order in force (today's amounts) or end it (45 CFR 303.100(a)(7))."""
    case = case_for_viewer(viewer=request.user, number=number)
    withholding = withholding_on_case(case=case, withholding_id=withholding_id)
    form = ChangeForm(request.POST or None, initial={"dated_on": timezone.localdate(), "action": "amend"})

    def send() -> object:
        data = form.cleaned_data
        change = amend_income_withholding if data["action"] == "amend" else terminate_income_withholding
        return change(actor=request.user, withholding=withholding, dated_on=data["dated_on"], reason=data["reason"])

    if request.method == "POST" and submit(form, send) is not None:
        messages.success(request, f"Sent to {withholding.employer.name}.")
        return redirect("web:enforcement:withholding", number=case.number)
    context = {"case": case, "withholding": withholding, "form": form}
    return render(request, f"{TEMPLATES}/change.html", context, status=form_status(form))


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def withholding_service(request: AuthenticatedRequest, number: str, withholding_id: int) -> HttpResponse:
    """Record how an order reached its employer: the employer's record of service (`enforcement.employer_service`)."""
    case = case_for_viewer(viewer=request.user, number=number)
    withholding = withholding_on_case(case=case, withholding_id=withholding_id)
    form = EmployerServiceForm(request.POST or None, initial={"sent_on": withholding.dated_on})
    if request.method == "POST":
        done = submit(form, lambda: record_employer_service(actor=request.user, withholding=withholding,
                                                            **form.cleaned_data))  # fmt: skip
        if done is not None:
            messages.success(request, f"{withholding.employer.name}: {done}. Recorded.")
            return redirect("web:enforcement:withholding", number=case.number)
    context = {"case": case, "withholding": withholding, "form": form, "services": list(withholding.services.all())}
    return render(request, f"{TEMPLATES}/service.html", context, status=form_status(form))


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def withholding_lump_sum(request: AuthenticatedRequest, number: str, employment_id: int) -> HttpResponse:
    """A one-time order claiming arrears from a lump sum the employer is about to pay."""
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    employment = employment_to_withhold_from(case=case, employment_id=employment_id, on=today)
    form = LumpSumForm(request.POST or None, initial={"dated_on": today})
    if request.method == "POST":
        sent = submit(form, lambda: issue_lump_sum_order(
            actor=request.user, case=case, employment=employment, dated_on=form.cleaned_data["dated_on"],
            amount=form.cleaned_data["amount"], payment=form.cleaned_data["payment"]))  # fmt: skip
        if sent is not None:
            messages.success(request, f"Lump sum order sent to {sent.employer.name}, dated {sent.dated_on:%m/%d/%Y}: "
                                      f"up to ${sent.lump_sum:,}.")  # fmt: skip
            return redirect("web:enforcement:withholding", number=case.number)
    owed = withholding_preview(case=case, employment=employment, on=today).arrears_owed
    context = {"case": case, "employment": employment, "form": form, "owed": owed}
    return render(request, f"{TEMPLATES}/lump_sum.html", context, status=form_status(form))


@allow("enforcement.view")
@require_http_methods(["GET", "POST"])
@domain_errors
def eiwo_page(request: AuthenticatedRequest) -> HttpResponse:
    """The employers taking income withholding orders electronically, the e-IWO files written with the
    employers' acknowledgments, their rejections and the lines that could not be read; a caseworker marks an
    employer by its FEIN."""
    form = EiwoEmployerForm(request.POST or None, initial={"since": timezone.localdate()})
    if request.method == "POST":
        if not can(request.user, "enforcement.withhold"):
            raise NotAuthorized("Only a caseworker who sends income withholding orders marks an e-IWO employer.")
        marked = submit(form, lambda: mark_eiwo_employers_by_fein(
            actor=request.user, fein=form.cleaned_data["fein"], since=form.cleaned_data["since"]))  # fmt: skip
        if marked:
            messages.success(request, f"{marked[0].employer.name} takes e-IWO from {marked[0].since:%m/%d/%Y}.")
            return redirect("web:enforcement:eiwo")
    context = {"overview": eiwo_overview(viewer=request.user), "form": form}
    return render(request, f"{TEMPLATES}/eiwo.html", context, status=form_status(form))


@allow("enforcement.approve")
@require_http_methods(["GET", "POST"])
@domain_errors
def exception_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Record the good-cause finding or the written alternative arrangement that holds withholding
    (45 CFR 303.100(b)(1)): signature authority."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = WithholdingExceptionForm(request.POST or None, initial={"since": timezone.localdate()})
    if request.method == "POST":
        recorded = submit(form, lambda: record_withholding_exception(
            actor=request.user, case=case, kind=form.cleaned_data["kind"], since=form.cleaned_data["since"],
            reference=form.cleaned_data["reference"]))  # fmt: skip
        if recorded is not None:
            messages.success(request, f"Recorded: {recorded}. Withholding waits until the payments missed equal "
                                      "one month's support.")  # fmt: skip
            return redirect("web:enforcement:withholding", number=case.number)
    context = {"case": case, "form": form, "title": "Record an exception to immediate withholding"}
    return render(request, f"{TEMPLATES}/exception.html", context, status=form_status(form))


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def exception_end(request: AuthenticatedRequest, number: str, exception_id: int) -> HttpResponse:
    """End the exception: the next nightly run sends the order."""
    case = case_for_viewer(viewer=request.user, number=number)
    exception = withholding_exception_on_case(case=case, exception_id=exception_id)
    form = ExceptionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST":
        ended = submit(form, lambda: end_withholding_exception(
            actor=request.user, exception=exception, ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"]))  # fmt: skip
        if ended is not None:
            messages.success(request, "The exception ended: the next nightly run sends the withholding order.")
            return redirect("web:enforcement:withholding", number=case.number)
    context = {"case": case, "form": form, "title": f"End the exception: {exception}"}
    return render(request, f"{TEMPLATES}/exception.html", context, status=form_status(form))
