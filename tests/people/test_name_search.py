"""Search finds a person the way officers type a name (issue #20): typos, swapped letters, nicknames,
the surname first, accents; the closest name first; and only people the officer may see."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencse.people import names
from opencse.people.models import NameKey
from opencse.people.selectors import search_people
from opencse.people.services import add_alias, update_person
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories


@pytest.fixture
def barry(officer: User) -> object:
    factories.person(officer, first_name="Barbara", last_name="Anders")  # a near name, ranked after
    return factories.person(officer, first_name="Barry", last_name="Andrews", date_of_birth=date(1984, 6, 2))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "Barry Andrews",
        "Bary Andrews",  # one letter missing: sounds the same
        "Andrewz",  # a letter wrong: sounds the same
        "Andrwes Barry",  # two letters swapped: the same letters
        "Andrews, Barry",  # surname first, with a comma
        "ANDREWS barry",
        "andr",  # the start of a name
    ],
)
def test_barry_andrews_is_found_however_his_name_is_typed(officer: User, barry: object, typed: str) -> None:
    found = search_people(viewer=officer, name=typed)

    assert found and found[0] == barry


@pytest.mark.django_db
def test_a_nickname_finds_the_formal_name_and_the_formal_name_a_nickname(officer: User) -> None:
    william = factories.person(officer, first_name="William", last_name="Tate")
    bob = factories.person(officer, first_name="Bob", last_name="Tate")

    assert search_people(viewer=officer, name="Bill Tate")[0] == william  # data/nicknames.csv: bill,william
    assert search_people(viewer=officer, name="Robert Tate")[0] == bob  # bob,robert


@pytest.mark.django_db
def test_an_alias_and_a_changed_name_are_searched(officer: User) -> None:
    person = factories.person(officer, first_name="Renee", last_name="Okafor")
    add_alias(actor=officer, person=person, first_name="Renee", last_name="Dupree", kind="maiden")
    update_person(actor=officer, person=person, first_name="René", last_name="Okafor-Hale")

    assert search_people(viewer=officer, name="Renee Dupree") == [person]
    assert search_people(viewer=officer, name="rene hale") == [person]  # the accent typed or not
    assert {"n:okafor", "n:hale"} <= set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    assert search_people(viewer=officer, name="Okafor")[0] == person


@pytest.mark.django_db
def test_the_date_of_birth_narrows_and_nobody_outside_the_office_is_found(officer: User, barry: object) -> None:
    elsewhere = factories.user(Role.OFFICER_1, username="other-office", office_code="MAD")
    case = factories.case(elsewhere)
    hidden = factories.person(elsewhere, first_name="Barry", last_name="Andrews", date_of_birth=date(1984, 6, 2))
    from opencse.cases.services import add_member

    add_member(actor=elsewhere, case=case, person=hidden, role="noncustodial_parent")

    assert search_people(viewer=officer, name="Barry Andrews", date_of_birth=date(1984, 6, 2)) == [barry]
    assert search_people(viewer=officer, name="Barry Andrews", date_of_birth=date(1985, 6, 2)) == []


@pytest.mark.django_db
def test_a_name_nobody_has_finds_nobody(officer: User, barry: object) -> None:
    assert search_people(viewer=officer, name="Zebulon Quixtar") == []


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(categories=["Ll", "Lu"], max_codepoint=0x17F), min_size=1, max_size=20))
def test_a_name_is_always_found_by_its_own_words(name: str) -> None:
    """Each word of a name, typed as it is, matches one of the name's keys (the index never loses a name)."""
    stored = names.name_keys([name])
    for word in names.words(name):
        assert names.query_keys(word) & stored or f"n:{word}" in stored


@settings(max_examples=200)
@given(
    st.text(alphabet=st.characters(categories=["Ll", "Lu"], max_codepoint=0x17F), min_size=1, max_size=15),
    st.text(alphabet=st.characters(categories=["Ll", "Lu"], max_codepoint=0x17F), min_size=1, max_size=15),
)
def test_a_given_name_and_surname_typed_in_either_order_find_their_pair_key(given_name: str, surname: str) -> None:
    """The pair path (one indexed lookup for two words) never loses a name typed as it is, either way round."""
    stored = names.person_keys(first=given_name, middle="", last=surname)
    typed = names.words(given_name)[:1] + names.words(surname)[:1]
    if len(typed) == 2:
        assert names.query_pair_keys(typed) & stored
        assert names.query_pair_keys(typed[::-1]) & stored


def test_the_pair_keys_of_a_person_are_the_sound_and_the_letters_of_each_given_name_with_each_surname() -> None:
    keys = names.person_keys(first="Jim", middle="Lee", last="Smyth", aliases=[("", "Jones")])

    # Jim's formal name is James (data/nicknames.csv): its Metaphone is JMS; Smyth and Smith are both SM0.
    assert {"p:JMS.SM0", "q:ijm.hmsty", "p:L.SM0", "p:JMS.JNS"} <= keys
    assert names.query_pair_keys(["smith", "james"]) & keys  # surname first, the formal name, another spelling


@pytest.mark.django_db
def test_a_pair_found_comes_first_and_a_word_alone_is_searched_only_when_no_pair_matches(officer: User) -> None:
    james = factories.person(officer, first_name="James", last_name="Smith")
    factories.person(officer, first_name="Smith", last_name="Jameson")  # both words, but not as a pair
    andrews = factories.person(officer, first_name="Barry", last_name="Andrews")

    assert search_people(viewer=officer, name="smith, jmaes") == [james]  # the pair: letters swapped, reversed
    assert search_people(viewer=officer, name="Andrwes Ba") == [andrews]  # no pair: each word on its own
