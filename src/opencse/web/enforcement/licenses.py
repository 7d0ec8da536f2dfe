"""The licenses the obligor holds (42 U.S.C. 666(a)(16); `enforcement.licenses`), from a case: the page lists
each with what was sent to its licensing agency and the agency's answer; an SEO 1, SEO 2 or supervisor records
a license (the form on the page) or its end (a page). Every error comes back at once beside its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.license_models import LicenseKind
from opencse.enforcement.licenses import (
    REASON_MAXIMUM,
    agency_choices,
    end_license,
    license_of,
    licenses_of,
    record_license,
    source_choices,
)
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, form_status, submit

TEMPLATES = "web/enforcement"
SHOWN = 50


def _not_future(value: date | None) -> date | None:
    """The service refuses a future date too; asked here so it comes back with the form's other errors at once."""
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError("cannot be in the future")
    return value


class LicenseForm(UswdsForm):
    """A license the obligor holds."""

    kind = forms.ChoiceField(label="Kind of license", choices=[("", "- Select -"), *LicenseKind.choices])
    agency = forms.ChoiceField(label="Licensing agency or board", choices=())
    number = forms.CharField(label="License number", max_length=40, help_text="As the agency prints it")
    source = forms.ChoiceField(label="Reported by", choices=())
    reported_on = forms.DateField(label="Reported on", widget=DATE_WIDGET,
                                  help_text="The date the source reported it or the officer learned of it")  # fmt: skip
    expires_on = forms.DateField(label="Expires on", widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "- Select -"), *agency_choices()]  # type: ignore[attr-defined]
        self.fields["source"].choices = [("", "- Select -"), *source_choices()]  # type: ignore[attr-defined]

    def clean_reported_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("reported_on"))


class LicenseEndForm(UswdsForm):
    ended_on = forms.DateField(label="No longer held from", widget=DATE_WIDGET)
    reason = forms.CharField(label="Why", max_length=REASON_MAXIMUM, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Expired, surrendered, recorded in error...")  # fmt: skip

    def clean_ended_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("ended_on"))


def _page(request: AuthenticatedRequest, case: Case, *, form: LicenseForm | None = None,
          status: int = 200) -> HttpResponse:  # fmt: skip
    obligor = obligor_on_case(case)
    licenses = [(license, list(license.certifications.all())) for license in licenses_of(person=obligor)[:SHOWN]]
    context = {
        "case": case,
        "obligor": obligor,
        "licenses": licenses,
        "form": form or LicenseForm(prefix="license", initial={"reported_on": timezone.localdate()}),
    }
    return render(request, f"{TEMPLATES}/licenses.html", context, status=status)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def licenses_show(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _page(request, case_for_viewer(viewer=request.user, number=number))


@allow("enforcement.act")
@require_http_methods(["POST"])
@domain_errors
def license_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = LicenseForm(request.POST, prefix="license")
    done = submit(form, lambda: record_license(actor=request.user, case=case, **form.cleaned_data))
    if done is not None:
        messages.success(request, f"{done}: recorded. It is certified to its agency while a license suspension "
                         "action is taken against the obligor.")  # fmt: skip
        return redirect("web:enforcement:licenses", number=case.number)
    return _page(request, case, form=form, status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def license_end(request: AuthenticatedRequest, number: str, license_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    license = license_of(person=obligor_on_case(case), license_id=license_id)
    form = LicenseEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: end_license(actor=request.user, case=case, license=license, **form.cleaned_data))
        if done is not None:
            messages.success(request, f"{done}: no longer held from {done.ended_on:%m/%d/%Y}.")
            return redirect("web:enforcement:licenses", number=case.number)
    context = {"case": case, "record": license, "form": form, "title": "The obligor no longer holds this license"}
    return render(request, f"{TEMPLATES}/license_end.html", context, status=form_status(form))
