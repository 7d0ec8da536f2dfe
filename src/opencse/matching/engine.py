"""The matching engine: incoming records (a new-hire report, a locate response) against the people on file.

1. Exact: an incoming record with a valid SSN (`ssn.is_valid_ssn`) matches every person on file with that SSN.
   The pair is a lead when the names or the date of birth agree at all (same sound of the first or last name,
   or the same date of birth); a number that matches someone whose name and birth date are both different
   is more likely a typed-in SSN of somebody else, and goes to review.
2. Probabilistic: every other incoming record (no SSN, an invalid one, or one no person on file has) is
   compared with the people on file by Splink (Fellegi-Sunter) on the DuckDB backend, on first, middle and
   last name, date of birth, address and SSN, among the pairs that share a blocking key (`BLOCKING_RULES`).
   The model's m and u probabilities are the stored `model.json` (see `train.py`); the prior that an
   incoming record is a given person is `in_population / number of people`.
3. Each candidate at or above `Thresholds.review` is kept: a "lead" at or above `Thresholds.lead`, else
   "review". Candidates below `Thresholds.review` are discarded. One more rule: a probabilistic lead needs
   first names that agree at least in part (same, a nickname, close in spelling) or one of them missing.
   The model counts each field as independent evidence, so a twin or a sibling with the same surname, birth
   date and address scores as high as the person; with another first name such a candidate goes to review.

The one entry point that does the work is `match_tables` (Arrow tables in, an Arrow table out); `match`
takes and returns dataclasses and calls it, so the benchmark and the API run the same code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field, fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from . import names
from .ssn import valid_ssn_sql

MODEL_FILE = Path(__file__).parent / "model.json"

Decision = Literal["lead", "review"]
Basis = Literal["ssn", "probabilistic"]


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities that sort candidates: at or above `lead` a candidate posts as an unverified
    lead; at or above `review` (and below `lead`) it goes to the review queue; below `review` it is
    discarded. The defaults: a lead is wrong about once in a hundred at most (0.99); the review queue
    starts where a match is more likely than not (0.5)."""

    lead: float = 0.99
    review: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.lead <= 1:
            raise ValueError(f"thresholds must be 0 < review <= lead <= 1, got review={self.review} lead={self.lead}")

    def decide(self, probability: float) -> Decision | None:
        if probability >= self.lead:
            return "lead"
        if probability >= self.review:
            return "review"
        return None


@dataclass(frozen=True)
class Record:
    """A person as one source knows them. `key` is the source's own identifier (a person's id on file, an
    incoming record's line); everything else may be missing (None or "")."""

    key: str
    ssn: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    address_line1: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class IncomingRecord(Record):
    """A record to match: a line of a new-hire report, a quarterly wage record, a locate response."""


@dataclass(frozen=True)
class PersonRecord(Record):
    """A person on file, as one of the names or addresses the person is known by: give a person several
    records with the same key (the legal name, each alias, an earlier surname or address) and the person is
    found by any of them, as one candidate (the best of the person's records)."""


@dataclass(frozen=True)
class Candidate:
    """A person an incoming record may be. `match_weight` is the log2 odds of the match, the prior's plus
    the field weights (None for an SSN match), and `field_weights` the part of each field (first_name,
    last_name, middle_initial, birth_date, address, ssn): positive for agreement, negative against; an
    officer reads why."""

    incoming_key: str
    person_key: str
    match_probability: float
    match_weight: float | None
    basis: Basis
    decision: Decision
    field_weights: dict[str, float] = field(default_factory=dict)


