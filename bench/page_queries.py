"""The officer's most used pages, one at a time: how many SQL queries each runs and how long it takes, on a
demo caseload (issue #20). Not a test and not a load test (that is `bench/load_officers.py`); run on demand
against a database filled by `opencse demo`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencse_pages PYTHONPATH=src \
        .venv/bin/opencse demo --cases 2000 --i-know-this-is-not-production
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencse_pages PYTHONPATH=src \
        .venv/bin/python bench/page_queries.py [--repeat 20] [--show-sql]

Each page is requested with Django's test client as a demo user (`seo1`, the officer; `supervisor` for the
team pages), on the officer's busiest case (most open tasks, then most notes), and its queries are captured
with `CaptureQueriesContext`. The figures are the query count and the median time over `--repeat` requests.
`--show-sql` prints the statements a page repeats (the same SQL with other values): an N+1 shows there.
Adding a note writes a note (and its audit row) each time: use a demo database, never a real one.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")


def _shape(sql: str) -> str:
    """The statement with its values blanked, so that the same query with other values counts once."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show-sql", action="store_true")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from opencse.cases.models import Case, CaseMember
    from opencse.security.models import User

    setup_test_environment()  # the test client's host and a plain password hasher; the database is the real one
    officer = User.objects.get(username="seo1")
    supervisor = User.objects.get(username="supervisor")
    case = (
        Case.objects.filter(office_id=officer.office_id)
        .annotate(
            open_tasks=Count("tasks", filter=Q(tasks__completed_on__isnull=True), distinct=True),
            notes_count=Count("notes", distinct=True),
        )
        .order_by("-open_tasks", "-notes_count", "number")
        .first()
    )
    assert case is not None, "no demo caseload in this database: run `opencse demo` first"
    name = CaseMember.objects.filter(case=case).select_related("person").first()
    assert name is not None
    searched = f"{name.person.first_name} {name.person.last_name}"

    officer_client, supervisor_client = Client(), Client()
    officer_client.force_login(officer)
    supervisor_client.force_login(supervisor)
    pages = {
        "case page": lambda: officer_client.get(f"/cases/{case.number}/", secure=True),
        "worklist (own)": lambda: officer_client.get("/worklist/", secure=True),
        "worklist (a worker's, by supervisor)": lambda: supervisor_client.get(
            f"/worklist/?worker={officer.pk}", secure=True
        ),
        "team": lambda: supervisor_client.get("/team/", secure=True),
        "search (name)": lambda: officer_client.post("/search/", {"q": searched}, secure=True),
        "add note (htmx)": lambda: officer_client.post(
            f"/cases/{case.number}/notes/",
            {"kind": "phone", "text": "Called the noncustodial parent; left a message."},
            secure=True,
            HTTP_HX_REQUEST="true",
        ),
    }
    print(f"case {case.number}: {case.open_tasks} open tasks, {case.notes_count} notes; search {searched!r}")
    print(f"{'page':<40} {'queries':>8} {'median ms':>10}")
    for page, request in pages.items():
        timings = []
        for _ in range(arguments.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = request()
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, f"{page}: HTTP {response.status_code}"
        print(f"{page:<40} {len(captured):8d} {statistics.median(timings):10.1f}")
        if arguments.show_sql:
            for shape, times in Counter(_shape(query["sql"]) for query in captured).most_common():
                if times > 1:
                    print(f"    {times:3d} x {shape}")


if __name__ == "__main__":
    main()
