"""The matching engine (issue #20): exact on a valid SSN, otherwise probabilistic on name, date of birth and
address; candidates sorted into leads and the review queue by two thresholds.

The people on file are a few written here among 3,000 synthetic ones (`opencse.matching.synthetic`), so that
each test's person has namesakes and neighbours to be told apart from, as on a real caseload.
"""

from __future__ import annotations

import random
from datetime import date
from functools import cache

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencse.matching import (
    IncomingRecord,
    PersonRecord,
    Thresholds,
    is_valid_ssn,
    match,
    match_tables,
    records_table,
)
from opencse.matching.engine import COMPARISONS, blocking, model
from opencse.matching.engine import settings as model_settings
from opencse.matching.names import NICKNAMES_FILE, nicknames
from opencse.matching.ssn import valid_ssn_sql
from opencse.matching.synthetic import generate

ROBERT = PersonRecord(
    key="robert",
    ssn="219-45-6781",
    first_name="Robert",
    middle_name="James",
    last_name="Whitfield",
    birth_date=date(1984, 3, 9),
    address_line1="412 Alder Street",
    city="Olympia",
    state="WA",
    postal_code="98501",
)
# Robert's twin: same surname, birth date and address; another first name and SSN.
RICHARD = PersonRecord(
    key="richard",
    ssn="219-45-6782",
    first_name="Richard",
    middle_name="Allen",
    last_name="Whitfield",
    birth_date=date(1984, 3, 9),
    address_line1="412 Alder Street",
    city="Olympia",
    state="WA",
    postal_code="98501",
)
MARIA = PersonRecord(
    key="maria",
    ssn=None,
    first_name="María",
    middle_name=None,
    last_name="Castañeda",
    birth_date=date(1991, 11, 23),
    address_line1="77 Harbor View Road",
    city="Tacoma",
    state="WA",
    postal_code="98402",
)


@cache
def background() -> pa.Table:
    people, _ = generate(3_000, 1, seed=11)
    return people


def people(*extra: PersonRecord) -> pa.Table:
    return pa.concat_tables([records_table([ROBERT, RICHARD, MARIA, *extra]), background()])


def hire(key: str = "h1", **changes: object) -> IncomingRecord:
    """Robert as an employer reports him (capitals, no middle name, no SSN), with `changes`."""
    fields: dict[str, object] = {
        "ssn": None,
        "first_name": "ROBERT",
        "last_name": "WHITFIELD",
        "birth_date": ROBERT.birth_date,
        "address_line1": "412 ALDER ST",
        "city": "OLYMPIA",
        "state": "WA",
        "postal_code": "98501-1234",
    }
    fields.update(changes)
    return IncomingRecord(key=key, **fields)  # type: ignore[arg-type]


def test_a_valid_ssn_on_file_wins_over_a_twin_with_the_same_name_and_address():
    # The twin Richard differs only by first name and SSN; the SSN decides, with no probabilistic guess.
    candidates = match([hire(ssn="219456781", first_name="R")], people())
    assert [(c.person_key, c.basis, c.decision, c.match_probability) for c in candidates] == [
        ("robert", "ssn", "lead", 1.0)
    ]


def test_an_ssn_match_whose_name_and_birth_date_both_differ_goes_to_review():
    # Robert's SSN on a record of someone else entirely: more likely a mistyped number than Robert.
    candidates = match(
        [hire(ssn="219-45-6781", first_name="Tamika", last_name="Oduya", birth_date=date(1999, 1, 30))], people()
    )
    assert [(c.person_key, c.basis, c.decision) for c in candidates] == [("robert", "ssn", "review")]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"first_name": "BOB"},  # nickname (people/data/nicknames.csv: bob,robert)
        {"first_name": "BOBBY", "last_name": "WHITFEILD"},  # nickname and two letters swapped
        {"last_name": "WITFIELD"},  # a letter dropped
        {"birth_date": date(1984, 9, 3)},  # day and month transposed
        {"birth_date": date(1984, 3, 8)},  # one digit mistyped
        {"birth_date": None},  # left out
        {"ssn": "000-45-6781"},  # an invalid SSN is ignored, the rest matches
        {"ssn": "219-45-6718"},  # an SSN no one has (two digits swapped): the rest matches
        {"middle_name": "K"},  # a wrong middle initial counts against, but is not proof (train.smooth)
    ],
    ids=[
        "exact",
        "nickname",
        "nickname+swap",
        "dropped-letter",
        "transposed-dob",
        "dob-digit",
        "no-dob",
        "bad-ssn",
        "ssn-typo",
        "wrong-middle",
    ],
)
def test_robert_with_the_errors_of_a_new_hire_report_is_a_lead(changes):
    candidates = match([hire(**changes)], people())
    assert candidates, changes
    best = candidates[0]
    assert (best.person_key, best.basis, best.decision) == ("robert", "probabilistic", "lead")
    assert best.match_probability >= Thresholds().lead
    # The twin (same surname, birth date, address) is never a lead: his first name differs.
    assert all(c.decision == "review" and c.field_weights["first_name"] < 0 for c in candidates[1:])
    assert best.field_weights["last_name"] > 0 and best.field_weights["address"] > 0


