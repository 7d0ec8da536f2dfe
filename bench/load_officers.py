"""Load benchmark: 50 officers working at once against the web app on PostgreSQL (issue #20's target: search
and every page p95 under 200 ms, zero errors, on a 1,000,000-case database). Not a test; run on demand:

    .venv/bin/pip install -e '.[bench]'     # Locust
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencse_load .venv/bin/python bench/load_officers.py \
        --cases 1000000 [--officers 50] [--seconds 120] [--workers 4]

What it does, in order:
1. The caseload: if the database (never `test` or `postgres`) does not hold a demo caseload of `--cases`
   cases, it is dropped, re-created and filled by `opencse demo --cases N --seed 1` (the same synthetic
   caseload as `make demo`; on an idle two-core machine about 130 cases a second, so a million cases take
   a couple of hours: the database is kept and reused by later runs). With `--clone-from K` the demo makes K
   cases and `bench/clone_caseload.py` copies them set-based up to `--cases` (a multiple of K), e.g.
   `--cases 1000000 --clone-from 10000`: much faster (see that file for what a copy shares). A reused
   database is first brought to the code's schema with `opencse migrate` (its DATABASE_URL), so that a run
   after new migrations (such as the worklist's indexes) measures the schema the code expects.
2. The officers: `--officers` users `bench.officerNN` (Support Enforcement Officer 1), spread over the demo's
   offices, and for each a sample of 200 of their office's cases and of the names on them, typed as officers
   type them: "First Last", "Last, First", lower case, one pair of letters swapped. The open tasks of an
   officer's sample cases become theirs (one UPDATE per officer), so that their worklist has rows to read,
   count and page as a real one does, not an empty page. Then `ANALYZE`, so that PostgreSQL plans on the
   statistics of the loaded caseload rather than those of an empty database.
3. The server: gunicorn with `--workers` processes of `--threads` threads (the gthread worker, which keeps a
   connection alive between requests, so an officer's browser does not make a TLS handshake per page as with
   the sync worker) on 127.0.0.1 and the production settings (its own keys,
   DEBUG off): cookies are Secure, so the server speaks TLS with a certificate openssl makes for the run. The
   sign-in and search rate limits are raised for the run, so that the benchmark measures the pages and not
   the limiter (the limiter's own query still runs on every search).
4. The officers sign in two a second (the password hashing is slow by design, and 50 at once saturated the
   two cores for the first seconds of the first runs), and the figures count from when all have started
   (`--reset-stats`): the working day, not the sign-in. Then they work for `--seconds` (Locust, headless,
   `bench/locustfile.py`): the worklist, search, a case
   page and adding a note, with 3 to 10 seconds of thought between two actions (an officer reads the page
   they opened before the next click: see the locustfile). 50 officers then ask for about 50 / 6.5 s, some
   8 pages a second, not the 25 a second of the one-to-three-second think time the first runs used, which
   was 50 officers clicking faster than anyone reads and saturated the two cores of the shared machine.
5. The floor, in the same run: the raw-SQL queries a page cannot do without (the case row with its members
   and people by case number; the name-key lookup of a search; one note insert), timed with psycopg over the
   same samples. Each page's p95 is reported with its ratio to the floor's p95.

Figures are printed and kept under bench/results/ (not committed), with the load average before the run:
on a machine shared with other work the latencies grow with the load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")

PASSWORD = "bench-load-" + "officer-password"
TARGET_P95_MS = 200.0
SAMPLE_CASES = 200
PAGES = ["worklist", "search", "case page", "add note"]


def database_config() -> dict[str, object]:
    import dj_database_url

    config = dj_database_url.config(env="DATABASE_URL")
    if not config or not str(config["ENGINE"]).endswith("postgresql"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (the load benchmark runs on PostgreSQL)")
    if config["NAME"] in ("test", "postgres", "opencse"):
        sys.exit(f"refusing to use the database {config['NAME']!r}: name one of its own (e.g. opencse_load)")
    return config


def connect(config: dict[str, object], dbname: str | None = None):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname=dbname or config["NAME"],
        autocommit=True,
    )


def case_count(config: dict[str, object]) -> int | None:
    """The number of cases of the database's demo caseload, or None without one."""
    try:
        with connect(config) as connection:
            return int(connection.execute("SELECT count(*) FROM cases_case").fetchone()[0])
    except Exception:
        return None


def build_caseload(config: dict[str, object], cases: int) -> float:
    with connect(config, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "opencse"), "demo", "--cases", str(cases), "--seed", "1", "--i-know-this-is-not-production"],
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def clone_caseload(config: dict[str, object], cases: int, base: int) -> float:
    """A `base`-case demo caseload copied up to `cases` cases (bench/clone_caseload.py)."""
    if base <= 0 or cases % base:
        sys.exit(f"--cases {cases} must be a multiple of --clone-from {base}")
    started = time.perf_counter()
    build_caseload(config, base)
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "clone_caseload.py"), "--cases", str(cases)],
                   check=True, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - started


