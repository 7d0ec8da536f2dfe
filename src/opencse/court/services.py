"""The attorney packet's use cases: open a packet on a case, record its items (the petition data, a
declaration, the guideline worksheet), send it to a staff attorney as one PDF, and record the attorney's
outcome. Each checks the actor's permission, runs in one transaction and writes an audit row; the
sending and the outcome also write a line on the case timeline (`cases.services.add_system_note`).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case, MemberRole
from opencse.cases.services import add_system_note
from opencse.common.validation import check_not_future
from opencse.court import items as printed
from opencse.court.models import Outcome, Packet, PacketItem, PacketStatus
from opencse.court.packet_types import item_type, packet_type, packet_types
from opencse.court.selectors import TO_PRINT, ItemState, PacketState, packet_status
from opencse.documents.assembly import store_assembled_document
from opencse.documents.models import Document
from opencse.documents.services import generate_document
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.establishment.pdf import print_worksheet
from opencse.establishment.selectors import worksheet_on_case
from opencse.ledger.history import certify_payment_history
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require
from opencse.security.roles import Role
from opencse.security.services import system_actor

TEXT_MAXIMUM = 4000
PACKET_KIND = "attorney_packet"


def _assembling(actor: User, packet: Packet) -> Packet:
    """The packet, locked, still being assembled, and the actor allowed to assemble it."""
    require(actor, "court.assemble", packet.case)
    packet = Packet.objects.select_for_update().select_related("case").get(pk=packet.pk)
    if packet.status != PacketStatus.ASSEMBLING:
        raise Conflict(f"Packet {packet.pk} was sent on {packet.sent_on:%m/%d/%Y}; open a new packet to change it.")
    return packet


@transaction.atomic
def open_packet(*, actor: User, case: Case, kind: str, opened_on: date) -> Packet:
    """Start assembling a packet of type `kind` (packets.yaml) on the case."""
    require(actor, "court.assemble", case)
    if kind not in packet_types():
        raise InvalidInput(f"{kind[:40]!r} is not a type of packet", field="kind")
    check_not_future(opened_on, field="opened_on")
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed; reopen it before preparing a packet.")
    packet = Packet.objects.create(case=case, kind=kind, opened_on=opened_on, opened_by=actor)
    record_audit(actor=actor, action="packet.opened", target=packet, case_number=case.number,
                 summary=f"{packet_type(kind).label} packet")  # fmt: skip
    return packet


def _keep_item(actor: User, packet: Packet, item: str, **pointer: object) -> PacketItem:
    """Record (or replace, while assembling) what the packet's `item` points to."""
    PacketItem.objects.filter(packet=packet, item=item).delete()
    kept = PacketItem.objects.create(packet=packet, item=item, added_by=actor, **pointer)
    record_audit(
        actor=actor,
        action="packet.item_recorded",
        target=packet,
        case_number=packet.case.number,
        summary=item_type(item).label,
        after={"item": item, **{k: _plain(v) for k, v in pointer.items()}},
    )
    return kept  # fmt: skip


def _plain(value: object) -> object:
    return value.pk if isinstance(value, Document) else value


def _item_of_packet(packet: Packet, item: str, sources: tuple[str, ...]) -> None:
    kind = packet_type(packet.kind)
    if item not in kind.items:
        raise InvalidInput(f"a {kind.label.lower()} packet has no item {item[:40]!r}", field="item")
    if item_type(item).source not in sources:
        raise InvalidInput(f"{item_type(item).label} is not recorded this way", field="item")


def _names(case: Case) -> dict[str, str]:
    return printed.names_by_role(case)


