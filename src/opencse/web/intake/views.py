"""The intake pages: the queue (soonest case-opening deadline first), one referral with its matches and the
one-step opening, rejecting or marking a duplicate, a referral file's rejected lines, the application form,
a new person on one screen, and the custodial party's interview on a case. Each form reaches its service
through `submit`; a refusal comes back beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases.models import MemberRole, Program
from opencse.cases.selectors import case_for_viewer
from opencse.errors import DomainError, InvalidInput, InvalidInputs
from opencse.intake.models import ReferralImport
from opencse.intake.selectors import intake_queue, queue_row, referral_for_viewer
from opencse.intake.services import (
    ApplicationInput,
    application_errors,
    choose_people,
    close_referral,
    enter_person,
    match_referral,
    open_case_from_referral,
    receive_application,
    record_import_read,
    record_interview,
    record_referral_read,
)
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.intake.forms import (
    CHILD_SLOTS,
    ApplicationForm,
    ChoicesForm,
    CloseForm,
    InterviewForm,
    PartyForm,
    PersonForm,
)

TEMPLATES = "web/intake"


@allow("intake.view")
@require_GET
@domain_errors
def queue_show(request: AuthenticatedRequest) -> HttpResponse:
    """Referrals and applications waiting for a case, the soonest case-opening deadline first."""
    everything = request.GET.get("show") == "all"
    rows = intake_queue(viewer=request.user, include_decided=everything)
    imports = ReferralImport.objects.order_by("-imported_at", "-pk")[:10]
    context = {"rows": rows, "everything": everything, "imports": imports, "today": timezone.localdate()}
    return render(request, f"{TEMPLATES}/queue.html", context)


@allow("intake.view")
@require_GET
@domain_errors
def import_show(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    """A referral file's counts and every line that was not accepted, with its number and the reason."""
    referral_import = get_object_or_404(ReferralImport, pk=import_id)
    rejections = referral_import.rejections.order_by("line_number", "pk")
    record_import_read(viewer=request.user, referral_import=referral_import)
    context = {"import": referral_import, "rejections": rejections}
    return render(request, f"{TEMPLATES}/import.html", context)


