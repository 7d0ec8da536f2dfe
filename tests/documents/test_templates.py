"""Every document template renders to a PDF whose text is checked: with every field given, with only the
required ones (the optional ones print their "not on file" wording, never "None"), and for a
family-violence-protected party, whose address never appears (issue #19, "Documents")."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from opencse.documents.catalog import every_template, template_for
from opencse.documents.rendering import render_document
from opencse.errors import Conflict, InvalidInputs
from opencse.people.services import add_address
from tests import factories
from tests.documents.helpers import DATED, DATED_WORDS, full_data, required_data
from tests.pdf_text import pdf_text

TEMPLATES = every_template()
TEMPLATE_IDS = [template.stored_path for template in TEMPLATES]
PROTECTED_ADDRESS = ("118 Magnolia", "Magnolia Street", "39201")  # tests/factories.family's custodial party
WITHHELD = "Address of record withheld (family violence indicator)"  # settings.OPENCSE_ADDRESS_WITHHELD_TEXT


def test_the_three_documents_have_templates() -> None:
    kinds = {template.kind for template in TEMPLATES}
    assert {"notice_of_support_debt", "payment_history", "guideline_worksheet"} <= kinds


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_every_template_prints_every_field_it_declares(officer: object, template: object) -> None:
    case, _, _, obligor = factories.family(officer)
    data, expected = full_data(template, obligor.person)  # type: ignore[arg-type]

    rendered = render_document(kind=template.kind, data=data, dated_on=DATED, case=case)  # type: ignore[attr-defined]
    text = pdf_text(rendered.pdf)

    for words in expected:
        assert words in text, (words, text)
    assert "OpenCSE Demonstration Child Support Agency" in text  # settings.OPENCSE_AGENCY_NAME (demo default)
    assert "$-" not in text and "None" not in text and "2026-12-05" not in text
    assert rendered.page_count == text.count("Page ") >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_every_template_prints_cleanly_without_its_optional_fields(officer: object, template: object) -> None:
    case, _, _, obligor = factories.family(officer)
    data, expected = required_data(template, obligor.person)  # type: ignore[arg-type]

    text = pdf_text(render_document(kind=template.kind, data=data, dated_on=DATED, case=case).pdf)  # type: ignore[attr-defined]

    for words in expected:
        assert words in text, (words, text)
    assert "None" not in text and "undeclared" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_a_missing_required_field_is_refused_naming_every_one(officer: object, template: object) -> None:
    case, *_ = factories.family(officer)
    required = [field.name for field in template.fields if not field.optional]  # type: ignore[attr-defined]

    with pytest.raises(InvalidInputs) as refused:
        render_document(kind=template.kind, data={}, dated_on=DATED, case=case)  # type: ignore[attr-defined]

    assert [error.field for error in refused.value.errors] == required


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_no_template_prints_a_protected_partys_address(officer: object, template: object) -> None:
    """Every template, with the protected custodial party in each party field and on the case: the address
    is absent from the PDF text, and a letter to that party carries the withheld wording instead."""
    case, custodial, _, _ = factories.family(officer, protected=True)
    assert custodial.person.family_violence and custodial.person.addresses.exists()
    data, _ = full_data(template, custodial.person)  # type: ignore[arg-type]

    rendered = render_document(kind=template.kind, data=data, dated_on=DATED, case=case)  # type: ignore[attr-defined]
    text = pdf_text(rendered.pdf)

    for part in PROTECTED_ADDRESS:
        assert part not in text and part not in str(rendered.data)
    if any(field.type == "party" for field in template.fields):  # type: ignore[attr-defined]
        assert WITHHELD in text
        assert "Alicia Moreno" in text


@pytest.mark.django_db
def test_an_address_slipped_into_a_text_field_stops_the_document(officer: object) -> None:
    case, custodial, _, _ = factories.family(officer, protected=True)
    template = template_for(kind="payment_history", on=DATED)
    data, _ = full_data(template, custodial.person)
    data["certified_by"] = "Officer, mail to 118 Magnolia Street"

    with pytest.raises(Conflict):
        render_document(kind="payment_history", data=data, dated_on=DATED, case=case)


@pytest.mark.django_db
def test_an_unprotected_partys_mailing_address_is_printed_on_a_letter(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    add_address(actor=officer, person=obligor.person, line1="42 Pearl Street", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    data, _ = full_data(template_for(kind="notice_of_support_debt", on=DATED), obligor.person)

    text = pdf_text(render_document(kind="notice_of_support_debt", data=data, dated_on=DATED, case=case).pdf)

    assert "Curtis Boone 42 Pearl Street Jackson, MS 39201" in text
    assert DATED_WORDS in text


@pytest.mark.django_db
def test_a_credit_is_called_a_credit_and_an_amount_owed_is_not(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    base = {"case_number": case.number, "obligor": obligor.person, "as_of": date(2026, 11, 30),
            "issued_by": "Officer Test"}  # fmt: skip

    credit = pdf_text(render_document(kind="notice_of_support_debt", dated_on=DATED, case=case, data={
        **base, "balances": [{"account": "Current support", "amount": Decimal("-435.00")}],
        "total": Decimal("-435.00")}).pdf)  # fmt: skip
    owed = pdf_text(render_document(kind="notice_of_support_debt", dated_on=DATED, case=case, data={
        **base, "balances": [{"account": "Current support", "amount": Decimal("1234.56")}],
        "total": Decimal("1234.56")}).pdf)  # fmt: skip

    assert "$-435.00" not in credit and "-$435.00" not in credit
    assert "$435.00 credit" in credit and "Credit in your favor $435.00" in credit
    assert "Total owed $1,234.56" in owed and "credit" not in owed.lower()
    assert "November 30, 2026" in credit


@pytest.mark.django_db
def test_the_agency_comes_from_configuration(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    data, _ = full_data(template_for(kind="notice_of_support_debt", on=DATED), obligor.person)

    with override_settings(
        OPENCSE_AGENCY_NAME="Mississippi Child Support Services",
        OPENCSE_AGENCY_ADDRESS="P.O. Box 352|Jackson, MS 39205",
        OPENCSE_AGENCY_PHONE="(877) 882-4916",
    ):
        text = pdf_text(render_document(kind="notice_of_support_debt", data=data, dated_on=DATED, case=case).pdf)

    assert "Mississippi Child Support Services" in text
    assert "P.O. Box 352 · Jackson, MS 39205 · (877) 882-4916" in text
    assert "OpenCSE Demonstration" not in text


@pytest.mark.django_db
def test_a_field_the_template_does_not_declare_and_an_unmasked_ssn_are_refused(officer: object) -> None:
    case, _, _, obligor = factories.family(officer)
    data, _ = full_data(template_for(kind="notice_of_support_debt", on=DATED), obligor.person)

    with pytest.raises(InvalidInputs) as refused:
        render_document(kind="notice_of_support_debt", dated_on=DATED, case=case,
                        data={**data, "ssn_full": "x", "issued_by": "Officer 512-34-9876"})  # fmt: skip

    assert {error.field for error in refused.value.errors} == {"ssn_full", "issued_by"}


# A 1x1 PNG (the smallest valid image), standing in for an agency's letterhead.
ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.mark.django_db
def test_the_letterhead_image_is_embedded_in_every_page(officer: object, tmp_path: Path) -> None:
    case, _, _, obligor = factories.family(officer)
    letterhead = tmp_path / "letterhead.png"
    letterhead.write_bytes(ONE_PIXEL_PNG)
    data, _ = full_data(template_for(kind="notice_of_support_debt", on=DATED), obligor.person)

    without = render_document(kind="notice_of_support_debt", data=data, dated_on=DATED, case=case)
    with override_settings(OPENCSE_AGENCY_LETTERHEAD=str(letterhead)):
        with_image = render_document(kind="notice_of_support_debt", data=data, dated_on=DATED, case=case)

    assert b"/Subtype /Image" not in without.pdf
    assert b"/Subtype /Image" in with_image.pdf and "data:image/png;base64," in with_image.html
