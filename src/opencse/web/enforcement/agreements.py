"""Payment agreements on a case (`enforcement.agreements`): the list with each one's status, amount, dates and
whether it is kept this month; the form an officer negotiates one with (every error at once beside its field);
and its page, where an SEO 2 or supervisor signs or rejects it (never their own: the service refuses, and the
refusal comes back above the form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.selectors import case_for_viewer
from opencse.enforcement.agreements import (
    agreement_on_case,
    agreements_of_case,
    decide_agreement,
    end_agreement,
    propose_agreement,
    standings,
)
from opencse.enforcement.models import AgreementStatus, PaymentAgreement
from opencse.errors import NotAuthorized
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import add_domain_error, form_status, submit
from opencse.web.enforcement.forms import AgreementDecisionForm, AgreementEndForm, AgreementForm

TEMPLATES = "web/enforcement"
AGREEMENTS_SHOWN = 100


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def agreement_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    agreements = list(agreements_of_case(case=case)[:AGREEMENTS_SHOWN])
    today = timezone.localdate()
    context = {
        "case": case,
        "today": today,
        "standings": standings(agreements, as_of=today),
        "open_agreement": any(each.status in (AgreementStatus.PROPOSED, AgreementStatus.ACTIVE) for each in agreements),
    }
    return render(request, f"{TEMPLATES}/agreements.html", context)


@allow("enforcement.propose")
@require_http_methods(["GET", "POST"])
@domain_errors
def agreement_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = AgreementForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: propose_agreement(
            actor=request.user, case=case, monthly_amount=form.cleaned_data["monthly_amount"],
            starts_on=form.cleaned_data["starts_on"], terms=form.cleaned_data["terms"]))  # fmt: skip
        if done is not None:
            messages.success(request, f"{done}: negotiated, waiting for an SEO 2's signature.")
            return redirect("web:enforcement:agreement", number=case.number, agreement_id=done.pk)
    return render(request, f"{TEMPLATES}/agreement_new.html", {"case": case, "form": form}, status=form_status(form))


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def agreement_show(request: AuthenticatedRequest, number: str, agreement_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    agreement = agreement_on_case(case=case, agreement_id=agreement_id)
    return render(request, f"{TEMPLATES}/agreement.html", _context(case, agreement, AgreementDecisionForm()))


def _context(
    case: Any, agreement: PaymentAgreement, form: AgreementDecisionForm, end_form: AgreementEndForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    end_form = end_form or AgreementEndForm(prefix="end", initial={"ended_on": today})
    standing = standings([agreement], as_of=today)[0]
    return {"case": case, "standing": standing, "form": form, "end_form": end_form, "today": today}


@allow("enforcement.propose")
@require_http_methods(["POST"])
@domain_errors
def agreement_end(request: AuthenticatedRequest, number: str, agreement_id: int) -> HttpResponse:
    """End the agreement in effect (paid off, renegotiated, or by the officer): the remedies it held resume."""
    case = case_for_viewer(viewer=request.user, number=number)
    agreement = agreement_on_case(case=case, agreement_id=agreement_id)
    form = AgreementEndForm(request.POST, prefix="end")
    done = submit(form, lambda: end_agreement(actor=request.user, agreement=agreement, **form.cleaned_data))
    if done is not None:
        messages.success(request, f"{done}: ended on {done.ended_on:%m/%d/%Y}. The remedies it held may resume.")
        return redirect("web:enforcement:agreement", number=case.number, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    context = _context(case, agreement, AgreementDecisionForm(), end_form=form)
    return render(request, f"{TEMPLATES}/agreement.html", context, status=form_status(form))


@allow("enforcement.approve")
@require_http_methods(["POST"])
@domain_errors
def agreement_decide(request: AuthenticatedRequest, number: str, agreement_id: int) -> HttpResponse:
    """Sign (the agreement takes effect) or reject it with a note."""
    case = case_for_viewer(viewer=request.user, number=number)
    agreement = agreement_on_case(case=case, agreement_id=agreement_id)
    form = AgreementDecisionForm(request.POST)
    try:
        done = submit(form, lambda: decide_agreement(
            actor=request.user, agreement=agreement, approve=form.cleaned_data["decision"] == "sign",
            note=form.cleaned_data["note"]))  # fmt: skip
    except NotAuthorized as error:  # one's own agreement: said above the form, not a bare refusal page
        add_domain_error(form, error)
        form.refusal = error  # type: ignore[attr-defined]  # read by form_status
        done = None
    if done is not None:
        messages.success(request, f"{done}: {done.get_status_display().lower()}.")
        return redirect("web:enforcement:agreement", number=case.number, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    return render(request, f"{TEMPLATES}/agreement.html", _context(case, agreement, form), status=form_status(form))
