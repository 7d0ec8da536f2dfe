"""Multiply a demo caseload in PostgreSQL, set-based, for the load benchmark (issue #20: a 1,000,000-case
database). `opencse demo` makes about 130 cases a second (two hours for a million); this copies a K-case demo
caseload with INSERT ... SELECT until the database holds N cases. Not a test; run on demand:

    createdb -h 127.0.0.1 -U postgres opencse_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencse_load .venv/bin/opencse demo --cases 10000 --seed 1 \
        --i-know-this-is-not-production
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencse_load .venv/bin/python bench/clone_caseload.py \
        --cases 1000000

(`bench/load_officers.py --cases 1000000 --clone-from 10000` does both.) N must be a multiple of the K cases
found, and the database must hold the demo as made (case ids and numbers 1 .. K): copies 1 .. N/K - 1 are made
of the original rows (ids 1 .. the table's max id before the run).

How: the tables come from the Django models (`apps.get_models()`), none is named here but the shared reference
data. Each copy k of a row gets its id plus k x (the table's max id before the run), and every foreign key to a
copied table is shifted the same way, so a copy's rows reference only the copy's rows (and shared reference
rows). One transaction per copy, tables in foreign key order. PostgreSQL checks the foreign keys of the first
copy (`--checked-copies`, default 1); the later copies run the same statements with other offsets, with the
foreign key triggers off (`session_replication_role = replica`; the append-only triggers guard updates and
deletes only). The plain (not unique) indexes of the copied tables are dropped during the copies and built
again after (one sorted build is faster than millions of insertions; `--keep-indexes` keeps them); the unique
ones stay and check every copy. At the end the id sequences are set past the copies, the case number sequence
past the highest number, and ANALYZE.

Copied (case data): every table with a foreign key to a case or a person, or to a table that has one, and every
run or file record such a table references (closure over the foreign keys). In the demo: cases, members, notes;
people with their addresses, employments, aliases and name keys; orders, terms and steps; ledger entries,
collections and their shares, payouts and their lines, assistance periods, adjustments, direct deposits;
documents (their PDF is stored in the row: a copy holds the same bytes, no file to share), correspondence and
scans; enforcement actions and steps, withholdings, agreements, offset certifications and collections; intake
referrals and interviews; locate records, candidates, requests and responses; paternity; establishment; court
packets; closures; tasks, disputes and referrals. Also the run and file records: disbursement runs (a run's
bank file and check register list its payouts, which `opencse ledger verify` checks: a copy's payouts need the
copy's run), payment, referral and locate imports with their rejections, e-IWO files, offset submissions.
The script prints the list of tables it copies, the empty ones and the shared ones.

Shared (not copied; a copy's rows point at the original's row):
- users, offices, the audit trail, API tokens, rate windows (app `security`), Django's own tables
  (permissions, content types, sessions): reference data; the benchmark's officers must see every copy, and
  the copies' cases keep their assigned worker (a worker's caseload grows N/K times).
- employers (people_employer) and the other agencies' directory (cases_otheragency): reference data that many
  cases share in a real caseload too; so the e-IWO employers' marks (enforcement_eiwoemployer) stay shared.
- records that reference none of the copied tables: sweep runs, e-IWO acknowledgment problems.
- the case number sequence (cases_casenumbersequence): its `last` is set to the highest number, so that a case
  opened on the clone gets the next free number.

Values kept unique (every unique index of a copied table, read from the PostgreSQL catalog, without a shifted
id among its columns; the script prints them):
- case numbers (MS260000123: state, two-digit year, seven-digit sequence, `cases.services.next_case_number`;
  the case URLs and the search take them as text): copy k's number is the same prefix with the sequence plus
  k x K, so it has the format of a real one and never meets a number issued later. 10,000,000 cases per prefix
  fit the seven digits.
- source keys that embed an id ("charge:<term>:<period>", "rollover:<case>:<month>:out",
  "payment:<collection>:<index>", ...; `ledger.accrual`, `ledger.services`, ...): the id is shifted as the row
  it names (SOURCE_KEY_IDS below), so a copy holds the key the application would have written for it, and a
  later batch on a copy finds it (idempotence holds). The same is done to every `source_key` column, unique or
  not: a task's key ("employment:<employment>", "order:<order>", "collection:<collection>") is how an event
  finds and closes the task it opened (`work.subscribers`, `work.services`). Only the first id of a key is
  shifted ("withholding-refused:<case>:<employment>" keeps its employment's original id).
- any other unique text (import and idempotency keys, referral ids, locate record keys, e-IWO control and
  tracking numbers, a key with another prefix) gets "c<k>." after its first colon (or in front, without one):
  unique, with its prefix and its end (":in", ":out") kept. Of a unique index on two text columns the last one
  is changed (in (program_code, referral_id) the code keeps its meaning); columns with choices never are. Empty
  and NULL values stay (the partial unique indexes skip them).

SSNs: the people's SSN columns (ssn_encrypted, ssn_index, ssn_last4) are blank on the copies. The blind index
has no unique constraint, but one SSN shared by N/K people is what matching (locate, intake, offset) would
read as one person with many records, while people without a known SSN are ordinary. A search by name finds
the copies (their name keys are copied with them); a search by SSN finds only the original. The direct
deposits' encrypted account numbers are copied as they are (the same key decrypts them).

A clone stopped before its end (Ctrl-C, SIGTERM) keeps the copies made, builds its indexes and sets its
sequences again (a database of fewer cases, whole); a clone killed outright (SIGKILL, a crash) may lack the
plain indexes: make it again (load_officers.py rebuilds a database whose case count is not --cases).

Not changed on a copy: free text that quotes a case number (notes, documents' data and PDF, payouts' check
and trace numbers in the copied run's files) still quotes the original's.

Verify a small clone (as run for the report, database h_clone, K=200 to 1,000):

    DATABASE_URL=... opencse demo --cases 200 --seed 1 --i-know-this-is-not-production
    DATABASE_URL=... python bench/clone_caseload.py --cases 1000
    DATABASE_URL=... opencse check                 # System check identified no issues
    DATABASE_URL=... opencse ledger verify         # 0 problem(s): every collection and balance adds up
    DATABASE_URL=... python bench/clone_caseload.py --cases 1000 --check-pages

`--check-pages` opens, with the Django test client signed in as the demo's officer (seo1), the worklist, a case
of the last copy and a search for one of its people (which must list the copy), adds a note to that case (a new
row past the reset sequences), and fails unless each answers 200.

Timing (2026-12-06, two-core machine shared with other helpers, load average about 3): 200 cases copied to
1,000: 31,126 rows per copy, 4 copies in 3.3 s (31,000-43,000 rows a second), indexes rebuilt in 0.6 s, 4.6 s
in all. 1,000 cases copied to 10,000: 135,152 rows per copy (135 rows a case,
ledger entries 57% of them and 85% of the time), 2.0-4.4 s a copy (30,000-72,000 rows a second, with the
load), indexes rebuilt in 4-6 s, 30-45 s in all. Extrapolated (not run here: the machine is shared): a 10,000-case
demo (about 80 s) copied 99 times holds about 1.35 million rows a copy, 20-40 s a copy at those rates, so 35-65
minutes for the copies, plus the index builds (about 10 minutes for 135 million rows at the rate above) and
ANALYZE: about an hour at worst, against two hours or more for the demo generator. The time a copy took did not
grow over the 9 copies measured (the plain indexes are off; the unique ones grow as log n); at 100 copies that
is an expectation, not a measurement.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")

# The tables whose rows are the case data: every table that reaches one of these by foreign keys is copied.
ROOTS = ("cases_case", "people_person")
# Reference data, shared by the copies (see the docstring); every other table a copied one references is copied.
SHARED_APPS = {"security", "auth", "contenttypes", "sessions", "admin"}
SHARED_TABLES = {"people_employer", "cases_otheragency"}
# Source key prefixes whose first number is the id of a row of this table (grep the code for source_key=f"...").
SOURCE_KEY_IDS = {
    "charge": "orders_orderterm",  # ledger.accrual: charge:<term>:<period>
    "rollover": "cases_case",  # ledger.accrual: rollover:<case>:<month>:out|in
    "interest": "cases_case",  # ledger.interest: interest:<case>:<month>:<account>
    "reclassify": "cases_case",  # ledger.assignment: reclassify:<case>:<day>:...
    "payment": "ledger_collection",  # ledger.services: payment:<collection>:<index>
    "disbursement": "ledger_collection",  # ledger.services: disbursement:<collection>:<payee>
    "retro": "orders_order",  # ledger.retroactive: retro:<order>:<key>
    "adjustment": "ledger_adjustment",  # ledger.adjustments: adjustment:<adjustment>
    "reversal": "ledger_ledgerentry",  # ledger.services: reversal:<entry>
    "disbursement-reversal": "ledger_collectionshare",  # ledger.services: disbursement-reversal:<share>
    "enforcement": "enforcement_enforcementaction",  # enforcement.actions: enforcement:<action>:<step>:<day>
    "agreement": "enforcement_paymentagreement",  # enforcement.agreements: agreement:<agreement>:<key>
    "withholding-refused": "cases_case",  # enforcement.batch: withholding-refused:<case>:<employment>
    # work.subscribers: the tasks' keys, by which an event finds (and closes) the task it opened
    "collection": "ledger_collection",  # collection:<collection>|...
    "employment": "people_employment",  # employment:<employment>
    "note": "cases_casenote",  # note:<note>
    "order": "orders_order",  # order:<order>
    "closure": "closure_closure",  # closure:<closure>
    "genetic_test": "paternity_genetictest",  # genetic_test:<test>
    "iwo": "enforcement_incomewithholding",  # iwo:<withholding>:<since>
    "eiwo-ack": "enforcement_eiwoacknowledgment",  # eiwo-ack:<acknowledgment>
}
KEYED_COLUMNS = {"source_key"}  # text columns that may embed an id as above (shifted even where not unique)
CASE_NUMBER_DIGITS = 7
TEXT_FIELDS = ("CharField", "TextField", "SlugField", "EmailField")


def quote(column: str) -> str:
    return f'"{column}"'  # a column may be named as an SQL keyword ("on")


class Table:
    def __init__(self, model: type) -> None:
        meta = model._meta  # type: ignore[attr-defined]
        self.name: str = meta.db_table
        self.app_label: str = meta.app_label
        self.pk: str = meta.pk.column
        self.integer_pk: bool = meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")
        self.columns: list[str] = [field.column for field in meta.concrete_fields]
        self.foreign_keys: dict[str, str] = {}
        self.max_length: dict[str, int] = {}
        for field in meta.concrete_fields:
            if field.is_relation:
                if not field.target_field.primary_key:
                    sys.exit(f"{self.name}.{field.column} references a column other than an id: not handled")
                self.foreign_keys[field.column] = field.related_model._meta.db_table
            elif field.get_internal_type() in TEXT_FIELDS and not field.choices:
                # (a column with choices, such as a program code, keeps its value: another column is made unique)
                self.max_length[field.column] = field.max_length or 0
        self.unique_text: list[str] = []  # columns whose copies must be made unique


def tables() -> tuple[list[Table], list[Table]]:
    """(copied, shared): the copied ones in foreign key order (a table after those it references)."""
    from django.apps import apps

    everything = {table.name: table for table in map(Table, apps.get_models(include_auto_created=True))}
    shared_names = {name for name, table in everything.items() if table.app_label in SHARED_APPS} | SHARED_TABLES
    copied = set(ROOTS)
    grew = True
    while grew:
        grew = False
        for table in everything.values():
            # A table that references a copied one, and a run or file record that a copied one references.
            if table.name not in copied and copied & set(table.foreign_keys.values()):
                copied.add(table.name)
                grew = True
            if table.name in copied:
                for target in set(table.foreign_keys.values()) - copied - shared_names:
                    copied.add(target)
                    grew = True
    ordered: list[Table] = []
    placed: set[str] = set()
    pending = sorted(copied)
    while pending:
        ready = [
            name
            for name in pending
            if all(t in placed or t == name or t not in copied for t in everything[name].foreign_keys.values())
        ]
        if not ready:  # a cycle: the foreign keys are deferred to the commit, any order works
            ready = pending[:1]
        for name in ready:
            ordered.append(everything[name])
            placed.add(name)
            pending.remove(name)
    shared = [everything[name] for name in sorted(set(everything) - copied)]
    return ordered, shared


def unique_indexes(cursor, table: str) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, array_agg(a.attname ORDER BY a.attnum), bool_or(k.attnum = 0)
           FROM pg_index i
           CROSS JOIN LATERAL unnest(i.indkey) AS k(attnum)
           LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary
           GROUP BY i.indexrelid""",
        [table],
    )
    found = []
    for name, columns, expression in cursor.fetchall():
        if expression:
            sys.exit(f"unique index {name} on an expression: not handled")
        found.append((name, [column for column in columns if column]))
    return found


