"""Matching benchmark (issue #20): new-hire records against the people on file, with precision and recall
against the synthetic truth. Not a test; run on demand:

    .venv/bin/python bench/locate_match.py                       # 1,000,000 records x 2,000,000 people
    .venv/bin/python bench/locate_match.py --people 200000 --records 100000

The data come from `opencse.matching.synthetic` (typos, nicknames, transposed dates of birth, missing and
mistyped SSNs, moved addresses, relatives and people not on file), generated before the clock starts. The
timed part is `opencse.matching.match_tables`, the same code the API's `match` calls.

Counted: a candidate is "found" when it is a lead or in review; a true pair is the incoming record and the
person it was generated from. Precision = true found pairs / found pairs; recall = true found pairs / true
pairs. Leads alone are reported too (what posts without an officer). Target: under 120 s, both >= 0.99.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lead", type=float, default=None, help="lead threshold (default: the engine's)")
    parser.add_argument("--review", type=float, default=None, help="review threshold (default: the engine's)")
    arguments = parser.parse_args()

    import duckdb
    import pyarrow as pa

    from opencse.matching import Thresholds, match_tables, synthetic

    defaults = Thresholds()
    thresholds = Thresholds(lead=arguments.lead or defaults.lead, review=arguments.review or defaults.review)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    started = time.monotonic()
    people, incoming = synthetic.generate(arguments.people, arguments.records, seed=arguments.seed)
    print(
        f"generated {people.num_rows:,} people and {incoming.num_rows:,} records in {time.monotonic() - started:.1f} s"
    )

    import splink  # noqa: F401 (imported before the clock starts, as a running service would have it)

    started = time.monotonic()
    candidates = match_tables(incoming, people, thresholds=thresholds)
    took = time.monotonic() - started
    load = os.getloadavg()

    con = duckdb.connect()
    con.register("candidates", candidates)
    con.register("truth", incoming.select(["key", "true_person_key"]))
    con.register("people", pa.table({"key": people.column("key")}))
    ((true_pairs,),) = con.execute("SELECT count(*) FROM truth WHERE true_person_key IS NOT NULL").fetchall()
    rows = con.execute(
        """SELECT c.decision, c.basis, count(*) AS pairs,
                  count(*) FILTER (WHERE c.person_key = t.true_person_key) AS true_pairs
           FROM candidates c JOIN truth t ON t.key = c.incoming_key GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    print(f"matched in {took:.1f} s (load average after: {' '.join(f'{x:.2f}' for x in load)})")
    print(f"{'decision':<8} {'basis':<14} {'pairs':>10} {'true':>10}")
    for decision, basis, pairs, true in rows:
        print(f"{decision:<8} {basis:<14} {pairs:>10,} {true:>10,}")
    found = sum(row[2] for row in rows)
    found_true = sum(row[3] for row in rows)
    leads = sum(row[2] for row in rows if row[0] == "lead")
    leads_true = sum(row[3] for row in rows if row[0] == "lead")
    print(f"true pairs in the data: {true_pairs:,}")
    print(f"leads and review: precision {found_true / max(found, 1):.4f}, recall {found_true / max(true_pairs, 1):.4f}")
    print(f"leads alone:      precision {leads_true / max(leads, 1):.4f}, recall {leads_true / max(true_pairs, 1):.4f}")
    print("by probability alone (before the first-name rule), to choose the lead threshold:")
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
        ((pairs, true),) = con.execute(
            """SELECT count(*), count(*) FILTER (WHERE c.person_key = t.true_person_key)
               FROM candidates c JOIN truth t ON t.key = c.incoming_key WHERE c.match_probability >= ?""",
            [threshold],
        ).fetchall()
        precision, recall = true / max(pairs, 1), true / max(true_pairs, 1)
        print(f"  >= {threshold:<6} pairs {pairs:>10,}  precision {precision:.4f}  recall {recall:.4f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
