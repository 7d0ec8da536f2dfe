"""The person page and the audited SSN reveal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from opencse.cases.selectors import cases_of_person, person_panel
from opencse.errors import InvalidInput
from opencse.people.selectors import person_for_viewer
from opencse.people.services import record_person_read, record_protected_view, reveal_ssn
from opencse.security.decorators import allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.disbursement.views import direct_deposit_context


@allow("people.view")
@require_GET
@domain_errors
def person_show(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_viewer(viewer=request.user, person_id=pk)
    record_person_read(viewer=request.user, person=person)  # type: ignore[arg-type]  # signed in
    panel = person_panel(viewer=request.user, person=person)
    if panel.protected_address_shown:
        record_protected_view(actor=request.user, person=person)  # type: ignore[arg-type]  # signed in
    context = {
        "panel": panel,
        "person": person,
        "memberships": list(cases_of_person(viewer=request.user, person_id=person.pk)),
        "can_reveal_ssn": can(request.user, "people.reveal_ssn"),
        **direct_deposit_context(viewer=request.user, person=person),
    }
    return render(request, "web/person.html", context)


@allow("people.reveal_ssn")
@require_POST
@domain_errors
def ssn_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full SSN in place of the masked one (htmx). `reveal_ssn` writes the audit row."""
    person = person_for_viewer(viewer=request.user, person_id=pk)
    try:
        digits = reveal_ssn(actor=request.user, person=person)  # type: ignore[arg-type]  # signed in
    except InvalidInput as error:
        return render(request, "web/partials/ssn.html", {"person": person, "message": error.message}, status=400)
    shown = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return render(request, "web/partials/ssn.html", {"person": person, "ssn": shown})
