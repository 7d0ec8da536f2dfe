"""Fit the model's m and u probabilities and store them in `model.json` (the engine reads only that file).

    PYTHONPATH=src python -m opencse.matching.train [--people 400000] [--records 200000] [--seed 7]
    PYTHONPATH=src python -m opencse.matching.train --people-file people.parquet --records-file hires.parquet

u (how often a field agrees by chance) by random sampling of pairs; m (how often it agrees for the same
person) by expectation maximisation (EM), unsupervised: no truth is needed, so a State retrains on its own
people and a year of its own new-hire records (Parquet files with the `RECORD_SCHEMA` columns). Without
files it fits the synthetic data of `synthetic.py` (seeded: the same arguments give the same file).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .engine import COLUMNS, MODEL_FILE, _prepare, settings


def train(incoming: pa.Table, people: pa.Table, *, seed: int = 7, out: Path = MODEL_FILE) -> dict[str, Any]:
    from splink import DuckDBAPI, Linker, block_on

    con = duckdb.connect()
    _prepare(con, incoming.select(COLUMNS), people.select(COLUMNS))
    linker = Linker(
        ["incoming", "people"],
        settings(),
        db_api=DuckDBAPI(connection=con),
        input_table_aliases=["incoming", "people"],
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e7, seed=seed)
    # Each EM session fixes some fields by blocking on them and estimates the others' m.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date", "postal_code"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    model = smooth(linker.misc.save_model_to_json())
    out.write_text(json.dumps(model, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return model


M_FLOOR = 0.001


def smooth(model: dict[str, Any]) -> dict[str, Any]:
    """No level's m probability below `M_FLOOR` (1 in 1,000), then each comparison's m summing to 1 again.

    EM gives a level the data never showed an m of zero (or none at all): the synthetic records never carry
    a wrong middle initial, so a different initial would count as 40 bits against, certain proof of another
    person; in real reports a middle initial is wrong now and then. The floor caps any one field's evidence
    against at about log2(0.001 / u), 10 bits for a field that disagrees by chance nearly always.
    """
    for comparison in model["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        for level in levels:
            level["m_probability"] = max(level.get("m_probability") or 0.0, M_FLOOR)
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    model["probability_two_random_records_match"] = 1e-6  # replaced at run time: in_population / people
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people-file", type=Path)
    parser.add_argument("--records-file", type=Path)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    arguments = parser.parse_args()
    started = time.perf_counter()
    if arguments.people_file and arguments.records_file:
        people, incoming = pq.read_table(arguments.people_file), pq.read_table(arguments.records_file)
    else:
        from .synthetic import generate

        people, incoming = generate(arguments.people, arguments.records, seed=arguments.seed)
    train(incoming, people, seed=arguments.seed, out=arguments.out)
    print(f"model written to {arguments.out} in {time.perf_counter() - started:.1f} s")  # noqa: T201


if __name__ == "__main__":
    main()
