"""Locate import benchmark on PostgreSQL: seed people with SSNs, write an NDNH new-hire file in which half the
records name a person on file (the others go to the review queue), and time `import_locate_file`, then the
same file again (which must post nothing). Not a test; run on demand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your database> .venv/bin/python bench/locate_import.py \
        --records 100000

The database named in DATABASE_URL is dropped and re-created (it must not be `test` or production).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")

RECEIVED = date(2026, 11, 5)


def ssn(number: int) -> str:
    """A distinct valid SSN for each number below 98 million (area 100 on, no 00 group, no 0000 serial)."""
    return f"{100 + number // (99 * 9999):03d}{1 + number // 9999 % 99:02d}{1 + number % 9999:04d}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    arguments = parser.parse_args()
    sys.argv = sys.argv[:1]
    from bench.work_generate import prepare_database

    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.locate.records import new_hire

    from opencse.locate.imports import import_locate_file
    from opencse.people.models import Person
    from opencse.security.crypto import blind_index
    from opencse.security.services import system_actor

    count = arguments.records
    started = time.monotonic()
    people = [Person(first_name="PAT", last_name=f"P{n}", ssn_index=blind_index(ssn(n)), ssn_last4=ssn(n)[-4:])
              for n in range(0, count, 2)]  # fmt: skip
    Person.objects.bulk_create(people, batch_size=5_000)
    print(f"seeded {len(people):,} people in {time.monotonic() - started:.1f} s")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "w4.txt"
        with path.open("w", encoding="utf-8") as out:
            for n in range(count):
                out.write(new_hire(ssn=ssn(n), last=f"P{n}", fein=f"{640000000 + n % 5000}") + "\n")
        for run in ("first", "again"):
            started = time.monotonic()
            result = import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=RECEIVED)
            elapsed = time.monotonic() - started
            print(f"{run}: {result.records:,} records, {result.matched:,} matched, {result.to_review:,} to review, "
                  f"{result.duplicates:,} already received, {result.rejected:,} rejected in {elapsed:.1f} s "
                  f"({result.records / elapsed:,.0f} records/s); peak memory "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