KEY_PATTERN = "^([a-z_-]+):([0-9]+)([^0-9].*)?$"  # prefix, the id, the rest


def source_key_expression(
    column: str, match: str, maximum: dict[str, int], copy: int, max_length: int, *, unique: bool
) -> str:
    """SQL for a copy's value of a key column (see the docstring); `match` is its KEY_PATTERN match. A key with
    an id of a known prefix gets the id shifted; any other keeps its value, or is marked if it must be unique."""
    offsets = {prefix: copy * maximum[table] for prefix, table in SOURCE_KEY_IDS.items() if maximum.get(table)}
    known = " ".join(f"WHEN '{prefix}' THEN {offset}" for prefix, offset in offsets.items())
    marked = (
        f"CASE WHEN strpos({column}, ':') > 0 THEN split_part({column}, ':', 1) || ':c{copy}.' || "
        f"substr({column}, strpos({column}, ':') + 1) ELSE 'c{copy}.' || {column} END"
        if unique
        else column
    )
    value = marked
    if offsets:
        shifted = f"{match}[1] || ':' || ({match}[2]::bigint + CASE {match}[1] {known} END) || coalesce({match}[3], '')"
        value = f"CASE WHEN {match}[1] IN ({', '.join(map(repr, offsets))}) THEN {shifted} ELSE {marked} END"
    if max_length:
        value = f"left({value}, {max_length})"
    return f"CASE WHEN {column} IS NULL OR {column} = '' THEN {column} ELSE {value} END"


