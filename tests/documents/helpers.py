"""Sample data for any document template, built from its manifest, and the words it must print."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from opencse.documents.catalog import Field, Template
from opencse.people.models import Person

DATED = date(2026, 12, 5)
DATED_WORDS = "December 5, 2026"  # formatting.letter_date: a date as a letter writes it
# 2026-12-05T18:30Z is 12:30 PM in America/Chicago (CST, UTC-6): settings.TIME_ZONE of the tests.
MOMENT = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)
MOMENT_WORDS = "December 5, 2026 at 12:30 PM CST"


def _sample(field: Field, index: int, party: Person) -> tuple[Any, list[str]]:
    """(a value for the field, the words the PDF must then show)."""
    kind = field.type
    if kind == "text":
        value = f"Sample{index} {field.name.replace('_', ' ')}"
        return value, [value]
    if kind == "number":
        return 1000 + index, [f"{1000 + index:,}"]
    if kind == "money":
        return Decimal(f"{1200 + index}.56"), [f"${1200 + index:,}.56"]
    if kind == "balance":  # a credit: the obligor paid more than was due; never "$-…"
        return Decimal(f"-{400 + index}.25"), [f"${400 + index}.25"]
    if kind == "date":
        return DATED, [DATED_WORDS]
    if kind == "datetime":
        return MOMENT, [MOMENT_WORDS]
    if kind == "party":
        return party, [party.full_name]
    if kind == "lines":
        value = f"Line{index} of {field.name.replace('_', ' ')}"
        return [value], [value]
    assert kind == "rows", kind
    row, words = {}, []
    for number, (column, column_type) in enumerate(field.columns):
        cell, cell_words = _sample(Field(column, column, column_type, True, "", ()), index * 10 + number, party)
        row[column] = cell
        words += cell_words
    return [row], words


def full_data(template: Template, party: Person) -> tuple[dict[str, Any], list[str]]:
    """A value for every declared field, and what the PDF must show for them."""
    data, expected = {}, []
    for index, field in enumerate(template.fields):
        data[field.name], words = _sample(field, index, party)
        expected += words
    return data, expected


def required_data(template: Template, party: Person) -> tuple[dict[str, Any], list[str]]:
    """Only the required fields; what the PDF must show is each optional field's "missing" wording."""
    data, _ = full_data(template, party)
    data = {field.name: data[field.name] for field in template.fields if not field.optional}
    expected = [field.missing for field in template.fields if field.optional and field.missing]
    return data, expected
