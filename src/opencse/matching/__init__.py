"""Matching incoming records (new hires, wage records, locate responses) to the people on file (issue #20):
exact on a valid SSN, otherwise probabilistic (Splink on DuckDB) on name, date of birth and address.

Pure Python: no Django, no apps. See docs/matching.md. The API:

    from opencse.matching import IncomingRecord, PersonRecord, Thresholds, match
    candidates = match(incoming_records, people_records, thresholds=Thresholds(lead=0.99, review=0.5))
    # -> [Candidate(incoming_key, person_key, match_probability, match_weight, basis, decision, field_weights)]

`match_tables` does the same on Arrow tables (`RECORD_SCHEMA` columns) for a whole file at once.
"""

from .engine import (
    CANDIDATE_SCHEMA,
    RECORD_SCHEMA,
    Candidate,
    IncomingRecord,
    PersonRecord,
    Record,
    Thresholds,
    match,
    match_tables,
    records_table,
)
from .ssn import is_valid_ssn

__all__ = [
    "CANDIDATE_SCHEMA",
    "RECORD_SCHEMA",
    "Candidate",
    "IncomingRecord",
    "PersonRecord",
    "Record",
    "Thresholds",
    "is_valid_ssn",
    "match",
    "match_tables",
    "records_table",
]
