"""The benefit intercept pages (42 U.S.C. 654(19), 666(b)(8); 45 CFR 302.65), reached from the case's income
withholding page, which lists the obligor's benefit claims and the intercepts sent (`benefit_context`): record a
claim (by hand or from an unemployment locate record posted as a lead), record its end, send an intercept by
voluntary agreement or legal process with the amount explained, and end one. Each form reaches its service
through `submit`; a refusal comes back beside its field."""

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
from opencse.enforcement.intercept import (
    claim_of_case,
    claims_of_case,
    end_benefit_claim,
    intercept_of_case,
    intercept_preview,
    intercepts_of_case,
    issue_benefit_intercept,
    record_benefit_claim,
    terminate_benefit_intercept,
    unemployment_leads,
)
from opencse.enforcement.intercept_models import BenefitKind, InterceptBasis
from opencse.errors import InvalidInput, NotFound
from opencse.locate.models import LocateRecord
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, form_status, money_field, submit

TEMPLATES = "web/enforcement"
SHOWN = 50


class ClaimForm(UswdsForm):
    kind = forms.ChoiceField(label="Benefit", choices=[("", "- Select -"), *BenefitKind.choices])
    locate_record = forms.TypedChoiceField(label="From an unemployment locate record (optional)", required=False,
                                           coerce=int, empty_value=None, choices=[])  # fmt: skip
    weekly_benefit_amount = money_field("Weekly benefit amount")
    starts_on = forms.DateField(label="Claim effective", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Last day paid, if known", widget=DATE_WIDGET, required=False)
    claim_number = forms.CharField(label="Claim number", max_length=40, required=False)
    payer_name = forms.CharField(label="Payer", max_length=120, required=False,
                                 help_text="Unemployment: blank for this State's workforce agency. Workers' "
                                 "compensation: the insurer or state fund")  # fmt: skip
    payer_lines = forms.CharField(label="Payer's address", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="One line per line; up to four")  # fmt: skip

    def __init__(self, *args: Any, records: list[LocateRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(r.pk, f"{r.source}, received {r.received_on:%m/%d/%Y}: {r.employer_name or 'no payer'}")
                   for r in records]  # fmt: skip
        field = self.fields["locate_record"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "- None: entered by hand -"), *choices]


class ClaimEndForm(UswdsForm):
    ended_on = forms.DateField(label="Last day paid", widget=DATE_WIDGET)
    note = forms.CharField(label="Note", max_length=300, required=False,
                           help_text="For example: benefits exhausted; returned to work")  # fmt: skip


class InterceptForm(UswdsForm):
    basis = forms.ChoiceField(label="Authority", choices=InterceptBasis.choices, widget=forms.RadioSelect)
    dated_on = forms.DateField(label="Date of the notice", widget=DATE_WIDGET)
    agreed_weekly = money_field("Weekly amount the obligor agreed to (agreement only)")
    agreement_signed_on = forms.DateField(label="Agreement signed on (agreement only)", widget=DATE_WIDGET,
                                          required=False)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_weekly"].required = False


class InterceptEndForm(UswdsForm):
    dated_on = forms.DateField(label="Date of the notice", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Reason (printed on the notice)",
        max_length=300,
        help_text="For example: the obligor revoked the agreement; support is paid in full",
    )


def benefit_context(case: Case) -> dict[str, Any]:
    """What the income withholding page shows of the benefit intercept: the obligor's claims and the notices."""
    return {"benefit_claims": list(claims_of_case(case=case)[:SHOWN]),
            "benefit_intercepts": list(intercepts_of_case(case=case)[:SHOWN])}  # fmt: skip


def _form_page(request: AuthenticatedRequest, case: Case, form: forms.Form, title: str, *, intro: str = "",
               preview: Any = None) -> HttpResponse:  # fmt: skip
    context = {"case": case, "form": form, "title": title, "intro": intro, "preview": preview}
    return render(request, f"{TEMPLATES}/benefit_form.html", context, status=form_status(form))


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def claim_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    records = unemployment_leads(case=case, limit=SHOWN)
    form = ClaimForm(request.POST or None, records=records)
    if request.method == "POST":

        def record() -> Any:
            data = form.cleaned_data
            return record_benefit_claim(
                actor=request.user, case=case, kind=data["kind"], weekly_benefit_amount=data["weekly_benefit_amount"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], claim_number=data["claim_number"],
                payer_name=data["payer_name"], payer_lines=data["payer_lines"].splitlines(),
                locate_record_id=data["locate_record"],
            )  # fmt: skip

        done = submit(form, record)
        if done is not None:
            messages.success(request, f"Recorded: {done}.")
            return redirect("web:enforcement:withholding", number=case.number)
    intro = ("Unemployment compensation and workers' compensation are income for withholding (42 U.S.C. "
             "666(b)(8)); support not being met is withheld from them (45 CFR 302.65).")  # fmt: skip
    return _form_page(request, case, form, "Record a benefit claim of the obligor", intro=intro)


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def claim_end(request: AuthenticatedRequest, number: str, claim_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    claim = claim_of_case(case=case, claim_id=claim_id)
    form = ClaimEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: end_benefit_claim(actor=request.user, case=case, claim=claim,
                                                      **form.cleaned_data))  # fmt: skip
        if done is not None:
            messages.success(request, f"The claim ended on {done.ends_on:%m/%d/%Y}; any intercept of it was ended.")
            return redirect("web:enforcement:withholding", number=case.number)
    return _form_page(request, case, form, "Record the end of the claim", intro=str(claim))


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def intercept_new(request: AuthenticatedRequest, number: str, claim_id: int) -> HttpResponse:
    """The amount legal process would withhold today, explained, and the form to send the notice."""
    case = case_for_viewer(viewer=request.user, number=number)
    claim = claim_of_case(case=case, claim_id=claim_id)
    today = timezone.localdate()
    form = InterceptForm(request.POST or None, initial={"dated_on": today, "basis": InterceptBasis.LEGAL_PROCESS})
    if request.method == "POST":
        done = submit(form, lambda: issue_benefit_intercept(actor=request.user, case=case, claim=claim,
                                                            **form.cleaned_data))  # fmt: skip
        if done is not None:
            messages.success(request, f"The notice went to {claim.payer_name}: ${done.weekly_amount:,} a week.")
            return redirect("web:enforcement:withholding", number=case.number)
    try:
        preview = intercept_preview(case=case, claim=claim, on=today)
    except (InvalidInput, NotFound):
        preview = None
    return _form_page(request, case, form, f"Intercept the benefit: {claim}", preview=preview)


@allow("enforcement.withhold")
@require_http_methods(["GET", "POST"])
@domain_errors
def intercept_end(request: AuthenticatedRequest, number: str, intercept_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    intercept = intercept_of_case(case=case, intercept_id=intercept_id)
    form = InterceptEndForm(request.POST or None, initial={"dated_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: terminate_benefit_intercept(actor=request.user, intercept=intercept,
                                                                **form.cleaned_data))  # fmt: skip
        if done is not None:
            messages.success(request, f"The termination went to {intercept.claim.payer_name}.")
            return redirect("web:enforcement:withholding", number=case.number)
    return _form_page(request, case, form, "End the benefit intercept", intro=str(intercept))
