"""The financial institution data match and the levy, from a case (`enforcement.fidm`): the obligor's matched
accounts (the number masked to its last four; each read audited); the levy's page with its orders to withhold and
deliver and the institutions' answers; the levy taken on the accounts the officer chooses; an answer recorded.
Every error comes back beside its field."""

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
from opencse.enforcement.actions import NOTE_MAXIMUM, take_action
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.fidm import (
    AccountShown,
    accounts_of_obligor,
    levy_action_on_case,
    levy_order_of,
    levy_orders_of,
    may_take_levy,
    record_levy_answer,
    refusal,
)
from opencse.enforcement.fidm_models import LevyAnswer
from opencse.enforcement.models import EnforcementAction
from opencse.enforcement.selectors import arrears_owed
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, form_status, money_field, submit

TEMPLATES = "web/enforcement"


class LevyTakeForm(UswdsForm):
    taken_on = forms.DateField(label="Levy taken on", widget=DATE_WIDGET,
                               help_text="The date on the orders; the amount is the arrears owed that day")  # fmt: skip
    accounts = forms.TypedMultipleChoiceField(label="Accounts to levy", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              required=False)  # fmt: skip
    note = forms.CharField(label="Note", max_length=NOTE_MAXIMUM, required=False)

    def __init__(self, *args: Any, shown: list[AccountShown], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (s.account.pk, f"{s.account.institution.name}: {s.type_label} {s.account.account_masked}, last balance "
                           + (f"${s.last_balance:,} on {s.last_balance_on:%m/%d/%Y}" if s.last_balance is not None
                              else "not reported"))
            for s in shown
        ]  # fmt: skip
        field.widget.attrs["class"] = "usa-checkbox__input"


class LevyAnswerForm(UswdsForm):
    answered_on = forms.DateField(label="Answer received on", widget=DATE_WIDGET)
    answer = forms.ChoiceField(label="The institution answered", choices=LevyAnswer.choices)
    amount = money_field("Amount held or surrendered", help_text="Leave blank when the institution holds nothing")
    note = forms.CharField(label="Note", max_length=NOTE_MAXIMUM, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False


def _levy(request: AuthenticatedRequest, number: str, action_id: int) -> tuple[Case, EnforcementAction]:
    case = case_for_viewer(viewer=request.user, number=number)
    return case, levy_action_on_case(case=case, action_id=action_id)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def accounts_show(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The obligor's accounts the data match found, masked; the read is audited."""
    case = case_for_viewer(viewer=request.user, number=number)
    obligor = obligor_on_case(case)
    context = {"case": case, "obligor": obligor,
               "accounts": accounts_of_obligor(viewer=request.user, case=case, obligor=obligor)}  # fmt: skip
    return render(request, f"{TEMPLATES}/fidm_accounts.html", context)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def levy_show(request: AuthenticatedRequest, number: str, action_id: int) -> HttpResponse:
    """The levy's orders to withhold and deliver, each with the institution's answer and its release."""
    case, action = _levy(request, number, action_id)
    context = {"case": case, "action": action, "orders": levy_orders_of(action=action),
               "may_take": may_take_levy(action)}  # fmt: skip
    return render(request, f"{TEMPLATES}/fidm_levy.html", context)


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def levy_take(request: AuthenticatedRequest, number: str, action_id: int) -> HttpResponse:
    """Take the levy: choose the matched accounts; an order to withhold and deliver goes to each institution."""
    case, action = _levy(request, number, action_id)
    today = timezone.localdate()
    shown = accounts_of_obligor(viewer=request.user, case=case, obligor=action.obligor)
    form = LevyTakeForm(request.POST or None, initial={"taken_on": today}, shown=shown)
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        done = submit(form, lambda: take_action(actor=request.user, action=action, taken_on=data["taken_on"],
                                                note=data["note"], accounts=data["accounts"]))  # fmt: skip
        if done is not None:
            messages.success(request, "Levy taken: the orders to withhold and deliver are generated.")
            return redirect("web:enforcement:levy", number=case.number, action_id=action.pk)
    context = {"case": case, "action": action, "form": form, "accounts": shown,
               "owed": arrears_owed(case, on=today), "today": today,
               "refusal": refusal(action=action, on=today)}  # fmt: skip
    return render(request, f"{TEMPLATES}/fidm_take.html", context, status=form_status(form))


@allow("enforcement.act")
@require_http_methods(["GET", "POST"])
@domain_errors
def levy_answer(request: AuthenticatedRequest, number: str, action_id: int, levy_id: int) -> HttpResponse:
    """Record the institution's answer to one order."""
    case, action = _levy(request, number, action_id)
    order = levy_order_of(action=action, levy_id=levy_id)
    form = LevyAnswerForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST":
        done = submit(form, lambda: record_levy_answer(
            actor=request.user, order=order, answered_on=form.cleaned_data["answered_on"],
            answer=form.cleaned_data["answer"], amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"]))  # fmt: skip
        if done is not None:
            messages.success(request, f"{order.account.institution.name}'s answer recorded.")
            return redirect("web:enforcement:levy", number=case.number, action_id=action.pk)
    context = {"case": case, "action": action, "order": order, "form": form}
    return render(request, f"{TEMPLATES}/fidm_answer.html", context, status=form_status(form))
