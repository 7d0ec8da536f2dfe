"""Demo speed: how long a newcomer waits for `make demo` to be ready, for 2,000 and 10,000 cases. Not a
test; run on demand:

    .venv/bin/python bench/demo_speed.py [--cases 2000 10000] [--runs 3]

Each run is `opencse demo --cases N --seed 1` on a fresh embedded SQLite file (a new temporary
OPENCSE_VAR_DIR): what `make demo` runs before it serves, the migration included. Figures per case count:
the wall seconds until the demo is ready and the CPU seconds (user + system) it took (median, min and max
over the runs), and the load average before the first run: on a shared machine the wall figure grows with
the load, the CPU figure much less (on an idle machine the two are about equal). Targets (issue #15):
2,000 cases ready in under 15 s, 10,000 in under 60 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPENCSE = ROOT / ".venv" / "bin" / "opencse"
TARGET_SECONDS = {2000: 15.0, 10000: 60.0}


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_run(cases: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="opencse-demo-bench-") as var_dir:
        environment = {**os.environ, "OPENCSE_VAR_DIR": var_dir}
        environment.pop("DATABASE_URL", None)  # the embedded SQLite file, as `make demo`
        environment.pop("OPENCSE_ALLOW_DEMO_DATA", None)
        wall, cpu = timed([str(OPENCSE), "demo", "--cases", str(cases), "--seed", "1"], environment)
    return {"ready": wall, "cpu": cpu}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} s (min {min(values):.1f}, max {max(values):.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="runs per case count (the median is reported)")
    options = parser.parse_args()
    assert OPENCSE.exists(), f"{OPENCSE} is missing: run `make setup` first"
    print(f"load average before: {' '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs")
    for cases in options.cases:
        runs = [one_run(cases) for _ in range(options.runs)]
        target = TARGET_SECONDS.get(cases)
        print(f"{cases:>7,} cases, {options.runs} run(s)" + (f", target under {target:.0f} s" if target else ""))
        for figure, label in (("ready", "ready (wall)"), ("cpu", "cpu (user + system)")):
            print(f"  {label:<20} {spread([run[figure] for run in runs])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
