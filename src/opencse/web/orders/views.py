"""Orders on the web: enter an order from the paper in one screen (with a preview of the charges it
generates, computed by the schedule rule the accrual uses), its row partials for htmx, and the order
page with what a modification changed. Views parse, call a selector or `enter_order`, and render.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.errors import Conflict, InvalidInput
from opencse.ledger.modifications import enter_modification
from opencse.orders.selectors import (
    EMANCIPATION_AGE_SUGGESTED,
    STEP_AGE_SUGGESTED,
    OrderParties,
    OrderPreview,
    active_orders,
    birthday_on,
    obligations_preview,
    order_comparisons,
    order_for_viewer,
    order_parties,
    orders_modifying,
    terms_of_order,
)
from opencse.orders.services import STEPS_MAXIMUM, TERMS_MAXIMUM, TermInput, check_order_terms, enter_order
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.orders.forms import OrderEntry, TermForm, new_step_row, new_term_row, suggested_ends_on, term_prefix

PARTIALS = "web/orders/partials"


def _entry_page(
    request: HttpRequest,
    case: Case,
    entry: OrderEntry,
    *,
    preview: OrderPreview | None = None,
    digest: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "case": case,
        "entry": entry,
        "form": entry.header,  # for the error summary
        "preview": preview,
        "digest": digest,
        "notice": notice,
        "next_term_index": max((row.index for row in entry.rows), default=-1) + 1,
        "terms_maximum": TERMS_MAXIMUM,
        "steps_maximum": STEPS_MAXIMUM,
        "emancipation_age": EMANCIPATION_AGE_SUGGESTED,
        "step_age": STEP_AGE_SUGGESTED,
    }
    return render(request, "web/orders/order_enter.html", context, status=status)


@allow("orders.enter")
@require_http_methods(["GET", "POST"])
@domain_errors
def order_enter(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """One screen: the order's header and its terms. Preview shows the charges; Save enters the order."""
    case = case_for_viewer(viewer=request.user, number=number)
    orders = list(active_orders(case=case))
    entry = OrderEntry(
        request.POST if request.method == "POST" else None,
        parties=order_parties(case=case),
        orders=orders,
        modifies=request.GET.get("modifies", ""),
    )
    if request.method != "POST":
        return _entry_page(request, case, entry)
    if not entry.is_valid():
        return _entry_page(request, case, entry, status=400)
    terms = entry.term_inputs()
    preview = _preview(request, case, entry, terms)
    if preview is None:
        return _entry_page(request, case, entry, status=400)
    digest, notice = entry.digest(), ""
    if request.POST.get("action") == "save":
        if request.POST.get("previewed") != digest:
            notice = "The order changed after its preview. Check the charges below, then save."
        else:
            modifies_id = entry.header.cleaned_data["modifies"]
            modifies = next((o for o in orders if o.pk == modifies_id), None)
            values = {"actor": request.user, "case": case, "terms": terms, **entry.header_values()}
            try:
                if modifies is None:
                    order = enter_order(**values)
                else:  # the ledger's use case: it adjusts months already accrued, as of the day it is entered
                    order = enter_modification(modifies=modifies, entered_on=timezone.localdate(), **values)
            except (InvalidInput, Conflict) as error:
                entry.add_domain_error(error)
                return _entry_page(request, case, entry, preview=preview, digest=digest, status=400)
            return redirect("web:orders:show", number=case.number, order_id=order.pk)
    return _entry_page(request, case, entry, preview=preview, digest=digest, notice=notice)


def _preview(
    request: AuthenticatedRequest, case: Case, entry: OrderEntry, terms: list[TermInput]
) -> OrderPreview | None:
    """The preview, or None once the refusals are on the form: first the schedule rule's (they name
    the very step), then the checks `enter_order` will make, so Save refuses nothing the preview let by."""
    try:
        preview = obligations_preview(
            terms=terms, effective_on=entry.header.cleaned_data["effective_on"], today=timezone.localdate()
        )
        check_order_terms(actor=request.user, case=case, terms=terms)
    except InvalidInput as error:
        entry.add_domain_error(error)
        return None
    return preview


def _row_number(request: HttpRequest, name: str, maximum: int) -> int:
    value = request.GET.get(name, "")
    if not value.isdigit() or int(value) >= maximum:
        raise InvalidInput(f"must be a row number below {maximum}", field=name)
    return int(value)


