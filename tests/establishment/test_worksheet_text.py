"""The worksheet in words for people (opencse.establishment.worksheet_text): money, percentages, codes, times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import override_settings

from opencse.establishment import worksheet_text


@pytest.mark.parametrize(
    ("step", "value", "shown"),
    [
        ("Adjusted gross income, annual (monthly x 12)", "38928.00", "$38,928.00"),
        ("Line 8: self-support reserve, monthly (rounded half up)", "2394.00", "$2,394.00"),
        ("Table presumptive through combined income", "50000", "$50,000"),
        ("Line 16: credits for expenses the obligor pays directly", "0", "$0.00"),
        ("Deviation: Residential schedule", "-54.16", "-$54.16"),
        ("Line 6: obligor's proportional share of income (percent)", "66.67", "66.67%"),
        ("Percentage for 1 child(ren)", "14", "14%"),
        ("Self-support reserve, percent of poverty guideline", "180", "180%"),
        ("Largest family size in the economic table", "5", "5"),
        (
            "A combined income between rows takes",
            "nearest_row",
            "the nearest $100 row ($50 or more above a row goes up)",
        ),
        ("Line 8: limitation applied", "presumptive_minimum", "the presumptive minimum ($50 per child)"),
        ("Medical support: premium the obligor pays is within the limit", "yes", "yes"),
    ],
)
def test_values_are_shown_as_people_write_them(step: str, value: str, shown: str) -> None:
    assert worksheet_text.shown_value(step, value) == shown


def test_opencse_working_is_kept_off_the_court_lines_and_given_to_analysts() -> None:
    explanation = [
        {"step": "Percentage for 1 child(ren)", "value": "14", "reference": "Miss. Code Ann. § 43-19-101(1)"},
        {"step": "Rounding of the support amount to the cent", "value": "ROUND_HALF_UP",
         "reference": "OpenCSE choice: docs/rules/guideline-ms.md"},
        {"step": "Line 1f: obligor's income imputed: hours a week (full_time_minimum_wage)", "value": "40",
         "reference": "RCW 26.19.071(6)(a)(v)"},
    ]  # fmt: skip

    court = worksheet_text.court_lines(explanation)
    analysts = worksheet_text.analyst_lines(explanation)

    assert [(line.step, line.value) for line in court] == [
        ("Percentage for 1 child(ren)", "14%"),
        ("Line 1f: obligor's income imputed: hours a week (full time minimum wage)", "40"),
    ]
    assert [line.value for line in analysts] == ["ROUND_HALF_UP"]


@override_settings(TIME_ZONE="America/Los_Angeles")
def test_times_are_in_the_agencys_time_zone_with_its_name_never_utc() -> None:
    # 2026-12-05 01:31 UTC is 2026-12-04 5:31 PM in Washington (PST, UTC-8).
    assert worksheet_text.local_time(datetime(2026, 12, 5, 1, 31, tzinfo=UTC)) == "12/04/2026 5:31 PM PST"
