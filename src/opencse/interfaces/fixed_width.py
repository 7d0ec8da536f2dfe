"""Fixed-width records: the fields and helpers shared by the Federal Offset files (`interfaces.fop`), the locate
files (`interfaces.locate_files`) and the e-IWO files (`interfaces.eiwo`).

Positions are 1-based and inclusive, as the federal charts print them. Alphabetic and alphanumeric fields are
upper case, left-justified and space-filled, cut to the field's length (`alpha`); numeric fields are
right-justified and zero-filled (`zero_filled`); dates are CCYYMMDD (`ccyymmdd`); amounts are whole cents with the
decimal point implied (`implied_cents`). The NACHA layouts (`interfaces.nacha_layout`) keep their own table,
which also carries the values the NACHA rules fix.

Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = ["Field", "alpha", "assemble", "ccyymmdd", "consecutive", "implied_cents", "zero_filled"]

_CCYYMMDD = re.compile(r"[0-9]{8}")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    start: int  # 1-based
    end: int  # inclusive
    kind: str = ""  # "A", "A/N" or "N" where the chart says
    evidence: str = ""  # where the position comes from: seen, inferred, assumed or OpenCSE

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def cut(self, line: str) -> str:
        """The field's characters as the line holds them (fewer when the line is short)."""
        return line[self.start - 1 : self.end]

    def read(self, line: str) -> str:
        """The field's value: its characters without the padding blanks."""
        return self.cut(line).strip()


def consecutive(*spec: tuple[str, int]) -> dict[str, Field]:
    """Fields in order from position 1, each `(name, length)`: positions follow, so none overlap or gap."""
    fields: dict[str, Field] = {}
    position = 1
    for name, length in spec:
        assert name not in fields, name
        fields[name] = Field(name, position, position + length - 1)
        position += length
    return fields


def alpha(value: str, length: int) -> str:
    """An A or A/N field: upper case, cut to `length`, space-filled on the right."""
    return value.upper()[:length].ljust(length)


def zero_filled(value: int, length: int) -> str:
    """An N field: zero-filled on the left; a negative or too long number is a programmer's error."""
    text = str(value)
    assert value >= 0 and len(text) <= length, (value, length)
    return text.zfill(length)


def assemble(fields: Iterable[Field], values: Mapping[str, str], *, record_length: int) -> str:
    """The record of every field in order, each value exactly its field's length."""
    parts = []
    for field in fields:
        value = values[field.name]
        assert len(value) == field.length, (field.name, value)
        parts.append(value)
    line = "".join(parts)
    assert len(line) == record_length, len(line)
    return line


def ccyymmdd(text: str) -> date | None:
    """The date written CCYYMMDD, or None when `text` is not eight ASCII digits of a real date."""
    if not _CCYYMMDD.fullmatch(text):
        return None
    try:
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def implied_cents(text: str) -> Decimal | None:
    """Whole cents with the decimal point implied ("00000123456" is 1234.56), or None when not ASCII digits."""
    return Decimal(int(text)).scaleb(-2) if _DIGITS.fullmatch(text) else None
