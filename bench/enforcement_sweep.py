"""Delinquency sweep benchmark on PostgreSQL (issue #21: the sweep over 1,000,000 cases in under 2 minutes):
seed a caseload with raw SQL, then time `opencse enforcement sweep` against a raw-SQL floor measured in the
same run, and time a second sweep, which must propose nothing. Not a test; run on demand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your database> .venv/bin/python bench/enforcement_sweep.py \
        --cases 1000000

The database named in DATABASE_URL is dropped and re-created (it must not be `test` or production). The
caseload is `bench/work_generate.py`'s (one office, 50 workers, 80% of the cases with an active order), plus
for each order a monthly current support term of $300.00-$500.00, and for 40% of the cases with an order an
arrears balance of $150.00 to $4,650.00 (one rollover entry), so about a third of the caseload is delinquent.

The floor writes the same proposals and their first step (foreign keys checked) with the least work: one
INSERT ... SELECT that reads the arrears (GROUP BY over the ledger) and the monthly support (the step in
force of each term) and joins them to the remedies' thresholds as a VALUES list (Mississippi's, as the sweep
reads them from the parameter files), then one INSERT ... SELECT of the steps; rolled back. The sweep also
writes an audit row per run and the worklist tasks; the floor does not (the ratio is against the least the job
could do).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")
os.environ.setdefault("OPENCSE_STATE", "MS")

from work_generate import prepare_database, seed

AS_OF = date(2026, 10, 1)

ORDERS_AND_ARREARS = [
    """INSERT INTO orders_orderterm (order_id, case_id, kind, frequency, starts_on, obligor_id)
        SELECT o.id, o.case_id, 'current_support', 'monthly', o.effective_on, m.person_id
        FROM orders_order o JOIN cases_casemember m ON m.case_id = o.case_id""",
    """INSERT INTO orders_termstep (term_id, starts_on, amount)
        SELECT id, starts_on, 300 + (id % 5) * 50 FROM orders_orderterm""",
    """INSERT INTO ledger_ledgerentry (case_id, term_id, account, kind, amount, effective_on, posted_at, source_key,
            memo)
        SELECT case_id, id, 'never_assigned', 'rollover', 150 * (1 + id % 31), DATE '2026-08-31', now(),
               'bench:' || id, '' FROM orders_orderterm WHERE id % 5 < 2""",
    "ANALYZE",
]

FLOOR = """
WITH owed AS (
    SELECT case_id, SUM(amount) AS arrears FROM ledger_ledgerentry
    WHERE account <> 'current_support' AND effective_on <= %(as_of)s GROUP BY case_id HAVING SUM(amount) > 0),
support AS (
    SELECT t.case_id, SUM(s.amount) AS monthly, MIN(t.obligor_id) AS obligor_id FROM orders_orderterm t
    JOIN orders_order o ON o.id = t.order_id AND o.status = 'active'
    CROSS JOIN LATERAL (SELECT amount FROM orders_termstep WHERE term_id = t.id AND starts_on <= %(as_of)s
                        ORDER BY starts_on DESC LIMIT 1) s
    WHERE t.kind = 'current_support' AND t.starts_on <= %(as_of)s AND (t.ends_on IS NULL OR t.ends_on >= %(as_of)s)
    GROUP BY t.case_id),
remedy (key, at_least, over, months) AS (VALUES
    ('federal_tax_offset', 500, NULL, NULL), ('passport_denial', NULL, 2500, NULL),
    ('license_suspension', NULL, NULL, 2), ('credit_bureau_reporting', 1000, NULL, NULL),
    ('financial_institution_levy', NULL, NULL, 1), ('lien', 500, NULL, NULL), ('contempt_referral', NULL, NULL, 3),
    ('state_tax_offset', 500, NULL, NULL))
INSERT INTO enforcement_enforcementaction (case_id, obligor_id, remedy, remedy_name, citation, status, found_on,
        arrears, monthly_support, reasons, contest_days, service_methods, proposed_by_id, proposed_at, decision_note,
        service_method, ability_to_pay)
SELECT c.id, s.obligor_id, r.key, r.key, '', 'proposed', %(as_of)s, w.arrears, s.monthly, '[]', 30, '[]',
       %(actor)s, now(), '', '', ''
FROM owed w JOIN cases_case c ON c.id = w.case_id AND c.closed_on IS NULL
JOIN support s ON s.case_id = c.id
CROSS JOIN remedy r
WHERE w.arrears >= s.monthly
  AND (r.at_least IS NULL OR w.arrears >= r.at_least)
  AND (r.over IS NULL OR w.arrears > r.over)
  AND (r.months IS NULL OR w.arrears >= r.months * s.monthly)
"""
FLOOR_STEPS = """INSERT INTO enforcement_actionstep (action_id, step, "on", note, by_id, recorded_at)
    SELECT id, 'proposed', found_on, 'Found by the delinquency sweep', proposed_by_id, now()
    FROM enforcement_enforcementaction"""


def floor(actor_id: int) -> tuple[float, int]:
    """The proposals and their steps by two INSERT ... SELECT, their foreign keys checked, rolled back; run twice
    and the second timed (the
    first reads the tables into the cache, as the sweep after it finds them)."""
    from django.db import connection, transaction

    took, rows = 0.0, 0
    for _ in range(2):
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            # The foreign keys are checked at commit, which the floor never reaches: checked at once instead,
            # the floor pays for them as the sweep does.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(FLOOR, {"as_of": AS_OF, "actor": actor_id})
            rows = cursor.rowcount
            cursor.execute(FLOOR_STEPS)
            took = time.monotonic() - started
            transaction.set_rollback(True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE enforcement_enforcementaction")
            cursor.execute("VACUUM ANALYZE enforcement_actionstep")
    return took, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="print where the first sweep spent its time")
    args = parser.parse_args()
    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    seeded = seed(args.cases)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for statement in ORDERS_AND_ARREARS:
            cursor.execute(statement)
    print(f"seeded {args.cases:,} cases in {seeded + time.monotonic() - started:.1f} s", flush=True)

    from opencse.enforcement.models import EnforcementAction
    from opencse.enforcement.sweep import sweep
    from opencse.security.services import system_actor

    actor = system_actor()
    floor_seconds, floor_rows = floor(actor.pk)
    print(f"floor (two INSERT ... SELECT, rolled back): {floor_rows:,} proposals in {floor_seconds:.2f} s", flush=True)
    load = os.getloadavg()[0]
    profiler = cProfile.Profile() if args.profile else None
    started = time.monotonic()
    if profiler:
        profiler.enable()
    result = sweep(as_of=AS_OF)
    took = time.monotonic() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    print(
        f"opencse enforcement sweep --as-of {AS_OF}: {result.cases_checked:,} cases, {result.delinquent:,} "
        f"delinquent, {result.proposed:,} proposals in {took:.2f} s ({took / floor_seconds:.1f}x the floor; "
        f"load average before {load:.1f})"
    )
    assert result.proposed == floor_rows, (result.proposed, floor_rows)
    started = time.monotonic()
    again = sweep(as_of=AS_OF)
    print(f"second run: {again.proposed} proposals in {time.monotonic() - started:.2f} s")
    assert again.proposed == 0 and EnforcementAction.objects.count() == result.proposed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MB; target: 1,000,000 cases in under 120 s")


if __name__ == "__main__":
    main()
