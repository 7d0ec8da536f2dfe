"""The worksheet PDF: a real PDF, with the computation's lines and the parties' names, never an address."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

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