def _typed(first: str, last: str, rng: random.Random) -> str:
    """A name as an officer might type it."""
    style = rng.randrange(4)
    if style == 0:
        return f"{first} {last}"
    if style == 1:
        return f"{last}, {first}"
    if style == 2:
        return f"{first} {last}".lower()
    at = rng.randrange(max(1, len(last) - 1))
    swapped = last[:at] + last[at + 1 : at + 2] + last[at : at + 1] + last[at + 2 :]
    return f"{first} {swapped}"


def migrate(url: str) -> None:
    """Bring the database to the code's schema (a no-op when it is already there)."""
    subprocess.run(
        [str(BIN / "opencse"), "migrate", "--noinput"], check=True, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}
    )


def prepare_officers(officers: int) -> dict[str, object]:
    """The benchmark's officers (created once) and each one's sample of cases and names."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from opencse.cases.models import Case, CaseMember
    from opencse.security.models import Office, User
    from opencse.security.roles import Role
    from opencse.work.models import Task

    offices = list(Office.objects.order_by("pk"))
    password = make_password(PASSWORD)
    rng = random.Random(1)
    sample = []
    for number in range(1, officers + 1):
        office = offices[(number - 1) % len(offices)]
        user, _ = User.objects.update_or_create(
            username=f"bench.officer{number:02d}",
            defaults={
                "role": Role.OFFICER_1,
                "office": office,
                "first_name": "Bench",
                "last_name": f"Officer {number}",
                "password": password,
            },
        )
        numbers = list(Case.objects.filter(office=office).order_by("?").values_list("number", flat=True)[:SAMPLE_CASES])
        Task.objects.filter(case__number__in=numbers, completed_on__isnull=True).update(owner=user)
        people = CaseMember.objects.filter(case__number__in=numbers).values_list(
            "person__first_name", "person__last_name"
        )
        names = [_typed(first, last, rng) for first, last in people]
        sample.append({"username": user.username, "cases": numbers, "names": names})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"officers": sample}


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, for this run only."""
    key, certificate = folder / "key.pem", folder / "certificate.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return key, certificate


def serve(config_url: str, workers: int, threads: int, port: int, log: Path,
          tls: tuple[Path, Path]) -> subprocess.Popen[bytes]:  # fmt: skip
    environment = {
        **os.environ,
        "DATABASE_URL": config_url,
        "OPENCSE_SECRET_KEY": secrets.token_urlsafe(50),
        "OPENCSE_FIELD_KEY": (ROOT / "var" / "field.key").read_text().strip(),
        "OPENCSE_RATE_SIGNIN_PER_MINUTE": "100000",
        "OPENCSE_RATE_SEARCH_PER_MINUTE": "100000",
    }
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "opencse.wsgi",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "15",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--keyfile",
            str(tls[0]),
            "--certfile",
            str(tls[1]),
        ],
        cwd=ROOT,
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    import ssl
    import urllib.request

    unverified = ssl._create_unverified_context()  # our own certificate, made a moment ago
    for _ in range(100):
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", timeout=1, context=unverified)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"gunicorn did not start: see {log}")