def case_number_expression(copy: int, sequence_maximum: int) -> str:
    digits = CASE_NUMBER_DIGITS
    return (
        f"left(number, length(number) - {digits}) || "
        f"lpad((right(number, {digits})::bigint + {copy * sequence_maximum})::text, {digits}, '0')"
    )


def select_statement(table: Table, copy: int, maximum: dict[str, int], sequence_maximum: int) -> str:
    """INSERT ... SELECT of copy `copy` of the table's original rows."""
    expressions = []
    matches: list[str] = []  # one regular expression match per row and unique text column, used by its expression
    for column in table.columns:
        quoted = quote(column)
        if column == table.pk:
            expression = f"{quoted} + {copy * maximum[table.name]}"
        elif column in table.foreign_keys and table.foreign_keys[column] in maximum:
            expression = f"{quoted} + {copy * maximum[table.foreign_keys[column]]}"
        elif table.name == "cases_case" and column == "number":
            expression = case_number_expression(copy, sequence_maximum)
        elif table.name == "people_person" and column in ("ssn_encrypted", "ssn_index", "ssn_last4"):
            expression = "''"
        elif column in table.unique_text or column in KEYED_COLUMNS:
            match = f"k{len(matches)}.m"
            matches.append(
                f" CROSS JOIN LATERAL (SELECT regexp_match({quoted}, '{KEY_PATTERN}') AS m) AS k{len(matches)}"
            )
            expression = source_key_expression(
                quoted, match, maximum, copy, table.max_length.get(column, 0), unique=column in table.unique_text
            )
        else:
            expression = quoted
        expressions.append(expression)
    return (
        f"INSERT INTO {table.name} ({', '.join(map(quote, table.columns))}) "
        f"SELECT {', '.join(expressions)} FROM {table.name}{''.join(matches)} "
        f"WHERE {quote(table.pk)} <= {maximum[table.name]}"
    )


