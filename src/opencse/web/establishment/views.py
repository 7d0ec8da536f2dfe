"""Establishing an order on screen: the guideline worksheet, its live preview, the saved worksheet, the
proposal of obligations and its approval or rejection by an officer with signature authority.

The views parse the form, call the establishment selectors and services (which check authority, audit
and hold the law's arithmetic through the pure rule) and render the result (docs/establishment.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.errors import Conflict, InvalidInput
from opencse.establishment import selectors, services, worksheet_text
from opencse.establishment.models import EstablishmentProposal, GuidelineWorksheet, ProposalStatus
from opencse.establishment.selectors import WorksheetParties
from opencse.rules.guidelines.registry import guideline_jurisdiction
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import submit
from opencse.web.establishment.forms import (
    JURISDICTIONS,
    WORKSHEET_FORMS,
    ApprovalForm,
    ProposalForm,
    RejectionForm,
    WorksheetForm,
    add_rule_errors,
)


@allow("cases.view")
@require_http_methods(["GET"])
@domain_errors
def worksheet_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The case's saved worksheets and proposals, newest first."""
    case = case_for_viewer(viewer=request.user, number=number)
    context = {
        "case": case,
        "worksheets": list(selectors.worksheets_of_case(case=case)),
        "proposals": list(selectors.proposals_of_case(case=case)),
        "can_compute": can(request.user, "orders.enter", case) and case.is_open,
    }
    return render(request, "web/worksheet/list.html", context)


def _jurisdiction(value: str) -> str:
    """The guideline asked for, else the installation's state when OpenCSE has its guideline, else MS."""
    if value in JURISDICTIONS:
        return value
    return settings.OPENCSE_STATE if settings.OPENCSE_STATE in WORKSHEET_FORMS else next(iter(WORKSHEET_FORMS))


def _worksheet_form(request: AuthenticatedRequest, parties: WorksheetParties, jurisdiction: str) -> WorksheetForm:
    data = request.POST if request.method == "POST" else None
    return WORKSHEET_FORMS[jurisdiction](data, children=parties.children)


def _form_page(
    request: AuthenticatedRequest, case: Case, parties: WorksheetParties, form: WorksheetForm, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "jurisdiction": form.JURISDICTION,
        "jurisdictions": JURISDICTIONS,
        "parties": parties,
    }
    return render(request, "web/worksheet/new.html", context, status=status)


