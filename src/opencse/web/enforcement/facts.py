"""The obligor's bankruptcy stays and periods of SSI, from a case (`enforcement.facts`): the page lists them with
whether each holds today and what it stops; an SEO 1, SEO 2 or supervisor records one (the forms on the page) or
its end (a page each). Every error comes back at once beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.enforcement.facts import (
    bankruptcy_stays_of,
    end_bankruptcy_stay,
    end_ssi,
    facts_summary,
    obligor_on_case,
    record_bankruptcy_stay,
    record_ssi,
    ssi_receipt_of,
    ssi_receipts_of,
    stay_of,
)
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.enforcement.forms import BankruptcyForm, SsiEndForm, SsiForm, StayEndForm

TEMPLATES = "web/enforcement"
SHOWN = 50


def _page(request: AuthenticatedRequest, case: Case, *, bankruptcy: BankruptcyForm | None = None,
          ssi: SsiForm | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    obligor = obligor_on_case(case)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "case": case,
        "obligor": obligor,
        "today": today,
        "now": facts_summary(person=obligor, on=today),
        "stays": list(bankruptcy_stays_of(person=obligor)[:SHOWN]),
        "receipts": list(ssi_receipts_of(person=obligor)[:SHOWN]),
        "bankruptcy_form": bankruptcy or BankruptcyForm(prefix="bankruptcy"),
        "ssi_form": ssi or SsiForm(prefix="ssi"),
    }
    return render(request, f"{TEMPLATES}/facts.html", context, status=status)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def facts_show(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _page(request, case_for_viewer(viewer=request.user, number=number))


@allow("enforcement.act")
@require_http_methods(["POST"])
@domain_errors
def bankruptcy_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = BankruptcyForm(request.POST, prefix="bankruptcy")
    done = submit(form, lambda: record_bankruptcy_stay(actor=request.user, case=case, recorded_on=timezone.localdate(),
                                                       **form.cleaned_data))  # fmt: skip
    if done is not None:
        messages.success(request, f"{done}: recorded. The stay holds the remedies it names from today.")
        return redirect("web:enforcement:facts", number=case.number)
    return _page(request, case, bankruptcy=form, status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["POST"])
@domain_errors
def ssi_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = SsiForm(request.POST, prefix="ssi")
    done = submit(form, lambda: record_ssi(actor=request.user, case=case, recorded_on=timezone.localdate(),
                                           **form.cleaned_data))  # fmt: skip
    if done is not None:
        messages.success(request, f"{done}: recorded. No levy on the obligor's accounts while it is received.")
        return redirect("web:enforcement:facts", number=case.number)
    return _page(request, case, ssi=form, status=form_status(form))


def _end_page(request: AuthenticatedRequest, case: Case, record: Any, form: forms.Form, title: str) -> HttpResponse:
    context = {"case": case, "record": record, "form": form, "title": title}
    return render(request, f"{TEMPLATES}/fact_end.html", context, status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def bankruptcy_end(request: AuthenticatedRequest, number: str, stay_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    stay = stay_of(person=obligor_on_case(case), stay_id=stay_id)
    form = StayEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: end_bankruptcy_stay(actor=request.user, stay=stay, case=case, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"{done}: the stay ended on {done.ended_on:%m/%d/%Y}.")
            return redirect("web:enforcement:facts", number=case.number)
    return _end_page(request, case, stay, form, "End the bankruptcy stay")


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def ssi_end(request: AuthenticatedRequest, number: str, receipt_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    receipt = ssi_receipt_of(person=obligor_on_case(case), receipt_id=receipt_id)
    form = SsiEndForm(request.POST or None)
    if request.method == "POST":
        done = submit(form, lambda: end_ssi(actor=request.user, receipt=receipt, case=case, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"{done}: recorded.")
            return redirect("web:enforcement:facts", number=case.number)
    return _end_page(request, case, receipt, form, "End the period of SSI")
