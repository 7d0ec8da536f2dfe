"""Values as a letter writes them: "December 5, 2026", "$1,234.56", "$435.00 credit".

A document never prints an ISO date, a UTC time, "None" or a negative amount owed: a balance below zero
is the obligor's credit and is called one. Times are in the agency's time zone (settings.TIME_ZONE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

NOT_ON_FILE = "not on file"


@dataclass(frozen=True, slots=True)
class NotOnFile:
    """An optional field the data did not give: prints as its wording, and is false in `{% if %}`."""

    wording: str = NOT_ON_FILE

    def __str__(self) -> str:
        return self.wording

    def __bool__(self) -> bool:
        return False

    def __iter__(self):  # type: ignore[no-untyped-def]  # an absent list renders as an empty one
        return iter(())


@dataclass(frozen=True, slots=True)
class Balance:
    """An amount owed, or a credit when the obligor has paid more than was due."""

    value: Decimal

    @property
    def is_credit(self) -> bool:
        return self.value < 0

    @property
    def is_owed(self) -> bool:
        return self.value > 0

    @property
    def amount(self) -> str:
        """The amount without its direction: "$435.00" for a credit of 435.00."""
        return money(abs(self.value))

    def __str__(self) -> str:
        return f"{self.amount} credit" if self.is_credit else self.amount


def money(value: Decimal) -> str:
    """ "$1,234.56"; a negative amount (an adjustment that lowers a debt) as "-$33.00", never "$-33.00"."""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def letter_date(value: date) -> str:
    """ "December 5, 2026": a date as a letter writes it."""
    return f"{value:%B} {value.day}, {value.year}"


def letter_time(value: datetime) -> str:
    """ "December 31, 2026 at 9:00 PM CST": a moment in the agency's time zone, with the zone's name."""
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))  # the agency's zone, whatever zone is active
    hour = local.hour % 12 or 12
    return f"{letter_date(local.date())} at {hour}:{local:%M %p %Z}"
