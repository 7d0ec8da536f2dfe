"""The screens of the directory of other IV-D agencies (states, tribes, countries): the list with its filter,
registering and editing an agency, and on the case page the other agency of an intergovernmental case,
how the family's share will be paid, and the form that links the case to an agency.

Each view parses the form, calls `opencse.cases.agencies` (which checks authority, runs in one transaction
and writes the audit row) and renders the result; a refusal goes back beside its field. The account number
goes in and never comes out: pages show its last four digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases import agencies
from opencse.cases.models import Case, Category, OtherAgency
from opencse.cases.selectors import case_for_viewer
from opencse.errors import Conflict, InvalidInput
from opencse.ledger.disbursement import payment_routes
from opencse.ledger.models import Payee, PaymentMethod
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.agencies.forms import AgencyFilterForm, AgencyForm, CaseAgencyForm
from opencse.web.common.errors import domain_errors, refusal_status
from opencse.web.common.forms import add_domain_error, form_status
from opencse.web.common.htmx import is_htmx

AGENCIES_SHOWN = 500  # the directory holds a few hundred agencies at most (states, tribes, countries)


# The categories with another agency: only a responding interstate case pays it (45 CFR 303.7(d)(6)(v)).
INTERGOVERNMENTAL = (Category.INTERSTATE_INITIATING, Category.INTERSTATE_RESPONDING, Category.TRIBAL,
                     Category.INTERNATIONAL)  # fmt: skip


@allow("agencies.view")
@require_GET
@domain_errors
def agency_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AgencyFilterForm(request.GET or None)
    name, kind = "", ""
    if form.is_valid():
        name, kind = form.cleaned_data["name"].strip(), form.cleaned_data["kind"]
    context = {
        "form": form,
        "agencies": agencies.agency_directory(name=name, kind=kind, limit=AGENCIES_SHOWN),
        "limit": AGENCIES_SHOWN,
        "filtered": bool(name or kind),
        "can_manage": can(request.user, "agencies.manage"),
    }
    status = form_status(form)
    return render(request, "web/agency/list.html", context, status=status)


def _saved(request: AuthenticatedRequest, agency: OtherAgency, verb: str) -> HttpResponse:
    account = f"paid by EFT to ****{agency.account_last4}" if agency.has_bank_account else "no account — paid by check"
    messages.success(request, f"{agency.name} (FIPS {agency.fips_code}) {verb}: {account}.")
    return redirect("web:agencies:list")


def _agency_form_page(
    request: AuthenticatedRequest, form: AgencyForm, agency: OtherAgency | None, status: int
) -> HttpResponse:
    return render(request, "web/agency/form.html", {"form": form, "agency": agency}, status=status)


@allow("agencies.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def agency_register(request: AuthenticatedRequest) -> HttpResponse:
    """Add another IV-D agency to the directory, with its remittance account or a check address."""
    form = AgencyForm(request.POST or None)
    if form.is_valid():
        try:
            agency = agencies.register_agency(actor=request.user, data=form.agency_input())
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
            return _agency_form_page(request, form, None, refusal_status(error))
        return _saved(request, agency, "registered")
    return _agency_form_page(request, form, None, 400 if form.is_bound else 200)


@allow("agencies.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def agency_edit(request: AuthenticatedRequest, agency_id: int) -> HttpResponse:
    """Change an agency's entry; an empty account number keeps the account on file."""
    agency = agencies.other_agency(agency_id=agency_id)
    form = AgencyForm(request.POST or None, agency=agency)
    if form.is_valid():
        try:
            agency = agencies.update_agency(actor=request.user, agency=agency, data=form.agency_input())
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
            return _agency_form_page(request, form, agency, refusal_status(error))
        return _saved(request, agency, "saved")
    return _agency_form_page(request, form, agency, 400 if form.is_bound else 200)


@dataclass(frozen=True, slots=True)
class FamilySharePayment:
    """How the next disbursement run would pay the family's share of the case, said plainly."""

    method: str  # "eft", "check" or "" (cannot be paid)
    to_agency: bool
    sentence: str