def copy_all(  # type: ignore[no-untyped-def]
    copied, copies, base, maximum, sequence_maximum, checked_copies, timings, started, say
) -> None:
    """Copies 1 .. `copies` of the original rows, one transaction each."""
    from django.db import connection, transaction

    for copy in range(1, copies + 1):
        began = time.perf_counter()
        rows = 0
        checked = copy <= checked_copies
        with transaction.atomic(), connection.cursor() as cursor:
            if not checked:
                # The same statements as the checked copies with other offsets: skip the foreign key triggers.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for table in copied:
                if table.name not in maximum:
                    continue
                at = time.perf_counter()
                cursor.execute(select_statement(table, copy, maximum, sequence_maximum))
                timings[f"table {table.name}"] += time.perf_counter() - at
                rows += cursor.rowcount
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign key checks, timed here
        took = time.perf_counter() - began
        timings["copies"] += took
        say(
            f"copy {copy}/{copies}{'' if checked else ' (keys not checked)'}: {rows:,} rows in {took:.1f} s "
            f"({rows / took:,.0f} rows/s); "
            f"{base * (copy + 1):,} cases, {time.perf_counter() - started:.0f} s so far"
        )


def reset_sequences(copied: list[Table], maximum: dict[str, int]) -> None:
    """The id sequences past the copies, the case number sequence past the highest number."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in copied:
            if table.name in maximum:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT max({table.pk}) FROM {table.name}))",
                    [table.name, table.pk],
                )
        cursor.execute(
            """UPDATE cases_casenumbersequence s SET last = greatest(s.last, (
                   SELECT max(right(c.number, %s)::bigint) FROM cases_case c WHERE left(c.number, 4) = s.prefix))
               WHERE EXISTS (SELECT 1 FROM cases_case c WHERE left(c.number, 4) = s.prefix)""",
            [CASE_NUMBER_DIGITS],
        )


def clone(target: int, *, checked_copies: int = 1, keep_indexes: bool = False, quiet: bool = False) -> dict[str, float]:
    """Copy the database's caseload until it holds `target` cases; returns the timings."""
    import django

    django.setup()
    from django.db import connection

    say = (lambda *args, **kwargs: None) if quiet else print
    copied, shared = tables()
    with connection.cursor() as cursor:
        maximum: dict[str, int] = {}
        for table in copied:
            cursor.execute(f"SELECT coalesce(max({table.pk}), 0) FROM {table.name}")
            top = cursor.fetchone()[0]
            if top:
                maximum[table.name] = top
        cursor.execute("SELECT count(*) FROM cases_case")
        base = cursor.fetchone()[0]
        if not base or target % base:
            sys.exit(f"the database holds {base} cases: --cases must be a multiple of it")
        cursor.execute(
            "SELECT count(*), max(right(number, %s)::bigint) FROM cases_case WHERE number ~ %s",
            [CASE_NUMBER_DIGITS, f"^[A-Z]{{2}}[0-9]{{2}}[0-9]{{{CASE_NUMBER_DIGITS}}}$"],
        )
        well_formed, sequence_maximum = cursor.fetchone()
        if well_formed != base:
            sys.exit("a case number is not of the form MS260000123: not handled")
        if sequence_maximum * (target // base) >= 10**CASE_NUMBER_DIGITS:
            sys.exit(f"{target} cases do not fit the case number's {CASE_NUMBER_DIGITS} digits")
        if maximum["cases_case"] != base or sequence_maximum != base:
            sys.exit("the cases' ids or numbers are not 1 .. K: is this a demo caseload not cloned yet?")
        for table in copied:
            if table.name in maximum and not table.integer_pk:
                sys.exit(f"{table.name}'s primary key is not an automatic integer: not handled")
            if table.name not in maximum:
                continue  # an empty table copies no row: its unique indexes need nothing
            names = {t.name for t in copied}
            shifted = {table.pk} | {c for c, t in table.foreign_keys.items() if t in names}
            for index, columns in unique_indexes(cursor, table.name):
                if shifted & set(columns) or (table.name, columns) == ("cases_case", ["number"]):
                    continue
                text = [column for column in columns if column in table.max_length]
                if not text:
                    sys.exit(f"unique index {index} of {table.name} has no id or text column to make unique")
                # One column suffices, the last: in (program_code, referral_id) the code keeps its meaning.
                if text[-1] not in table.unique_text:
                    table.unique_text.append(text[-1])
    say(f"{base:,} cases; copied tables: {', '.join(t.name for t in copied if t.name in maximum)}")
    say(f"empty case tables (nothing to copy): {', '.join(t.name for t in copied if t.name not in maximum)}")
    say(f"shared, not copied: {', '.join(t.name for t in shared)}")
    for table in copied:
        if table.unique_text:
            say(f"made unique per copy: {', '.join(f'{table.name}.{c}' for c in table.unique_text)}")
    copies = target // base - 1
    timings: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    plain: list[tuple[str, str]] = []
    if not keep_indexes:
        # The plain (not unique) indexes are dropped during the copies and built again after: one sorted build is
        # much faster than as many insertions; the unique ones stay, and check every copy's keys as it goes.
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                   WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
                [[table.name for table in copied if table.name in maximum]],
            )
            plain = cursor.fetchall()
            for name, _ in plain:
                cursor.execute(f"DROP INDEX {name}")
        say(f"{len(plain)} plain indexes dropped until the copies are made")
    # A stop (Ctrl-C, SIGTERM) ends the copy in progress (rolled back) and still builds the indexes again.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped: the copies made so far are kept"))
    try:
        copy_all(copied, copies, base, maximum, sequence_maximum, checked_copies, timings, started, say)
    finally:
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in plain:
                cursor.execute(definition)
        timings["indexes"] = time.perf_counter() - began
        if plain:
            say(f"{len(plain)} plain indexes built again in {timings['indexes']:.1f} s")
        began = time.perf_counter()
        reset_sequences(copied, maximum)
        timings["sequences"] = time.perf_counter() - began
    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - began
    timings["total"] = time.perf_counter() - started
    say(
        f"{target:,} cases: {copies} copies in {timings['copies']:.1f} s, sequences {timings['sequences']:.1f} s, "
        f"ANALYZE {timings['analyze']:.1f} s; total {timings['total']:.1f} s"
    )
    slowest = sorted((key for key in timings if key.startswith("table ")), key=timings.__getitem__, reverse=True)
    say("slowest tables: " + ", ".join(f"{key[6:]} {timings[key]:.1f} s" for key in slowest[:4]))
    return timings


