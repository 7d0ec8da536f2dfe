"""The case's enforcement actions (rules.remedies): each with its state, next step and history; the decision
on a proposal (SEO 2 or supervisor: approve with the notice's service, or reject) and on a contest; and the
caseworker's steps (service recorded, contest received, action taken, release). Each form reaches its service
through `submit`; a refusal comes back beside its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.selectors import case_for_viewer
from opencse.enforcement.actions import (
    approve_action,
    asks_ability_to_pay,
    decide_contest,
    record_contest,
    record_service,
    reject_action,
    release_action,
    take_action,
)
from opencse.enforcement.fidm import LEVY
from opencse.enforcement.licenses import certifications_of_action
from opencse.enforcement.liens import LIEN
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.selectors import NEXT_STEPS, action_on_case, actions_of_case
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.enforcement.forms import (
    ContestDecisionForm,
    ContestForm,
    DecisionForm,
    ReleaseForm,
    ServiceForm,
    TakeForm,
)

TEMPLATES = "web/enforcement"
Step = tuple[str, type[forms.Form], Callable[[Any, EnforcementAction, dict[str, Any]], EnforcementAction]]
# The caseworker's steps: (title, form, service call), by the step's name in the URL.
STEPS: dict[str, Step] = {
    "service": ("Record the notice's service", ServiceForm,
                lambda actor, action, data: record_service(actor=actor, action=action, **data)),
    "contest": ("Record a contest", ContestForm,
                lambda actor, action, data: record_contest(actor=actor, action=action, **data)),
    "take": ("Take the action", TakeForm,
             lambda actor, action, data: take_action(actor=actor, action=action, **data)),
    "release": ("Release the action", ReleaseForm,
                lambda actor, action, data: release_action(actor=actor, action=action, **data)),
}  # fmt: skip


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def action_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    actions = list(actions_of_case(case=case)[:200])
    context = {"case": case, "actions": [(action, NEXT_STEPS.get(action.status, "")) for action in actions]}
    return render(request, f"{TEMPLATES}/actions.html", context)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def action_show(request: AuthenticatedRequest, number: str, action_id: int) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    action = action_on_case(case=case, action_id=action_id)
    return render(request, f"{TEMPLATES}/action.html", _context(case, action))


def _context(case: Any, action: EnforcementAction, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "case": case,
        "action": action,
        "next_step": NEXT_STEPS.get(action.status, ""),
        "steps": list(action.steps.select_related("by").order_by("on", "pk")),
        "decision_form": DecisionForm(
            initial={"decided_on": today}, ability_to_pay=asks_ability_to_pay(action, on=today)
        ),
        "contest_form": ContestDecisionForm(initial={"decided_on": today}),
        "license_certifications": list(certifications_of_action(action=action)),
        **extra,
    }


@allow("enforcement.approve")
@require_http_methods(["POST"])
@domain_errors
def action_decide(request: AuthenticatedRequest, number: str, action_id: int) -> HttpResponse:
    """Approve or reject a proposal; or decide a contest (by the action's state)."""
    case = case_for_viewer(viewer=request.user, number=number)
    action = action_on_case(case=case, action_id=action_id)
    if action.status == ActionStatus.CONTESTED:
        form: forms.Form = ContestDecisionForm(request.POST)
        done = submit(form, lambda: decide_contest(
            actor=request.user, action=action, decided_on=form.cleaned_data["decided_on"],
            for_obligor=form.cleaned_data["outcome"] == "for", note=form.cleaned_data["note"]))  # fmt: skip
        extra = {"contest_form": form}
    else:
        form = DecisionForm(request.POST, ability_to_pay=asks_ability_to_pay(action, on=timezone.localdate()))

        def decide() -> EnforcementAction:
            data = form.cleaned_data
            if data["decision"] == "approve":
                return approve_action(actor=request.user, action=action, decided_on=data["decided_on"],
                                      service_method=data["service_method"], note=data["note"],
                                      ability_to_pay=data.get("ability_to_pay", ""))  # fmt: skip
            return reject_action(actor=request.user, action=action, decided_on=data["decided_on"], note=data["note"])

        done = submit(form, decide)
        extra = {"decision_form": form}
    if done is not None:
        messages.success(request, f"{done.remedy_name}: {done.get_status_display().lower()}.")
        return redirect("web:enforcement:action", number=case.number, action_id=action.pk)
    action.refresh_from_db()
    return render(request, f"{TEMPLATES}/action.html", _context(case, action, **extra), status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def action_step(request: AuthenticatedRequest, number: str, action_id: int, step: str) -> HttpResponse:
    """One of the caseworker's steps on an action (service, contest, take, release)."""
    if step not in STEPS:
        raise Http404("No such step.")
    case = case_for_viewer(viewer=request.user, number=number)
    action = action_on_case(case=case, action_id=action_id)
    if step == "take" and action.remedy == LEVY:  # the levy is taken on the accounts chosen (web.enforcement.fidm)
        return redirect("web:enforcement:levy_take", number=case.number, action_id=action.pk)
    if step == "take" and action.remedy == LIEN:  # a lien is taken with where it is recorded (web.enforcement.liens)
        return redirect("web:enforcement:lien_take", number=case.number, action_id=action.pk)
    title, form_class, call = STEPS[step]
    today = timezone.localdate()
    initial = {name: today for name, field in form_class.base_fields.items() if isinstance(field, forms.DateField)}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and submit(form, lambda: call(request.user, action, form.cleaned_data)) is not None:
        messages.success(request, f"{action.remedy_name}: {title.lower()} recorded.")
        return redirect("web:enforcement:action", number=case.number, action_id=action.pk)
    context = {"case": case, "action": action, "form": form, "title": title}
    return render(request, f"{TEMPLATES}/step.html", context, status=form_status(form))
