"""Locate on the web. Views parse, call one `opencse.locate` service through `submit` (which checks the case,
runs in one transaction and audits) and render; a refusal comes back beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.errors import DomainError, InvalidInput, InvalidInputs
from opencse.locate import selectors, services
from opencse.locate.matching import probability_text, weights_shown
from opencse.locate.models import VerificationStatus
from opencse.locate.sources import sources
from opencse.people.models import Address, Employment, Person
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import add_domain_error, form_status, submit
from opencse.web.locate.forms import (
    DismissForm,
    LinkForm,
    LocateRequestForm,
    ResponseForm,
    VerificationForm,
    VerificationResultForm,
)

TEMPLATES = "web/locate"


def _shows_address(viewer: object, person: Person) -> bool:
    return not person.family_violence or can(viewer, "people.view_protected_address")


def address_text(viewer: object, address: Address) -> str:
    """The address in the officer's words; a protected person's street only for cleared roles."""
    place = f"{address.city}, {address.state} {address.postal_code}"
    if not _shows_address(viewer, address.person):
        return f"address withheld (family violence indicator), {address.state}"
    return f"{address.line1}, {place}"


def employment_text(employment: Employment) -> str:
    state = "verified" if employment.verified else "not verified"
    return f"{employment.employer.name} ({employment.get_source_display()}, {state})"


def _targets(viewer: object, case: Case) -> list[tuple[str, str]]:
    found = selectors.case_locate(viewer=viewer, case=case)
    choices = [(f"employment:{job.pk}", f"Employer letter: {job.person.full_name} at {employment_text(job)}")
               for job in found.employments if not job.verified]  # fmt: skip
    choices += [(f"address:{address.pk}", f"Postal verification: {address.person.full_name}, "
                 f"{address_text(viewer, address)} ({address.get_verification_display().lower()})")
                for address in found.addresses if address.verification != Address.Verification.BAD]  # fmt: skip
    people = {job.person for job in found.employments} | {address.person for address in found.addresses}
    people |= {member.person for member in case.members.select_related("person").filter(left_on__isnull=True)}
    choices += [(f"person:{person.pk}", f"SSN verification: {person.full_name} ({person.ssn_masked})")
                for person in sorted(people, key=lambda p: p.pk) if person.ssn_last4]  # fmt: skip
    return choices


@allow("locate.view")
@require_GET
@domain_errors
def case_locate(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The case's locate requests and what came back, the verifications, and the leads on its people."""
    case = case_for_viewer(viewer=request.user, number=number)
    found = selectors.case_locate(viewer=request.user, case=case)
    names = {key: item.name for key, item in sources().items()}
    for asked in found.requests:
        asked.source_name = names.get(asked.source, asked.source)  # type: ignore[attr-defined]
    for answer in found.responses:
        answer.source_name = names.get(answer.source, answer.source)  # type: ignore[attr-defined]
    context = {
        "case": case,
        "found": found,
        "addresses": [(address, address_text(request.user, address)) for address in found.addresses],
        "can_request": can(request.user, "locate.request", case),
        "can_verify": can(request.user, "locate.verify", case),
        "can_review": can(request.user, "locate.review"),
        "requested": VerificationStatus.REQUESTED,
    }
    return render(request, f"{TEMPLATES}/case.html", context)


@allow("locate.request")
@require_http_methods(["GET", "POST"])
@domain_errors
def locate_request(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Refer the noncustodial parent to locate: the sources asked, from the date location was found necessary."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = LocateRequestForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    made = submit(form, lambda: services.request_locate(
        actor=request.user, case=case, sources_asked=form.cleaned_data["sources"],
        requested_on=form.cleaned_data["requested_on"], note=form.cleaned_data["note"],
    ))  # fmt: skip
    if made:
        messages.success(request, f"Locate requested from {len(made)} source(s) on case {case.number}.")
        return redirect("web:locate:case", number=case.number)
    context = {"case": case, "form": form, "title": "Refer to locate"}
    return render(request, f"{TEMPLATES}/form.html", context, status=form_status(form))


@allow("locate.request")
@require_http_methods(["GET", "POST"])
@domain_errors
def response_record(request: AuthenticatedRequest, number: str, request_id: int) -> HttpResponse:
    """A source's answer to a request."""
    case = case_for_viewer(viewer=request.user, number=number)
    asked = selectors.request_on_case(viewer=request.user, case=case, request_id=request_id)
    form = ResponseForm(request.POST or None, initial={"received_on": timezone.localdate()})
    recorded = submit(form, lambda: services.record_response(actor=request.user, request=asked, **form.cleaned_data))
    if recorded:
        messages.success(request, "The source's answer is recorded.")
        return redirect("web:locate:case", number=case.number)
    title = f"Answer from {sources()[asked.source].name}" if asked.source in sources() else "Answer"
    context = {"case": case, "form": form, "title": title}
    return render(request, f"{TEMPLATES}/form.html", context, status=form_status(form))


def _target(case: Case, value: str) -> dict[str, object]:
    """The service's arguments for a chosen target ("employment:12"): only the case's people's records."""
    kind, _, pk = value.partition(":")
    person_ids = case.members.values("person_id")
    if kind == "employment":
        return {"kind": "employer", "employment": Employment.objects.filter(person_id__in=person_ids).get(pk=pk)}
    if kind == "address":
        return {"kind": "postal", "address": Address.objects.filter(person_id__in=person_ids).get(pk=pk)}
    return {"kind": "ssn", "person": Person.objects.filter(pk__in=person_ids).get(pk=pk)}