def check_pages() -> None:
    """Open, as the demo's officer, the worklist, a case of the last copy and a search for one of its people, and
    add a note to that case (as the load benchmark's officers do)."""
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from opencse.cases.models import Case, CaseMember
    from opencse.security.models import User

    setup_test_environment()  # the test client's template capture; no test database is made
    officer = User.objects.get(username="seo1")
    case = Case.objects.order_by("-pk").filter(office=officer.office).first() or Case.objects.order_by("-pk").first()
    assert case is not None
    member = CaseMember.objects.filter(case=case).select_related("person").first()
    assert member is not None
    client = Client()
    client.force_login(officer)
    failures = []
    for name, response in [
        ("worklist", client.get("/worklist/")),
        (f"case page {case.number}", client.get(f"/cases/{case.number}/")),
        (
            f"search {member.person.first_name} {member.person.last_name}",
            client.post("/search/", {"q": f"{member.person.first_name} {member.person.last_name}"}),
        ),
        (  # a new row: the id sequences were set past the copies
            "add note",
            client.post(
                f"/cases/{case.number}/notes/",
                {"kind": "phone", "text": "Called the noncustodial parent; left a message."},
                headers={"HX-Request": "true"},
            ),
        ),
    ]:
        ok = response.status_code == 200
        if name.startswith("search"):
            ok = ok and f"/people/{member.person_id}/" in response.content.decode()
        print(f"{name}: HTTP {response.status_code} {'ok' if ok else 'FAILED'}")
        if not ok:
            failures.append(name)
    if failures:
        sys.exit(f"failed: {', '.join(failures)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, required=True, help="cases wanted (a multiple of those found)")
    parser.add_argument(
        "--checked-copies",
        type=int,
        default=1,
        help="copies whose foreign keys PostgreSQL checks (default 1; the later ones skip the check)",
    )
    parser.add_argument("--keep-indexes", action="store_true", help="keep the plain indexes during the copies (slower)")
    parser.add_argument("--check-pages", action="store_true", help="only open a copy's pages as an officer")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name the PostgreSQL database to clone in")
    if arguments.check_pages:
        check_pages()
    else:
        clone(arguments.cases, checked_copies=arguments.checked_copies, keep_indexes=arguments.keep_indexes)


if __name__ == "__main__":
    main()
