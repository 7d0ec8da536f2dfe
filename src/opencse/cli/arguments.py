"""Argument types shared by the management commands."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError


def iso_date(text: str) -> date:
    """A date written YYYY-MM-DD, or a clear command error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date written YYYY-MM-DD") from None
