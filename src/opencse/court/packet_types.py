"""The attorney packet types and their items, read from `packets.yaml` (data a State may change).

Each item says where it comes from (`source`): a form the officer fills (`form`), a statement the officer
declares (`declaration`), a saved guideline worksheet (`worksheet`), or a record OpenCSE prints when the
packet is sent (`generated`: the certified payment history and the affidavit of arrears; `orders`: the
prior orders; `locate`: the obligor's verified address or employer).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SOURCES = frozenset({"form", "declaration", "worksheet", "generated", "orders", "locate"})
TYPES_FILE = Path(__file__).with_name("packets.yaml")


@dataclass(frozen=True, slots=True)
class ItemType:
    name: str
    label: str
    source: str
    description: str
    reference: str


@dataclass(frozen=True, slots=True)
class PacketType:
    name: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def items(self) -> tuple[str, ...]:
        return self.required + self.optional


@cache
def _loaded() -> tuple[dict[str, ItemType], dict[str, PacketType]]:
    raw = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))
    items = {
        name: ItemType(name=name, label=spec["label"], source=spec["source"], description=spec["description"],
                       reference=spec.get("reference", ""))
        for name, spec in raw["items"].items()
    }  # fmt: skip
    types = {
        name: PacketType(name=name, label=spec["label"], required=tuple(spec["required"]),
                         optional=tuple(spec.get("optional", ())))
        for name, spec in raw["types"].items()
    }  # fmt: skip
    for item in items.values():
        assert item.source in SOURCES, f"packets.yaml: item {item.name} has an unknown source {item.source}"
    for packet_type in types.values():
        for name in packet_type.items:
            assert name in items, f"packets.yaml: type {packet_type.name} names an undeclared item {name}"
        assert len(set(packet_type.items)) == len(packet_type.items), f"{packet_type.name}: an item twice"
    return items, types


def item_types() -> dict[str, ItemType]:
    return _loaded()[0]


def packet_types() -> dict[str, PacketType]:
    return _loaded()[1]


def packet_type(name: str) -> PacketType:
    return packet_types()[name]


def item_type(name: str) -> ItemType:
    return item_types()[name]
