"""Keeping a person's record on the web: edit the person (a new SSN is typed, never shown), add an alias,
add or end an address, add an employment (employer found by FEIN or name, or created), set or clear the
family violence indicator after a confirmation.

Each view parses the form, calls the people service (which checks authority, runs in one transaction and
writes the audit row) and redirects to the person page (POST-redirect-GET); a refusal goes back beside
its field. Addresses are shown through `addresses_for_viewer`: a protected one stays hidden from a role
without clearance, and a cleared viewer's look is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencse.errors import Conflict, InvalidInput, TooManyRequests
from opencse.people.models import Employer, Person
from opencse.people.selectors import (
    address_of_person,
    addresses_for_viewer,
    aliases_of,
    employer_by_id,
    employers_matching,
    employments_of,
    person_for_viewer,
)
from opencse.people.services import (
    add_address,
    add_alias,
    add_employment,
    end_address,
    record_protected_view,
    set_family_violence,
    update_person,
)
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import add_domain_error, form_status, submit
from opencse.web.people.forms import (
    AddressEndForm,
    AddressForm,
    AliasForm,
    EmploymentForm,
    FamilyViolenceForm,
    PersonEditForm,
)

TEMPLATES = "web/record"


@allow("people.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = person_for_viewer(viewer=request.user, person_id=pk)
    form = PersonEditForm.for_person(person, request.POST or None)
    if form.is_valid():
        try:
            update_person(actor=request.user, person=person, ssn=form.cleaned_data["ssn"], **form.person_fields())
        except (InvalidInput, Conflict, TooManyRequests) as error:  # too many: the SSN check is an exact lookup
            person.refresh_from_db()  # the refused values were set on the in-memory person
            add_domain_error(form, error)
        else:
            return redirect("web:people:show", pk=person.pk)
    context = {"person": person, "form": form}
    return render(request, f"{TEMPLATES}/person_edit.html", context, status=form_status(form))


@allow("people.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def alias_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = person_for_viewer(viewer=request.user, person_id=pk)
    form = AliasForm(request.POST or None)
    if submit(form, lambda: add_alias(actor=request.user, person=person, **form.cleaned_data)):
        return redirect("web:people:show", pk=person.pk)
    context = {"person": person, "form": form, "aliases": aliases_of(person=person)}
    return render(request, f"{TEMPLATES}/alias_add.html", context, status=form_status(form))


def _end_form(address_id: int, today: date) -> AddressEndForm:
    return AddressEndForm(prefix=f"end-{address_id}", initial={"ended_on": today})


def _address_page(
    request: AuthenticatedRequest,
    person: Person,
    *,
    form: AddressForm | None = None,
    end_forms: dict[int, AddressEndForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The person's addresses as this viewer may see them, each with its end form, and the add form."""
    shown = addresses_for_viewer(viewer=request.user, person=person)
    cleared = can(request.user, "people.view_protected_address")
    if person.family_violence and cleared and shown:
        record_protected_view(actor=request.user, person=person)
    today = timezone.localdate()
    end_forms = end_forms or {}
    rows = [
        (
            item,
            end_forms.get(item.address.pk)
            or AddressEndForm(prefix=f"end-{item.address.pk}", initial={"ended_on": today}),
        )
        for item in shown
    ]
    context = {
        "person": person,
        "rows": rows,
        "form": form or AddressForm(initial={"effective_on": today}),
    }
    return render(request, f"{TEMPLATES}/addresses.html", context, status=status)


@allow("people.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def address_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The addresses page; a POST adds an address."""
    person = person_for_viewer(viewer=request.user, person_id=pk)
    if request.method != "POST":
        return _address_page(request, person)
    form = AddressForm(request.POST)
    if submit(form, lambda: add_address(actor=request.user, person=person, **form.cleaned_data)):
        return redirect("web:people:address_list", pk=person.pk)
    return _address_page(request, person, form=form, status=400)


@allow("people.update")
@require_POST
@domain_errors
def address_end(request: AuthenticatedRequest, pk: int, address_id: int) -> HttpResponse:
    """End an address (moved), or end it as a bad address."""
    person = person_for_viewer(viewer=request.user, person_id=pk)
    address = address_of_person(person=person, address_id=address_id)
    form = AddressEndForm(request.POST, prefix=f"end-{address.pk}")
    status = 400
    if form.is_valid():
        try:
            end_address(actor=request.user, address=address, **form.cleaned_data)
        except InvalidInput as error:
            add_domain_error(form, error)
        except Conflict as error:
            add_domain_error(form, error)
            status = 409
        else:
            return redirect("web:people:address_list", pk=person.pk)
    return _address_page(request, person, end_forms={address.pk: form}, status=status)


def _chosen_employer(value: Any) -> Employer | None:
    return employer_by_id(int(value)) if str(value or "").isdigit() else None


@allow("people.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def employment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Find the employer by FEIN or name (or name a new one), then record the employment."""
    person = person_for_viewer(viewer=request.user, person_id=pk)
    query = request.GET.get("q", "")[:120]
    chosen = _chosen_employer(request.POST.get("employer") if request.method == "POST" else request.GET.get("employer"))
    form = EmploymentForm(request.POST or None, initial={"employer": chosen.pk if chosen else None})
    if form.is_valid():
        values = form.cleaned_data
        try:
            add_employment(
                actor=request.user,
                person=person,
                employer=chosen,
                employer_name=values["employer_name"] if chosen is None else chosen.name,
                fein=values["fein"] if chosen is None else "",
                started_on=values["started_on"],
                verified=values["verified"],
                **(form.employer_fields() if chosen is None else {}),
            )
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
        else:
            return redirect("web:people:show", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "chosen": chosen,
        "query": query,
        "employers": employers_matching(text=query) if query else None,
        "employments": employments_of(person=person),
    }
    return render(request, f"{TEMPLATES}/employment_add.html", context, status=form_status(form))


@allow("people.update")
@require_GET
@domain_errors
def employer_search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: the employers matching what is typed, each a link that chooses it."""
    person = person_for_viewer(viewer=request.user, person_id=pk)
    query = request.GET.get("q", "")[:120]
    context = {"person": person, "query": query, "employers": employers_matching(text=query)}
    return render(request, f"{TEMPLATES}/employer_results.html", context)


@allow("people.set_family_violence")
@require_http_methods(["GET", "POST"])
@domain_errors
def family_violence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Set or clear the family violence indicator, in two steps: the request, then its confirmation.

    The hidden `protected` value names the state asked for, so a repeated or stale form never toggles
    the indicator back."""
    person = person_for_viewer(viewer=request.user, person_id=pk)
    protected = request.POST.get("protected", "") == "yes" if request.method == "POST" else not person.family_violence
    form = FamilyViolenceForm(request.POST or None)
    confirming = False
    if form.is_valid():
        if request.POST.get("confirm") != "yes":
            confirming = True
        else:
            try:
                set_family_violence(
                    actor=request.user, person=person, protected=protected, since=form.cleaned_data["since"]
                )
            except (InvalidInput, Conflict) as error:
                add_domain_error(form, error)
            else:
                return redirect("web:people:show", pk=person.pk)
    context = {"person": person, "form": form, "protected": protected, "confirming": confirming}
    return render(request, f"{TEMPLATES}/family_violence.html", context, status=form_status(form))
