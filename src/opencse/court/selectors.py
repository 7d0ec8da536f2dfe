"""Reading packets: a case's packets, one packet, and `packet_status` — which items are present, which will
be printed when the packet is sent, and which are missing (with what the officer must do)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from opencse.cases.models import Case
from opencse.court.items import obligor_member, verified_whereabouts
from opencse.court.models import Packet, PacketItem
from opencse.court.packet_types import ItemType, PacketType, item_type, packet_type
from opencse.establishment.selectors import worksheets_of_case
from opencse.security.models import User
from opencse.security.roles import Role

PRESENT = "present"
TO_PRINT = "printed when sent"  # generated from records OpenCSE keeps, when the packet is sent
MISSING = "missing"


@dataclass(frozen=True, slots=True)
class ItemState:
    item: ItemType
    required: bool
    state: str  # PRESENT, TO_PRINT or MISSING
    detail: str  # what is there, or what the officer must do
    recorded: PacketItem | None

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def available(self) -> bool:
        return self.state != MISSING


@dataclass(frozen=True, slots=True)
class PacketState:
    packet: Packet
    type: PacketType
    items: tuple[ItemState, ...]

    @property
    def missing(self) -> tuple[ItemState, ...]:
        """The required items not there: the packet may not be sent while any is."""
        return tuple(each for each in self.items if each.required and not each.available)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def enclosed(self) -> tuple[ItemState, ...]:
        return tuple(each for each in self.items if each.available)


def packets_of_case(*, case: Case) -> QuerySet[Packet]:
    return Packet.objects.filter(case=case).select_related("attorney", "document")


def packet_on_case(*, case: Case, packet_id: int) -> Packet | None:
    return packets_of_case(case=case).filter(pk=packet_id).first()


def staff_attorneys() -> QuerySet[User]:
    return User.objects.filter(role=Role.STAFF_ATTORNEY, is_active=True).order_by("last_name", "first_name", "id")


def packet_status(packet: Packet) -> PacketState:
    """Each item of the packet's type, required ones first, with its state."""
    kind = packet_type(packet.kind)
    recorded = {each.item: each for each in packet.items.select_related("document")}
    states = []
    for name in kind.items:
        state, detail = _state(packet, item_type(name), recorded.get(name))
        states.append(ItemState(item=item_type(name), required=name in kind.required, state=state, detail=detail,
                                recorded=recorded.get(name)))  # fmt: skip
    return PacketState(packet=packet, type=kind, items=tuple(states))


def _state(packet: Packet, item: ItemType, recorded: PacketItem | None) -> tuple[str, str]:
    if recorded is not None and recorded.document is not None:
        return PRESENT, f"{recorded.document.title}, version {recorded.document.version}"
    if recorded is not None and recorded.worksheet_id is not None:
        return PRESENT, f"guideline worksheet {recorded.worksheet_id}"
    case = packet.case
    if item.source in ("form", "declaration"):
        return MISSING, "record it on this page"
    if item.source == "worksheet":
        if not worksheets_of_case(case=case).exists():
            return MISSING, "compute and save a guideline worksheet on the case, then choose it here"
        return MISSING, "choose one of the case's saved guideline worksheets"
    if item.source == "orders":
        count = case.orders.count()
        if not count:
            return MISSING, "enter the case's order(s) first"
        return TO_PRINT, f"{count} order(s) of the case"
    member = obligor_member(case)
    if member is None:
        return MISSING, "the case has no noncustodial parent"
    if item.source == "locate":
        verified = verified_whereabouts(member.person)
        if not verified:
            return MISSING, f"verify an address or employer of {member.person.full_name}"
        return TO_PRINT, "; ".join(each.record for each in verified)
    assert item.source == "generated", item.source
    return TO_PRINT, "from the ledger, as of the day it is sent"