@allow("orders.enter")
@require_http_methods(["GET", "POST"])
@domain_errors
def worksheet_new(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The worksheet form, prefilled from the case; POST saves it as an immutable worksheet."""
    case = case_for_viewer(viewer=request.user, number=number)
    source = request.POST if request.method == "POST" else request.GET
    # The children's ages are filled in for today; the officer corrects them for another worksheet date.
    parties = selectors.worksheet_parties(case=case, as_of=timezone.localdate())
    form = _worksheet_form(request, parties, _jurisdiction(str(source.get("jurisdiction", ""))))
    if request.method != "POST":
        return _form_page(request, case, parties, form)
    if form.is_valid():
        try:
            worksheet = services.compute_worksheet(actor=request.user, case=case, payload=form.payload())
        except (InvalidInput, Conflict) as error:
            add_rule_errors(form, error)
        else:
            return redirect("web:establishment:worksheet_show", worksheet_id=worksheet.pk)
    return _form_page(request, case, parties, form, status=400)


@allow("orders.enter")
@require_POST
@domain_errors
def worksheet_preview(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The worksheet computed on the form as it stands, not saved: its lines, or the fields to correct."""
    case = case_for_viewer(viewer=request.user, number=number)
    parties = selectors.worksheet_parties(case=case, as_of=timezone.localdate())
    form = _worksheet_form(request, parties, _jurisdiction(str(request.POST.get("jurisdiction", ""))))
    output = None
    if form.is_valid():
        try:
            output = selectors.worksheet_preview(
                viewer=request.user, case=case, payload=form.payload(), today=timezone.localdate()
            )
        except InvalidInput as error:
            add_rule_errors(form, error)
    key = guideline_jurisdiction(form.JURISDICTION).amount_key
    explanation = [line.as_dict() for line in output.explanation] if output else []
    context = {
        "case": case,
        "form": form,
        "output": output,
        "guideline_support": worksheet_text.amount(output.result[key]) if output else None,
        "ordered_support": worksheet_text.amount(output.result["ordered_support"]) if output else None,
        "lines": worksheet_text.court_lines(explanation),
        "analyst_lines": worksheet_text.analyst_lines(explanation),
    }
    return render(request, "web/worksheet/preview.html", context, status=200 if output else 400)


def _worksheet_page(
    request: AuthenticatedRequest,
    worksheet: GuidelineWorksheet,
    proposal_form: ProposalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    case = worksheet.case
    context = {
        "case": case,
        "worksheet": worksheet,
        "parties": selectors.party_names(case=case),
        "proposals": selectors.proposals_of(worksheet=worksheet),
        "proposal_form": proposal_form or ProposalForm(initial={"effective_on": worksheet.as_of}),
        "can_propose": can(request.user, "orders.enter", case) and case.is_open,
        # In words for people (worksheet_text): the court's lines, and OpenCSE's working for analysts apart.
        "lines": worksheet_text.court_lines(worksheet.result["explanation"]),
        "analyst_lines": worksheet_text.analyst_lines(worksheet.result["explanation"]),
        "guideline_support": worksheet_text.amount(worksheet.guideline_support),
        "ordered_support": worksheet_text.amount(worksheet.ordered_support),
        "saved_at": worksheet_text.local_time(worksheet.computed_at),
        "deviations": [
            {**item, "amount": worksheet_text.amount(item["amount"])}
            for item in worksheet.result["result"]["deviations"]
        ],
    }
    return render(request, "web/worksheet/show.html", context, status=status)


@allow("cases.view")
@require_http_methods(["GET"])
@domain_errors
def worksheet_show(request: AuthenticatedRequest, worksheet_id: int) -> HttpResponse:
    """A saved worksheet, read-only, with its PDF and the proposal of obligations."""
    worksheet = selectors.worksheet_for_viewer(viewer=request.user, worksheet_id=worksheet_id)
    return _worksheet_page(request, worksheet)


@allow("orders.enter")
@require_POST
@domain_errors
def worksheet_propose(request: AuthenticatedRequest, worksheet_id: int) -> HttpResponse:
    """Propose the worksheet's ordered support as the order's obligations (the service's default terms)."""
    worksheet = selectors.worksheet_for_viewer(viewer=request.user, worksheet_id=worksheet_id)
    form = ProposalForm(request.POST)
    proposal = submit(
        form,
        lambda: services.propose_obligations(
            actor=request.user,
            case=worksheet.case,
            worksheet=worksheet,
            effective_on=form.cleaned_data["effective_on"],
        ),
    )
    if proposal:
        return redirect("web:establishment:proposal_show", proposal_id=proposal.pk)
    return _worksheet_page(request, worksheet, form, status=400)


def _proposal_page(
    request: AuthenticatedRequest,
    proposal: EstablishmentProposal,
    approval_form: ApprovalForm | None = None,
    rejection_form: RejectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer, case = request.user, proposal.case
    is_draft = proposal.status == ProposalStatus.DRAFT
    context = {
        "case": case,
        "proposal": proposal,
        "terms": selectors.terms_of_proposal(proposal=proposal),
        "is_draft": is_draft,
        "prepared_by_viewer": proposal.prepared_by_id == viewer.pk,
        # The service refuses the preparer and roles without signature authority; the buttons follow it.
        "can_decide": is_draft and can(viewer, "orders.sign", case) and proposal.prepared_by_id != viewer.pk,
        "can_view_finance": can(viewer, "ledger.view", case),
        "approval_form": approval_form or ApprovalForm(today=timezone.localdate()),
        "rejection_form": rejection_form or RejectionForm(),
    }
    return render(request, "web/worksheet/proposal.html", context, status=status)


@allow("cases.view")
@require_http_methods(["GET"])
@domain_errors
def worksheet_proposal_show(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """The proposed obligations and their status; Approve and Reject for an officer who may decide."""
    proposal = selectors.proposal_for_viewer(viewer=request.user, proposal_id=proposal_id)
    return _proposal_page(request, proposal)


@allow("orders.sign")
@require_POST
@domain_errors
def worksheet_proposal_approve(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Approve: the service enters the administrative order and its terms for the ledger."""
    proposal = selectors.proposal_for_viewer(viewer=request.user, proposal_id=proposal_id)
    form = ApprovalForm(request.POST, today=timezone.localdate())
    if submit(form, lambda: services.approve_proposal(actor=request.user, proposal=proposal, **form.cleaned_data)):
        return redirect("web:establishment:proposal_show", proposal_id=proposal.pk)
    return _proposal_page(request, proposal, approval_form=form, status=400)


@allow("orders.sign")
@require_POST
@domain_errors
def worksheet_proposal_reject(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Reject with a reason; nothing is entered."""
    proposal = selectors.proposal_for_viewer(viewer=request.user, proposal_id=proposal_id)
    form = RejectionForm(request.POST)
    if submit(
        form, lambda: services.reject_proposal(actor=request.user, proposal=proposal, note=form.cleaned_data["note"])
    ):
        return redirect("web:establishment:proposal_show", proposal_id=proposal.pk)
    return _proposal_page(request, proposal, rejection_form=form, status=400)
