"""The paternity pages of a case: each child's status with its history, alleged fathers, acknowledgments and
genetic tests; and one form per action, each calling one service of `opencse.paternity.services` through
`submit` (every refusal beside its field, all at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases.models import Case, MemberRole
from opencse.cases.selectors import case_for_viewer, case_members
from opencse.paternity import services
from opencse.paternity.selectors import acknowledgment_on_case, case_paternity, test_on_case
from opencse.people.models import Person
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import UswdsForm, form_status, submit
from opencse.web.paternity import forms

FATHER_ROLES = (MemberRole.ALLEGED_FATHER, MemberRole.NONCUSTODIAL_PARENT)


def _people(case: Case) -> tuple[dict[int, Person], list[tuple[int, str]], list[tuple[int, str]]]:
    """The case's current members by person, and the choices of children and of men who may be fathers."""
    members = [member for member in case_members(case=case) if member.left_on is None]
    people = {member.person_id: member.person for member in members}
    children = [(m.person_id, m.person.full_name) for m in members if m.role == MemberRole.DEPENDENT_CHILD]
    fathers = sorted({(m.person_id, f"{m.person.full_name} ({m.get_role_display().lower()})")
                      for m in members if m.role in FATHER_ROLES})  # fmt: skip
    return people, children, fathers


def _page(request: AuthenticatedRequest, case: Case, form: UswdsForm, title: str, intro: str = "") -> HttpResponse:
    context = {"case": case, "form": form, "title": title, "intro": intro}
    return render(request, "web/paternity/form.html", context, status=form_status(form))


