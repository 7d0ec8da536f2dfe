"""Sign in and out, the caseload, search, the audit trail and the health check.

Views only parse the form, call a selector or service and render (style.md 3.8). Every view says
who may use it with `@allow(...)` or `@public`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases.models import Case
from opencse.cases.selectors import FoundPerson, found_people, search_cases
from opencse.people.services import search_people
from opencse.security.decorators import allow, public
from opencse.security.policy import can
from opencse.security.selectors import audit_events
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, refuse_ssn_in_address, search_form_data, submit
from opencse.web.home.forms import AuditFilterForm, CaseloadFilterForm, CaseSearchForm
from opencse.work.caseload import caseload_cases, caseload_rows


class SignInView(auth_views.LoginView):
    template_name = "web/signin.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return "/"  # the home page of the role (opencse.web.work.views.home)


signin = public(SignInView.as_view())


signout = public(auth_views.LogoutView.as_view(next_page="/signin/"))


@public
@require_GET
def health_show(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@allow("cases.view")
@require_GET
@domain_errors
def caseload_show(request: HttpRequest) -> HttpResponse:
    """The officer's open cases, a page at a time, each with its parties, balance and next deadline."""
    form = CaseloadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = caseload_cases(
        viewer=request.user, program=filters.get("program", ""), text=filters.get("text", ""),
        sort=filters.get("sort") or "referral",
    )  # fmt: skip
    page = Paginator(cases, CASELOAD_PAGE_ROWS).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": caseload_rows(cases=list(page.object_list), as_of=timezone.localdate()),
        "query": query.urlencode(),
        "can_open": can(request.user, "cases.open"),
    }
    return render(request, "web/caseload.html", context, status=form_status(form))


CASELOAD_PAGE_ROWS = 50
PEOPLE_SHOWN = 50  # the closest matches; the page says to narrow the search when there are this many


@allow("cases.view")
@require_http_methods(["GET", "POST"])
@domain_errors
def case_search(request: HttpRequest) -> HttpResponse:
    """The search form posts (an SSN never goes in a URL); a link may still search by number or name."""
    form = CaseSearchForm(search_form_data(request))
    cases, people = None, None
    if not refuse_ssn_in_address(form, request):
        found = submit(form, lambda: _search(request, form.cleaned_data))
        if found is not None:
            cases, people = found
    context = {"form": form, "cases": cases, "people": people}
    return render(request, "web/search.html", context, status=form_status(form))


def _search(request: HttpRequest, data: dict[str, Any]) -> tuple[list[Case], list[FoundPerson] | None]:
    """Cases by number; people by name, date of birth or SSN, closest first, each with their cases."""
    cases = list(search_cases(viewer=request.user, number=data["number"])) if data["number"] else []
    if not (data["name"] or data["date_of_birth"] or data["ssn"]):
        return cases, None
    found = search_people(
        actor=request.user,  # type: ignore[arg-type]  # signed in
        name=data["name"],
        date_of_birth=data["date_of_birth"],
        ssn=data["ssn"],
        limit=PEOPLE_SHOWN,
    )
    return cases, found_people(viewer=request.user, people=found)


@allow("audit.view")
@require_GET
@domain_errors
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = None
    if not form.is_bound:
        events = list(audit_events(viewer=request.user))
    elif form.is_valid():
        data = form.cleaned_data
        events = list(
            audit_events(
                viewer=request.user,
                actor_username=data["actor"].strip(),
                action=data["action"].strip(),
                case_number=data["case_number"].strip(),
                since=data["since"],
                until=data["until"],
            )
        )
    status = form_status(form)
    return render(request, "web/audit.html", {"form": form, "events": events}, status=status)