def _referral_page(
    request: AuthenticatedRequest, referral: Any, form: ChoicesForm | None = None, close_form: CloseForm | None = None,
    matches: Any = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    deciding = referral.is_open and can(request.user, "intake.decide")
    if deciding and matches is None:
        matches = match_referral(actor=request.user, referral=referral)  # audited with the candidates shown
    elif not deciding:
        record_referral_read(viewer=request.user, referral=referral)
    if deciding and form is None:
        form = ChoicesForm(matches=matches, initial={"opened_on": timezone.localdate()})
    rows = []
    for party in referral.parties.all():
        field = form[f"party-{party.pk}"] if form is not None else None
        match = next((m for m in matches.parties if m.party.pk == party.pk), None) if matches else None
        rows.append({"party": party, "field": field, "candidates": match.candidates if match else ()})
    context = {
        "referral": referral, "row": queue_row(viewer=request.user, referral=referral), "form": form,
        "parties": rows, "matches": matches, "deciding": deciding,
        "close_form": close_form or CloseForm(), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, f"{TEMPLATES}/referral.html", context, status=status)


@allow("intake.view")
@require_http_methods(["GET", "POST"])
@domain_errors
def referral_show(request: AuthenticatedRequest, intake_id: int) -> HttpResponse:
    """A referral's people and the people on file who may be them; the officer chooses for each ("use this
    person" or "new person") and opens the case in one step, or saves the choices (matched)."""
    referral = referral_for_viewer(viewer=request.user, referral_id=intake_id)
    if request.method == "GET":
        return _referral_page(request, referral)
    matches = match_referral(actor=request.user, referral=referral)
    form = ChoicesForm(request.POST, matches=matches)
    if request.POST.get("action") == "save":
        saved = submit(form, lambda: choose_people(actor=request.user, referral=referral, choices=form.choices()))
        if saved is not None:
            messages.success(request, f"Choices saved: {referral.label} is matched.")
            return redirect("web:intake:referral", intake_id=referral.pk)
    else:
        case = submit(form, lambda: open_case_from_referral(
            actor=request.user, referral=referral, choices=form.choices(), opened_on=form.cleaned_data["opened_on"],
        ))  # fmt: skip
        if case is not None:
            messages.success(request, f"Case {case.number} opened from {referral.label}.")
            return redirect("web:cases:show", number=case.number)
    referral.refresh_from_db()
    return _referral_page(request, referral, form=form, matches=matches, status=form_status(form))


@allow("intake.decide")
@require_http_methods(["GET", "POST"])
@domain_errors
def referral_close(request: AuthenticatedRequest, intake_id: int) -> HttpResponse:
    """Reject the referral, or mark it a duplicate, with the reason (audited)."""
    referral = referral_for_viewer(viewer=request.user, referral_id=intake_id)
    if request.method == "GET":
        return _referral_page(request, referral)
    form = CloseForm(request.POST)
    closed = submit(form, lambda: close_referral(actor=request.user, referral=referral, **form.cleaned_data))
    if closed is not None:
        messages.success(request, f"{referral.label}: {closed.get_status_display().lower()}.")
        return redirect("web:intake:queue")
    referral.refresh_from_db()
    return _referral_page(request, referral, close_form=form, status=form_status(form))


def split_name(searched: str) -> dict[str, str]:
    """The name searched for, as the first and last name of the applicant: "Last, First" or "First Last"."""
    if "," in searched:
        last, _, first = searched.partition(",")
    else:
        first, _, last = searched.strip().rpartition(" ")
    return {"first_name": " ".join(first.split()), "last_name": " ".join(last.split())}


def _application_forms(request: AuthenticatedRequest) -> tuple[ApplicationForm, list[tuple[str, PartyForm]]]:
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    searched = request.GET.get("name", "").strip()[:120] if data is None else ""
    if searched:
        initial = split_name(searched)
    application = ApplicationForm(data, initial={"received_on": timezone.localdate()})
    parties = [("Custodial party (the applicant)", PartyForm(data, prefix="cp", required_names=True, initial=initial)),
               ("The other parent", PartyForm(data, prefix="ncp"))]  # fmt: skip
    parties += [(f"Child {n + 1}", PartyForm(data, prefix=f"child-{n}")) for n in range(CHILD_SLOTS)]
    return application, parties


def _place_application(
    forms_by_prefix: dict[str, forms.Form], error: DomainError | list[InvalidInput], *, only_new: bool = False
) -> None:
    """Each refusal beside its party's field (`cp-ssn` on the custodial party's SSN); with `only_new`, not on a
    field the form already refused (its own message says what to fix first)."""
    errors = error if isinstance(error, list) else error.errors if isinstance(error, InvalidInputs) else [error]
    for each in errors:
        prefix, _, name = (each.field or "").rpartition("-")
        form = forms_by_prefix.get(prefix) or forms_by_prefix[""]
        field = name if name in form.fields else None
        if only_new and (field in form.errors or not hasattr(form, "cleaned_data")):
            continue
        form.add_error(field, each.message)


@allow("intake.receive")
@require_http_methods(["GET", "POST"])
@domain_errors
def application_new(request: AuthenticatedRequest) -> HttpResponse:
    """A non-TANF application on one form: the custodial party, the other parent, the children, each with their
    address; every error at once, beside its field. Then the matching page of the new application."""
    application, parties = _application_forms(request)
    status = 200
    if request.method == "POST":
        valid = all([form.is_valid() for form in (application, *(form for _, form in parties))])
        children = [form for _, form in parties[2:] if not form.is_blank()]
        other = parties[1][1]
        forms_by_prefix: dict[str, forms.Form] = {"": application, **{form.prefix or "": form for _, form in parties}}
        # the service names a child by its place among the children given: map it back to its form
        forms_by_prefix.update({f"child-{n}": form for n, form in enumerate(children)})
        data = application.cleaned_data
        value = ApplicationInput(
            received_on=data.get("received_on") or timezone.localdate(),
            program=data.get("program", Program.NEVER_ASSISTANCE),
            custodial_party=parties[0][1].party(), other_parent=None if other.is_blank() else other.party(),
            other_parent_role=data.get("other_parent_role", MemberRole.NONCUSTODIAL_PARENT),
            children=[form.party() for form in children], family_violence=data.get("family_violence", False),
        )  # fmt: skip
        if not valid:  # the service's refusals of the values the forms accepted, beside them, all at once
            _place_application(forms_by_prefix, application_errors(value), only_new=True)
        else:
            referral = submit(application, lambda: receive_application(actor=request.user, application=value),
                              place=lambda _, error: _place_application(forms_by_prefix, error))  # fmt: skip
            if referral is not None:
                messages.success(request, f"{referral.label} received: choose the people, then open the case.")
                return redirect("web:intake:referral", intake_id=referral.pk)
        status = 400
    every_form = [application, *(form for _, form in parties)]
    error_count = sum(len(form.errors) for form in every_form)
    context = {"application": application, "parties": parties, "error_count": error_count,
               "errors": [(form, field) for form in every_form for field in form if field.errors]}  # fmt: skip
    return render(request, f"{TEMPLATES}/application.html", context, status=status)


@allow("people.create")
@require_http_methods(["GET", "POST"])
@domain_errors
def person_new(request: AuthenticatedRequest) -> HttpResponse:
    """A new person with their address and employer on one screen (one service call)."""
    form = PersonForm(request.POST or None)
    person = submit(form, lambda: enter_person(actor=request.user, **form.values()))
    if person is not None:
        messages.success(request, f"{person.full_name} added.")
        return redirect("web:people:show", pk=person.pk)
    return render(request, f"{TEMPLATES}/person.html", {"form": form}, status=form_status(form))


@allow("intake.interview")
@require_http_methods(["GET", "POST"])
@domain_errors
def interview_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The custodial party's intake interview, recorded on the case."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = InterviewForm(request.POST or None, initial={"interviewed_on": timezone.localdate()})
    interview = submit(form, lambda: record_interview(actor=request.user, case=case, **form.values()))
    if interview is not None:
        messages.success(request, f"Interview of {interview.custodial_party.full_name} recorded.")
        return redirect("web:cases:show", number=case.number)
    return render(request, f"{TEMPLATES}/interview.html", {"case": case, "form": form}, status=form_status(form))