@transaction.atomic
def record_petition_data(
    *, actor: User, packet: Packet, relief_requested: str, facts: str, prepared_on: date
) -> PacketItem:
    """The officer's petition data (what is asked and why), printed and stored as the packet's item."""
    packet = _assembling(actor, packet)
    _item_of_packet(packet, "petition_data", ("form",))
    errors = []
    relief_requested, facts = relief_requested.strip(), facts.strip()
    if not relief_requested:
        errors.append(InvalidInput("say what the agency asks the court for", field="relief_requested"))
    for name, value in (("relief_requested", relief_requested), ("facts", facts)):
        if len(value) > TEXT_MAXIMUM:
            errors.append(InvalidInput(f"must be at most {TEXT_MAXIMUM} characters", field=name))
    if errors:
        raise InvalidInputs(errors)
    names = _names(packet.case)
    data = {
        "case_number": packet.case.number,
        "packet_title": packet_type(packet.kind).label,
        "obligor_names": names.get(MemberRole.NONCUSTODIAL_PARENT, ""),
        "obligee_names": names.get(MemberRole.CUSTODIAL_PARTY, ""),
        "children_names": names.get(MemberRole.DEPENDENT_CHILD, ""),
        "relief_requested": relief_requested,
        "facts": facts,
        "prepared_by": printed.signer(actor),
    }
    document = generate_document(actor=actor, case=packet.case, kind="petition_data",
                                 data={key: value for key, value in data.items() if value},
                                 dated_on=prepared_on, subject=f"packet {packet.pk}")  # fmt: skip
    return _keep_item(actor, packet, "petition_data", document=document)


@transaction.atomic
def record_declaration(
    *, actor: User, packet: Packet, item: str, declaration: str, declared_on: date, recorded_on: date | None = None
) -> PacketItem:
    """A record the packet needs that OpenCSE keeps no data for yet (paternity evidence: the acknowledgment
    or the genetic test; service records; the ability-to-pay statement), declared by the officer: what it
    is, where it is kept, its date. Printed and stored as the packet's item."""
    packet = _assembling(actor, packet)
    _item_of_packet(packet, item, ("declaration",))
    declaration = declaration.strip()
    errors = []
    if not declaration:
        errors.append(InvalidInput("describe the record: what it is, its date, where it is kept", field="declaration"))
    elif len(declaration) > TEXT_MAXIMUM:
        errors.append(InvalidInput(f"must be at most {TEXT_MAXIMUM} characters", field="declaration"))
    if recorded_on is not None and recorded_on > declared_on:
        errors.append(InvalidInput("cannot be after the declaration", field="recorded_on"))
    if errors:
        raise InvalidInputs(errors)
    described = item_type(item)
    data = {
        "case_number": packet.case.number,
        "item_title": described.label,
        "reference": described.reference,
        "declaration": declaration,
        "recorded_on": recorded_on,
        "declared_by": printed.signer(actor),
    }
    document = generate_document(actor=actor, case=packet.case, kind="packet_declaration",
                                 data={key: value for key, value in data.items() if value},
                                 dated_on=declared_on, subject=f"packet {packet.pk} {item}",
                                 title=f"{described.label}")  # fmt: skip
    return _keep_item(actor, packet, item, document=document)


@transaction.atomic
def attach_worksheet(*, actor: User, packet: Packet, worksheet_id: int) -> PacketItem:
    """Choose the saved guideline worksheet of the case the packet asks the court to follow."""
    packet = _assembling(actor, packet)
    _item_of_packet(packet, "guideline_worksheet", ("worksheet",))
    if worksheet_on_case(case=packet.case, worksheet_id=worksheet_id) is None:
        raise InvalidInput(f"no worksheet {worksheet_id} on case {packet.case.number}", field="worksheet_id")
    return _keep_item(actor, packet, "guideline_worksheet", worksheet_id=worksheet_id)


