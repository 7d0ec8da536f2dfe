"""Ledger benchmark on PostgreSQL: generate a caseload in bulk, then time the nightly accrual of one
month and the posting of a payment file, each against a raw-SQL floor that writes the same rows in the
same run. Not a test; run on demand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencse_bench .venv/bin/python bench/ledger_bench.py \
        --cases 1000000 --collections 100000

The database named in DATABASE_URL is dropped and re-created (it must not be `test` or production).
Figures: wall seconds, rows per second, ratio to the floor, and the peak resident memory of this process.
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.nacha_employer writes employers' files
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")

ACCRUAL_MONTH_END = date(2026, 10, 31)


def prepare_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.config(env="DATABASE_URL")
    assert config["ENGINE"].endswith("postgresql"), "the ledger benchmark runs on PostgreSQL"
    name = config["NAME"]
    assert name not in ("test", "postgres", "opencse"), f"refusing to drop {name}"
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


def generate(cases: int) -> float:
    """One office, one obligor and one child per case, one order with a monthly term, accrued through
    the month before the benchmark month: all with INSERT ... SELECT over generate_series."""
    from django.db import connection

    statements = [
        "INSERT INTO security_office (code, name, county) VALUES ('BEN', 'Benchmark office', '')",
        f"""INSERT INTO cases_case (number, program, category, office_id, referral_received_on, opened_on,
                closure_reason, other_jurisdiction, other_case_identifier, created_at)
            SELECT 'MS' || lpad(g::text, 9, '0'), CASE WHEN g % 5 = 0 THEN 'current_assistance'
                   ELSE 'never_assistance' END, 'in_state', (SELECT id FROM security_office), DATE '2020-01-01',
                   DATE '2020-01-02', '', '', '', now() FROM generate_series(1, {cases}) g""",
        """INSERT INTO people_person (first_name, middle_name, last_name, suffix, sex, ssn_encrypted, ssn_index,
                ssn_last4, phone, email, language, tribal_affiliation, family_violence, created_at)
            SELECT 'Obligor', '', 'No' || id, '', 'M', '', '', '', '', '', 'English', '', false, now()
            FROM cases_case""",
        """INSERT INTO cases_casemember (case_id, person_id, role, joined_on)
            SELECT c.id, p.id, 'noncustodial_parent', DATE '2020-01-02' FROM cases_case c
            JOIN people_person p ON p.last_name = 'No' || c.id""",
        """INSERT INTO people_person (first_name, middle_name, last_name, suffix, sex, ssn_encrypted, ssn_index,
                ssn_last4, phone, email, language, tribal_affiliation, family_violence, created_at)
            SELECT 'Custodial', '', 'Cp' || id, '', 'F', '', '', '', '', '', 'English', '', id % 50 = 1, now()
            FROM cases_case""",
        """INSERT INTO cases_casemember (case_id, person_id, role, joined_on)
            SELECT c.id, p.id, 'custodial_party', DATE '2020-01-02' FROM cases_case c
            JOIN people_person p ON p.last_name = 'Cp' || c.id""",
        """INSERT INTO people_address (person_id, kind, line1, line2, city, state, postal_code, source,
                verification, effective_on)
            SELECT id, 'mailing', id || ' Magnolia Street', '', 'Jackson', 'MS', '39201', 'party', 'verified',
                   DATE '2020-01-02' FROM people_person WHERE first_name = 'Custodial'""",
        """INSERT INTO ledger_directdeposit (person_id, routing_number, account_number_encrypted, account_last4,
                account_type, starts_on, created_at)
            SELECT id, '061000104', '{encrypted}', '6789', 'checking', DATE '2020-01-02', now()
            FROM people_person WHERE first_name = 'Custodial' AND id % 2 = 0""",
        """INSERT INTO orders_order (case_id, tribunal_kind, tribunal_name, issuing_jurisdiction, docket_number,
                signed_on, effective_on, status, entered_at)
            SELECT id, 'administrative', 'Benchmark agency', 'MS', 'AO-' || id, DATE '2020-02-01',
                   DATE '2020-02-01', 'active', now() FROM cases_case""",
        """INSERT INTO orders_orderterm (order_id, case_id, kind, frequency, starts_on, obligor_id, accrued_through)
            SELECT o.id, o.case_id, 'current_support', 'monthly', DATE '2020-02-01', m.person_id, DATE '2026-09-30'
            FROM orders_order o JOIN cases_casemember m ON m.case_id = o.case_id
            WHERE m.role = 'noncustodial_parent'""",
        """INSERT INTO orders_termstep (term_id, starts_on, amount)
            SELECT id, starts_on, 100 + (id % 700) FROM orders_orderterm""",
        """INSERT INTO ledger_assistanceperiod (case_id, starts_on, grant_monthly, assistance_group)
            SELECT id, DATE '2020-01-01', 260, '' FROM cases_case WHERE program = 'current_assistance'""",
        "ANALYZE",
    ]
    from opencse.security.crypto import encrypt

    account = encrypt("123456789")  # one account for every direct deposit: encryption is not what is timed
    started = time.monotonic()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.replace("{encrypted}", account))
    return time.monotonic() - started


def accrual_floor() -> tuple[float, int]:
    """The same month's charges written by one INSERT ... SELECT, inside a transaction rolled back."""
    from django.db import connection, transaction

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""INSERT INTO ledger_ledgerentry (case_id, term_id, account, kind, amount, effective_on,
                              posted_at, source_key, memo)
                          SELECT t.case_id, t.id, 'current_support', 'charge', s.amount, DATE '2026-10-01', now(),
                                 'floor:' || t.id || ':2026-10', ''
                          FROM orders_orderterm t JOIN orders_termstep s ON s.term_id = t.id""")
        rows = cursor.rowcount
        transaction.set_rollback(True)
    return time.monotonic() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--collections", type=int, default=100_000, help="collections posted by the bulk path")
    parser.add_argument(
        "--service-sample",
        type=int,
        default=1_000,
        help="collections posted one by one through the service, for comparison",
    )
    args = parser.parse_args()
    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generated = generate(args.cases)
    print(f"generated {args.cases:,} cases with orders in {generated:.1f} s")
    floor, rows = accrual_floor()
    print(f"accrual floor (one INSERT ... SELECT, rolled back): {rows:,} rows in {floor:.1f} s")
    from opencse.ledger.accrual import accrue

    started = time.monotonic()
    result = accrue(through=ACCRUAL_MONTH_END)
    accrual = time.monotonic() - started
    print(
        f"opencse ledger accrue: {result.charges:,} charges on {result.terms:,} terms in {accrual:.1f} s "
        f"({result.charges / accrual:,.0f} rows/s), {accrual / floor:.1f}x the floor"
    )
    import_file(args.collections)
    post_collections(args.collections, args.service_sample)
    disburse()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MB")


def _ssn(index: int) -> str:
    """A synthetic SSN in the valid ranges (area 100-665, group 01-99, serial 0001-9999), one per index."""
    serial, rest = index % 9999 + 1, index // 9999
    return f"{100 + rest // 99:03d}{rest % 99 + 1:02d}{serial:04d}"


def import_file(count: int) -> None:
    """End to end: write a NACHA CCD+ file with `count` DED payments (one per case), then import it."""
    import tempfile
    from datetime import UTC, datetime
    from decimal import Decimal

    from tests.nacha_employer import write_nacha_ccd  # an employer's file: test tooling, not the product

    from opencse.cases.models import Case
    from opencse.interfaces.payments import PaymentRecord
    from opencse.ledger.imports import import_payment_file
    from opencse.security.services import system_actor

    numbers = list(Case.objects.order_by("-pk").values_list("number", flat=True)[:count])  # the last cases
    payments = [
        PaymentRecord(
            line_number=0,
            trace_number="",
            amount=Decimal("50.00"),
            payment_date=date(2026, 10, 9),
            effective_entry_date=date(2026, 10, 12),
            case_identifier=number,
            obligor_ssn=_ssn(index),
            obligor_last_name="OBLIGOR",
            obligor_first_name="NO",
            fips_code="28049",
            medical_support=False,
            employment_terminated=False,
            employer_name="Bench Employer",
            employer_fein="641234567",
            source="nacha",
        )
        for index, number in enumerate(numbers)
    ]
    text = write_nacha_ccd(
        payments,
        immediate_destination="065300279",
        immediate_destination_name="MS SDU",
        immediate_origin="091000019",
        immediate_origin_name="BENCH BANK",
        originating_dfi="09100001",
        receiving_routing_number="065300279",
        receiving_account_number="12345678",
        receiving_name="MS SDU",
        created_at=datetime(2026, 10, 12, 6, 0, tzinfo=UTC),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".ach", delete=False) as handle:
        handle.write(text)
    started = time.monotonic()
    result = import_payment_file(actor=system_actor(), path=Path(handle.name), received_on=date(2026, 10, 12))
    took = time.monotonic() - started
    print(
        f"opencse payments import of a {count:,}-payment NACHA CCD+ file: {result.posted:,} posted, "
        f"{result.suspended:,} suspended, {result.rejected:,} rejected in {took:.1f} s ({count / took:,.0f}/s)"
    )


def post_collections(count: int, service_sample: int) -> None:
    from decimal import Decimal

    from django.db import connection, transaction

    from opencse.cases.models import Case
    from opencse.ledger.bulk import CollectionInput
    from opencse.ledger.bulk import post_collections as post_in_bulk
    from opencse.ledger.services import post_collection
    from opencse.security.services import system_actor

    with transaction.atomic(), connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute(
            """INSERT INTO ledger_collection (case_id, amount, source, collected_on, received_on,
                              posted_at, status, payor_name, reference, suspense_reason, created_at)
                          SELECT id, 50, 'income_withholding', DATE '2026-10-09', DATE '2026-10-12', now(),
                                 'posted', '', '', '', now() FROM cases_case ORDER BY id LIMIT %s""",
            [count],
        )
        cursor.execute("""INSERT INTO ledger_ledgerentry (case_id, account, kind, amount, effective_on, posted_at,
                              source_key, memo, collection_id)
                          SELECT case_id, 'current_support', 'payment', -50, collected_on, now(),
                                 'floor-payment:' || id, '', id FROM ledger_collection""")
        cursor.execute("""INSERT INTO ledger_collectionshare (collection_id, case_id, payee, amount, due_on, source_key,
                              created_at)
                          SELECT id, case_id, 'family', 50, DATE '2026-10-14', 'floor-d:' || id, now()
                          FROM ledger_collection""")
        floor = time.monotonic() - started
        transaction.set_rollback(True)
    print(f"posting floor (three INSERT ... SELECT, rolled back): {count:,} collections in {floor:.1f} s")
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[: count + service_sample])
    items = [
        CollectionInput(
            case_id=case_id,
            amount=Decimal("50.00"),
            source="income_withholding",
            collected_on=date(2026, 10, 9),
            received_on=date(2026, 10, 12),
        )
        for case_id in case_ids[:count]
    ]
    started = time.monotonic()
    for start in range(0, len(items), 5_000):
        post_in_bulk(items[start : start + 5_000], actor=system_actor())
    bulk = time.monotonic() - started
    print(
        f"bulk posting (opencse payments import path): {count:,} collections in {bulk:.1f} s "
        f"({count / bulk:,.0f}/s), {bulk / floor:.1f}x the floor"
    )
    started = time.monotonic()
    for case in Case.objects.filter(pk__in=case_ids[count:]).order_by("pk"):
        post_collection(
            actor=system_actor(),
            case=case,
            amount=Decimal("50.00"),
            source="income_withholding",
            collected_on=date(2026, 10, 9),
            received_on=date(2026, 10, 12),
        )
    single = time.monotonic() - started
    print(
        f"post_collection one by one (an officer's posting): {service_sample:,} in {single:.1f} s "
        f"({service_sample / single:,.0f}/s)"
    )


def disburse() -> None:
    """The disbursement run that pays every collection posted above, against a floor that writes one payout
    and one payout line per pending disbursement row with two INSERT ... SELECT (rolled back)."""
    from django.db import connection, transaction

    from opencse.ledger.disbursement import run_disbursements
    from opencse.security.services import system_actor

    with transaction.atomic(), connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute(
            "INSERT INTO ledger_disbursementrun (run_on, started_at, payouts, total_amount, nacha_file, "
            "check_register, interstate_file) VALUES (DATE '2026-10-14', now(), 0, 0, '', '', '') RETURNING id"
        )
        run_id = cursor.fetchone()[0]
        cursor.execute(
            """INSERT INTO ledger_payout (run_id, case_id, payee, recipient_name, method, amount, due_on,
                              issued_on, reference, federal_share)
                          SELECT %s, case_id, payee, 'Floor', 'check', sum(amount), min(due_on), DATE '2026-10-14',
                                 case_id::text, 0 FROM ledger_collectionshare WHERE payee IN ('family', 'state')
                          GROUP BY case_id, payee""",
            [run_id],
        )
        cursor.execute(
            """INSERT INTO ledger_payoutline (payout_id, share_id, amount)
                          SELECT p.id, d.id, d.amount FROM ledger_collectionshare d
                          JOIN ledger_payout p ON p.case_id = d.case_id AND p.payee = d.payee AND p.run_id = %s""",
            [run_id],
        )
        payouts = cursor.rowcount
        floor = time.monotonic() - started
        transaction.set_rollback(True)
    print(f"disbursement floor (two INSERT ... SELECT, rolled back): {payouts:,} payout lines in {floor:.1f} s")
    started = time.monotonic()
    summary = run_disbursements(actor=system_actor(), run_on=date(2026, 10, 14))
    took = time.monotonic() - started
    print(
        f"opencse disburse: {summary.payouts:,} payouts ({summary.eft:,} direct deposits, {summary.checks:,} checks, "
        f"{summary.transfers:,} transfers), {summary.undistributable} undistributable, "
        f"bank file {len(summary.run.nacha_file):,} bytes, in {took:.1f} s, {took / floor:.1f}x the floor"
    )


if __name__ == "__main__":
    main()
