"""Disputes and referrals on the web. Views parse, call `opencse.work.disputes` / `opencse.work.referrals`
(which check the case, run in one transaction and audit) and render. Resolving a dispute that changes the debt
requests an adjustment: it waits on the approvals queue for a second officer with signature authority."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer, case_members
from opencse.documents.correspondence.selectors import correspondence_of_case
from opencse.documents.services import open_document
from opencse.errors import InvalidInput, NotFound
from opencse.people.models import Person
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.disputes.forms import (
    DisputeForm,
    EvidenceForm,
    LetterForm,
    NoteForm,
    OutcomeForm,
    ReferralForm,
    ResolveForm,
)
from opencse.work.disputes import selectors, services
from opencse.work.disputes.models import Dispute
from opencse.work.referrals import selectors as referral_selectors
from opencse.work.referrals import services as referral_services
from opencse.work.referrals.resources import resources


def _people(case: Case) -> list[tuple[int, str]]:
    return [(m.person.pk, f"{m.person.full_name} ({m.get_role_display()})") for m in case_members(case=case)]


def _person(case: Case, person_id: int) -> Person:
    """The chosen member's person (the form's choices are the case's members)."""
    return next(member.person for member in case_members(case=case) if member.person_id == person_id)


@allow("disputes.view")
@require_GET
@domain_errors
def dispute_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    context = {
        "case": case,
        "disputes": selectors.disputes_of_case(viewer=request.user, case=case),
        "can_open": can(request.user, "disputes.manage", case),
    }
    return render(request, "web/disputes/list.html", context)


@allow("disputes.manage")
@require_http_methods(["GET", "POST"])
@domain_errors
def dispute_open(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = DisputeForm(request.POST or None, people=_people(case))

    def open_it() -> Dispute:
        values = form.cleaned_data
        return services.open_dispute(
            actor=request.user,
            case=case,
            kind=values["kind"],
            raised_by=_person(case, values["raised_by"]),
            raised_on=values["raised_on"],
            statement=values["statement"],
        )

    dispute = submit(form, open_it) if request.method == "POST" else None
    if dispute is not None:
        messages.success(request, f"Dispute {dispute.pk} opened; it is on the worklist.")
        return redirect("web:disputes:show", dispute.pk)
    return render(request, "web/disputes/open.html", {"case": case, "form": form}, status=form_status(form))


def _evidence_form(request: AuthenticatedRequest, dispute: Dispute, data: Any = None) -> EvidenceForm:
    entries = list(correspondence_of_case(viewer=request.user, case=dispute.case, limit=200))
    return EvidenceForm(
        data,
        entries=[(e.pk, f"{e.dated_on:%m/%d/%Y} {e.get_direction_display()}: {e.summary[:60]}") for e in entries],
        scans=[(s.pk, f"{s.file_name} (entry {e.pk})") for e in entries for s in e.scans.all()],
    )


def _show(request: AuthenticatedRequest, dispute: Dispute, status: int = 200, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "case": dispute.case,
        "dispute": dispute,
        "evidence": selectors.evidence_of(dispute=dispute),
        "notes": selectors.notes_of(dispute=dispute),
        "can_manage": can(request.user, "disputes.manage", dispute.case),
        "can_resolve": can(request.user, "disputes.resolve", dispute.case),
        "can_read_letter": can(request.user, "documents.view", dispute.case),
        "evidence_form": forms.get("evidence_form") or _evidence_form(request, dispute),
        "note_form": forms.get("note_form") or NoteForm(initial={"noted_on": today}),
        "letter_form": forms.get("letter_form") or LetterForm(initial={"dated_on": today}),
    }
    return render(request, "web/disputes/show.html", context, status=status)


@allow("disputes.view")
@require_GET
@domain_errors
def dispute_show(request: AuthenticatedRequest, dispute_id: int) -> HttpResponse:
    return _show(request, selectors.dispute_for_viewer(viewer=request.user, dispute_id=dispute_id))


@allow("disputes.manage")
@require_POST
@domain_errors
def evidence_add(request: AuthenticatedRequest, dispute_id: int) -> HttpResponse:
    dispute = selectors.dispute_for_viewer(viewer=request.user, dispute_id=dispute_id)
    form = _evidence_form(request, dispute, request.POST)

    def add() -> object:
        values = form.cleaned_data
        entry = next(
            e
            for e in correspondence_of_case(viewer=request.user, case=dispute.case, limit=200)
            if e.pk == values["entry"]
        )
        scan = next((s for s in entry.scans.all() if s.pk == values["scan"]), None)
        if values["scan"] is not None and scan is None:
            raise InvalidInput("is not a scan of that entry", field="scan")
        return services.add_evidence(actor=request.user, dispute=dispute, entry=entry, scan=scan, note=values["note"])

    if submit(form, add):
        messages.success(request, "Evidence added.")
        return redirect("web:disputes:show", dispute.pk)
    return _show(request, dispute, form_status(form), evidence_form=form)


@allow("disputes.manage")
@require_POST
@domain_errors
def note_add(request: AuthenticatedRequest, dispute_id: int) -> HttpResponse:
    dispute = selectors.dispute_for_viewer(viewer=request.user, dispute_id=dispute_id)
    form = NoteForm(request.POST)
    if submit(form, lambda: services.add_investigation_note(actor=request.user, dispute=dispute, **form.cleaned_data)):
        messages.success(request, "Note added.")
        return redirect("web:disputes:show", dispute.pk)
    return _show(request, dispute, form_status(form), note_form=form)


@allow("disputes.resolve")
@require_http_methods(["GET", "POST"])
@domain_errors
def dispute_resolve(request: AuthenticatedRequest, dispute_id: int) -> HttpResponse:
    """Decide the dispute; with "changes the debt", the adjustment is requested for a second officer's approval."""
    dispute = selectors.dispute_for_viewer(viewer=request.user, dispute_id=dispute_id)
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})

    def resolve() -> Dispute:
        values = form.cleaned_data
        adjustment = None
        if values["adjust"]:
            adjustment = services.AdjustmentInput(
                account=values["account"],
                kind=values["adjustment_kind"],
                amount=values["amount"],
                effective_on=values["effective_on"],
            )
        return services.resolve_dispute(
            actor=request.user,
            dispute=dispute,
            resolution=values["resolution"],
            reason=values["reason"],
            resolved_on=values["resolved_on"],
            adjustment=adjustment,
        )

    resolved = submit(form, resolve, place=_place_adjustment_error) if request.method == "POST" else None
    if resolved is not None:
        waiting = " The adjustment waits for approval by another officer." if resolved.adjustment_id else ""
        messages.success(request, f"Dispute {resolved.pk} resolved: {resolved.get_resolution_display()}.{waiting}")
        return redirect("web:disputes:show", resolved.pk)
    context = {"case": dispute.case, "dispute": dispute, "form": form}
    return render(request, "web/disputes/resolve.html", context, status=form_status(form))