def test_a_moved_robert_with_a_nickname_is_still_found_and_his_weights_show_the_move():
    candidates = match(
        [hire(first_name="BOB", address_line1="9 Pine Ct", city="Spokane", postal_code="99201")], people()
    )
    assert candidates[0].person_key == "robert"
    assert candidates[0].field_weights["first_name"] > 0  # Bob is Robert
    assert candidates[0].field_weights["address"] < 0  # a different address counts against


def test_accents_and_capitals_do_not_matter():
    incoming = IncomingRecord(
        key="m", first_name="MARIA", last_name="CASTANEDA", birth_date=date(1991, 11, 23), postal_code="98402"
    )
    [candidate] = match([incoming], people())
    assert (candidate.person_key, candidate.decision) == ("maria", "lead")


def test_a_clearly_different_person_matches_no_one():
    # Same postal code and surname sound as Robert, otherwise nothing in common.
    stranger = hire(
        first_name="KEISHA",
        middle_name="ANN",
        last_name="WHITFIELD",
        birth_date=date(2001, 7, 22),
        address_line1="3 ELM RD",
    )
    assert match([stranger], people()) == []


def test_thresholds_sort_a_candidate_into_lead_review_or_nothing():
    record = hire(first_name="BOB", birth_date=date(1984, 9, 3), address_line1="9 PINE CT", postal_code="98502")
    [default] = [c for c in match([record], people()) if c.person_key == "robert"]
    probability = default.match_probability
    assert 0.5 < probability < 1
    strict = Thresholds(lead=min(1.0, probability + (1 - probability) / 2), review=0.5)
    [reviewed] = [c for c in match([record], people(), thresholds=strict) if c.person_key == "robert"]
    assert reviewed.decision == "review" and reviewed.match_probability == pytest.approx(probability)
    lenient = Thresholds(lead=probability / 2, review=probability / 4)
    [led] = [c for c in match([record], people(), thresholds=lenient) if c.person_key == "robert"]
    assert led.decision == "lead"
    above = Thresholds(lead=0.999999, review=min(0.999999, probability + (1 - probability) / 2))
    assert [c for c in match([record], people(), thresholds=above) if c.person_key == "robert"] == []


def test_threshold_decisions_agree_with_thresholds_decide():
    _, incoming = generate(3_000, 300, seed=11)
    thresholds = Thresholds(lead=0.95, review=0.2)
    for candidate in match(incoming, background(), thresholds=thresholds):
        if candidate.basis == "probabilistic":
            decided = thresholds.decide(candidate.match_probability)
            if candidate.decision == "review" and decided == "lead":  # first names that disagree: review
                assert candidate.field_weights["first_name"] < 0
            else:
                assert candidate.decision == decided


@pytest.mark.parametrize(("lead", "review"), [(0.5, 0.9), (1.5, 0.5), (0.9, 0.0)])
def test_thresholds_out_of_order_are_refused(lead, review):
    with pytest.raises(ValueError, match="thresholds"):
        Thresholds(lead=lead, review=review)


def test_an_invalid_ssn_never_matches_exactly():
    # Both carry 000-12-3456 (area 000 is never issued): not an SSN, so no exact match on it; nothing else
    # agrees, so no candidate at all.
    on_file = PersonRecord(key="zero", ssn="000123456", first_name="Ann", last_name="Lee", birth_date=date(1970, 1, 1))
    incoming = IncomingRecord(
        key="z", ssn="000-12-3456", first_name="Tom", last_name="Baker", birth_date=date(1950, 5, 5)
    )
    assert match([incoming], people(on_file)) == []


@pytest.mark.parametrize(
    ("ssn", "valid"),
    [
        ("219-45-6781", True),
        ("219456781", True),
        ("000456781", False),  # area 000
        ("666456781", False),  # area 666
        ("900456781", False),  # area 9xx
        ("219006781", False),  # group 00
        ("219450000", False),  # serial 0000
        ("078051120", False),  # the advertised Woolworth number
        ("21945678", False),  # eight digits
        (None, False),
    ],
)
def test_valid_ssn(ssn, valid):
    assert is_valid_ssn(ssn) is valid


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-", min_size=0, max_size=12))
def test_the_sql_ssn_rule_is_the_python_rule(text):
    [(sql,)] = duckdb.sql(f"SELECT {valid_ssn_sql('$s')}", params={"s": text}).fetchall()
    assert (sql is not None) is is_valid_ssn(text)
    if sql is not None:
        assert sql == text.replace("-", "")


