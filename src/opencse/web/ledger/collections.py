"""The money screens: post a collection to a case or across an obligor's cases, see its distribution,
work the suspense queue, reverse a collection, record a period of assistance.

Each view parses the form, calls the ledger service (which checks authority, runs in one transaction
and writes the audit row) and renders the result; a service's refusal goes back beside its field.
The read helpers below only gather rows for display; every figure is what the services stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from opencse.cases.selectors import case_for_viewer
from opencse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from opencse.ledger import selectors
from opencse.ledger.models import Collection, CollectionShare, CollectionStatus, EntryKind, LedgerEntry
from opencse.ledger.services import (
    post_collection,
    post_collection_for_obligor,
    record_assistance,
    resolve_suspense,
    reverse_collection,
)
from opencse.people.selectors import person_for_viewer
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import add_domain_error, form_status, submit
from opencse.web.common.htmx import is_htmx
from opencse.web.ledger.forms import AssistanceForm, CollectionForm, IdentifyForm, ReversalForm, add_ledger_error

SUSPENSE_ROWS_SHOWN = 500  # oldest first; the count above the table says how many are waiting in all


POSTED_IDS_MAXIMUM = 50  # collections named in the `posted` query string after posting by obligor


@dataclass(frozen=True, slots=True)
class Allocation:
    """One payment entry, shown as a positive amount applied to an account (the entry itself is negative:
    it lowers what is owed)."""

    account: str
    paid_to: str
    amount: Decimal


def allocation_of(entry: LedgerEntry) -> Allocation:
    paid_to = entry.memo.removeprefix("to ").capitalize() if entry.memo.startswith("to ") else ""
    return Allocation(account=entry.get_account_display(), paid_to=paid_to, amount=-entry.amount)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Where a collection went: what it paid on each account, and to whom it is paid out (with due dates).
    After a reversal, the reversing entries and disbursements are listed apart."""

    allocations: list[Allocation]
    disbursements: list[CollectionShare]
    reversal_entries: list[LedgerEntry]
    reversal_disbursements: list[CollectionShare]

    @property
    def applied_total(self) -> Decimal:
        return sum((allocation.amount for allocation in self.allocations), Decimal("0.00"))

    @property
    def disbursed_total(self) -> Decimal:
        return sum((row.amount for row in self.disbursements), Decimal("0.00"))


def distribution_of(collection: Collection) -> Distribution:
    entries, rows = selectors.distribution_rows(collection=collection)
    return Distribution(
        allocations=[allocation_of(entry) for entry in entries if entry.kind == EntryKind.PAYMENT],
        disbursements=[row for row in rows if row.reverses_id is None],
        reversal_entries=[entry for entry in entries if entry.kind == EntryKind.REVERSAL],
        reversal_disbursements=[row for row in rows if row.reverses_id is not None],
    )


def _suspense_queue() -> QuerySet[Collection]:
    return selectors.suspense_queue()


def _age_days(collection: Collection, today: date) -> int:
    return (today - collection.received_on).days


