"""The sworn statement of the delinquent support filed with each Notice of Lien where the State asks for one
(Mississippi: Miss. Code Ann. 93-11-71(2); Washington: none), and each county's recording office from the State's
data (recording_offices/<state>.yaml), filled in when the officer leaves it blank (docs/enforcement.md, "Liens and
their release")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from opencse.enforcement.actions import take_action
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.lien_models import Lien, PropertyKind
from opencse.enforcement.liens import (
    LienProperty,
    add_lien,
    county_office,
    recording_offices,
    statement_citation,
    suggested_office,
)
from opencse.enforcement.selectors import arrears_owed
from opencse.errors import InvalidInputs
from opencse.people.services import set_family_violence
from tests.enforcement.test_liens import PARCEL, TAKEN, _lien_ready
from tests.pdf_text import pdf_text

HINDS = "Circuit Clerk of Hinds County (judgment roll of the judicial district where the property lies)"


def _parcel(county: str, office: str = "") -> LienProperty:
    return LienProperty(property_kind=PropertyKind.REAL_PROPERTY, county=county, recording_office=office,
                        property_description="Parcel 123-45-678, Lot 4, Block B")  # fmt: skip


@pytest.mark.django_db
def test_filing_the_lien_generates_the_sworn_statement_of_the_arrears_owed_that_day(officer: Any) -> None:
    case, action = _lien_ready(officer)

    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)

    lien = Lien.objects.select_related("statement_document").get(action=action)
    statement = lien.statement_document
    assert statement is not None and statement.kind == "lien_sworn_statement"
    assert lien.amount == arrears_owed(case, on=TAKEN) == Decimal("3000.00")
    text = pdf_text(statement.pdf)
    assert "Sworn Statement of Delinquent Child Support" in text and case.number in text
    assert "$3,000.00" in text and "Miss. Code Ann. 93-11-71(2)" in text
    assert "Circuit Clerk of Hinds County" in text and "Parcel 123-45-678" in text
    assert "4 Elm Street" in text and "Notary Public" in text
    # the months of arrears, from the first month with any (January: $500.00) to the notice's date
    assert "January 31, 2026" in text and "$500.00" in text and "August 3, 2026" in text
    assert "December 31, 2025" not in text
    rows = statement.data["balances"]
    assert sum((Decimal(str(row["amount"]).replace("$", "").replace(",", "")) for row in rows), Decimal(0)) == \
        lien.amount  # fmt: skip
    assert case.notes.filter(text__contains="sworn statement of the delinquent support").exists()


@pytest.mark.django_db
def test_adding_a_lien_generates_its_own_statement_for_the_arrears_on_its_date(officer: Any) -> None:
    _, action = _lien_ready(officer)
    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)

    added = add_lien(actor=officer, action=action, on=date(2026, 8, 5),
                     lien=LienProperty(property_kind=PropertyKind.MOTOR_VEHICLE,
                                       recording_office=suggested_office(PropertyKind.MOTOR_VEHICLE),
                                       property_description="2019 Ford F-150, VIN 1FTEW1E50KFA00001"))  # fmt: skip

    first = Lien.objects.filter(action=action).order_by("pk").first()
    assert first is not None and added.statement_document_id not in (None, first.statement_document_id)
    text = pdf_text(added.statement_document.pdf)
    assert "August 5, 2026" in text and f"${added.amount:,}" in text and "VIN 1FTEW1E50KFA00001" in text
    assert "Department of Revenue, Title Bureau" in text and "93-11-71(2)" in text


@pytest.mark.django_db
def test_a_protected_obligors_address_is_withheld_on_the_statement(officer: Any) -> None:
    case, action = _lien_ready(officer)
    set_family_violence(actor=officer, person=obligor_on_case(case), protected=True, since=date(2026, 7, 20))

    take_action(actor=officer, action=action, taken_on=TAKEN, lien=PARCEL)

    text = " ".join(pdf_text(Lien.objects.get().statement_document.pdf).split())
    assert "4 Elm Street" not in text and "Jackson, MS" not in text
    assert settings.OPENCSE_ADDRESS_WITHHELD_TEXT in text


@pytest.mark.django_db
def test_the_county_office_is_filled_in_when_the_officer_leaves_it_blank(officer: Any) -> None:
    _, action = _lien_ready(officer)

    take_action(actor=officer, action=action, taken_on=TAKEN, lien=_parcel("  hinds county "))

    lien = Lien.objects.get()
    assert (lien.county, lien.recording_office) == ("Hinds", HINDS)
    assert HINDS in pdf_text(lien.document.pdf)


@pytest.mark.django_db
def test_a_county_not_listed_is_left_to_the_officer(officer: Any) -> None:
    _, action = _lien_ready(officer)

    with pytest.raises(InvalidInputs) as refused:
        take_action(actor=officer, action=action, taken_on=TAKEN, lien=_parcel("Shelby"))
    take_action(actor=officer, action=action, taken_on=TAKEN,
                lien=_parcel("Shelby", office="Shelby County Register of Deeds, Tennessee"))  # fmt: skip

    [error] = refused.value.errors
    assert error.field == "recording_office" and "no office is on file for Shelby County" in str(error)
    lien = Lien.objects.get()
    assert (lien.county, lien.recording_office) == ("Shelby", "Shelby County Register of Deeds, Tennessee")


def test_mississippis_offices_are_the_circuit_clerks_of_its_82_counties() -> None:
    offices = recording_offices("MS")

    assert len(offices.counties) == 82
    assert offices.counties["Lafayette"] == "Circuit Clerk of Lafayette County (judgment roll)"
    assert offices.counties["Jefferson Davis"] == "Circuit Clerk of Jefferson Davis County (judgment roll)"
    assert offices.counties["Hinds"] == HINDS
    assert offices.statement_citation == "Miss. Code Ann. 93-11-71(2)"


def test_the_office_is_suggested_per_county_in_mississippi(settings: Any) -> None:
    settings.OPENCSE_STATE = "MS"

    assert suggested_office(PropertyKind.REAL_PROPERTY, "DeSoto") == "Circuit Clerk of DeSoto County (judgment roll)"
    assert county_office("desoto County") == "Circuit Clerk of DeSoto County (judgment roll)"
    assert county_office("Shelby") == "" and county_office("") == ""
    assert suggested_office(PropertyKind.PERSONAL_PROPERTY, "Hinds") == ""
    assert statement_citation(PropertyKind.REAL_PROPERTY) == "Miss. Code Ann. 93-11-71(2)"


def test_the_office_is_suggested_per_county_in_washington_which_asks_for_no_statement(settings: Any) -> None:
    settings.OPENCSE_STATE = "WA"

    assert len(recording_offices().counties) == 39
    assert suggested_office(PropertyKind.REAL_PROPERTY, "Spokane") == "Spokane County Auditor (recording)"
    assert county_office("walla walla") == "Walla Walla County Auditor (recording)"
    assert county_office("King") == "King County Recorder's Office (unconfirmed)"
    assert county_office("Hinds") == ""
    assert "unconfirmed" in suggested_office(PropertyKind.MOTOR_VEHICLE)
    assert statement_citation(PropertyKind.REAL_PROPERTY) == ""


@pytest.mark.django_db
def test_a_washington_lien_gets_its_county_auditor_and_no_statement(officer: Any, settings: Any) -> None:
    _, action = _lien_ready(officer)
    settings.OPENCSE_STATE = "WA"

    take_action(actor=officer, action=action, taken_on=TAKEN, lien=_parcel("Thurston"))

    lien = Lien.objects.get()
    assert (lien.recording_office, lien.statement_document_id) == ("Thurston County Auditor (recording)", None)
    assert "RCW 74.20A.060" in pdf_text(lien.document.pdf)


@pytest.mark.django_db
def test_the_lien_pages_list_the_statement_and_each_countys_office(officer: Any) -> None:
    case, action = _lien_ready(officer)
    client = Client()
    client.force_login(officer)
    url = f"/cases/{case.number}/liens/{action.pk}/take/"

    form = client.get(url).content.decode()
    refused = client.post(url, {"taken_on": "2026-07-20", "property_kind": "real_property", "county": "Rankin"})
    done = client.post(url, {"taken_on": TAKEN.isoformat(), "property_kind": "real_property", "county": "Rankin",
                             "property_description": "Parcel 9"})  # fmt: skip

    assert "Circuit Clerk of Yazoo County (judgment roll)" in form and "93-11-71(2)" in form
    assert "<strong>Circuit Clerk of Rankin County (judgment roll)</strong>" in refused.content.decode()
    assert done.status_code == 302
    lien = Lien.objects.get()
    assert lien.recording_office == "Circuit Clerk of Rankin County (judgment roll)"
    page = client.get(f"/cases/{case.number}/liens/{action.pk}/").content.decode()
    assert "sworn statement of the delinquent support" in page
    assert f"/documents/{lien.statement_document_id}.pdf" in page