def test_results_are_deterministic_whatever_the_order_of_the_input():
    on_file, incoming = generate(3_000, 400, seed=5)
    first = match(incoming, on_file)
    rows = list(range(incoming.num_rows))
    random.Random(3).shuffle(rows)
    again = match(incoming.take(rows), on_file.take(list(reversed(range(on_file.num_rows)))))
    assert first == again and first


def test_precision_and_recall_on_a_small_synthetic_state():
    # The benchmark's measure (bench/locate_match.py) on 6,000 people and 3,000 records.
    on_file, incoming = generate(6_000, 3_000, seed=9)
    candidates = match_tables(incoming, on_file)
    truth = dict(zip(incoming.column("key").to_pylist(), incoming.column("true_person_key").to_pylist(), strict=True))
    pairs = list(
        zip(candidates.column("incoming_key").to_pylist(), candidates.column("person_key").to_pylist(), strict=True)
    )
    true_found = sum(1 for incoming_key, person_key in pairs if truth[incoming_key] == person_key)
    true_pairs = sum(1 for person_key in truth.values() if person_key is not None)
    assert true_found / len(pairs) >= 0.99
    assert true_found / true_pairs >= 0.99


def test_empty_inputs_give_no_candidates():
    assert match([], people()) == []
    assert match([hire()], []) == []


def test_the_nickname_list_is_the_people_apps():
    assert NICKNAMES_FILE.parts[-3:] == ("people", "data", "nicknames.csv")
    assert nicknames()["bob"] == "robert"


def test_the_stored_model_is_the_model_in_the_code():
    # model.json is written by `python -m opencse.matching.train` from engine.settings(); a change to the
    # comparisons or the blocking rules without retraining would run an old model.
    stored = model()
    assert [item["output_column_name"] for item in stored["comparisons"]] == COMPARISONS
    code = [rule.get_blocking_rule("duckdb").blocking_rule_sql for rule in blocking()]
    assert [item["blocking_rule"] for item in stored["blocking_rules_to_generate_predictions"]] == code
    levels = {item["output_column_name"]: len(item["comparison_levels"]) for item in stored["comparisons"]}
    # Every level has an m probability of at least about 1 in 1,000 (train.smooth).
    for comparison in stored["comparisons"]:
        for level in comparison["comparison_levels"]:
            assert level.get("is_null_level") or level["m_probability"] > 0.0009, level
    fresh = model_settings().get_settings("duckdb").as_dict()
    assert levels == {item["output_column_name"]: len(item["comparison_levels"]) for item in fresh["comparisons"]}


def test_a_person_with_several_records_is_found_by_any_and_proposed_once():
    # María's maiden name and earlier address as a second record under her key (an alias on file).
    maiden = PersonRecord(
        key="maria",
        first_name="Maria",
        last_name="Ybarra",
        birth_date=MARIA.birth_date,
        address_line1="5 Cedar Lane",
        city="Yakima",
        state="WA",
        postal_code="98901",
    )
    by_maiden_name = IncomingRecord(
        key="y", first_name="MARIA", last_name="YBARRA", birth_date=date(1991, 11, 23), postal_code="98901"
    )
    # Her married name with the maiden record's postal code: both records are candidates, one is proposed,
    # the better (the married name agrees: that record's last-name weight is positive).
    by_married_name = IncomingRecord(
        key="w", first_name="MARIA", last_name="CASTANEDA", birth_date=date(1991, 11, 23), postal_code="98901"
    )
    candidates = match([by_maiden_name, by_married_name], people(maiden))
    found = [(c.incoming_key, c.person_key, c.decision) for c in candidates if c.person_key == "maria"]
    assert found == [("w", "maria", "lead"), ("y", "maria", "lead")]
    [married] = [c for c in candidates if c.incoming_key == "w" and c.person_key == "maria"]
    assert married.field_weights["last_name"] > 0 and married.field_weights["address"] < 0


def test_records_without_a_key_or_with_a_repeated_incoming_key_are_refused():
    with pytest.raises(ValueError, match="incoming keys must be unique: 1 repeat"):
        match([hire("a"), hire("a", first_name="BOB")], people())
    with pytest.raises(ValueError, match="every record needs a key: 1 incoming and 0 people"):
        match([hire(None)], people())  # type: ignore[arg-type]
