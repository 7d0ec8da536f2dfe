"""A case's documents: the stored ones, newest first (each opened through an audited read), and the
buttons that print and store a new one (a POST: every printing is a new stored version, never a GET)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opencse.cases.selectors import case_for_viewer
from opencse.documents import selectors
from opencse.documents.services import open_document
from opencse.ledger.history import certify_payment_history
from opencse.ledger.notice import issue_notice_of_support_debt
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.documents.forms import HistoryForm, NoticeForm


def _page(request: AuthenticatedRequest, number: str, **forms: object) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    context = {
        "case": case,
        "documents": list(selectors.documents_of_case(viewer=request.user, case=case)),
        "notice_form": forms.get("notice_form") or NoticeForm(initial={"as_of": today}),
        "history_form": forms.get("history_form")
        or HistoryForm(initial={"start": today.replace(month=1, day=1), "end": today}),
        "can_generate": can(request.user, "documents.generate", case) and can(request.user, "ledger.view", case),
    }
    status = max((form_status(form) for form in forms.values() if form is not None), default=200)  # type: ignore[arg-type]
    return render(request, "web/documents/case_documents.html", context, status=status)


@allow("documents.view")
@require_GET
@domain_errors
def case_documents(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _page(request, number)


@allow("documents.generate", "ledger.view")
@require_POST
@domain_errors
def notice_issue(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Print and store the notice of support debt, dated today in the agency's time zone."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = NoticeForm(request.POST)
    today = timezone.localdate()
    document = submit(form, lambda: issue_notice_of_support_debt(actor=request.user, case=case, issued_on=today,
                                                                 **form.cleaned_data))  # fmt: skip
    if document:
        messages.success(request, f"{document.title} stored as version {document.version}.")
        return redirect("web:documents:case", number=case.number)
    return _page(request, number, notice_form=form)


@allow("documents.generate", "ledger.view")
@require_POST
@domain_errors
def history_certify(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Print and store the certified payment history of a period, certified today."""
    case = case_for_viewer(viewer=request.user, number=number)
    form = HistoryForm(request.POST)
    today = timezone.localdate()
    document = submit(form, lambda: certify_payment_history(actor=request.user, case=case, certified_on=today,
                                                            **form.cleaned_data))  # fmt: skip
    if document:
        messages.success(request, f"{document.title} stored as version {document.version}.")
        return redirect("web:documents:case", number=case.number)
    return _page(request, number, history_form=form)


@allow("documents.view")
@require_GET
@domain_errors
def document_pdf(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    """The stored PDF, as it was printed (its hash checked), the read audited."""
    document = open_document(viewer=request.user, document_id=document_id)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{document.kind}-{document.case.number}-v{document.version}.pdf"'
    )
    return response
