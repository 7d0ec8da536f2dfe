"""Worklist benchmark on PostgreSQL: seed a caseload with raw SQL, then time `opencse work generate` (the
periodic tasks: 36-month reviews, locate attempts) against a raw-SQL floor that writes the same rows with one
INSERT ... SELECT per clock in the same run (due dates by SQL date arithmetic instead of the rule, no check
of the tasks already open), and time a second run, which must open nothing. Not a test; run on demand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your database> .venv/bin/python bench/work_generate.py \
        --cases 20000

The database named in DATABASE_URL is dropped and re-created (it must not be `test` or production).
Caseload: one office, 50 workers; every case has a noncustodial parent, 70% of them with a verified address
(the others need locating); 80% of the cases have an active order. Opening and signature dates spread over
about four years, so the rule is asked for some 1,500 distinct dates per clock.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")

AS_OF = date(2026, 10, 1)
WORKERS = 50


def prepare_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.config(env="DATABASE_URL")
    assert config["ENGINE"].endswith("postgresql"), "the worklist benchmark runs on PostgreSQL"
    name = config["NAME"]
    assert name not in ("test", "postgres", "opencse", "opencse_bench"), f"refusing to drop {name}"
    admin = psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed(cases: int) -> float:
    """Cases, workers, parents, addresses and orders, all with INSERT ... SELECT over generate_series."""
    from django.db import connection

    statements = [
        "INSERT INTO security_office (code, name, county) VALUES ('BEN', 'Benchmark office', '')",
        f"""INSERT INTO security_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, role, office_id, failed_logins)
            SELECT '!', false, 'worker' || g, 'Worker', 'No' || g, '', false, true, now(), 'seo1',
                   (SELECT id FROM security_office), 0 FROM generate_series(1, {WORKERS}) g""",
        f"""INSERT INTO cases_case (number, program, category, office_id, assigned_worker_id, referral_received_on,
                opened_on, closure_reason, other_jurisdiction, other_case_identifier, created_at)
            SELECT 'MS' || lpad(g::text, 9, '0'), 'never_assistance', 'in_state', (SELECT id FROM security_office),
                   (SELECT min(id) FROM security_user) + g % {WORKERS},
                   DATE '2022-01-03' + (g % 1500), DATE '2022-01-03' + (g % 1500), '', '', '', now()
            FROM generate_series(1, {cases}) g""",
        """INSERT INTO people_person (first_name, middle_name, last_name, suffix, sex, ssn_encrypted, ssn_index,
                ssn_last4, phone, email, language, tribal_affiliation, family_violence, created_at)
            SELECT 'Obligor', '', 'No' || id, '', 'M', '', '', '', '', '', 'English', '', false, now()
            FROM cases_case""",
        """INSERT INTO cases_casemember (case_id, person_id, role, joined_on)
            SELECT c.id, p.id, 'noncustodial_parent', c.opened_on FROM cases_case c
            JOIN people_person p ON p.last_name = 'No' || c.id""",
        """INSERT INTO people_address (person_id, kind, line1, line2, city, state, postal_code, source,
                verification, verified_on, effective_on)
            SELECT id, 'residential', id || ' Pine Street', '', 'Jackson', 'MS', '39202', 'dmv', 'verified',
                   DATE '2022-01-03', DATE '2022-01-03' FROM people_person WHERE id % 10 < 7""",
        """INSERT INTO orders_order (case_id, tribunal_kind, tribunal_name, issuing_jurisdiction, docket_number,
                signed_on, effective_on, status, entered_at)
            SELECT id, 'administrative', 'Benchmark agency', 'MS', 'AO-' || id, opened_on + 60, opened_on + 60,
                   'active', now() FROM cases_case WHERE id % 5 <> 0""",
        "ANALYZE",
    ]
    started = time.monotonic()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return time.monotonic() - started


# The floor writes the same rows with the least work: the task table is empty when it runs, so it skips the
# batch's "no open task of the kind yet" check and the ON CONFLICT clause (which is what lets a second run open
# nothing); due dates by SQL date arithmetic instead of the rule.
FLOOR_STATEMENTS = [
    # 36-month reviews: every open case with an active order and no open review task.
    """INSERT INTO work_task (case_id, owner_id, kind, source_key, event_on, due_on, clock, clock_reference,
            clock_effective_on, detail, created_at, completion)
        SELECT c.id, c.assigned_worker_id, 'review_order', 'review:' || o.signed_on, o.signed_on,
               (o.signed_on + interval '36 months')::date, 'order_established_or_reviewed.review_order',
               '45 CFR 303.8(b)(1)', DATE '2017-01-19', '', now(), ''
        FROM cases_case c CROSS JOIN LATERAL (
            SELECT signed_on FROM orders_order WHERE case_id = c.id AND status = 'active' AND signed_on <= %(as_of)s
            ORDER BY signed_on DESC LIMIT 1) o
        WHERE c.closed_on IS NULL AND c.opened_on <= %(as_of)s""",
    # First locate: open cases whose noncustodial parent has no verified, current address.
    """INSERT INTO work_task (case_id, owner_id, kind, source_key, event_on, due_on, clock, clock_reference,
            clock_effective_on, detail, created_at, completion)
        SELECT c.id, c.assigned_worker_id, 'locate', 'locate:' || c.opened_on, c.opened_on, c.opened_on + 75,
               'location_needed.complete_locate', '45 CFR 303.3(b)(3)', DATE '2017-01-19', '', now(), ''
        FROM cases_case c
        WHERE c.closed_on IS NULL AND c.opened_on <= %(as_of)s
          AND EXISTS (SELECT 1 FROM cases_casemember m WHERE m.case_id = c.id AND m.left_on IS NULL
                      AND m.role IN ('noncustodial_parent', 'alleged_father')
                      AND NOT EXISTS (SELECT 1 FROM people_address a WHERE a.person_id = m.person_id
                                      AND a.verification = 'verified'
                                      AND (a.ended_on IS NULL OR a.ended_on > %(as_of)s)))""",
]


def floor() -> tuple[float, int]:
    """The same rows written by one INSERT ... SELECT per clock, inside a transaction rolled back. Run twice
    and the second timed: the first reads the tables into the cache (the batch after it finds them there too);
    VACUUM after each clears the rolled-back rows, so each run, and the batch, find an empty task table."""
    from django.db import connection, transaction

    took, rows = 0.0, 0
    for _ in range(2):
        rows = 0
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in FLOOR_STATEMENTS:
                cursor.execute(statement, {"as_of": AS_OF})
                rows += cursor.rowcount
            took = time.monotonic() - started
            transaction.set_rollback(True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE work_task")
    return took, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"seeded {args.cases:,} cases in {seed(args.cases):.1f} s", flush=True)
    floor_seconds, floor_rows = floor()
    print(
        f"floor (one INSERT ... SELECT per clock, rolled back): {floor_rows:,} tasks in {floor_seconds:.2f} s",
        flush=True,
    )

    from opencse.security.services import system_actor
    from opencse.work.models import Task
    from opencse.work.periodic import generate_periodic_tasks

    started = time.monotonic()
    result = generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)
    took = time.monotonic() - started
    print(
        f"opencse work generate --as-of {AS_OF}: {result.total:,} tasks ({result.review_order:,} reviews, "
        f"{result.locate:,} locates, {result.repeat_locate:,} repeat locates) in {took:.2f} s "
        f"({result.total / took:,.0f} rows/s), {took / floor_seconds:.1f}x the floor"
    )
    assert result.total == floor_rows, (result.total, floor_rows)
    started = time.monotonic()
    again = generate_periodic_tasks(actor=system_actor(), as_of=AS_OF)
    print(f"second run: {again.total} tasks opened in {time.monotonic() - started:.2f} s")
    assert again.total == 0 and Task.objects.count() == result.total
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
