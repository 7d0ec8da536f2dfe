"""The fixed-width helpers the Federal Offset, locate and e-IWO layouts share (`opencse.interfaces.fixed_width`).
The conventions are those of the federal charts: A/N fields upper case, left-justified, space-filled; N fields
right-justified, zero-filled; dates CCYYMMDD; amounts in cents with the decimal point implied
(docs/interfaces/fop.md, docs/locate.md, docs/interfaces/eiwo.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.interfaces.fixed_width import Field, alpha, assemble, ccyymmdd, consecutive, implied_cents, zero_filled


def test_a_field_is_cut_by_its_one_based_inclusive_positions() -> None:
    ssn = Field("ssn", 6, 14, "N", "seen")

    assert (ssn.length, ssn.cut("MS1A 512349876CASE"), ssn.read("MS1A 51234    ")) == (9, "512349876", "51234")


def test_consecutive_fields_follow_each_other_from_position_one() -> None:
    fields = consecutive(("code", 3), ("control", 22), ("fips", 5))

    assert [(field.start, field.end) for field in fields.values()] == [(1, 3), (4, 25), (26, 30)]


def test_alpha_fields_are_upper_case_cut_and_space_filled_and_numbers_zero_filled() -> None:
    assert alpha("Boone", 8) == "BOONE   "
    assert alpha("Gulf Coast Shipyards", 4) == "GULF"
    assert zero_filled(1234, 8) == "00001234"
    with pytest.raises(AssertionError):
        zero_filled(123456789, 8)


def test_a_record_is_its_fields_in_order_each_exactly_its_length() -> None:
    fields = tuple(consecutive(("state", 2), ("count", 3)).values())

    assert assemble(fields, {"state": "MS", "count": "007"}, record_length=5) == "MS007"
    with pytest.raises(AssertionError):
        assemble(fields, {"state": "MS", "count": "7"}, record_length=5)


def test_dates_are_ccyymmdd_and_amounts_implied_cents() -> None:
    assert ccyymmdd("20240229") == date(2024, 2, 29)
    assert [ccyymmdd(text) for text in ("20230229", "2024022", "2024-2-9", "        ")] == [None] * 4
    assert implied_cents("00000123456") == Decimal("1234.56")
    assert [implied_cents(text) for text in ("", "12 34", "-100", "1.50")] == [None] * 4