COLUMNS = [item.name for item in fields(Record)]
RECORD_SCHEMA = pa.schema(
    [(name, pa.date32() if name == "birth_date" else pa.string()) for name in COLUMNS],
)
COMPARISONS = ["first_name", "last_name", "middle_initial", "birth_date", "address", "ssn"]
CANDIDATE_SCHEMA = pa.schema(
    [
        ("incoming_key", pa.string()),
        ("person_key", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("basis", pa.string()),
        ("decision", pa.string()),
        *[(f"weight_{name}", pa.float64()) for name in COMPARISONS],
    ]
)
TERM_FREQUENCY = ("first_name", "last_name")
IN_POPULATION = 0.9  # the share of incoming records whose person is on file, for the prior


def records_table(records: Iterable[Record]) -> pa.Table:
    """Records as an Arrow table with `RECORD_SCHEMA`."""
    rows = [astuple(record) for record in records]
    columns: list[Sequence[Any]] = (
        [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in COLUMNS]
    )
    return pa.table(
        [pa.array(column, type=kind.type) for column, kind in zip(columns, RECORD_SCHEMA, strict=True)],
        schema=RECORD_SCHEMA,
    )


def match(
    incoming: Iterable[IncomingRecord] | pa.Table,
    people: Iterable[PersonRecord] | pa.Table,
    *,
    thresholds: Thresholds | None = None,
    in_population: float = IN_POPULATION,
) -> list[Candidate]:
    """The candidates for each incoming record, ordered by incoming key, then most probable first."""
    incoming_table = incoming if isinstance(incoming, pa.Table) else records_table(incoming)
    people_table = people if isinstance(people, pa.Table) else records_table(people)
    result = match_tables(incoming_table, people_table, thresholds=thresholds, in_population=in_population)
    candidates = []
    for row in result.to_pylist():
        weights = {name: row[f"weight_{name}"] for name in COMPARISONS if row[f"weight_{name}"] is not None}
        candidates.append(
            Candidate(
                incoming_key=row["incoming_key"],
                person_key=row["person_key"],
                match_probability=row["match_probability"],
                match_weight=row["match_weight"],
                basis=row["basis"],
                decision=row["decision"],
                field_weights=weights,
            )
        )
    return candidates


def match_tables(
    incoming: pa.Table,
    people: pa.Table,
    *,
    thresholds: Thresholds | None = None,
    in_population: float = IN_POPULATION,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> pa.Table:
    """`match` on Arrow tables with the `RECORD_SCHEMA` columns (extra columns are ignored): one row per
    candidate with `CANDIDATE_SCHEMA`, ordered by incoming key, most probable first, then person key."""
    thresholds = thresholds or Thresholds()
    con = connection or duckdb.connect()
    try:
        _prepare(con, incoming.select(COLUMNS), people.select(COLUMNS))
        _check_keys(con)
        con.execute(_SSN_PAIRS_SQL)
        con.execute(
            "CREATE OR REPLACE TABLE incoming_rest AS "
            "SELECT * FROM incoming WHERE unique_id NOT IN (SELECT incoming_key FROM ssn_pairs)"
        )
        rest = _count(con, "incoming_rest")
        people_count = _count(con, "(SELECT DISTINCT record_key FROM people)")
        if rest and people_count:
            _predict(con, thresholds, prior=min(in_population / people_count, 0.5))
        else:
            con.execute("CREATE OR REPLACE TABLE splink_pairs AS SELECT * FROM ssn_pairs WHERE false")
        return con.sql(_RESULT_SQL).to_arrow_table().cast(CANDIDATE_SCHEMA)
    finally:
        if connection is None:
            con.close()


def _check_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Every record has a key; incoming keys are unique (a person's may repeat: several records of one)."""
    [(missing, repeated, people_missing)] = con.execute(
        "SELECT count(*) FILTER (WHERE unique_id IS NULL), count(unique_id) - count(DISTINCT unique_id),"
        " (SELECT count(*) FROM people WHERE record_key IS NULL) FROM incoming"
    ).fetchall()
    if missing or people_missing:
        raise ValueError(f"every record needs a key: {missing} incoming and {people_missing} people have none")
    if repeated:
        raise ValueError(f"incoming keys must be unique: {repeated} repeat an earlier one")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()  # noqa: S608 (our own table names)
    return int(rows[0][0])


def _plain(column: str) -> str:
    """SQL for `names.plain`: lower case, accents stripped, letters only, NULL when nothing is left."""
    return f"nullif(regexp_replace(lower(strip_accents(coalesce({column}, ''))), '[^a-z]', '', 'g'), '')"


def _prepare(con: duckdb.DuckDBPyConnection, incoming: pa.Table, people: pa.Table) -> None:
    """Normalise both sides into tables `incoming` and `people` with the columns the model compares."""
    con.register("incoming_raw", incoming)
    con.register("people_raw", people)
    # A person may come as several records (aliases, earlier names and addresses) under one key: Splink
    # needs a unique id per record, the candidates are per key (`record_key`).
    unique_id = {
        "incoming": "CAST(key AS VARCHAR)",
        "people": f"'r' || row_number() OVER (ORDER BY {', '.join(COLUMNS)})",
    }
    for side in ("incoming", "people"):
        con.execute(
            f"""
            CREATE OR REPLACE TABLE {side}_plain AS
            SELECT {unique_id[side]} AS unique_id, CAST(key AS VARCHAR) AS record_key,
                   {valid_ssn_sql("ssn")} AS ssn,
                   {_plain("first_name")} AS first_name,
                   substr({_plain("middle_name")}, 1, 1) AS middle_initial,
                   {_plain("last_name")} AS last_name,
                   birth_date,
                   nullif(trim(regexp_replace(lower(coalesce(address_line1, '')), '[^a-z0-9]+', ' ', 'g')), '')
                       AS address_line1,
                   nullif(regexp_replace(lower(coalesce(city, '')), '[^a-z]', '', 'g'), '') AS city,
                   nullif(upper(trim(coalesce(state, ''))), '') AS state,
                   nullif(substr(regexp_replace(coalesce(postal_code, ''), '[^0-9]', '', 'g'), 1, 5), '')
                       AS postal_code
            FROM {side}_raw
            """  # noqa: S608 (no user input in the SQL text)
        )
    first = con.execute(
        "SELECT first_name FROM incoming_plain WHERE first_name IS NOT NULL UNION "
        "SELECT first_name FROM people_plain WHERE first_name IS NOT NULL"
    ).fetchall()
    last = con.execute(
        "SELECT last_name FROM incoming_plain WHERE last_name IS NOT NULL UNION "
        "SELECT last_name FROM people_plain WHERE last_name IS NOT NULL"
    ).fetchall()
    con.register("first_keys", names.first_name_keys(row[0] for row in first))
    con.register("last_keys", names.last_name_keys(row[0] for row in last))
    for side in ("incoming", "people"):
        con.execute(
            f"""
            CREATE OR REPLACE TABLE {side} AS
            SELECT p.unique_id, p.record_key, p.ssn, p.first_name, f.formal AS first_formal, f.sound AS first_sound,
                   p.middle_initial, p.last_name, l.sound AS last_sound,
                   p.birth_date, year(p.birth_date) AS birth_year,
                   CAST(p.birth_date AS VARCHAR) AS birth_text, strftime(p.birth_date, '%m-%d') AS birth_day,
                   CASE WHEN day(p.birth_date) <= 12 THEN
                       make_date(year(p.birth_date), day(p.birth_date), month(p.birth_date)) END AS birth_swapped,
                   p.address_line1, p.city, p.state, p.postal_code
            FROM {side}_plain p
            LEFT JOIN first_keys f ON f.word = p.first_name
            LEFT JOIN last_keys l ON l.word = p.last_name
            """  # noqa: S608
        )
    con.unregister("incoming_raw")
    con.unregister("people_raw")


_SSN_PAIRS_SQL = """
CREATE OR REPLACE TABLE ssn_pairs AS
SELECT i.unique_id AS incoming_key, p.record_key AS person_key, 1.0 AS match_probability,
       CAST(NULL AS DOUBLE) AS match_weight, 'ssn' AS basis,
       min(CASE WHEN i.first_sound = p.first_sound OR i.last_sound = p.last_sound OR i.birth_date = p.birth_date
            THEN 'lead' ELSE 'review' END) AS decision,
       CAST(NULL AS DOUBLE) AS weight_first_name, CAST(NULL AS DOUBLE) AS weight_last_name,
       CAST(NULL AS DOUBLE) AS weight_middle_initial, CAST(NULL AS DOUBLE) AS weight_birth_date,
       CAST(NULL AS DOUBLE) AS weight_address, CAST(NULL AS DOUBLE) AS weight_ssn
FROM incoming i JOIN people p ON i.ssn = p.ssn
WHERE i.ssn IS NOT NULL
GROUP BY i.unique_id, p.record_key
"""

_RESULT_SQL = """
SELECT incoming_key, person_key, match_probability, match_weight, basis, decision, weight_first_name,
       weight_last_name, weight_middle_initial, weight_birth_date, weight_address, weight_ssn
FROM (SELECT * FROM ssn_pairs UNION ALL SELECT * FROM splink_pairs)
ORDER BY incoming_key, match_probability DESC, person_key
"""


def _predict(con: duckdb.DuckDBPyConnection, thresholds: Thresholds, *, prior: float) -> None:
    """Splink on `incoming_rest` x `people` into table `splink_pairs` (the `ssn_pairs` columns)."""
    from splink import DuckDBAPI, Linker  # imported here: Splink takes a second to import

    settings = dict(model())
    settings["probability_two_random_records_match"] = prior
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = True  # keeps the gamma (level) columns
    settings["additional_columns_to_retain"] = ["record_key"]
    linker = Linker(
        ["incoming_rest", "people"],
        settings,
        db_api=DuckDBAPI(connection=con),
        input_table_aliases=["incoming", "people"],
        set_up_basic_logging=False,
    )
    predictions = linker.inference.predict(threshold_match_probability=thresholds.review)
    weight = {name: f"log2(bf_{name})" for name in COMPARISONS}
    for name in TERM_FREQUENCY:  # a rare name agreeing says more than a common one
        weight[name] = f"log2(bf_{name} * bf_tf_adj_{name})"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE splink_pairs AS
        SELECT CASE WHEN source_dataset_l = 'incoming' THEN unique_id_l ELSE unique_id_r END AS incoming_key,
               CASE WHEN source_dataset_l = 'incoming' THEN record_key_r ELSE record_key_l END AS person_key,
               match_probability, match_weight, 'probabilistic' AS basis,
               CASE WHEN match_probability >= {thresholds.lead} AND gamma_first_name <> 0 THEN 'lead'
                    ELSE 'review' END AS decision,
               {", ".join(f"{expression} AS weight_{name}" for name, expression in weight.items())}
        FROM {predictions.physical_name}
        QUALIFY row_number() OVER (
            PARTITION BY incoming_key, person_key ORDER BY match_probability DESC, decision, match_weight DESC
        ) = 1
        """  # noqa: S608
    )
    predictions.drop_table_from_database_and_remove_from_cache()


@cache
def _model_text() -> str:
    return MODEL_FILE.read_text(encoding="utf-8")


def model() -> dict[str, Any]:
    """The stored Splink settings with the trained m and u probabilities (a fresh copy)."""
    result: dict[str, Any] = json.loads(_model_text())
    return result


def settings(blocking_rules: Sequence[Any] | None = None) -> Any:
    """The untrained model: comparisons and blocking rules (a Splink `SettingsCreator`); `train.py` fits it."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    first_name = cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
            cll.ExactMatchLevel("first_formal").configure(label_for_charts="Same formal name (nickname)"),
            cll.DamerauLevenshteinLevel("first_name", 1),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.JaroWinklerLevel("first_name", 0.8),
            cll.ElseLevel(),
        ],
    )
    last_name = cl.CustomComparison(
        output_column_name="last_name",
        comparison_levels=[
            cll.NullLevel("last_name"),
            cll.ExactMatchLevel("last_name", term_frequency_adjustments=True),
            cll.DamerauLevenshteinLevel("last_name", 1),
            cll.JaroWinklerLevel("last_name", 0.92),
            cll.JaroWinklerLevel("last_name", 0.8),
            cll.ElseLevel(),
        ],
    )
    middle = cl.CustomComparison(
        output_column_name="middle_initial",
        comparison_levels=[cll.NullLevel("middle_initial"), cll.ExactMatchLevel("middle_initial"), cll.ElseLevel()],
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel("birth_swapped_l = birth_date_r", "Day and month transposed"),
            cll.DamerauLevenshteinLevel("birth_text", 1),
            cll.ExactMatchLevel("birth_year"),
            cll.ElseLevel(),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.CustomLevel(
                "(address_line1_l IS NULL OR address_line1_r IS NULL)"
                " AND (postal_code_l IS NULL OR postal_code_r IS NULL)",
                "Null",
            ).configure(is_null_level=True),
            cll.And(cll.ExactMatchLevel("address_line1"), cll.ExactMatchLevel("postal_code")),
            cll.And(cll.JaroWinklerLevel("address_line1", 0.9), cll.ExactMatchLevel("postal_code")),
            cll.ExactMatchLevel("postal_code"),
            cll.And(cll.ExactMatchLevel("city"), cll.ExactMatchLevel("state")),
            cll.ElseLevel(),
        ],
    )
    ssn = cl.CustomComparison(
        output_column_name="ssn",
        comparison_levels=[
            cll.NullLevel("ssn"),
            cll.ExactMatchLevel("ssn"),
            cll.DamerauLevenshteinLevel("ssn", 1),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        comparisons=[first_name, last_name, middle, birth, address, ssn],
        blocking_rules_to_generate_predictions=list(blocking_rules or blocking()),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def blocking() -> list[Any]:
    """The pairs compared: those agreeing on at least one of these (each a cheap equi-join).

    - date of birth and the sound of the last name;
    - date of birth and the sound of the formal first name (a changed or misspelt surname);
    - year of birth and both sounds (a transposed or mistyped date of birth);
    - postal code and the sound of the last name (no date of birth);
    - both sounds, day and month of birth (a mistyped year).
    """
    from splink import block_on

    return [
        block_on("birth_date", "last_sound"),
        block_on("birth_date", "first_sound"),
        block_on("birth_year", "last_sound", "first_sound"),
        block_on("postal_code", "last_sound"),
        block_on("birth_day", "last_sound", "first_sound"),
    ]
