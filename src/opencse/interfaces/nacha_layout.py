"""The NACHA record layouts: one table of positions per record type, read by the reader and the writers.

Positions are 1-based and inclusive, as printed in the NACHA Operating Rules, Appendix Three "ACH Record
Format Specifications" (the same positions are in NACHA's "User Guide for Electronic Child Support
Payments Using the Child Support Application Banking Convention", version 9.0, 2017, "NACHA Record
Formats"). Every record is 94 characters; each table covers positions 1 to 94 exactly once (asserted
when this module is imported), so a position changed here changes the reader and every writer at once.

`Layout.cut` reads one field of a record; `Layout.record` builds a record from its fields, filling the
fields the formats fix (record type, "094", blanks) and refusing a value of the wrong width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opencse.errors import InvalidInput

__all__ = [
    "ADDENDA",
    "BATCH_CONTROL",
    "BATCH_HEADER",
    "BLOCKING_FACTOR",
    "ENTRY_DETAIL",
    "FILE_CONTROL",
    "FILE_HEADER",
    "PADDING_RECORD",
    "RECORD_LENGTH",
    "Layout",
    "field_text",
    "number_text",
]

RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
PADDING_RECORD = "9" * RECORD_LENGTH
PRINTABLE = re.compile(r"[\x20-\x7e]*")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    first: int  # 1-based position
    last: int  # inclusive
    fixed: str | None = None  # the value the formats fix, written when the caller gives none

    @property
    def width(self) -> int:
        return self.last - self.first + 1


class Layout:
    """The fields of one record type, in position order."""

    def __init__(self, name: str, fields: tuple[Field, ...]) -> None:
        self.name = name
        self.fields = {field.name: field for field in fields}
        position = 1
        for field in fields:
            assert field.first == position and field.last >= field.first, (name, field)
            assert field.fixed is None or len(field.fixed) == field.width, (name, field)
            position = field.last + 1
        assert position == RECORD_LENGTH + 1, (name, position)
        assert len(self.fields) == len(fields), name

    def cut(self, text: str, name: str) -> str:
        """The field `name` of the record `text` (a short record reads as padded with blanks)."""
        field = self.fields[name]
        return text[field.first - 1 : field.last].ljust(field.width)

    def record(self, **values: str) -> str:
        """The record with these field values (each exactly its width); the fixed fields as the formats say."""
        unknown = set(values) - set(self.fields)
        assert not unknown, (self.name, unknown)
        parts = []
        for field in self.fields.values():
            value = values.get(field.name, field.fixed)
            assert value is not None, (self.name, field.name)
            assert len(value) == field.width, (self.name, field.name, value)
            parts.append(value)
        text = "".join(parts)
        assert len(text) == RECORD_LENGTH and PRINTABLE.fullmatch(text), (self.name, text)
        return text


def _blank(name: str, first: int, last: int) -> Field:
    return Field(name, first, last, " " * (last - first + 1))


FILE_HEADER = Layout(
    "file header",
    (
        Field("record_type", 1, 1, "1"),
        Field("priority_code", 2, 3, "01"),
        Field("immediate_destination", 4, 13),  # a blank and the 9-digit routing number
        Field("immediate_origin", 14, 23),
        Field("creation_date", 24, 29),  # YYMMDD
        Field("creation_time", 30, 33),  # HHMM
        Field("file_id_modifier", 34, 34),
        Field("record_size", 35, 37, "094"),
        Field("blocking_factor", 38, 39, "10"),
        Field("format_code", 40, 40, "1"),
        Field("immediate_destination_name", 41, 63),
        Field("immediate_origin_name", 64, 86),
        _blank("reference_code", 87, 94),
    ),
)
BATCH_HEADER = Layout(
    "batch header",
    (
        Field("record_type", 1, 1, "5"),
        Field("service_class", 2, 4),
        Field("company_name", 5, 20),
        _blank("company_discretionary_data", 21, 40),
        Field("company_identification", 41, 50),
        Field("standard_entry_class", 51, 53),
        Field("company_entry_description", 54, 63),
        _blank("company_descriptive_date", 64, 69),
        Field("effective_entry_date", 70, 75),  # YYMMDD
        _blank("settlement_date", 76, 78),  # filled in by the ACH operator
        Field("originator_status", 79, 79, "1"),
        Field("originating_dfi", 80, 87),
        Field("batch_number", 88, 94),
    ),
)
ENTRY_DETAIL = Layout(
    "entry detail",
    (
        Field("record_type", 1, 1, "6"),
        Field("transaction_code", 2, 3),
        Field("receiving_dfi", 4, 11),  # the routing number's first 8 digits: what the entry hash adds up
        Field("check_digit", 12, 12),
        Field("account_number", 13, 29),
        Field("amount", 30, 39),  # cents
        Field("identification_number", 40, 54),
        Field("receiving_name", 55, 76),
        _blank("discretionary_data", 77, 78),
        Field("addenda_indicator", 79, 79),
        Field("trace_number", 80, 94),  # 80-87 the originating DFI, 88-94 the sequence
    ),
)
ADDENDA = Layout(
    "addenda",
    (
        Field("record_type", 1, 1, "7"),
        Field("addenda_type", 2, 3, "05"),
        Field("payment_related_information", 4, 83),  # the DED segment (opencse.interfaces.ded)
        Field("addenda_sequence", 84, 87, "0001"),
        Field("entry_detail_sequence", 88, 94),  # the trace number's positions 88-94
    ),
)
BATCH_CONTROL = Layout(
    "batch control",
    (
        Field("record_type", 1, 1, "8"),
        Field("service_class", 2, 4),
        Field("entry_addenda_count", 5, 10),
        Field("entry_hash", 11, 20),
        Field("total_debits", 21, 32),
        Field("total_credits", 33, 44),
        Field("company_identification", 45, 54),
        _blank("message_authentication_code", 55, 73),
        _blank("reserved", 74, 79),
        Field("originating_dfi", 80, 87),
        Field("batch_number", 88, 94),
    ),
)
FILE_CONTROL = Layout(
    "file control",
    (
        Field("record_type", 1, 1, "9"),
        Field("batch_count", 2, 7),
        Field("block_count", 8, 13),
        Field("entry_addenda_count", 14, 21),
        Field("entry_hash", 22, 31),
        Field("total_debits", 32, 43),
        Field("total_credits", 44, 55),
        _blank("reserved", 56, 94),
    ),
)
TRACE_SEQUENCE = slice(8, 15)  # positions 88-94 of the entry detail, within its trace number


def field_text(value: str, width: int, *, name: str) -> str:
    """`value` left-justified to `width`; refused on `name` when longer or not printable ASCII."""
    if len(value) > width:
        raise InvalidInput(f"is longer than {width} characters", field=name)
    if not PRINTABLE.fullmatch(value):
        raise InvalidInput("holds characters outside printable ASCII", field=name)
    return value.ljust(width)


def number_text(value: int, width: int, *, name: str) -> str:
    """`value` zero-filled to `width`; refused on `name` when negative or too wide."""
    text = str(value).zfill(width)
    if value < 0 or len(text) > width:
        raise InvalidInput(f"does not fit in {width} digits", field=name)
    return text
