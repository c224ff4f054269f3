#!/usr/bin/env python3
"""Resource test: slac's time and memory grow linearly with hostile inputs.

For each kind of input that once made slac quadratic or blow up — a label far
along one long line, a header with many unused columns, a segment with many values,
many bad rows, many stray brackets — the input is generated at size n and 4n, and
`slac check` is run on both (median of five runs each). Linear work takes about 4x
as long and at most 4x the memory; quadratic work would take 16x. The script fails
when the time ratio exceeds --max-ratio (default 10) or the memory ratio exceeds 6,
so a return of super-linear work is caught, while the noise of a shared machine is
not mistaken for it. Only ratios are compared, never absolute times.

    python3 scripts/resources.py [--binary target/release/slac] [--scale 1]

.ci/run runs it on the debug binary the tests built, at a small scale.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMARKETING = os.path.join(ROOT, "sla-examples", "smarketing.sla")


def run(binary, args):
    """(wall seconds, peak resident kB) of one run, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        sys.exit(f"slac {' '.join(args)} exited with {code}")
    return wall, usage.ru_maxrss


def measure(binary, args):
    runs = [run(binary, args) for _ in range(5)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def long_line(dir, n):
    """A minified JSON metrics export, one line, with a bad value at its end."""
    rows = ",".join(
        f'{{"period":"2026-0{1 + i % 6}","metric":"mqls","value":"{i}","segment":""}}'
        for i in range(n)
    )
    path = os.path.join(dir, f"long-{n}.json")
    with open(path, "w") as f:
        f.write(f'[{rows},{{"period":"2026-01","metric":"mqls","value":"12x"}}]')
    return ["check", SMARKETING, "--metrics", path]


def many_columns(dir, n):
    """A metrics header with n unused columns."""
    path = os.path.join(dir, f"wide-{n}.csv")
    with open(path, "w") as f:
        f.write("period,metric,value," + ",".join(f"x{i}" for i in range(n)) + "\n")
        f.write("2026-01,mqls,100" + "," * n + "\n")
    return ["check", SMARKETING, "--metrics", path]


def many_segments(dir, n):
    """A segment of n values, and a metric row for each."""
    with open(SMARKETING) as f:
        text = f.read()
    values = ", ".join(f"v{i}" for i in range(n))
    text = text.replace(
        "  metric mqls: count ", f"  segment big {{ {values} }}\n  metric mqls: count per big ", 1
    )
    agreement = os.path.join(dir, f"segments-{n}.sla")
    with open(agreement, "w") as f:
        f.write(text)
    metrics = os.path.join(dir, f"segments-{n}.csv")
    with open(metrics, "w") as f:
        f.write("period,metric,value,segment\n")
        for i in range(n):
            f.write(f"2026-0{1 + i % 6},mqls,1,v{i}\n")
    return ["check", agreement, "--metrics", metrics]


def bad_rows(dir, n):
    """n metric rows with a value that is not a count."""
    path = os.path.join(dir, f"bad-{n}.csv")
    with open(path, "w") as f:
        f.write("period,metric,value\n")
        for i in range(n):
            f.write(f"2026-01,mqls,x{i}\n")
    return ["check", SMARKETING, "--metrics", path]


def stray_brackets(dir, n):
    """An agreement of n stray `)` on one line."""
    path = os.path.join(dir, f"parens-{n}.sla")
    with open(path, "w") as f:
        f.write(")" * n)
    return ["check", path]


CASES = [
    ("label far along one line", long_line, 20_000),
    ("unused columns", many_columns, 200_000),
    ("segment values", many_segments, 20_000),
    ("bad rows", bad_rows, 20_000),
    ("stray brackets", stray_brackets, 40_000),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "slac"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--max-ratio", type=float, default=10.0)
    args = parser.parse_args()
    failed = []
    print(f"{'input':<28}{'n':>9}{'time n':>10}{'time 4n':>10}{'ratio':>8}{'MB 4n':>8}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as dir:
        for name, make, size in CASES:
            n = max(100, int(size * args.scale))
            small = measure(args.binary, make(dir, n))
            large = measure(args.binary, make(dir, 4 * n))
            time_ratio = large[0] / max(small[0], 1e-6)
            memory_ratio = large[1] / max(small[1], 1)
            print(
                f"{name:<28}{n:>9}{small[0]:>9.3f}s{large[0]:>9.3f}s{time_ratio:>8.2f}"
                f"{large[1] / 1024:>8.1f}{memory_ratio:>8.2f}"
            )
            if time_ratio > args.max_ratio or memory_ratio > 6:
                failed.append(name)
    if failed:
        sys.exit(f"super-linear growth: {', '.join(failed)}")


if __name__ == "__main__":
    main()
