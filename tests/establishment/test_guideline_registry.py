"""The one registry of guideline jurisdictions (params/us/guidelines.yaml) and what reads it."""

from __future__ import annotations

from datetime import date

import pytest

from opencse.errors import InvalidInput
from opencse.establishment.models import JURISDICTION_CHOICES
from opencse.rules.commands import EXIT_BAD_INPUT, execute
from opencse.rules.guidelines.registry import guideline_jurisdiction, guideline_jurisdictions
from opencse.web.establishment.forms import WORKSHEET_FORMS


def test_the_registry_names_each_guideline_with_its_statute() -> None:
    known = guideline_jurisdictions(date(2026, 12, 1))

    assert list(known) == ["MS", "WA"]
    assert known["MS"].label == "Mississippi (Miss. Code Ann. § 43-19-101)"
    assert known["WA"].amount_key == "standard_calculation"  # WSCSS worksheet line 17, before limits


def test_the_model_the_forms_and_the_command_list_the_registry_and_nothing_else() -> None:
    codes = set(guideline_jurisdictions())

    assert {code for code, _ in JURISDICTION_CHOICES} == codes
    assert set(WORKSHEET_FORMS) == codes
    exit_code, document, _ = execute("guideline", {"jurisdiction": "TX"}, today=date(2026, 12, 1))
    assert exit_code == EXIT_BAD_INPUT
    assert [error["field"] for error in document["errors"]] == ["jurisdiction"]


def test_a_state_without_a_guideline_is_refused_on_the_jurisdiction_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        guideline_jurisdiction("TX")

    assert refused.value.field == "jurisdiction"
    assert "MS (Mississippi), WA (Washington)" in refused.value.message
