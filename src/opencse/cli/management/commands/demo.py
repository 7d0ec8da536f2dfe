"""`opencse demo --cases N --seed S`: generate the synthetic demo caseload and print the logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencse.demo import DEMO_PASSWORD, DEMO_USERS, build_demo_caseload, demo_present

CASES_MAXIMUM = 1_000_000


class Command(BaseCommand):
    help = "Generate a synthetic demo caseload (deterministic by seed) and print one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=2000, help="number of cases (default 2000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same caseload")

    def handle(self, *args: Any, cases: int, seed: int, **options: Any) -> None:
        if not 1 <= cases <= CASES_MAXIMUM:
            self.stderr.write(f"--cases must be between 1 and {CASES_MAXIMUM}")
            raise SystemExit(2)
        if demo_present():
            self.stdout.write("The demo caseload is already present; nothing generated.")
        else:
            started = time.monotonic()
            counts = build_demo_caseload(cases=cases, seed=seed)
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(f"Generated {summary} in {time.monotonic() - started:.1f} s (seed {seed}).")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label}")
