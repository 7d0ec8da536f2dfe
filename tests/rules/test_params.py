"""Which parameter file governs: the State's, else the federal one (one function, `governing_jurisdiction`)."""

from datetime import date

import pytest

from opencse.errors import InvalidInput
from opencse.rules.params import (
    FEDERAL,
    first_effective,
    governing_file,
    governing_jurisdiction,
    parameter_file,
    parameters,
)


def test_a_state_with_its_own_file_is_governed_by_it() -> None:
    assert governing_jurisdiction("interest", state="WA") == "WA"
    assert governing_jurisdiction("interest", state="wa") == "WA"
    assert governing_file("interest", state="WA") == "wa/interest"
    assert governing_file("disbursement", state="MS") == "ms/disbursement"


def test_a_state_without_its_own_file_takes_the_federal_one() -> None:
    assert governing_jurisdiction("interest", state="TX") == FEDERAL  # Texas has only withholding.yaml
    assert governing_file("distribution", state="MS") == "us/distribution"
    assert governing_jurisdiction("assignment", state=None) == FEDERAL


def test_a_state_file_that_does_not_set_the_key_asked_for_leaves_it_to_the_federal_one() -> None:
    assert governing_jurisdiction("withholding", state="MO", key="arrears_basis") == "MO"
    assert governing_jurisdiction("withholding", state="MO", key="leftover_cents") == FEDERAL


def test_a_state_code_is_never_a_path() -> None:
    assert governing_jurisdiction("interest", state="../wa") == FEDERAL
    with pytest.raises(InvalidInput) as refused:
        parameter_file("interest", jurisdiction="../wa")
    assert refused.value.field == "jurisdiction"


def test_a_jurisdiction_without_the_file_is_refused_on_the_jurisdiction_field() -> None:
    with pytest.raises(InvalidInput, match="'TX' has no distribution parameters"):
        parameter_file("distribution", jurisdiction="TX")


def test_first_effective_is_the_date_from_which_every_parameter_of_a_file_is_in_force() -> None:
    assert first_effective("us/assignment") == date(1997, 10, 1)
    assert first_effective("us/timeframes") == date(2017, 1, 19)


def test_a_parameter_set_handed_to_a_rule_can_carry_another_states_choice() -> None:
    federal = parameters("us/uifsa", date(2026, 11, 23))

    chosen = federal.with_value("no_home_state", "most_recent", reference="a State's election")

    assert chosen["no_home_state"].value == "most_recent"
    assert chosen["no_home_state"].reference == "a State's election"
    assert federal["no_home_state"].value != "most_recent"  # the loaded file is untouched
    with pytest.raises(AssertionError):
        federal.with_value("no_such_choice", 1, reference="typo")
