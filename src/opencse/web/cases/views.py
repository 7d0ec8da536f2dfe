"""The case: open one, its page (members, addresses, employers, timeline), add a note, add a member."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from opencse.cases.models import Case, CaseMember
from opencse.cases.selectors import (
    PersonPanel,
    Timeline,
    case_for_viewer,
    case_members,
    case_page_timeline,
    person_panels,
)
from opencse.cases.services import add_member, add_new_person, add_note, open_case, record_case_read
from opencse.establishment.selectors import proposals_waiting_on_case
from opencse.ledger.selectors import adjustments_waiting_on_case
from opencse.ledger.summary import case_money
from opencse.people.selectors import person_for_viewer
from opencse.people.services import record_protected_view, search_people
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.agencies.views import case_agency_context
from opencse.web.cases.forms import CaseOpenForm, ExistingMemberForm, NewPersonForm, NoteForm
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, refuse_ssn_in_address, search_form_data, submit
from opencse.web.common.htmx import is_htmx
from opencse.web.home.forms import PersonSearchForm
from opencse.work.selectors import tasks_for_case


@allow("cases.open")
@require_http_methods(["GET", "POST"])
@domain_errors
def case_open(request: AuthenticatedRequest) -> HttpResponse:
    form = CaseOpenForm(request.POST or None)
    case = submit(form, lambda: open_case(actor=request.user, **form.cleaned_data))
    if case:
        return redirect("web:cases:show", number=case.number)
    return render(request, "web/case_open.html", {"form": form}, status=form_status(form))


def _case_context(
    request: AuthenticatedRequest, case: Case, note_form: NoteForm | None = None, older_notes: bool = False
) -> dict[str, object]:
    viewer = request.user
    panels = person_panels(viewer=viewer, members=list(case_members(case=case)))
    for panel in panels:
        if panel.protected_address_shown:
            record_protected_view(actor=viewer, person=panel.person)
    can_view_finance = can(viewer, "ledger.view", case)
    return {
        "case": case,
        "panels": panels,
        "parties": _parties(panels),
        "money": case_money(case=case, as_of=timezone.localdate()) if can_view_finance else None,
        "tasks": tasks_for_case(viewer=viewer, case=case, as_of=timezone.localdate()),
        "proposals_waiting": proposals_waiting_on_case(case=case),
        "adjustments_waiting": adjustments_waiting_on_case(case=case) if can_view_finance else [],
        **timeline_context(case_page_timeline(case=case, older=older_notes)),
        "note_form": note_form or NoteForm(),
        "can_add_note": can(viewer, "cases.add_note", case),
        "can_add_member": can(viewer, "cases.add_member", case) and case.is_open,
        "can_reveal_ssn": can(viewer, "people.reveal_ssn"),
        "can_view_finance": can_view_finance,
        **case_agency_context(viewer=viewer, case=case),
    }


def timeline_context(timeline: Timeline) -> dict[str, object]:
    """What web/partials/notes.html needs of the timeline."""
    return {"notes": timeline.notes, "older_notes": timeline.older, "all_notes_asked": timeline.all_shown}


def _parties(panels: list[PersonPanel]) -> dict[str, list[str]]:
    """The current members' names by role, for the case summary: "Custodial party": ["Ana Moreno"]."""
    parties: dict[str, list[str]] = {}
    for panel in panels:
        if panel.member is not None and panel.member.left_on is None:
            parties.setdefault(panel.member.get_role_display(), []).append(panel.person.full_name)
    return parties


@allow("cases.view")
@require_http_methods(["GET"])
@domain_errors
def case_show(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    record_case_read(viewer=request.user, case=case)
    older_notes = request.GET.get("notes") == "older"
    return render(request, "web/case.html", _case_context(request, case, older_notes=older_notes))


@allow("cases.add_note")
@require_POST
@domain_errors
def note_add(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Add a note; with htmx, answer with the timeline (and an empty form) to swap in place."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = NoteForm(request.POST)
    status = 200
    if submit(form, lambda: add_note(actor=request.user, case=case, **form.cleaned_data)):
        if not is_htmx(request):
            return redirect("web:cases:show", number=case.number)
        form = NoteForm()
    else:
        status = form_status(form)
    timeline = timeline_context(case_page_timeline(case=case))
    context = {"case": case, **timeline, "note_form": form, "can_add_note": True}
    if is_htmx(request):
        return render(request, "web/partials/notes.html", context, status=status)
    return render(request, "web/case.html", _case_context(request, case, form), status=status)


def _member_page(
    request: AuthenticatedRequest,
    case: Case,
    new_person_form: NewPersonForm | None = None,
    existing_form: ExistingMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    searching = request.method == "GET" or "find" in request.POST
    search_form = PersonSearchForm(search_form_data(request) if searching else None)
    people = None
    if not refuse_ssn_in_address(search_form, request):
        people = submit(search_form, lambda: search_people(actor=request.user, **search_form.cleaned_data, limit=25))
    if status == 200:
        status = form_status(search_form)
    context = {
        "case": case,
        "search_form": search_form,
        "people": people,
        "existing_form": existing_form or ExistingMemberForm(),
        "new_person_form": new_person_form or NewPersonForm(),
    }
    return render(request, "web/member_add.html", context, status=status)


def _add_existing_person(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = ExistingMemberForm(request.POST)

    def add_existing() -> CaseMember:
        person = person_for_viewer(viewer=request.user, person_id=form.cleaned_data["person"])
        return add_member(actor=request.user, case=case, person=person, role=form.cleaned_data["role"])

    if submit(form, add_existing):
        return redirect("web:cases:show", number=case.number)
    return _member_page(request, case, existing_form=form, status=form_status(form))


def _add_new_person(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = NewPersonForm(request.POST)
    member = submit(
        form,
        lambda: add_new_person(
            actor=request.user, case=case, role=form.cleaned_data["role"], ssn=form.cleaned_data["ssn"],
            **form.person_fields(),
        ),
    )  # fmt: skip
    if member:
        return redirect("web:cases:show", number=case.number)
    return _member_page(request, case, new_person_form=form, status=form_status(form))


@allow("cases.add_member")
@require_http_methods(["GET", "POST"])
@domain_errors
def member_add(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Find a person already known (search) or enter a new one, and add them to the case in a role."""
    case = case_for_viewer(viewer=request.user, number=number)
    if request.method != "POST" or "find" in request.POST:
        return _member_page(request, case)  # the search posts: an SSN never goes in a URL
    if "person" in request.POST:
        return _add_existing_person(request, case)
    return _add_new_person(request, case)
