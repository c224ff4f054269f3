#!/usr/bin/env python3
"""What `slac report` costs over `slac check` on the same data: both timed alternately,
each in a process of its own, on the benchmark's lead log; prints the medians of wall
and CPU time and their ratios.

Run from the repository root after `python3 scripts/bench_datasets.py` has generated
the data (or point --data at any lead log):

    python3 scripts/bench_report.py                       # 10M-row dirty log, 5 runs
    python3 scripts/bench_report.py --data target/bench-data/leads-dirty-1000000.csv --runs 9

The target is at most 10 % more than `check`.
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

SLAC = Path("target/release/slac")
SLA = "sla-examples/lead-log.sla"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command` (exit 0 or 1 expected)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status not in (0, 1):
        sys.exit(f"bench_report: `{' '.join(command)}` exited with {status}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="target/bench-data/leads-dirty-10000000.csv")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    os.chdir(Path(__file__).resolve().parent.parent)
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--locked"], check=True)
    data = Path(args.data)
    if not data.is_file():
        sys.exit(f"bench_report: {data} is missing: run scripts/bench_datasets.py first")
    with open(data, "rb") as f:  # into the page cache
        while f.read(1 << 24):
            pass
    with tempfile.TemporaryDirectory() as tmp:
        page = str(Path(tmp) / "report.html")
        check = [str(SLAC), "check", SLA, "--data", f"leads={data}", "--format", "json"]
        report = [str(SLAC), "report", SLA, "--data", f"leads={data}", "--out", page]
        runs: dict[str, list[tuple[float, float]]] = {"check": [], "report": []}
        for i in range(args.runs):
            for name, command in (("check", check), ("report", report)):
                runs[name].append(timed(command))
                wall, cpu = runs[name][-1]
                print(f"  run {i + 1}: {name:6} {wall:6.2f} s wall {cpu:6.2f} s CPU", flush=True)
        size = Path(page).stat().st_size
    med = {n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for n, r in runs.items()}
    print(f"\n{data} ({data.stat().st_size / 1e6:.0f} MB), median of {args.runs} alternating runs:")
    print(f"  check  {med['check'][0]:.2f} s wall, {med['check'][1]:.2f} s CPU")
    print(f"  report {med['report'][0]:.2f} s wall, {med['report'][1]:.2f} s CPU ({size / 1e3:.0f} kB page)")
    print(f"  report / check: {med['report'][0] / med['check'][0]:.3f} wall, {med['report'][1] / med['check'][1]:.3f} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