def run_locust(port: int, officers: int, seconds: int, sample_file: Path, out: Path) -> dict[str, dict[str, float]]:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(officers),
            "-r",  # officers start two a second (the sign-in's password hashing is slow by design) ...
            str(max(1, officers // 25)),
            "--reset-stats",  # ... and the figures count from when all have started: the working day, not the sign-in
            "-t",
            f"{seconds}s",
            "--host",
            f"https://127.0.0.1:{port}",
            "--csv",
            str(out),
        ],
        check=False,  # Locust exits 1 when a request failed: the failures are reported below
        cwd=ROOT,
        env={**os.environ, "OPENCSE_LOAD_SAMPLE": str(sample_file), "OPENCSE_LOAD_PASSWORD": PASSWORD},
    )
    figures = {}
    with Path(f"{out}_stats.csv").open() as stats:
        for row in csv.DictReader(stats):
            figures[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    return figures


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[18] * 1000


def floor(config: dict[str, object], sample: dict[str, object]) -> dict[str, float]:
    """p95 milliseconds of the raw-SQL queries under each page, over the same samples."""
    officers: list[dict[str, list[str]]] = sample["officers"]  # type: ignore[assignment]
    numbers = [number for officer in officers for number in officer["cases"]][:1000]
    from opencse.people import names  # the pure name keys (no Django)

    typed = [name for officer in officers for name in officer["names"][:2]]
    timings: dict[str, list[float]] = {"case page": [], "search": [], "add note": []}
    with connect(config) as connection:
        case_query = """SELECT c.id, c.number, c.program, m.role, p.first_name, p.last_name, p.date_of_birth
                        FROM cases_case c JOIN cases_casemember m ON m.case_id = c.id
                        JOIN people_person p ON p.id = m.person_id WHERE c.number = %s"""
        # The search's first read (docs/search.md): the people whose pair keys the typed name has.
        search_query = "SELECT k.person_id FROM people_namekey k WHERE k.key = ANY(%s) LIMIT 2000"
        for number in numbers:
            started = time.perf_counter()
            connection.execute(case_query, [number]).fetchall()
            timings["case page"].append(time.perf_counter() - started)
        for name in typed * 10:
            keys = sorted(names.query_pair_keys(names.words(name)[: names.WORDS_MAXIMUM]))
            started = time.perf_counter()
            connection.execute(search_query, [keys]).fetchall()
            timings["search"].append(time.perf_counter() - started)
        # One note insert into a scratch table shaped like the notes (temporary: dropped with the connection).
        connection.execute(
            "CREATE TEMP TABLE bench_floor_note (id bigserial PRIMARY KEY, case_id bigint, kind varchar(20), "
            "text text, written_at timestamptz)"
        )
        case_id = connection.execute("SELECT id FROM cases_case LIMIT 1").fetchone()[0]
        for _ in range(500):
            started = time.perf_counter()
            connection.execute(
                "INSERT INTO bench_floor_note (case_id, kind, text, written_at) VALUES (%s, 'phone', %s, now())",
                [case_id, "Called the noncustodial parent; left a message."],
            )
            timings["add note"].append(time.perf_counter() - started)
    return {page: _p95(values) for page, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (gthread: keeps connections alive)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clone-from", type=int, metavar="K", help="build K demo cases and copy them to --cases")
    arguments = parser.parse_args()
    config = database_config()
    url = os.environ["DATABASE_URL"]

    built = None
    if case_count(config) != arguments.cases:
        print(f"Building a {arguments.cases:,}-case demo caseload in {config['NAME']} (kept for later runs)...")
        if arguments.clone_from:
            built = clone_caseload(config, arguments.cases, arguments.clone_from)
        else:
            built = build_caseload(config, arguments.cases)
    else:
        migrate(url)  # a reused caseload: the demo migrated it when it was built, perhaps before new migrations
    sample = prepare_officers(arguments.officers)
    load_before = os.getloadavg()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    with tempfile.TemporaryDirectory() as scratch:
        sample_file = Path(scratch) / "sample.json"
        sample_file.write_text(json.dumps(sample))
        tls = certificate(Path(scratch))
        log = results / f"load_officers-{stamp}-gunicorn.log"
        server = serve(url, arguments.workers, arguments.threads, arguments.port, log, tls)
        try:
            pages = run_locust(
                arguments.port, arguments.officers, arguments.seconds, sample_file, Path(scratch) / "locust"
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    floors = floor(config, sample)

    print(
        f"\n{arguments.officers} officers for {arguments.seconds} s, {arguments.cases:,} cases, gunicorn "
        f"{arguments.workers} workers x {arguments.threads} threads; load average before: {load_before[0]:.1f}"
    )
    if built is not None:
        print(f"caseload built in {built / 60:.1f} min")
    print(
        f"{'page':<12} {'requests':>9} {'failures':>9} {'median':>8} {'p95':>7} {'p99':>7} {'floor p95':>10} "
        f"{'ratio':>7}  target p95 < {TARGET_P95_MS:.0f} ms"
    )
    verdict = True
    for page in [*PAGES, "Aggregated"]:
        figures = pages.get(page)
        if figures is None:
            continue
        base = floors.get(page)
        ratio = f"{figures['p95_ms'] / base:7.0f}" if base else f"{'':>7}"
        base_text = f"{base:9.2f}" if base else f"{'':>9}"
        ok = figures["p95_ms"] < TARGET_P95_MS and figures["failures"] == 0
        verdict = verdict and ok
        print(
            f"{page:<12} {figures['requests']:9.0f} {figures['failures']:9.0f} {figures['median_ms']:6.0f}ms "
            f"{figures['p95_ms']:5.0f}ms {figures['p99_ms']:5.0f}ms {base_text}ms {ratio}  "
            f"{'ok' if ok else 'MISSED'}"
        )
    record = {
        "stamp": stamp,
        "arguments": vars(arguments),
        "load_before": load_before,
        "pages": pages,
        "floor_p95_ms": floors,
        "caseload_built_seconds": built,
    }
    (results / f"load_officers-{stamp}.json").write_text(json.dumps(record, indent=2))
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