def _done(request: AuthenticatedRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("web:paternity:show", number=case.number)


@allow("paternity.view")
@require_GET
@domain_errors
def paternity_show(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    context = {
        "case": case,
        "children": case_paternity(case=case),
        "can_manage": case.is_open and can(request.user, "paternity.manage", case),
        "can_determine": case.is_open and can(request.user, "paternity.determine", case),
    }
    return render(request, "web/paternity/show.html", context)


def _people_form(
    request: AuthenticatedRequest, number: str, form_class: type[forms._People], initial: dict[str, Any]
) -> tuple[Case, dict[int, Person], forms._People]:
    case = case_for_viewer(viewer=request.user, number=number)
    people, children, fathers = _people(case)
    form = form_class(request.POST or None, initial=initial, children=children, fathers=fathers)
    return case, people, form


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def alleged_father_name(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case, people, form = _people_form(request, number, forms.NameFatherForm, {"named_on": timezone.localdate()})
    named = submit(form, lambda: services.name_alleged_father(
        actor=request.user, case=case, father=people[form.cleaned_data["father"]],
        children=[people[pk] for pk in form.cleaned_data["children"]], named_on=form.cleaned_data["named_on"],
        reason=form.cleaned_data["reason"],
    ))  # fmt: skip
    if named:
        return _done(request, case, f"{named[0].father.full_name} named as an alleged father.")
    return _page(request, case, form, "Name an alleged father")


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def acknowledgment_record(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case, people, form = _people_form(request, number, forms.AcknowledgmentForm, {})
    data: Callable[[str], Any] = lambda name: form.cleaned_data[name]  # noqa: E731
    acknowledgment = submit(form, lambda: services.record_acknowledgment(
        actor=request.user, case=case, child=people[data("child")], father=people[data("father")],
        signed_on=data("signed_on"), filed_on=data("filed_on"), proceeding_on=data("proceeding_on"),
    ))  # fmt: skip
    if acknowledgment:
        return _done(request, case, f"Acknowledgment recorded: either signer may rescind it until "
                     f"{acknowledgment.rescission_ends_on:%m/%d/%Y}.")  # fmt: skip
    return _page(request, case, form, "Record a voluntary acknowledgment of paternity",
                 "Either signer may rescind it within 60 days of signing, or until an earlier proceeding about the "
                 "child to which the signer is a party (42 U.S.C. 666(a)(5)(D)(ii)).")  # fmt: skip


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def acknowledgment_rescind(request: AuthenticatedRequest, number: str, acknowledgment_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    acknowledgment = acknowledgment_on_case(case=case, acknowledgment_id=acknowledgment_id)
    form = forms.RescindForm(request.POST or None, initial={"rescinded_on": timezone.localdate()})
    done = submit(form, lambda: services.rescind_acknowledgment(actor=request.user, acknowledgment=acknowledgment,
                                                                **form.cleaned_data))  # fmt: skip
    if done:
        return _done(request, case, "Acknowledgment rescinded.")
    return _page(request, case, form, f"Rescind the acknowledgment for {acknowledgment.child.full_name}",
                 f"Signed {acknowledgment.signed_on:%m/%d/%Y}; it may be rescinded until "
                 f"{acknowledgment.rescission_ends_on:%m/%d/%Y}.")  # fmt: skip


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def acknowledgment_challenge(request: AuthenticatedRequest, number: str, acknowledgment_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    acknowledgment = acknowledgment_on_case(case=case, acknowledgment_id=acknowledgment_id)
    form = forms.ChallengeForm(request.POST or None)
    done = submit(form, lambda: services.record_challenge(actor=request.user, acknowledgment=acknowledgment,
                                                          **form.cleaned_data))  # fmt: skip
    if done:
        return _done(request, case, "Challenge recorded. Support continues while it is pending.")
    return _page(request, case, form, f"Record a court challenge to the acknowledgment for "
                 f"{acknowledgment.child.full_name}", "After the rescission period, an acknowledgment may be "
                 "challenged only in court, for fraud, duress or material mistake of fact; support is not "
                 "suspended while it is pending (42 U.S.C. 666(a)(5)(D)(iii)).")  # fmt: skip


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def test_order(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case, people, form = _people_form(request, number, forms.OrderTestForm, {"ordered_on": timezone.localdate()})
    test = submit(form, lambda: services.order_genetic_test(
        actor=request.user, case=case, child=people[form.cleaned_data["child"]],
        father=people[form.cleaned_data["father"]], ordered_on=form.cleaned_data["ordered_on"],
    ))  # fmt: skip
    if test:
        return _done(request, case, "Genetic test ordered.")
    return _page(request, case, form, "Order a genetic test")


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def test_appointment(request: AuthenticatedRequest, number: str, test_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    test = test_on_case(case=case, test_id=test_id)
    form = forms.AppointmentForm(request.POST or None)
    done = submit(form, lambda: services.record_test_appointment(actor=request.user, test=test, **form.cleaned_data))
    if done:
        return _done(request, case, "Appointment recorded.")
    return _page(request, case, form, f"Test appointment: {test.father.full_name} and {test.child.full_name}")


@allow("paternity.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def test_result(request: AuthenticatedRequest, number: str, test_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    test = test_on_case(case=case, test_id=test_id)
    form = forms.ResultForm(request.POST or None)
    done = submit(form, lambda: services.record_test_result(actor=request.user, test=test, **form.cleaned_data))
    if done:
        return _done(request, case, f"Result recorded: {done.get_finding_display().lower()}.")
    return _page(request, case, form, f"Test result: {test.father.full_name} and {test.child.full_name}")


@allow("paternity.determine")
@require_http_methods(["GET", "POST"])
@domain_errors
def determination_record(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case, people, form = _people_form(request, number, forms.DeterminationForm, {})
    data: Callable[[str], Any] = lambda name: form.cleaned_data[name]  # noqa: E731
    done = submit(form, lambda: services.record_determination(
        actor=request.user, case=case, child=people[data("child")], father=people[data("father")],
        outcome=data("outcome"), order_signed_on=data("order_signed_on"), court=data("court"),
        docket_number=data("docket_number"),
    ))  # fmt: skip
    if done:
        return _done(request, case, "The court's determination is recorded.")
    return _page(request, case, form, "Record the court's determination of paternity")
