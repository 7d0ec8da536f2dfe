"""The worksheet PDF: a real PDF, with the computation's lines and the parties' names, never an address."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opencse.documents.formatting import letter_time
from opencse.establishment.pdf import worksheet_pdf
from opencse.establishment.services import compute_worksheet
from tests.establishment.helpers import MS_BELOW_RANGE, MS_DEVIATION, family_case, officers
from tests.pdf_text import pdf_text


@pytest.mark.django_db
def test_the_worksheet_pdf_shows_the_lines_the_deviation_and_the_parties_by_name(tmp_path: Path) -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_DEVIATION)

    body = worksheet_pdf(worksheet)

    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    assert "Curtis Boone" in text and "Alicia Moreno" in text and "Mateo Moreno" in text
    assert "$454.16" in text and "$400.00" in text  # guideline.yaml MS deviation example
    assert "43-19-101" in text
    assert "Obligor has the child 40 % of overnights" in text
    assert "Signature" in text or "Approved (signature authority)" in text


@pytest.mark.django_db
def test_the_worksheet_pdf_never_shows_a_protected_partys_address(tmp_path: Path) -> None:
    seo1, _, _ = officers()
    case, custodial, _, _ = family_case(seo1, protected=True)
    assert custodial.person.family_violence and custodial.person.addresses.exists()
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_DEVIATION)

    text = pdf_text(worksheet_pdf(worksheet))

    assert "Alicia Moreno" in text
    for part in ("118 Magnolia", "Magnolia Street", "Jackson", "39201"):
        assert part not in text


@pytest.mark.django_db
def test_a_worksheet_outside_the_guideline_range_carries_the_written_finding_note(tmp_path: Path) -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_BELOW_RANGE)

    text = pdf_text(worksheet_pdf(worksheet))

    assert worksheet.guideline_support == Decimal("109.90")
    assert len(worksheet.notes) == 1 and "written finding" in worksheet.notes[0]
    assert "tribunal must make a written finding" in text


# guideline.yaml "WA 2026 table above $12,000, two children ($20,000 row)": RCW 26.19.020 as amended 2026,
# $1,823 x 2 x 70 % = $2,552.20 (domain/guideline-wa.md § 8 Example 3).
WA_2026_ABOVE_12000: dict[str, object] = {
    "jurisdiction": "WA",
    "as_of": "2026-03-01",
    "children": [{"age": 8}, {"age": 11}],
    "obligor": {"net_income": "14000.00"},
    "obligee": {"net_income": "6000.00"},
}


@pytest.mark.django_db
def test_the_worksheet_pdf_is_in_words_for_the_court_not_opencse_working(tmp_path: Path) -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_DEVIATION)

    text = pdf_text(worksheet_pdf(worksheet))

    for working in ("ROUND_HALF_UP", "ROUND_", "docs/", "OpenCSE choice", "UTC"):
        assert working not in text, working
    assert "$4,000.00" in text and "$3,244.00" in text and "$38,928.00" in text  # gross, AGI monthly and annual
    assert "14%" in text  # the percentage for one child
    assert "$10,000" in text and "$100,000" in text  # the range of § 43-19-101(4)
    # The agency's time zone, with its name, in the style of a letter (issue #19: no numeric dates on documents).
    assert letter_time(worksheet.computed_at) in text


@pytest.mark.django_db
def test_a_washington_2026_worksheet_pdf_says_where_the_table_comes_from(tmp_path: Path) -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=WA_2026_ABOVE_12000)

    text = pdf_text(worksheet_pdf(worksheet))

    assert worksheet.guideline_support == Decimal("2552.20")
    assert "$2,552.20" in text and "$20,000" in text and "70%" in text and "$1,823.00" in text
    assert "taken from a published copy of the statute as codified, not from the official session law" in text
    assert "checked against the bill as introduced" in text
    assert "the nearest $100 row" in text
    for working in ("PROVISIONAL", "docs/", "OpenCSE choice", "nearest_row", "UTC"):
        assert working not in text, working


@pytest.mark.django_db
def test_a_parent_below_the_washington_2026_table_gets_a_worksheet_with_the_presumptive_minimum(
    tmp_path: Path,
) -> None:
    # guideline.yaml "WA the same $1,500 on 2026-01-01 is below the 2026 table": RCW 26.19.020 as amended
    # ("For income less than $2,200 ..."), RCW 26.19.065(2)(a): $50 for one child.
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    payload = {**WA_2026_ABOVE_12000, "children": [{"age": 8}], "obligor": {"net_income": "1500.00"},
               "obligee": {"net_income": "0.00"}}  # fmt: skip
    worksheet = compute_worksheet(actor=seo1, case=case, payload=payload)

    text = pdf_text(worksheet_pdf(worksheet))

    assert worksheet.guideline_support == Decimal("50.00")
    assert "Guideline (presumptive) support: $50.00 a month" in text
    assert "is below $2,200, the first row of the economic table" in text