@allow("ledger.post")
@require_http_methods(["GET", "POST"])
@domain_errors
def collection_post(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Post money received for one case; the next page shows its distribution."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = CollectionForm(request.POST or None)
    collection = submit(
        form,
        lambda: post_collection(actor=request.user, case=case, **form.cleaned_data),
        place=partial(add_ledger_error, dated_by="collected_on"),
    )
    if collection:
        messages.success(request, f"Collection of {collection.amount:,.2f} posted and distributed.")
        return redirect("web:ledger:collection_show", collection_id=collection.pk)
    return render(request, "web/ledger/collection_form.html", {"case": case, "form": form}, status=form_status(form))


@allow("ledger.view")
@require_http_methods(["GET"])
@domain_errors
def collection_show(request: AuthenticatedRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_for_viewer(viewer=request.user, collection_id=collection_id)
    assert collection.case is not None  # a collection on a visible case
    context = {
        "collection": collection,
        "case": collection.case,
        "distribution": distribution_of(collection),
        "can_reverse": collection.status == CollectionStatus.POSTED
        and can(request.user, "ledger.reverse", collection.case),
    }
    return render(request, "web/ledger/collection.html", context)


@allow("ledger.reverse")
@require_http_methods(["GET", "POST"])
@domain_errors
def collection_reverse(request: AuthenticatedRequest, collection_id: int) -> HttpResponse:
    """Reverse a posted collection in two steps: give the reason, then confirm what will be undone."""
    collection = selectors.collection_for_viewer(viewer=request.user, collection_id=collection_id)
    form = ReversalForm(request.POST or None)
    confirming, reversible = False, collection.status == CollectionStatus.POSTED
    if reversible and form.is_valid():
        if request.POST.get("confirm") != "yes":
            confirming = True
        else:
            try:
                reverse_collection(
                    actor=request.user,
                    collection=collection,
                    reason=form.reason(),
                    reversed_on=form.cleaned_data["reversed_on"],
                )
            except (InvalidInput, Conflict) as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Collection reversed: the entries below undo its distribution.")
                return redirect("web:ledger:collection_show", collection_id=collection.pk)
    context = {
        "collection": collection,
        "case": collection.case,
        "form": form,
        "confirming": confirming,
        "reversible": reversible,
        "distribution": distribution_of(collection),
    }
    status = 409 if not reversible and request.method == "POST" else form_status(form)
    return render(request, "web/ledger/collection_reverse.html", context, status=status)


def _posted_for(request: AuthenticatedRequest, person_id: int) -> list[Collection]:
    """The collections just posted for this obligor (named in the query string), on cases the viewer sees."""
    ids = [int(part) for part in request.GET.get("posted", "").split(",") if part.isdigit()][:POSTED_IDS_MAXIMUM]
    if not ids:
        return []
    return selectors.collections_posted_for_obligor(viewer=request.user, obligor_id=person_id, ids=ids)


@allow("ledger.post")
@require_http_methods(["GET", "POST"])
@domain_errors
def obligor_collection_post(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Post one payment across every open case where the person owes support (45 CFR 303.100(a)(5))."""
    obligor = person_for_viewer(viewer=request.user, person_id=person_id)
    form = CollectionForm(request.POST or None)
    collections = submit(
        form,
        lambda: post_collection_for_obligor(actor=request.user, obligor=obligor, **form.cleaned_data),
        place=partial(add_ledger_error, dated_by="collected_on"),
    )
    if collections:
        messages.success(request, f"Payment posted to {len(collections)} case(s).")
        posted = ",".join(str(collection.pk) for collection in collections)
        url = reverse("web:ledger:obligor_collection_post", kwargs={"person_id": obligor.pk})
        return redirect(f"{url}?posted={posted}")
    posted_collections = _posted_for(request, obligor.pk)
    context = {
        "person": obligor,
        "form": form,
        "posted": [(collection, distribution_of(collection)) for collection in posted_collections],
    }
    return render(request, "web/ledger/obligor_collection_form.html", context, status=form_status(form))


def _suspense_row(collection: Collection, form: IdentifyForm | None, today: date) -> dict[str, object]:
    return {
        "collection": collection,
        "age_days": _age_days(collection, today),
        "form": form or IdentifyForm(auto_id=f"id_{collection.pk}_%s"),
    }


@allow("ledger.post")
@require_http_methods(["GET"])
@domain_errors
def suspense_list(request: AuthenticatedRequest) -> HttpResponse:
    return _suspense_page(request)


def _suspense_page(
    request: AuthenticatedRequest, failed: Collection | None = None, form: IdentifyForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    queue = _suspense_queue()
    rows = [
        _suspense_row(collection, form if failed is not None and collection.pk == failed.pk else None, today)
        for collection in queue[:SUSPENSE_ROWS_SHOWN]
    ]
    context = {"rows": rows, "waiting": queue.count(), "today": today}
    return render(request, "web/ledger/suspense.html", context, status=400 if form is not None else 200)


@allow("ledger.post")
@require_POST
@domain_errors
def suspense_identify(request: AuthenticatedRequest, collection_id: int) -> HttpResponse:
    """Name the case of a payment in suspense; it is distributed at once. With htmx, the row is swapped."""
    collection = selectors.suspense_collection_for_viewer(viewer=request.user, collection_id=collection_id)
    if collection.status != CollectionStatus.SUSPENSE:
        # Identified meanwhile (another officer, or a second click): say so in place of the row.
        if is_htmx(request):
            return render(request, "web/ledger/partials/suspense_gone.html", {"collection": collection}, status=409)
        messages.error(request, f"Payment {collection.pk} was already identified and is no longer in suspense.")
        return redirect("web:ledger:suspense_list")
    form = IdentifyForm(request.POST, auto_id=f"id_{collection.pk}_%s")
    today = timezone.localdate()
    if form.is_valid():
        try:
            case = case_for_viewer(viewer=request.user, number=form.cleaned_data["case_number"])
            collection = resolve_suspense(actor=request.user, collection=collection, case=case)
        except NotFound:
            form.add_error("case_number", f"No case {form.cleaned_data['case_number']} that you may see.")
        except (InvalidInput, Conflict, NotAuthorized) as error:
            add_ledger_error(form, error, dated_by="case_number")
        else:
            if not is_htmx(request):
                messages.success(request, f"Payment identified with case {case.number} and distributed.")
                return redirect("web:ledger:collection_show", collection_id=collection.pk)
            context = {"collection": collection, "distribution": distribution_of(collection)}
            return render(request, "web/ledger/partials/suspense_identified.html", context)
    if is_htmx(request):
        row = _suspense_row(collection, form, today)
        return render(request, "web/ledger/partials/suspense_row.html", {"row": row}, status=400)
    return _suspense_page(request, failed=collection, form=form)


@allow("cases.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def assistance_record(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Record a period of public assistance (TANF) from the IV-A referral: it assigns support rights."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = AssistanceForm(request.POST or None)
    if submit(
        form,
        lambda: record_assistance(actor=request.user, case=case, **form.cleaned_data),
        place=partial(add_ledger_error, dated_by="starts_on"),
    ):
        messages.success(request, "Assistance period recorded.")
        return redirect("web:ledger:finance", number=case.number)
    periods = selectors.assistance_periods_of(case=case)
    context = {"case": case, "form": form, "periods": periods}
    return render(request, "web/ledger/assistance_form.html", context, status=form_status(form))