ADJUSTMENT_FIELDS = {"kind": "adjustment_kind", "adjustment": "adjust"}  # the ledger's field names on this form


def _place_adjustment_error(form: Any, error: Any) -> None:
    errors = getattr(error, "errors", None) or [error]
    for each in errors:
        field = ADJUSTMENT_FIELDS.get(each.field, each.field)
        form.add_error(field if field in form.fields else None, each.message)


@allow("disputes.manage", "documents.generate")
@require_POST
@domain_errors
def letter_generate(request: AuthenticatedRequest, dispute_id: int) -> HttpResponse:
    """Generate (the next version of) the result letter, then show it."""
    dispute = selectors.dispute_for_viewer(viewer=request.user, dispute_id=dispute_id)
    form = LetterForm(request.POST)
    letter = submit(
        form,
        lambda: services.generate_result_letter(
            actor=request.user, dispute=dispute, dated_on=form.cleaned_data["dated_on"]
        ),
    )
    if letter is None:
        return _show(request, dispute, form_status(form), letter_form=form)
    return redirect("web:disputes:letter_pdf", dispute.pk)


@allow("disputes.view", "documents.view")
@require_GET
@domain_errors
def letter_show(request: AuthenticatedRequest, dispute_id: int) -> HttpResponse:
    """The latest result letter as a PDF (the reading audited by the document engine)."""
    dispute = selectors.dispute_for_viewer(viewer=request.user, dispute_id=dispute_id)
    if dispute.letter_id is None:
        raise NotFound(f"Dispute {dispute.pk} has no result letter yet.")
    document = open_document(viewer=request.user, document_id=dispute.letter_id)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.file_name}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _referral_form(request: AuthenticatedRequest, case: Case, data: Any = None) -> ReferralForm:
    listed = [(r.key, f"{r.name} ({r.kind_label}, {r.phone})") for r in resources()]
    return ReferralForm(data, people=_people(case), resources=listed, initial={"referred_on": timezone.localdate()})


def _referrals_page(request: AuthenticatedRequest, case: Case, form: ReferralForm, status: int = 200) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "may_refer": can(request.user, "referrals.manage", case),
        "resources": resources(),
        "referrals": referral_selectors.referrals_of_case(viewer=request.user, case=case),
        "outcome_form": OutcomeForm(initial={"outcome_on": timezone.localdate()}),
    }
    return render(request, "web/disputes/referrals.html", context, status=status)


@allow("referrals.view")
@require_GET
@domain_errors
def referral_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """A case's referrals with their outcomes, and (for caseworkers) the form to make one."""
    case = case_for_viewer(viewer=request.user, number=number)
    return _referrals_page(request, case, _referral_form(request, case))


@allow("referrals.manage")
@require_POST
@domain_errors
def referral_make(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = _referral_form(request, case, request.POST)
    made = submit(
        form,
        lambda: referral_services.refer(
            actor=request.user,
            case=case,
            person=_person(case, form.cleaned_data["person"]),
            resource_key=form.cleaned_data["resource"],
            referred_on=form.cleaned_data["referred_on"],
            note=form.cleaned_data["note"],
        ),
    )
    if made is None:
        return _referrals_page(request, case, form, form_status(form))
    messages.success(request, f"Referred to {made.resource_name}.")
    return redirect("web:disputes:referrals", case.number)


@allow("referrals.manage")
@require_POST
@domain_errors
def referral_outcome(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    """Record what came of a referral; back to the case's referrals with the result or the refusal."""
    referral = referral_selectors.referral_for_viewer(viewer=request.user, referral_id=referral_id)
    form = OutcomeForm(request.POST)
    if submit(
        form, lambda: referral_services.record_outcome(actor=request.user, referral=referral, **form.cleaned_data)
    ):
        messages.success(request, f"Outcome recorded for the referral to {referral.resource_name}.")
    else:
        messages.error(request, " ".join(f"{name}: {e}" for name, errors in form.errors.items() for e in errors))
    return redirect("web:disputes:referrals", referral.case.number)