def family_share_payment(*, case: Case) -> FamilySharePayment:
    """The route the disbursement run takes for the family's share (`payment_routes`, the run's own
    decision, so the page cannot disagree with the run)."""
    route = payment_routes({case.pk}, {Payee.FAMILY})[(case.pk, Payee.FAMILY)]
    agency = case.other_agency
    if isinstance(route, str):
        return FamilySharePayment("", False, f"The family's share cannot be paid yet: {route}.")
    responding = case.category == Category.INTERSTATE_RESPONDING
    if route.method == PaymentMethod.EFT and route.agency_id is not None and agency is not None:
        return FamilySharePayment(
            "eft",
            True,
            f"By EFT to {agency.name}: a CCD+ credit to its account ****{agency.account_last4} at routing number "
            f"{agency.routing_number}, with its case number {case.other_case_identifier} (DED02).",
        )
    if route.method == PaymentMethod.CHECK and route.agency_id is not None and agency is not None:
        address = ", ".join(agency.address_lines) or "no address in the directory"
        why = "it has no bank account in the directory" if not agency.has_bank_account else (
            "the obligor's SSN, which an EFT to an agency must carry (DED05), is not on file"
        )  # fmt: skip
        return FamilySharePayment("check", True, f"By check to {agency.name}, mailed to {address} ({why}).")
    if responding and route.method == PaymentMethod.CHECK and route.recipient_id is None:
        why = f"{agency.name} is inactive in the directory" if agency is not None else (
            "the case is not linked to an agency of the directory"
        )  # fmt: skip
        return FamilySharePayment(
            "check",
            True,
            f"By check payable to “{route.recipient_name}”, with no address from the directory, because {why}. "
            "Link the case to an active agency so the check is addressed, or paid by EFT.",
        )
    how = "by direct deposit" if route.method == PaymentMethod.EFT else "by check"
    note = (
        ""
        if responding
        else (" This state pays the family directly: only a responding case is paid to the other agency.")
    )
    return FamilySharePayment(route.method, False, f"To {route.recipient_name}, {how}.{note}")


def case_agency_context(*, viewer: object, case: Case) -> dict[str, object]:
    """What the case page's "Other agency" section shows (nothing for an in-state case)."""
    if case.category not in INTERGOVERNMENTAL:
        return {"agency_section": False}
    may_link = can(viewer, "cases.update", case) and case.is_open
    return {
        "agency_section": True,
        "family_share": family_share_payment(case=case),
        "agency_link_form": _link_form(case) if may_link else None,
    }


def _link_form(case: Case, data: object = None) -> CaseAgencyForm:
    initial = {"agency": case.other_agency_id, "other_case_identifier": case.other_case_identifier}
    return CaseAgencyForm(data, initial=initial, agencies=agencies.other_agencies())


@allow("cases.update")
@require_http_methods(["GET", "POST"])
@domain_errors
def agency_case_link(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Link an intergovernmental case to an agency of the directory and its case number there (or remove
    the link). With htmx the case page's section is swapped."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = _link_form(case, request.POST or None)
    status, notice, refusal = 200, "", ""
    if case.category not in INTERGOVERNMENTAL:
        status = 409 if request.method == "POST" else 200
        refusal = f"Case {case.number} is {case.get_category_display().lower()}: it has no other agency."
    elif form.is_valid():
        try:
            case = agencies.link_case_to_agency(
                actor=request.user,
                case=case,
                agency=form.cleaned_data["agency"],
                other_case_identifier=form.cleaned_data["other_case_identifier"],
            )
        except (InvalidInput, Conflict) as error:
            add_domain_error(form, error)
            status = refusal_status(error)
        else:
            linked = case.other_agency
            notice = f"Case {case.number} linked to {linked.name}, case number {case.other_case_identifier}." if (
                linked is not None
            ) else f"Case {case.number} is no longer linked to an agency."  # fmt: skip
            if not is_htmx(request):
                messages.success(request, notice)
                return redirect("web:cases:show", number=case.number)
            form = _link_form(case)
    elif form.is_bound:
        status = 400
    context = {
        "case": case,
        "agency_section": True,
        "family_share": family_share_payment(case=case),
        "agency_link_form": None if refusal else form,
        "notice": notice,
        "refusal": refusal,
        "open_form": not is_htmx(request),
    }
    template = "web/agency/partials/case_agency.html" if is_htmx(request) else "web/agency/case_link.html"
    return render(request, template, context, status=status)
