"""Which person a locate record is about (issue #20): exact on a valid SSN (the records' and the people's keyed
hashes); otherwise probabilistic on name, date of birth and address with the matching engine (`opencse.matching`,
Splink on DuckDB), against the people on file loaded once, set-based (`people_table`).

An imported record always carries a valid SSN (the readers refuse a line without one), but the record keeps
only its keyed hash, and a person's SSN is encrypted: the probabilistic step compares names, dates of birth and
addresses only. When the candidate person has an SSN on file, that SSN is known to differ from the record's
(else the exact step would have found it): such a candidate is never posted as a lead, it goes to review with
the note `SSN_DIFFERS`. A probabilistic lead is therefore a person on file without an SSN (an alleged father
known by name, say) who scores at or above the lead threshold (docs/locate.md, "Matching").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa
from django.db.models import CharField, Value

from opencse.locate.models import LocateRecord
from opencse.matching import RECORD_SCHEMA, Thresholds, match_tables
from opencse.people.models import Address, Alias, Person
from opencse.rules.params import first_effective, parameters

NO_SSN_MATCH = "no SSN match"  # waiting for the probabilistic step (never left so after an import)
NO_MATCH = "no match on SSN, name, date of birth or address"
SSN_SHARED = "the SSN is on file for more than one person"
PROBABLE = "a probable match: check the candidates"
SEVERAL = "more than one person on file matches"
SSN_DIFFERS = "the SSN on file for this person is different"
EXACT_SSN = "exact SSN"
PARAMETERS = "us/locate_matching"
FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "middle_initial": "Middle initial",
    "birth_date": "Date of birth",
    "address": "Address",
    "ssn": "SSN",
}
BATCH = 100_000  # rows per Arrow batch when loading the people on file
IN_LIST = 10_000  # ids per query
NO_MIDDLE_NAME = Value(None, output_field=CharField())  # an alias has no middle name


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person a record may be, for the officer to decide: the engine's probability, weight (log2 odds) and
    the weight of each field, and why it is not a lead (`note`)."""

    person_id: int
    probability: float
    weight: float | None
    field_weights: dict[str, float]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    person_id: int | None  # None: to review
    basis: str  # how it matched, shown to the officer
    reason: str  # why it is to review ("" when matched)
    probability: float | None = None  # a probabilistic lead's
    weight: float | None = None
    field_weights: dict[str, float] = field(default_factory=dict)
    candidates: tuple[Candidate, ...] = ()  # to review


def thresholds(on: date) -> Thresholds:
    """The lead and review thresholds in force on `on` (dated parameters `rules/params/us/locate_matching`)."""
    found = parameters(PARAMETERS, on)
    return Thresholds(lead=float(found["lead"].value), review=float(found["review"].value))


def match_by_ssn(records: Sequence[LocateRecord]) -> dict[int, Match]:
    """Each record (by its position in `records`) matched to the one person with its SSN, or not (reason
    `NO_SSN_MATCH` or `SSN_SHARED`). One query."""
    indexes = {record.ssn_index for record in records if record.ssn_index}
    holders: dict[str, list[int]] = defaultdict(list)
    for person_id, index in Person.objects.filter(ssn_index__in=indexes).values_list("pk", "ssn_index"):
        holders[index].append(person_id)
    matches: dict[int, Match] = {}
    for position, record in enumerate(records):
        found = holders.get(record.ssn_index, [])
        if len(found) == 1:
            matches[position] = Match(person_id=found[0], basis=EXACT_SSN, reason="")
        else:
            matches[position] = Match(person_id=None, basis="", reason=SSN_SHARED if found else NO_SSN_MATCH)
    return matches


