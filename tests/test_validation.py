"""`opencse.common.validation`: the business date that may not be after today (docs/dates.md), refused at once
(`check_not_future`) or named among every error of a form (`future_dates`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opencse.common.validation import check_not_future, future_dates
from opencse.errors import InvalidInput


def test_today_and_the_past_pass_and_tomorrow_is_refused_on_its_field() -> None:
    today = timezone.localdate()

    check_not_future(today, field="received_on")
    check_not_future(date(2026, 3, 2), field="received_on")
    check_not_future(None, field="received_on")
    with pytest.raises(InvalidInput, match="cannot be in the future") as refused:
        check_not_future(today + timedelta(days=1), field="received_on")
    assert refused.value.field == "received_on"


def test_every_future_date_is_named_in_the_order_given() -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)

    errors = future_dates(date_of_birth=tomorrow, interviewed_on=date(2026, 3, 2), date_of_death=tomorrow,
                          other_parent_date_of_birth=None)  # fmt: skip

    assert [(error.field, error.message) for error in errors] == [
        ("date_of_birth", "cannot be in the future"),
        ("date_of_death", "cannot be in the future"),
    ]