TARGET_FIELDS = frozenset({"kind", "employment", "address", "person"})


def _beside_target(form: VerificationForm, error: DomainError) -> None:
    """The service names what it verifies (employment, address, person): on this form that is the target."""
    errors = error.errors if isinstance(error, InvalidInputs) else [error]
    for each in errors:
        field = "target" if each.field in TARGET_FIELDS else each.field
        add_domain_error(form, InvalidInput(each.message, field=field) if field else each)


@allow("locate.verify")
@require_http_methods(["GET", "POST"])
@domain_errors
def verification_request(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Ask for the verification of a lead: the employer letter is generated and stored on the case."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = VerificationForm(request.POST or None, targets=_targets(request.user, case),
                            initial={"requested_on": timezone.localdate()})  # fmt: skip
    made = submit(form, lambda: services.request_verification(
        actor=request.user, case=case, requested_on=form.cleaned_data["requested_on"],
        **_target(case, form.cleaned_data["target"]),  # type: ignore[arg-type]
    ), place=_beside_target)  # type: ignore[arg-type]  # fmt: skip
    if made:
        letter = " The letter is in the case's documents." if made.letter_id else ""
        messages.success(request, f"{made.get_kind_display()} requested.{letter}")
        return redirect("web:locate:case", number=case.number)
    context = {"case": case, "form": form, "title": "Verify a lead"}
    return render(request, f"{TEMPLATES}/form.html", context, status=form_status(form))


@allow("locate.verify")
@require_http_methods(["GET", "POST"])
@domain_errors
def verification_result(request: AuthenticatedRequest, number: str, verification_id: int) -> HttpResponse:
    """The answer to a verification: a verified employer opens the income withholding task."""
    case = case_for_viewer(viewer=request.user, number=number)
    verification = selectors.verification_on_case(viewer=request.user, case=case, verification_id=verification_id)
    form = VerificationResultForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    done = submit(form, lambda: services.record_verification(
        actor=request.user, verification=verification, verified=form.cleaned_data["result"] == "verified",
        decided_on=form.cleaned_data["decided_on"], note=form.cleaned_data["note"],
    ))  # fmt: skip
    if done:
        messages.success(request, f"{done.get_kind_display()}: {done.get_status_display().lower()}.")
        return redirect("web:locate:case", number=case.number)
    context = {"case": case, "form": form, "title": f"Result of the {verification.get_kind_display().lower()}"}
    return render(request, f"{TEMPLATES}/form.html", context, status=form_status(form))


@allow("locate.review")
@require_GET
@domain_errors
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Imported records no person matched: the officer links each to a person or dismisses it."""
    context = {
        "records": [
            (record, probability_text(record.best) if record.best is not None else "")  # type: ignore[attr-defined]
            for record in selectors.review_queue(viewer=request.user)
        ],
        "total": selectors.queue_size(viewer=request.user),
        "imports": selectors.recent_imports(viewer=request.user),
    }
    return render(request, f"{TEMPLATES}/queue.html", context)


@allow("locate.review")
@require_http_methods(["GET", "POST"])
@domain_errors
def review_decide(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    """Link a record to a person (it posts as an unverified lead) or dismiss it; both audited."""
    record = selectors.record_for_review(viewer=request.user, record_id=record_id)
    action = request.POST.get("action", "")
    today = {"decided_on": timezone.localdate()}
    link = LinkForm(request.POST if action == "link" else None, initial=today, prefix="link")
    dismiss = DismissForm(request.POST if action == "dismiss" else None, initial=today, prefix="dismiss")
    done = None
    if action == "link":
        done = submit(link, lambda: services.link_record(actor=request.user, record=record, **link.cleaned_data))
    elif action == "dismiss":
        done = submit(dismiss, lambda: services.dismiss_record(actor=request.user, record=record,
                                                               **dismiss.cleaned_data))  # fmt: skip
    if done:
        messages.success(request, f"Record {record.pk}: {done.get_status_display().lower()}.")
        return redirect("web:locate:queue")
    status = form_status(link if action == "link" else dismiss) if request.method == "POST" else 200
    name = sources()[record.source].name if record.source in sources() else record.source
    found = selectors.record_candidates(viewer=request.user, record=record)
    candidates = [
        {"person": each.person, "probability": probability_text(each.match_probability),
         "weight": f"{each.match_weight:+.1f}" if each.match_weight is not None else "",
         "fields": weights_shown(each.field_weights), "note": each.note}
        for each in found
    ]  # fmt: skip
    if found and not link.is_bound:
        link.initial["person_id"] = found[0].person_id
    context = {
        "record": record, "link": link, "dismiss": dismiss, "source_name": name, "candidates": candidates,
        "probability": probability_text(record.match_probability) if record.match_probability is not None else "",
        "weight": f"{record.match_weight:+.1f}" if record.match_weight is not None else "",
        "fields": weights_shown(record.field_weights or {}),
    }  # fmt: skip
    return render(request, f"{TEMPLATES}/decide.html", context, status=status)


@allow("locate.review")
@require_GET
@domain_errors
def import_report(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    """An imported file's counts and its exceptions report (each rejected line and why)."""
    received, rejections = selectors.import_rejections(viewer=request.user, import_id=import_id)
    return render(request, f"{TEMPLATES}/import.html", {"received": received, "rejections": rejections})
