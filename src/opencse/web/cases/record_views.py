"""Keeping the case record on the web: close a case (45 CFR 303.11(b)), edit its program and category,
reassign it, end a membership, correct a timeline note in place.

Each view parses the form, calls the case service (which checks authority, runs in one transaction and
writes the audit row) and redirects to the case page (POST-redirect-GET); a refusal goes back beside
its field. Notes are never edited: a correction is a new note that points back at the one it corrects.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.models import Case, CaseNote, NoteKind
from opencse.cases.selectors import case_for_viewer, case_page_timeline, member_on_case, note_on_case, workers_for_case
from opencse.cases.services import add_note, assign_case, close_case, end_membership, update_case
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.cases.forms import (
    CaseAssignForm,
    CaseCloseForm,
    CaseEditForm,
    MemberEndForm,
    NoteCorrectionForm,
    NoteForm,
)
from opencse.web.cases.views import timeline_context
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import UswdsForm, form_status, submit
from opencse.web.common.htmx import is_htmx

TEMPLATES = "web/record"


def _form_page(
    request: AuthenticatedRequest, template: str, case: Case, form: UswdsForm, **context: object
) -> HttpResponse:
    """The form again: 400 when it was refused, 409 when the case is closed (nothing may change it)."""
    status = form_status(form)
    if request.method == "POST" and not case.is_open:
        status = 409
    return render(request, f"{TEMPLATES}/{template}", {"case": case, "form": form, **context}, status=status)


@allow("cases.close")
@require_http_methods(["GET", "POST"])
@domain_errors
def case_close(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Close the case for a 303.11(b) reason; the officer's note goes into the timeline with the closure."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = CaseCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    closed = (
        submit(form, lambda: close_case(actor=request.user, case=case, **form.cleaned_data)) if case.is_open else None
    )
    if closed:
        messages.success(request, f"Case {closed.number} closed on {closed.closed_on:%m/%d/%Y}.")
        return redirect("web:cases:show", number=closed.number)
    case.refresh_from_db()  # a refused closure left the in-memory case closed
    return _form_page(request, "case_close.html", case, form)


@allow("cases.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def case_edit(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Change what `update_case` allows: program, category and the other jurisdiction."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = CaseEditForm.for_case(case, request.POST or None)
    updated = (
        submit(form, lambda: update_case(actor=request.user, case=case, **form.cleaned_data)) if case.is_open else None
    )
    if updated:
        messages.success(request, f"Case {case.number} updated.")
        return redirect("web:cases:show", number=case.number)
    case.refresh_from_db()  # a refused change left its values on the in-memory case
    return _form_page(request, "case_edit.html", case, form)


@allow("cases.assign")
@require_http_methods(["GET", "POST"])
@domain_errors
def case_assign(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """A supervisor gives the case to a worker of the case's office."""
    case = case_for_viewer(viewer=request.user, number=number)
    workers = list(workers_for_case(case=case))
    form = CaseAssignForm(request.POST or None, workers=workers, initial={"worker": case.assigned_worker_id or ""})

    def assign() -> Case:
        worker = next(worker for worker in workers if worker.pk == form.cleaned_data["worker"])
        return assign_case(actor=request.user, case=case, worker=worker)

    assigned = submit(form, assign) if case.is_open else None
    if assigned:
        worker = assigned.assigned_worker
        assert worker is not None  # the service just assigned one
        messages.success(request, f"Case {case.number} assigned to {worker.get_full_name() or worker.username}.")
        return redirect("web:cases:show", number=case.number)
    return _form_page(request, "case_assign.html", case, form)


@allow("cases.add_member")
@require_http_methods(["GET", "POST"])
@domain_errors
def member_end(request: AuthenticatedRequest, number: str, member_id: int) -> HttpResponse:
    """Record the day a person left the case in a role (a child emancipated, a parent removed)."""
    case = case_for_viewer(viewer=request.user, number=number)
    member = member_on_case(case=case, member_id=member_id)
    form = MemberEndForm(request.POST or None, initial={"left_on": timezone.localdate()})
    ending = case.is_open and member.left_on is None
    ended = (
        submit(form, lambda: end_membership(actor=request.user, member=member, **form.cleaned_data)) if ending else None
    )
    if ended:
        messages.success(request, f"{member.person.full_name} left the case as {member.get_role_display().lower()}.")
        return redirect("web:cases:show", number=case.number)
    response = _form_page(request, "member_end.html", case, form, member=member)
    if request.method == "POST" and member.left_on is not None:
        response.status_code = 409
    return response


def _timeline(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    """The timeline (web/partials/notes.html), swapped in place of the one on the page."""
    timeline = timeline_context(case_page_timeline(case=case))
    context = {"case": case, **timeline, "note_form": NoteForm(), "can_add_note": True}
    response = render(request, "web/partials/notes.html", context)
    response["HX-Retarget"] = "#timeline"
    response["HX-Reswap"] = "outerHTML"
    return response


@allow("cases.add_note")
@require_http_methods(["GET", "POST"])
@domain_errors
def note_correct(request: AuthenticatedRequest, number: str, note_id: int) -> HttpResponse:
    """Correct a note: with htmx, a form under the note, and the timeline in its place once added."""
    case = case_for_viewer(viewer=request.user, number=number)
    note = note_on_case(case=case, note_id=note_id)
    form = NoteCorrectionForm(request.POST or None, prefix=f"correct-{note.pk}")

    def correct() -> CaseNote:
        text = form.cleaned_data["text"]
        return add_note(actor=request.user, case=case, kind=NoteKind.CORRECTION, text=text, corrects=note)

    if submit(form, correct):
        if is_htmx(request):
            return _timeline(request, case)
        messages.success(request, "Correction added to the timeline.")
        return redirect("web:cases:show", number=case.number)
    status = form_status(form)
    context = {"case": case, "note": note, "form": form}
    template = "note_correct_form.html" if is_htmx(request) else "note_correct.html"
    return render(request, f"{TEMPLATES}/{template}", context, status=status)
