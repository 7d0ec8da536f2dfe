"""The liens of a lien action, from a case (`enforcement.liens`): the action's page with each lien, its Notice of
Lien, its recording and its release; the lien taken (or one more recorded) with where it is recorded; the recording
the clerk returns; the date the release was filed. Every error comes back beside its field, all at once."""

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
from opencse.enforcement.actions import NOTE_MAXIMUM, record_lien
from opencse.enforcement.lien_models import PropertyKind
from opencse.enforcement.liens import (
    LienProperty,
    county_office,
    lien_action_on_case,
    lien_of,
    liens_of,
    may_record_lien,
    record_recording,
    record_release_filed,
    recording_offices,
    statement_citation,
    suggested_office,
)
from opencse.enforcement.models import EnforcementAction
from opencse.enforcement.selectors import arrears_owed
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, form_status, submit

TEMPLATES = "web/enforcement"


class LienForm(UswdsForm):
    """Where the lien is recorded. The fields are not required here: the service reports every problem at once."""

    taken_on = forms.DateField(label="Notice of Lien dated", widget=DATE_WIDGET,
                               help_text="The amount is the arrears owed that day")  # fmt: skip
    property_kind = forms.ChoiceField(label="Kind of property", choices=[("", "- Select -"), *PropertyKind.choices],
                                      required=False)  # fmt: skip
    property_description = forms.CharField(label="The property", max_length=300, required=False,
                                           help_text="The parcel's legal description or number; the vehicle's year, "
                                                     "make and VIN")  # fmt: skip
    county = forms.CharField(label="County (real property)", max_length=60, required=False)
    recording_office = forms.CharField(label="Recorded with", max_length=200, required=False)
    note = forms.CharField(label="Note", max_length=NOTE_MAXIMUM, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vehicle = suggested_office(PropertyKind.MOTOR_VEHICLE)
        self.fields["recording_office"].help_text = (
            "Real property in a county of this State: leave blank and the county's office is filled in (the "
            f"offices are listed below); a vehicle: {vehicle or 'the title office'}")  # fmt: skip


class RecordingForm(UswdsForm):
    recorded_on = forms.DateField(label="Recorded on", widget=DATE_WIDGET)
    book_page = forms.CharField(label="Book and page", max_length=60, required=False)
    instrument_number = forms.CharField(label="Instrument number", max_length=60, required=False)


class ReleaseFiledForm(UswdsForm):
    filed_on = forms.DateField(label="Release filed on", widget=DATE_WIDGET)


def _lien_action(request: AuthenticatedRequest, number: str, action_id: int) -> tuple[Case, EnforcementAction]:
    case = case_for_viewer(viewer=request.user, number=number)
    return case, lien_action_on_case(case=case, action_id=action_id)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def lien_show(request: AuthenticatedRequest, number: str, action_id: int) -> HttpResponse:
    """The lien action's liens, each with its Notice of Lien, its recording and its release."""
    case, action = _lien_action(request, number, action_id)
    context = {"case": case, "action": action, "liens": liens_of(action=action),
               "may_record": may_record_lien(action)}  # fmt: skip
    return render(request, f"{TEMPLATES}/liens.html", context)


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def lien_take(request: AuthenticatedRequest, number: str, action_id: int) -> HttpResponse:
    """Record a lien: takes the action when it waits after its notice; adds one more to a taken action."""
    case, action = _lien_action(request, number, action_id)
    today = timezone.localdate()
    form = LienForm(request.POST or None, initial={"taken_on": today})
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}

        def record() -> object:
            where = LienProperty(property_kind=data["property_kind"], county=data["county"],
                                 property_description=data["property_description"],
                                 recording_office=data["recording_office"])  # fmt: skip
            return record_lien(actor=request.user, action=action, on=data["taken_on"], lien=where, note=data["note"])

        if submit(form, record) is not None:
            messages.success(request, "Lien recorded: the Notice of Lien is generated.")
            return redirect("web:enforcement:liens", number=case.number, action_id=action.pk)
    county = form.data.get("county", "") if form.is_bound else ""
    context = {"case": case, "action": action, "form": form, "owed": arrears_owed(case, on=today), "today": today,
               "suggested": county_office(county) if county else "", "county": county,
               "offices": recording_offices(), "statement": statement_citation(PropertyKind.REAL_PROPERTY)}  # fmt: skip
    return render(request, f"{TEMPLATES}/lien_take.html", context, status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def lien_recording(request: AuthenticatedRequest, number: str, action_id: int, lien_id: int) -> HttpResponse:
    """The recording the clerk returned: the date, and the book and page or the instrument number."""
    case, action = _lien_action(request, number, action_id)
    lien = lien_of(action=action, lien_id=lien_id)
    form = RecordingForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        done = submit(form, lambda: record_recording(
            actor=request.user, lien=lien, recorded_on=data["recorded_on"], book_page=data["book_page"],
            instrument_number=data["instrument_number"]))  # fmt: skip
        if done is not None:
            messages.success(request, f"Recording with {lien.recording_office} entered.")
            return redirect("web:enforcement:liens", number=case.number, action_id=action.pk)
    context = {"case": case, "action": action, "lien": lien, "form": form,
               "title": "Enter the recording", "button": "Enter the recording"}  # fmt: skip
    return render(request, f"{TEMPLATES}/lien_step.html", context, status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def lien_release_filed(request: AuthenticatedRequest, number: str, action_id: int, lien_id: int) -> HttpResponse:
    """The Release of Lien was filed with the office: completes the task to file it."""
    case, action = _lien_action(request, number, action_id)
    lien = lien_of(action=action, lien_id=lien_id)
    form = ReleaseFiledForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: record_release_filed(actor=request.user, lien=lien,
                                                         filed_on=form.cleaned_data["filed_on"]))  # fmt: skip
        if done is not None:
            messages.success(request, f"Release of Lien filed with {lien.recording_office}.")
            return redirect("web:enforcement:liens", number=case.number, action_id=action.pk)
    context = {"case": case, "action": action, "lien": lien, "form": form,
               "title": "Record the release's filing", "button": "Record the filing"}  # fmt: skip
    return render(request, f"{TEMPLATES}/lien_step.html", context, status=form_status(form))
