"""The correspondence log's pages. Views parse, call `documents.correspondence`'s selectors and services
(which check the case, run in one transaction and audit), and render. A scan is served only here, each
viewing audited, with the type its bytes were found to be; a case of another office is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer, case_members
from opencse.documents.correspondence import selectors, services, storage
from opencse.documents.correspondence.models import Correspondence
from opencse.documents.correspondence.services import ScanFile
from opencse.documents.selectors import documents_of_case
from opencse.people.models import Person
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.correspondence.forms import CorrespondenceForm


@allow("correspondence.view")
@require_GET
@domain_errors
def correspondence_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    context = {
        "case": case,
        "entries": selectors.correspondence_of_case(viewer=request.user, case=case),
        "can_log": can(request.user, "correspondence.log", case),
        "limit": selectors.ENTRIES_SHOWN,
    }
    return render(request, "web/correspondence/list.html", context)


def _form(request: AuthenticatedRequest, case: Case) -> CorrespondenceForm:
    people = [(m.person.pk, f"{m.person.full_name} ({m.get_role_display()})") for m in case_members(case=case)]
    documents = [
        (d.pk, f"{d.title}, version {d.version} ({d.dated_on:%m/%d/%Y})")
        for d in documents_of_case(viewer=request.user, case=case, current_only=True, limit=100)
    ]
    entries = [
        (e.pk, f"{e.dated_on:%m/%d/%Y} {e.get_direction_display()} by {e.get_channel_display()}: {e.summary[:60]}")
        for e in selectors.correspondence_of_case(viewer=request.user, case=case, limit=100)
    ]
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return CorrespondenceForm(data, files, people=people, documents=documents, entries=entries)


@allow("correspondence.log")
@require_http_methods(["GET", "POST"])
@domain_errors
def correspondence_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Log a letter, call, email, fax, portal message or agency exchange, with its scans."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = _form(request, case)

    def log() -> Correspondence:
        values = form.cleaned_data
        person_id, document_id, corrects_id = values["person"], values["document"], values["corrects"]
        maximum = storage.upload_maximum()
        scans = [ScanFile(name=upload.name or "scan", content=upload.read(maximum + 1)) for upload in values["scans"]]
        document = None
        if document_id is not None:
            document = next(d for d in documents_of_case(viewer=request.user, case=case) if d.pk == document_id)
        return services.log_correspondence(
            actor=request.user,
            case=case,
            direction=values["direction"],
            channel=values["channel"],
            dated_on=values["dated_on"],
            summary=values["summary"],
            counterpart=values["counterpart"],
            person=_member_person(case, person_id),
            document=document,
            scans=scans,
            corrects=selectors.entry_on_case(viewer=request.user, case=case, entry_id=corrects_id)
            if corrects_id is not None
            else None,
        )

    logged = submit(form, log) if request.method == "POST" else None
    if logged is not None:
        messages.success(request, "Correspondence logged.")
        return redirect("web:correspondence:list", case.number)
    return render(
        request,
        "web/correspondence/new.html",
        {"case": case, "form": form, "maximum_mb": storage.upload_maximum() // (1024 * 1024)},
        status=form_status(form),
    )


def _member_person(case: Case, person_id: int | None) -> Person | None:
    """The chosen member's person (the form's choices are the case's members, so it is one of them)."""
    if person_id is None:
        return None
    return next(member.person for member in case_members(case=case) if member.person_id == person_id)


@allow("correspondence.view")
@require_GET
@domain_errors
def scan_show(request: AuthenticatedRequest, scan_id: int) -> HttpResponse:
    """The scan's bytes, the viewing audited; never cached, never sniffed by the browser as another type."""
    opened = services.open_scan(viewer=request.user, scan_id=scan_id)
    response = HttpResponse(opened.content, content_type=opened.scan.content_type)
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in opened.scan.file_name)
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
