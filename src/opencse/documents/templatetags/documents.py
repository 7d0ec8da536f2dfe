"""Filters for document templates: `{{ amount|money }}`, `{{ day|letter_date }}`, `{{ moment|letter_time }}`.

The engine already gives each declared field in its letter form; these are for values a template derives.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template

from opencse.documents import formatting

register = template.Library()


@register.filter(name="money")
def money(value: Any) -> str:
    return formatting.money(Decimal(value)) if isinstance(value, Decimal | int | str) and value != "" else str(value)


@register.filter(name="letter_date")
def letter_date(value: Any) -> str:
    if isinstance(value, datetime):
        return formatting.letter_time(value)
    return formatting.letter_date(value) if isinstance(value, date) else str(value)