def _table(rows: Iterable[tuple[Any, ...]], names: Sequence[str], types: Sequence[pa.DataType]) -> pa.Table:
    """Rows streamed into an Arrow table, `BATCH` rows at a time (no list of all rows is held)."""
    schema = pa.schema(list(zip(names, types, strict=True)))
    batches = []
    columns: list[list[Any]] = [[] for _ in names]
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            column.append(value)
        if len(columns[0]) >= BATCH:
            batches.append(pa.record_batch([pa.array(c, type=t) for c, t in zip(columns, types, strict=True)],
                                           schema=schema))  # fmt: skip
            columns = [[] for _ in names]
    batches.append(pa.record_batch([pa.array(c, type=t) for c, t in zip(columns, types, strict=True)], schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def _keyed(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for person_id, *rest in rows:
        yield (str(person_id), *rest)


def people_table() -> pa.Table:
    """Every person on file as the engine's records (`RECORD_SCHEMA`, key = the person's id, no SSN): one
    record per name the person is known by (the legal name, each alias with the person's date of birth) and
    current address (not ended, not marked bad), or the name alone when no address is current. Three
    streamed `values_list` queries, the names x addresses join done in DuckDB."""
    text, day = pa.string(), pa.date32()
    persons = Person.objects.order_by().values_list("pk", "first_name", "middle_name", "last_name", "date_of_birth")
    aliases = Alias.objects.order_by().values_list("person_id", "first_name", NO_MIDDLE_NAME, "last_name",
                                                   "person__date_of_birth")  # fmt: skip
    addresses = (
        Address.objects.order_by()
        .filter(ended_on__isnull=True)
        .exclude(verification=Address.Verification.BAD)
        .values_list("person_id", "line1", "city", "state", "postal_code")
    )
    name_columns = ["key", "first_name", "middle_name", "last_name", "birth_date"]
    names = _table(
        (*_keyed(persons.iterator(chunk_size=BATCH // 5)), *_keyed(aliases.iterator(chunk_size=BATCH // 5))),
        name_columns, [text, text, text, text, day],
    )  # fmt: skip
    places = _table(_keyed(addresses.iterator(chunk_size=BATCH // 5)),
                    ["key", "address_line1", "city", "state", "postal_code"], [text] * 5)  # fmt: skip
    con = duckdb.connect()
    try:
        con.register("names", names)
        con.register("places", places)
        joined = con.sql(
            "SELECT n.key, CAST(NULL AS VARCHAR) AS ssn, n.first_name, n.middle_name, n.last_name, n.birth_date,"
            " p.address_line1, p.city, p.state, p.postal_code FROM names n LEFT JOIN places p ON p.key = n.key"
        ).to_arrow_table()
    finally:
        con.close()
    return joined.cast(RECORD_SCHEMA)


def records_table(rows: Iterable[tuple[Any, ...]]) -> pa.Table:
    """Records to match as the engine's table: rows of (key, first, middle, last, date of birth, address line,
    city, state, postal code); no SSN (the exact step has been done)."""
    text = pa.string()
    table = _table(
        ((str(key), None, *rest) for key, *rest in rows), RECORD_SCHEMA.names,
        [text, text, text, text, text, pa.date32(), text, text, text, text],
    )  # fmt: skip
    return table


RECORD_FIELDS = ("pk", "first_name", "middle_name", "last_name", "date_of_birth", "address_line1", "city", "state",
                 "postal_code")  # fmt: skip


def match_probably(incoming: pa.Table, people: pa.Table, *, limits: Thresholds) -> dict[str, Match]:
    """The probabilistic step for the records of `incoming` (keys: the records' ids): a `Match` for each
    record that has a candidate at or above the review threshold; a record without one is not in the
    result (it stays "no match"). One call of the engine; one query for which candidates have an SSN."""
    result = match_tables(incoming, people, thresholds=limits).to_pylist()
    person_ids = sorted({int(row["person_key"]) for row in result})
    with_ssn: set[int] = set()
    for start in range(0, len(person_ids), IN_LIST):  # a query per 10,000 candidates (SQLite's variable limit)
        chunk = person_ids[start : start + IN_LIST]
        with_ssn.update(Person.objects.filter(pk__in=chunk).exclude(ssn_index="").values_list("pk", flat=True))
    by_record: dict[str, list[Candidate]] = defaultdict(list)
    leads: dict[str, list[Candidate]] = defaultdict(list)
    for row in result:
        person_id = int(row["person_key"])
        weights = {name: round(row[f"weight_{name}"], 2) for name in FIELD_LABELS if row[f"weight_{name}"] is not None}
        lead = row["decision"] == "lead" and person_id not in with_ssn
        candidate = Candidate(person_id=person_id, probability=row["match_probability"], weight=row["match_weight"],
                              field_weights=weights, note=SSN_DIFFERS if person_id in with_ssn else "")  # fmt: skip
        by_record[row["incoming_key"]].append(candidate)
        if lead:
            leads[row["incoming_key"]].append(candidate)
    matches: dict[str, Match] = {}
    for key, candidates in by_record.items():
        found = leads.get(key, [])
        if len(found) == 1:
            (lead,) = found
            matches[key] = Match(person_id=lead.person_id, basis=basis_text(lead.probability, lead.weight), reason="",
                                 probability=lead.probability, weight=lead.weight,
                                 field_weights=lead.field_weights)  # fmt: skip
        else:
            matches[key] = Match(person_id=None, basis="", reason=SEVERAL if found else PROBABLE,
                                 candidates=tuple(candidates))  # fmt: skip
    return matches


def match_to_people(
    records: Sequence[LocateRecord], *, people: pa.Table | None = None, limits: Thresholds | None = None
) -> dict[int, Match]:
    """Each record (by its position) matched: exact on a valid SSN, else probabilistically against `people`
    (`people_table()` when not given: give it when calling more than once). A record with neither stays
    unmatched with the reason `NO_MATCH` (or `SSN_SHARED`)."""
    matches = match_by_ssn(records)
    rest = [position for position, found in matches.items() if found.reason == NO_SSN_MATCH]
    if not rest:
        return matches
    incoming = records_table(
        (position, *(getattr(records[position], name) for name in RECORD_FIELDS[1:])) for position in rest
    )
    received = max((record.received_on for record in records if record.received_on), default=None)
    limits = limits or thresholds(received or first_effective(PARAMETERS))
    probable = match_probably(incoming, people if people is not None else people_table(), limits=limits)
    for position in rest:
        matches[position] = probable.get(str(position), Match(person_id=None, basis="", reason=NO_MATCH))
    return matches


def probability_text(probability: float) -> str:
    """A probability in the officer's words: "99.73 %", never a rounded-up "100 %"."""
    if probability >= 0.9999:
        return "over 99.99 %"
    return f"{probability * 100:.2f} %"


def basis_text(probability: float, weight: float | None) -> str:
    shown = f", weight {weight:+.1f}" if weight is not None else ""
    return f"probable match on name, date of birth and address (probability {probability_text(probability)}{shown})"


def weights_shown(weights: dict[str, float]) -> list[tuple[str, str]]:
    """The field weights as (label, "+4.9") in the engine's field order, for the screens."""
    return [(label, f"{weights[name]:+.1f}") for name, label in FIELD_LABELS.items() if name in weights]
