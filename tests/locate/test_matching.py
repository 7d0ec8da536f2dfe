"""Matching imported locate records to people beyond the SSN (issue #20: "otherwise probabilistic on name, date
of birth and address with Splink... Candidates above a threshold post as unverified leads with their match
weights shown; those between thresholds go to a review queue; decisions are audited")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from opencse.cases.services import add_member
from opencse.locate.imports import import_locate_file
from opencse.locate.matching import (
    NO_MATCH,
    PROBABLE,
    SEVERAL,
    SSN_DIFFERS,
    people_table,
    probability_text,
    thresholds,
)
from opencse.locate.models import LocateCandidate, LocateImport, LocateRecord, LocateResponse, RecordStatus
from opencse.locate.services import dismiss_record, link_record
from opencse.matching import Thresholds
from opencse.people.models import Address, Alias, Employment, Person
from opencse.people.services import add_address, add_alias, end_address
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.locate import records
from tests.locate.conftest import Family

RECEIVED = date(2026, 11, 5)
UNKNOWN_SSN = "234567891"  # valid, on file for nobody


def _whitfield(family: Family, first: str = "Robert") -> Person:
    """A man known by name only (no SSN on file), as in docs/matching.md's worked example: Robert Whitfield,
    born 09/03/1984, of 412 Alder Street, Olympia WA 98501."""
    person = factories.person(family.officer, first_name=first, last_name="Whitfield", date_of_birth=date(1984, 9, 3),
                              sex="M")  # fmt: skip
    add_address(actor=family.officer, person=person, line1="412 Alder St", city="Olympia", state="WA",
                postal_code="98501")  # fmt: skip
    return person


def _hire(first: str = "BOB", last: str = "WHITFEILD", ssn: str = UNKNOWN_SSN) -> str:
    return records.new_hire(ssn=ssn, first=first, last=last, born="19840903", line1="412 ALDER ST", city="OLYMPIA",
                            state="WA", zip_code="98501")  # fmt: skip


def _import(tmp_path: Path, *lines: str, name: str = "w4.txt") -> LocateImport:
    path = records.write(tmp_path, name, list(lines))
    return import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=RECEIVED)


def test_the_thresholds_are_dated_parameters_with_the_engines_defaults() -> None:
    # rules/params/us/locate_matching.yaml: the engine's defaults (docs/matching.md, Thresholds(0.99, 0.5)).
    assert thresholds(RECEIVED) == Thresholds() == Thresholds(lead=0.99, review=0.5)


def test_a_nickname_and_a_misspelt_surname_without_an_ssn_on_file_post_as_a_lead_with_its_weights(
    family: Family, tmp_path: Path
) -> None:
    robert = _whitfield(family)
    add_member(actor=family.officer, case=factories.case(family.officer), person=robert,
               role="noncustodial_parent")  # fmt: skip

    result = _import(tmp_path, _hire())  # "BOB WHITFEILD": Bob is Robert, one letter swapped in the surname

    record = LocateRecord.objects.get()
    assert (result.matched, result.to_review) == (1, 0)
    assert (record.status, record.person_id, record.awaiting_match) == (RecordStatus.MATCHED, robert.pk, False)
    # At or above the lead threshold (0.99); the weight is the log2 odds, every field agreeing in part counts for.
    assert record.match_probability is not None and record.match_probability >= 0.99
    assert record.match_weight is not None and record.match_weight > 0
    weights = record.field_weights
    assert all(weights[name] > 0 for name in ("first_name", "last_name", "birth_date", "address"))
    assert record.match_basis.startswith("probable match on name, date of birth and address (probability")
    job = Employment.objects.get(person=robert)  # posted exactly as an SSN match is: unverified
    assert (job.verified, job.employer.fein, record.employment_id) == (False, "640123456", job.pk)
    # The address is the one on file already (412 Alder St): not posted twice (docs/locate.md).
    assert (record.address_id, Address.objects.filter(person=robert).count()) == (None, 1)
    response = LocateResponse.objects.get(person=robert)
    assert "probable match on name, date of birth and address" in response.summary
    assert AuditEvent.objects.filter(action="employment.added", target_id=str(job.pk)).exists()

    client = Client()
    client.force_login(family.officer)
    page = client.get(f"/locate/review/{record.pk}/").content.decode()
    assert 'data-testid="locate-field-weights"' in page and "Date of birth" in page
    assert f"match weight {record.match_weight:+.1f}" in page


def test_a_person_found_by_an_earlier_surname_posts_as_a_lead(family: Family, tmp_path: Path) -> None:
    robert = _whitfield(family)
    add_alias(actor=family.officer, person=robert, first_name="Robert", last_name="Quennell",
              kind=Alias.Kind.PREVIOUS)  # fmt: skip

    _import(tmp_path, _hire(first="ROBERT", last="QUENNELL"))

    assert LocateRecord.objects.get().person_id == robert.pk


def test_twins_on_file_send_a_record_without_a_first_name_to_review_with_both_candidates(
    family: Family, tmp_path: Path
) -> None:
    robert, richard = _whitfield(family), _whitfield(family, first="Richard")

    result = _import(tmp_path, _hire(first="", last="WHITFIELD"))

    record = LocateRecord.objects.get()
    assert (result.matched, result.to_review, record.status, record.person_id) == (0, 1, RecordStatus.REVIEW, None)
    assert record.review_reason == SEVERAL  # both at or above the lead threshold: never guessed
    candidates = {each.person_id: each for each in record.candidates.all()}
    assert set(candidates) == {robert.pk, richard.pk}
    assert all(each.match_probability >= 0.5 and each.field_weights for each in candidates.values())
    assert not Employment.objects.exists()


def test_a_mistyped_ssn_of_a_person_on_file_goes_to_review_with_the_person_as_candidate(
    family: Family, tmp_path: Path
) -> None:
    # The obligor's name, date of birth and address (tests/locate/records.py) with one digit of the SSN wrong.
    _import(tmp_path, records.new_hire(ssn="512349877"))

    record = LocateRecord.objects.get()
    assert (record.status, record.review_reason) == (RecordStatus.REVIEW, PROBABLE)
    (candidate,) = record.candidates.all()
    # The person has an SSN on file that is not the record's: never a lead, whatever the names say.
    assert (candidate.person_id, candidate.note) == (family.obligor.person.pk, SSN_DIFFERS)
    assert candidate.match_probability >= 0.99 and candidate.field_weights["birth_date"] > 0

    client = Client()
    client.force_login(family.officer)
    page = client.get(f"/locate/review/{record.pk}/").content.decode()
    assert 'data-testid="locate-candidates"' in page and "Curtis Boone" in page and SSN_DIFFERS in page
    assert probability_text(candidate.match_probability) in page
    assert f'value="{family.obligor.person.pk}"' in page  # the link form proposes the most probable person
    queue = client.get("/locate/review/").content.decode()
    assert PROBABLE in queue and probability_text(candidate.match_probability) in queue
    (queued,) = client.get("/api/v1/locate/review").json()
    assert (queued["id"], queued["best"]) == (record.pk, candidate.match_probability)


def test_a_stranger_stays_unmatched(family: Family, tmp_path: Path) -> None:
    _whitfield(family)

    result = _import(tmp_path, _hire(first="OTIS", last="KRAMPLER").replace("19840903", "19700214"))

    record = LocateRecord.objects.get()
    assert (result.to_review, record.review_reason, record.awaiting_match) == (1, NO_MATCH, False)
    assert not LocateCandidate.objects.exists()


def test_linking_a_candidate_is_audited_and_the_lead_keeps_its_weights(family: Family, tmp_path: Path) -> None:
    _import(tmp_path, records.new_hire(ssn="512349877"))
    record = LocateRecord.objects.get()
    candidate = record.candidates.get()
    officer = factories.user(Role.OFFICER_2, username="reviewer")

    link_record(actor=officer, record=record, person_id=family.obligor.person.pk, decided_on=date(2026, 11, 6),
                note="Same name, date of birth and address; SSN mistyped by the employer")  # fmt: skip

    record.refresh_from_db()
    assert (record.status, record.match_probability, record.field_weights) == (
        RecordStatus.LINKED, candidate.match_probability, candidate.field_weights)  # fmt: skip
    event = AuditEvent.objects.get(action="locate.record_linked", target_id=str(record.pk))
    assert event.actor == officer
    assert (event.after["candidate"], event.after["match_probability"]) == (True, candidate.match_probability)
    assert event.after["review_reason"] == PROBABLE


def test_dismissing_a_probable_match_is_audited_with_its_candidates(family: Family, tmp_path: Path) -> None:
    _import(tmp_path, records.new_hire(ssn="512349877"))
    record = LocateRecord.objects.get()

    dismiss_record(actor=family.officer, record=record, decided_on=date(2026, 11, 6),
                   note="The employer confirms a different employee")  # fmt: skip

    event = AuditEvent.objects.get(action="locate.record_dismissed", target_id=str(record.pk))
    assert event.after["candidates"] == {str(family.obligor.person.pk): record.candidates.get().match_probability}


def test_a_record_left_waiting_by_a_stopped_run_is_matched_by_the_next_import(family: Family, tmp_path: Path) -> None:
    robert = _whitfield(family)
    first = _import(tmp_path, _hire(), name="a.w4")
    # As if the run had stopped after posting the chunk, before the probabilistic step.
    LocateRecord.objects.update(status=RecordStatus.REVIEW, person=None, awaiting_match=True, employment=None,
                                address=None, match_probability=None)  # fmt: skip
    LocateImport.objects.filter(pk=first.pk).update(matched=0, to_review=1)

    _import(tmp_path, records.new_hire(), name="b.w4")

    assert LocateRecord.objects.get(locate_import=first).person_id == robert.pk
    first.refresh_from_db()
    assert (first.matched, first.to_review) == (1, 0)


def test_the_people_on_file_are_one_record_per_name_and_current_address(family: Family) -> None:
    robert = _whitfield(family)
    add_alias(actor=family.officer, person=robert, first_name="Bobby", last_name="Quennell")
    old = add_address(actor=family.officer, person=robert, line1="9 Bay Rd", city="Olympia", state="WA",
                      postal_code="98502", effective_on=date(2020, 1, 1))  # fmt: skip
    end_address(actor=family.officer, address=old, ended_on=date(2024, 1, 1))

    rows = [row for row in people_table().to_pylist() if row["key"] == str(robert.pk)]

    assert sorted((row["first_name"], row["last_name"], row["address_line1"]) for row in rows) == [
        ("Bobby", "Quennell", "412 Alder St"), ("Robert", "Whitfield", "412 Alder St")]  # fmt: skip
    assert all(row["ssn"] is None and row["birth_date"] == date(1984, 9, 3) for row in rows)
    # Everyone on file, with or without an address (the family's child has none).
    assert {row["key"] for row in people_table().to_pylist()} == {
        str(pk) for pk in Person.objects.values_list("pk", flat=True)
    }


@given(st.floats(min_value=0, max_value=1))
def test_a_probability_is_never_shown_as_a_certainty(probability: float) -> None:
    assert not probability_text(probability).startswith("100")


def test_a_name_alone_is_not_a_match(family: Family, tmp_path: Path) -> None:
    # A quarterly wage record carries no employee address (docs/locate.md) and here no date of birth: no
    # blocking rule of the engine pairs it with anyone (docs/matching.md: each needs a date of birth or a
    # postal code), so the name alone never finds a person.
    _whitfield(family)
    line = records.fixed({1: "QW", 3: UNKNOWN_SSN, 12: "ROBERT", 44: "WHITFIELD", 74: "00000845000", 85: "20263",
                          90: "640123456", 111: "GULF COAST SHIPYARDS"})  # fmt: skip
    path = records.write(tmp_path, "qw.txt", [line])

    import_locate_file(actor=system_actor(), path=path, kind="quarterly-wage", received_on=RECEIVED)

    record = LocateRecord.objects.get()
    assert (record.status, record.review_reason) == (RecordStatus.REVIEW, NO_MATCH)
    assert not Employment.objects.exists()


def test_an_officers_decision_before_the_probabilistic_step_stands(family: Family, tmp_path: Path) -> None:
    _whitfield(family)
    first = _import(tmp_path, _hire(), name="a.w4")
    # As if the run had stopped before the probabilistic step, and an officer dismissed the record meanwhile.
    LocateRecord.objects.update(status=RecordStatus.REVIEW, person=None, awaiting_match=True, employment=None,
                                address=None, match_probability=None)  # fmt: skip
    dismiss_record(actor=family.officer, record=LocateRecord.objects.get(), decided_on=date(2026, 11, 6),
                   note="Not our Robert Whitfield")  # fmt: skip

    _import(tmp_path, records.new_hire(), name="b.w4")

    record = LocateRecord.objects.get(locate_import=first)
    assert (record.status, record.person_id, record.awaiting_match) == (RecordStatus.DISMISSED, None, False)
