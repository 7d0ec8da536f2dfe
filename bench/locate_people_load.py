"""The cost of the locate import's probabilistic step at State scale, on PostgreSQL: seed the people on file
(synthetic names, dates of birth and addresses from `opencse.matching.synthetic`, 10 % with an alias), then
time `locate.matching.people_table()` (the people side, loaded once per import file) and one call of
`locate.matching.match_probably` for `--records` incoming records against it. Not a test; run on demand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your database> .venv/bin/python bench/locate_people_load.py \
        --people 2000000 --records 10000

The database named in DATABASE_URL is dropped and re-created (it must not be `test` or production).
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

BATCH = 20_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--records", type=int, default=10_000)
    arguments = parser.parse_args()
    sys.argv = sys.argv[:1]
    from bench.work_generate import prepare_database

    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from opencse.locate.matching import match_probably, people_table, records_table, thresholds
    from opencse.matching.synthetic import generate
    from opencse.people.models import Address, Alias, Person

    started = time.monotonic()
    on_file, incoming = generate(arguments.people, arguments.records, seed=2026)
    print(f"generated in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    rows = on_file.to_pylist()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        people = Person.objects.bulk_create([
            Person(first_name=row["first_name"] or "", middle_name=row["middle_name"] or "",
                   last_name=row["last_name"] or "", date_of_birth=row["birth_date"])
            for row in chunk])  # fmt: skip
        Address.objects.bulk_create([
            Address(person=person, line1=row["address_line1"] or "", city=row["city"] or "", state=row["state"] or "",
                    postal_code=row["postal_code"] or "")
            for person, row in zip(people, chunk, strict=True) if row["address_line1"]])  # fmt: skip
        Alias.objects.bulk_create([Alias(person=person, first_name=person.first_name, last_name=f"{person.last_name}X")
                                   for person in people[::10]])  # fmt: skip
    print(f"seeded {len(rows):,} people in {time.monotonic() - started:.1f} s")
    del rows

    started = time.monotonic()
    table = people_table()
    loaded = time.monotonic() - started
    print(f"people_table: {table.num_rows:,} rows in {loaded:.1f} s")
    columns = ["first_name", "middle_name", "last_name", "birth_date", "address_line1", "city", "state", "postal_code"]
    records = records_table(zip(range(incoming.num_rows), *(incoming.column(name).to_pylist() for name in columns),
                                strict=True))  # fmt: skip
    started = time.monotonic()
    matches = match_probably(records, table, limits=thresholds(date(2026, 11, 5)))
    matched = time.monotonic() - started
    leads = sum(1 for match in matches.values() if match.person_id is not None)
    print(f"match_probably: {records.num_rows:,} records, {len(matches):,} with a candidate ({leads:,} leads) "
          f"in {matched:.1f} s")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"load average {os.getloadavg()[0]:.2f}; peak memory {peak} MB")


if __name__ == "__main__":
    main()
