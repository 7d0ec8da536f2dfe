"""Turning Django validation into the project's one error shape.

A service calls `clean_or_raise(instance)` before saving: every field error becomes an
`InvalidInput` naming the field, so a bad value never reaches the database or becomes a 500.
`check_not_future` refuses a business date after today (docs/dates.md: the caller gives the date, the clock
only bounds it); `future_dates` names each such date, for a service that reports every error at once.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from opencse.errors import InvalidInput, InvalidInputs


def clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise as_invalid_input(exc) from None


def as_invalid_input(exc: ValidationError) -> InvalidInputs:
    errors: list[InvalidInput] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            name = None if field == "__all__" else field
            errors.extend(InvalidInput(message, field=name) for message in field_errors)
    else:
        errors.extend(InvalidInput(message) for message in exc.messages)
    return InvalidInputs(errors)


def check_not_future(value: date | None, *, field: str) -> None:
    """Refuse, on `field`, a date after today in the agency's time zone (None is not checked)."""
    errors = future_dates(**{field: value})
    if errors:
        raise errors[0]


def future_dates(**dates: date | None) -> list[InvalidInput]:
    """A "cannot be in the future" error on each of the fields given (`field=value`) whose date is after today
    in the agency's time zone, in the order given (None is not checked)."""
    today = timezone.localdate()
    return [InvalidInput("cannot be in the future", field=field)
            for field, value in dates.items() if value is not None and value > today]  # fmt: skip