@transaction.atomic
def send_packet(*, actor: User, packet: Packet, sent_on: date, attorney: User) -> Packet:
    """Refer the packet to the staff attorney as one PDF: a cover memorandum listing the items, then each
    item's PDF (the records OpenCSE keeps are printed now, as of `sent_on`). Refused, naming every missing
    item, while a required item is missing."""
    packet = _assembling(actor, packet)
    state = packet_status(packet)
    if state.missing:
        raise InvalidInputs([InvalidInput(f"{each.item.label} is missing: {each.detail}", field=each.name)
                             for each in state.missing])  # fmt: skip
    errors = []
    if attorney.role != Role.STAFF_ATTORNEY or not attorney.is_active:
        errors.append(InvalidInput("choose an active staff attorney", field="attorney"))
    if sent_on < packet.opened_on:
        errors.append(InvalidInput("cannot be before the packet was opened", field="sent_on"))
    elif sent_on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field="sent_on"))
    if errors:
        raise InvalidInputs(errors)
    parts = [_printed_item(actor, packet, each, sent_on) for each in state.enclosed]
    cover = _cover_memo(actor, packet, state.type.label, attorney, sent_on, state, parts)
    assembled = store_assembled_document(
        actor=actor, case=packet.case, kind=PACKET_KIND, title=f"{state.type.label} Packet {packet.pk}",
        subject=f"packet {packet.pk}", dated_on=sent_on, parts=[cover, *parts],
    )  # fmt: skip
    packet.status, packet.sent_on, packet.sent_by = PacketStatus.SENT, sent_on, actor
    packet.attorney, packet.document = attorney, assembled
    packet.full_clean()
    packet.save()
    record_audit(actor=actor, action="packet.sent", target=packet, case_number=packet.case.number,
                 summary=f"{state.type.label} packet to {printed.signer(attorney)}",
                 after={"attorney": attorney.pk, "sent_on": sent_on.isoformat(), "document": assembled.pk,
                        "items": [each.name for each in state.enclosed]})  # fmt: skip
    add_system_note(
        actor=system_actor(), case=packet.case, source_key=f"packet:{packet.pk}:sent",
        text=f"{state.type.label} packet {packet.pk} sent to staff attorney {printed.signer(attorney)} on "
             f"{sent_on:%m/%d/%Y} by {printed.signer(actor)}: {len(parts)} item(s), {assembled.page_count} pages. "
             f"Document {assembled.pk}.",
    )  # fmt: skip
    return packet


def _printed_item(actor: User, packet: Packet, each: ItemState, sent_on: date) -> Document:
    """The stored PDF of an enclosed item, printing it now when it is a record OpenCSE keeps."""
    case = packet.case
    if each.recorded is not None and each.recorded.document is not None:
        return each.recorded.document
    if each.recorded is not None and each.recorded.worksheet_id is not None:
        worksheet = worksheet_on_case(case=case, worksheet_id=each.recorded.worksheet_id)
        assert worksheet is not None, "attach_worksheet checked it is the case's"
        document = print_worksheet(actor=actor, worksheet=worksheet, printed_on=sent_on)
        each.recorded.document = document
        each.recorded.save(update_fields=["document"])
        return document
    assert each.state == TO_PRINT, (each.name, each.state)
    order_ids: list[int] = []
    if each.name == "payment_history":
        document = certify_payment_history(actor=actor, case=case, start=printed.history_start(case), end=sent_on,
                                           certified_on=sent_on)  # fmt: skip
    elif each.name == "affidavit_of_arrears":
        document = printed.print_affidavit_of_arrears(actor=actor, case=case, as_of=sent_on, dated_on=sent_on)
    elif each.item.source == "orders":
        document, order_ids = printed.print_prior_orders(actor=actor, case=case, dated_on=sent_on)
    else:
        assert each.item.source == "locate", each.name
        document = printed.print_locate_verification(actor=actor, case=case, dated_on=sent_on)
    PacketItem.objects.create(packet=packet, item=each.name, document=document, order_ids=order_ids, added_by=actor)
    return document