def _refused_row(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    message = f"That row cannot be added ({error.field}: {error.message}); reload the page."
    return render(request, "web/partials/refused.html", {"message": message}, status=400)


@allow("orders.enter")
@require_GET
@domain_errors
def order_term_row(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """htmx: one more blank term row, and the "Add a term" button moved on to the next row number."""
    case = case_for_viewer(viewer=request.user, number=number)
    try:
        index = _row_number(request, "index", 1000)
    except InvalidInput as error:
        return _refused_row(request, error)
    context = {
        "case": case,
        "row": new_term_row(index, order_parties(case=case)),
        "next_term_index": index + 1,
        "terms_maximum": TERMS_MAXIMUM,
        "steps_maximum": STEPS_MAXIMUM,
        "emancipation_age": EMANCIPATION_AGE_SUGGESTED,
        "step_age": STEP_AGE_SUGGESTED,
    }
    return render(request, f"{PARTIALS}/term_row_added.html", context)


def _step_date(request: HttpRequest, parties: OrderParties, term_index: int) -> tuple[date | None, str]:
    """The child's birthday at the suggested age, for a "from age 12" step, or why there is none."""
    child_value = request.GET.get(f"{term_prefix(term_index)}-child", "")
    child = parties.child(int(child_value)) if child_value.isdigit() else None
    if child is None:
        return None, f"Choose the term's child to date this step at age {STEP_AGE_SUGGESTED}, or type the date."
    turns_on = birthday_on(child, STEP_AGE_SUGGESTED)
    if turns_on is None:
        return None, f"{child.full_name}'s date of birth is not known: type the date of the step."
    return turns_on, f"{child.full_name} turns {STEP_AGE_SUGGESTED} on {turns_on:%m/%d/%Y}."


@allow("orders.enter")
@require_GET
@domain_errors
def order_step_row(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """htmx: one more "from date: amount" row for a term (dated at the child's 12th birthday when asked)."""
    case = case_for_viewer(viewer=request.user, number=number)
    try:
        term_index = _row_number(request, "term", 1000)
        index = _row_number(request, "index", 1000)
    except InvalidInput as error:
        return _refused_row(request, error)
    starts_on, hint = None, ""
    if request.GET.get("age") == str(STEP_AGE_SUGGESTED):
        starts_on, hint = _step_date(request, order_parties(case=case), term_index)
    context = {
        "case": case,
        "term_index": term_index,
        "step": new_step_row(term_index, index, starts_on=starts_on),
        "step_hint": hint,
        "next_step_index": index + 1,
        "steps_maximum": STEPS_MAXIMUM,
        "step_age": STEP_AGE_SUGGESTED,
    }
    return render(request, f"{PARTIALS}/step_row_added.html", context)


@allow("orders.enter")
@require_GET
@domain_errors
def order_term_end(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """htmx: a term's end date field again, with the chosen child's 18th birthday as a suggestion
    (filled in only when the officer has not typed an end date)."""
    case = case_for_viewer(viewer=request.user, number=number)
    try:
        term_index = _row_number(request, "term", 1000)
    except InvalidInput as error:
        return _refused_row(request, error)
    prefix = term_prefix(term_index)
    parties = order_parties(case=case)
    suggestion = suggested_ends_on(parties, request.GET.get(f"{prefix}-child", ""))
    typed = request.GET.get(f"{prefix}-ends_on", "").strip()
    form = TermForm(prefix=prefix, parties=parties, initial={"ends_on": typed or suggestion})
    context = {
        "field": form["ends_on"],
        "term_index": term_index,
        "suggested_ends_on": suggestion,
        "filled": bool(suggestion and not typed),
        "emancipation_age": EMANCIPATION_AGE_SUGGESTED,
    }
    return render(request, f"{PARTIALS}/term_end.html", context)


@allow("orders.view")
@require_GET
@domain_errors
def order_show(request: AuthenticatedRequest, number: str, order_id: int) -> HttpResponse:
    """The order as entered: header, status, terms with their steps, and what changed."""
    order = order_for_viewer(viewer=request.user, order_id=order_id, case_number=number)
    context = {
        "case": order.case,
        "order": order,
        "terms": terms_of_order(order=order),
        "modified_by": list(orders_modifying(order=order)),
        "comparisons": order_comparisons(order=order),
        "can_enter": can(request.user, "orders.enter", order.case) and order.case.is_open,
    }
    return render(request, "web/orders/order.html", context)
