"""The packet screen: a case's attorney packets, one packet with each item present, printed when sent or
missing (and where to produce it), its forms, the referral to the staff attorney (refused, every missing
item named above the form, while the packet is incomplete), the attorney's outcome, the packet's PDF; and
the one-click testimony pack. Each form reaches its service through `submit` (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opencse.cases.models import Case
from opencse.cases.selectors import case_for_viewer
from opencse.court import services
from opencse.court.models import Packet, PacketStatus
from opencse.court.packet_types import item_types
from opencse.court.selectors import packet_on_case, packet_status, packets_of_case, staff_attorneys
from opencse.court.testimony import print_testimony_pack
from opencse.documents.services import open_document
from opencse.errors import NotFound
from opencse.establishment.selectors import worksheets_of_case
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.security.policy import can
from opencse.web.common.errors import domain_errors
from opencse.web.common.forms import form_status, submit
from opencse.web.packets.forms import (
    DeclarationForm,
    OutcomeForm,
    PacketOpenForm,
    PetitionForm,
    SendForm,
    WorksheetChoiceForm,
)

# Where the officer produces an item that OpenCSE keeps elsewhere (the item's `source`).
PRODUCE_AT = {
    "worksheet": "web:establishment:worksheet_list",
    "orders": "web:orders:enter",
    "locate": "web:cases:show",
}


def _packet(request: AuthenticatedRequest, number: str, packet_id: int) -> tuple[Case, Packet]:
    case = case_for_viewer(viewer=request.user, number=number)
    packet = packet_on_case(case=case, packet_id=packet_id)
    if packet is None:
        raise NotFound(f"No packet {packet_id} on case {case.number}.")
    return case, packet


@allow("court.view")
@require_GET
@domain_errors
def packet_list(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    return _list_page(request, case, PacketOpenForm())


def _list_page(request: AuthenticatedRequest, case: Case, form: PacketOpenForm, status: int = 200) -> HttpResponse:
    context = {
        "case": case,
        "packets": list(packets_of_case(case=case)),
        "form": form,
        "can_assemble": can(request.user, "court.assemble", case) and case.is_open,
        "can_testify": can(request.user, "court.testimony", case),
    }
    return render(request, "web/packets/list.html", context, status=status)


@allow("court.assemble")
@require_POST
@domain_errors
def packet_open(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    form = PacketOpenForm(request.POST)
    opened = submit(form, lambda: services.open_packet(actor=request.user, case=case, kind=form.cleaned_data["kind"],
                                                       opened_on=timezone.localdate()))  # fmt: skip
    if opened is not None:
        return redirect("web:packets:show", number=case.number, packet_id=opened.pk)
    return _list_page(request, case, form, form_status(form))


def _declaration_forms(packet: Packet, bound: tuple[str, DeclarationForm] | None = None) -> dict[str, DeclarationForm]:
    names = [name for name in packet_status(packet).type.items if item_types()[name].source == "declaration"]
    forms = {name: DeclarationForm(prefix=name) for name in names}
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _page(request: AuthenticatedRequest, case: Case, packet: Packet, status: int = 200, **forms: Any) -> HttpResponse:
    state = packet_status(packet)
    worksheets = [(each.pk, f"Worksheet {each.pk} ({each.jurisdiction}, {each.as_of:%m/%d/%Y})")
                  for each in worksheets_of_case(case=case)]  # fmt: skip
    attorneys = [(each.pk, each.get_full_name() or each.username) for each in staff_attorneys()]
    declarations = forms.pop("declarations", None) or _declaration_forms(packet)
    produce = {name: reverse(url, args=[case.number]) for name, url in PRODUCE_AT.items()}
    context = {
        "case": case,
        "packet": packet,
        "state": state,
        "assembling": packet.status == PacketStatus.ASSEMBLING,
        "can_assemble": can(request.user, "court.assemble", case),
        "can_record_outcome": can(request.user, "court.record_outcome", case) and packet.status != "assembling",
        "petition_form": forms.get("petition_form") or PetitionForm(),
        "declaration_forms": [(name, item_types()[name], form) for name, form in declarations.items()],
        "worksheet_form": forms.get("worksheet_form") or WorksheetChoiceForm(worksheets=worksheets),
        "send_form": forms.get("send_form") or SendForm(attorneys=attorneys, initial={"sent_on": timezone.localdate()}),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(initial={"outcome_on": timezone.localdate()}),
        "produce": produce,
    }
    return render(request, "web/packets/show.html", context, status=status)


@allow("court.view")
@require_GET
@domain_errors
def packet_show(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    case, packet = _packet(request, number, packet_id)
    return _page(request, case, packet)


def _done(request: AuthenticatedRequest, case: Case, packet: Packet, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("web:packets:show", number=case.number, packet_id=packet.pk)


@allow("court.assemble")
@require_POST
@domain_errors
def packet_petition(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    case, packet = _packet(request, number, packet_id)
    form = PetitionForm(request.POST)
    today = timezone.localdate()
    if submit(form, lambda: services.record_petition_data(actor=request.user, packet=packet, prepared_on=today,
                                                          **form.cleaned_data)):  # fmt: skip
        return _done(request, case, packet, "Petition data recorded.")
    return _page(request, case, packet, form_status(form), petition_form=form)


@allow("court.assemble")
@require_POST
@domain_errors
def packet_declaration(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    case, packet = _packet(request, number, packet_id)
    item = request.POST.get("item", "")
    if item not in _declaration_forms(packet):
        raise NotFound(f"A {packet.kind} packet declares no item {item[:40]!r}.")
    form = DeclarationForm(request.POST, prefix=item)
    today = timezone.localdate()
    recorded = submit(form, lambda: services.record_declaration(actor=request.user, packet=packet, item=item,
                                                                declared_on=today, **form.cleaned_data))  # fmt: skip
    if recorded is not None:
        return _done(request, case, packet, f"{item_types()[item].label} recorded.")
    return _page(request, case, packet, form_status(form), declarations=_declaration_forms(packet, (item, form)))


@allow("court.assemble")
@require_POST
@domain_errors
def packet_worksheet(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    case, packet = _packet(request, number, packet_id)
    worksheets = [(each.pk, f"Worksheet {each.pk}") for each in worksheets_of_case(case=case)]
    form = WorksheetChoiceForm(request.POST, worksheets=worksheets)
    if submit(form, lambda: services.attach_worksheet(actor=request.user, packet=packet, **form.cleaned_data)):
        return _done(request, case, packet, "Guideline worksheet chosen.")
    return _page(request, case, packet, form_status(form), worksheet_form=form)


@allow("court.assemble")
@require_POST
@domain_errors
def packet_send(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    case, packet = _packet(request, number, packet_id)
    attorneys = {each.pk: each for each in staff_attorneys()}
    form = SendForm(request.POST, attorneys=[(pk, each.username) for pk, each in attorneys.items()])
    sent = submit(form, lambda: services.send_packet(actor=request.user, packet=packet,
                                                     sent_on=form.cleaned_data["sent_on"],
                                                     attorney=attorneys[form.cleaned_data["attorney"]]))  # fmt: skip
    if sent is not None and sent.document is not None:
        return _done(request, case, packet, f"Packet sent to the staff attorney ({sent.document.page_count} pages).")
    return _page(request, case, packet, form_status(form), send_form=form)


@allow("court.record_outcome")
@require_POST
@domain_errors
def packet_outcome(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    case, packet = _packet(request, number, packet_id)
    form = OutcomeForm(request.POST)
    if submit(form, lambda: services.record_outcome(actor=request.user, packet=packet, **form.cleaned_data)):
        return _done(request, case, packet, "Outcome recorded.")
    return _page(request, case, packet, form_status(form), outcome_form=form)


def _pdf(body: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


@allow("court.view", "documents.view")
@require_GET
@domain_errors
def packet_pdf(request: AuthenticatedRequest, number: str, packet_id: int) -> HttpResponse:
    _case, packet = _packet(request, number, packet_id)
    if packet.document_id is None:
        raise NotFound(f"Packet {packet.pk} has not been sent yet.")
    document = open_document(viewer=request.user, document_id=packet.document_id)
    return _pdf(bytes(document.pdf), document.file_name)


@allow("court.testimony")
@require_POST
@domain_errors
def testimony_pack_print(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """One click: the case summary, the certified payment history and the arrears computation as of today,
    stored, and given to the browser as one PDF."""
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    pack = print_testimony_pack(actor=request.user, case=case, as_of=today, printed_on=today)
    return _pdf(bytes(pack.pdf), pack.file_name)