def _cover_memo(
    actor: User, packet: Packet, title: str, attorney: User, sent_on: date, state: PacketState, parts: list[Document]
) -> Document:
    names = _names(packet.case)
    rows = [{"item": each.item.label, "description": f"{part.title}", "pages": part.page_count}
            for each, part in zip(state.enclosed, parts, strict=True)]  # fmt: skip
    not_enclosed = [each.item.label for each in state.items if not each.required and not each.available]
    data = {
        "case_number": packet.case.number,
        "packet_title": title,
        "attorney_name": printed.signer(attorney),
        "sent_by": printed.signer(actor),
        "obligor_names": names.get(MemberRole.NONCUSTODIAL_PARENT, ""),
        "obligee_names": names.get(MemberRole.CUSTODIAL_PARTY, ""),
        "items": rows,
        "optional_missing": not_enclosed,
    }
    return generate_document(actor=actor, case=packet.case, kind="packet_cover_memo",
                             data={key: value for key, value in data.items() if value not in ("", [])},
                             dated_on=sent_on, subject=f"packet {packet.pk}")  # fmt: skip


@transaction.atomic
def record_outcome(
    *, actor: User, packet: Packet, outcome: str, outcome_on: date, hearing_on: date | None = None, note: str = ""
) -> Packet:
    """The staff attorney's outcome of a referral: filed, hearing set (with its date), order entered, or
    declined (with the reason). A later outcome (the hearing, then the order) is recorded the same way."""
    require(actor, "court.record_outcome", packet.case)
    packet = Packet.objects.select_for_update().select_related("case").get(pk=packet.pk)
    if packet.status == PacketStatus.ASSEMBLING:
        raise Conflict(f"Packet {packet.pk} has not been sent to a staff attorney yet.")
    note = note.strip()
    errors = []
    if outcome not in Outcome.values:
        errors.append(InvalidInput(f"{outcome[:30]!r} is not an outcome", field="outcome"))
    assert packet.sent_on is not None
    if outcome_on < packet.sent_on:
        errors.append(InvalidInput("cannot be before the packet was sent", field="outcome_on"))
    elif outcome_on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field="outcome_on"))
    if outcome == Outcome.HEARING_SET and hearing_on is None:
        errors.append(InvalidInput("give the hearing date", field="hearing_on"))
    if hearing_on is not None and hearing_on < packet.sent_on:
        errors.append(InvalidInput("cannot be before the packet was sent", field="hearing_on"))
    if outcome == Outcome.DECLINED and not note:
        errors.append(InvalidInput("say why the packet was declined", field="note"))
    if len(note) > TEXT_MAXIMUM:
        errors.append(InvalidInput(f"must be at most {TEXT_MAXIMUM} characters", field="note"))
    if errors:
        raise InvalidInputs(errors)
    before = {"outcome": packet.outcome, "outcome_on": packet.outcome_on.isoformat() if packet.outcome_on else None}
    packet.status, packet.outcome, packet.outcome_on = PacketStatus.OUTCOME_RECORDED, outcome, outcome_on
    packet.hearing_on, packet.outcome_note, packet.outcome_by = hearing_on, note, actor
    packet.full_clean()
    packet.save()
    label = Outcome(outcome).label
    record_audit(actor=actor, action="packet.outcome_recorded", target=packet, case_number=packet.case.number,
                 summary=f"{label} on {outcome_on:%m/%d/%Y}", before=before,
                 after={"outcome": outcome, "outcome_on": outcome_on.isoformat(),
                        "hearing_on": hearing_on.isoformat() if hearing_on else None})  # fmt: skip
    hearing = f", hearing on {hearing_on:%m/%d/%Y}" if hearing_on else ""
    add_system_note(
        actor=system_actor(), case=packet.case, source_key=f"packet:{packet.pk}:outcome:{outcome}:{outcome_on}",
        text=f"{packet_type(packet.kind).label} packet {packet.pk}: {label} on {outcome_on:%m/%d/%Y}{hearing}, "
             f"recorded by {printed.signer(actor)}." + (f" {note[:500]}" if note else ""),
    )  # fmt: skip
    return packet
