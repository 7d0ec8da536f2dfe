"""The agency that issues the documents, from configuration (settings.py, `OPENCSE_AGENCY_*`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    address_lines: tuple[str, ...]
    phone: str
    email: str
    letterhead: Path | None  # an image file printed at the top of each document, or None (the name in text)
    address_withheld: str  # printed instead of a protected party's address
    state: str  # the jurisdiction whose templates come first (settings.OPENCSE_STATE)


def agency() -> Agency:
    """The agency as configured now (read on each call, so a test's `settings` override applies)."""
    letterhead = str(getattr(settings, "OPENCSE_AGENCY_LETTERHEAD", "") or "")
    address = str(settings.OPENCSE_AGENCY_ADDRESS)
    return Agency(
        name=str(settings.OPENCSE_AGENCY_NAME),
        address_lines=tuple(line.strip() for line in address.split("|") if line.strip()),
        phone=str(settings.OPENCSE_AGENCY_PHONE),
        email=str(settings.OPENCSE_AGENCY_EMAIL),
        letterhead=Path(letterhead).resolve() if letterhead else None,
        address_withheld=str(settings.OPENCSE_ADDRESS_WITHHELD_TEXT),
        state=str(settings.OPENCSE_STATE).lower(),
    )
