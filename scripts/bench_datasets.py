#!/usr/bin/env python3
"""Benchmark `slac check --data` against DuckDB on generated lead logs, and cross-check
every metric value the two compute.

Run from the repository root:

    python3 scripts/bench_datasets.py                     # 1M and 10M rows, 3 runs each
    python3 scripts/bench_datasets.py --rows 100000 --runs 1
    python3 scripts/bench_datasets.py --verify-only sla-examples/data/lead-log.csv

The script installs what it needs: a virtualenv at target/bench-venv with a pinned
DuckDB, into which it re-executes itself. It builds slac and the `lead_log` example with
cargo, generates target/bench-data/leads-N.csv (kept between runs), times slac and DuckDB
alternately, each in a process of its own (wall time, and peak RSS from os.wait4), prints
a Markdown table and writes it to target/bench-data/results.md, and exits 1 if any metric
value differs between the two.

The DuckDB side computes from the raw rows exactly the metrics listed in METRICS; a row's
period is the local month in Europe/Berlin of the metric's grouping column, and only
2026-01..2026-06 are kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path

DUCKDB_VERSION = "2.0.1"
VENV = Path("target/bench-venv")
DATA_DIR = Path("target/bench-data")
SLAC = Path("target/release/slac")
GENERATOR = Path("target/release/examples/lead_log")
# The floor: a single-purpose one-thread scan of the same columns (examples/lead_scan.rs).
SCAN = Path("target/release/examples/lead_scan")
GENERATOR_SOURCE = Path("examples/lead_log.rs")
DEFAULT_SLA = "sla-examples/lead-log.sla"
IN_VENV_ENV = "SLAC_BENCH_IN_VENV"
START_DIR_ENV = "SLAC_BENCH_START_DIR"

TIME_ZONE = "Europe/Berlin"
MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]

# metric -> how its values are compared: "exact" (counts, money sums) or "approx"
# (means, medians, percentiles, shares: within REL_TOL relative).
METRICS = {
    "mqls": "exact",
    "customers_from_mqls": "exact",
    "marketing_revenue": "exact",
    "total_revenue": "exact",
    "close_rate_actual": "approx",
    "avg_deal_size_actual": "approx",
    "follow_up_mean": "approx",
    "follow_up_median": "approx",
    "follow_up_p90": "approx",
    "contacted_within_hour": "approx",
    "attempts_unconnected": "approx",
}
# Metrics broken down per segment (a value per segment plus a total with segment null).
DEFAULT_SEGMENTED = ("mqls",)
REL_TOL = Decimal("1e-9")

COLUMNS = {
    "lead_id": "VARCHAR",
    "source": "VARCHAR",
    "segment": "VARCHAR",
    "created_at": "TIMESTAMPTZ",
    "handed_over_at": "TIMESTAMPTZ",
    "first_contact_at": "TIMESTAMPTZ",
    "attempts": "INTEGER",
    "connected": "BOOLEAN",
    "won_at": "TIMESTAMPTZ",
    "deal_value": "DECIMAL(18,2)",
}


def fail(message: str, status: int = 2) -> None:
    print(f"bench_datasets: {message}", file=sys.stderr, flush=True)
    sys.exit(status)


# --------------------------------------------------------------------------- setup


def find_root() -> Path:
    for candidate in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (candidate / "Cargo.toml").is_file():
            return candidate
    fail("run this from the repository root (no Cargo.toml found)")
    raise AssertionError


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv_and_reexec() -> None:
    """Creates target/bench-venv with the pinned DuckDB and re-executes this script in it."""
    if os.environ.get(IN_VENV_ENV) == "1":
        return
    python = venv_python()
    if not python.exists():
        print(f"creating {VENV} ...", flush=True)
        run_checked([sys.executable, "-m", "venv", str(VENV)], "create the virtualenv (Debian: apt-get install python3-venv)")
    probe = subprocess.run(
        [str(python), "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0 or probe.stdout.strip() != DUCKDB_VERSION:
        print(f"installing duckdb=={DUCKDB_VERSION} into {VENV} ...", flush=True)
        run_checked(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"duckdb=={DUCKDB_VERSION}"],
            "install duckdb",
        )
    env = dict(os.environ, **{IN_VENV_ENV: "1"})
    # Not resolved: the venv's python is a symlink and must be started through it.
    os.execve(str(python.absolute()), [str(python.absolute()), str(Path(__file__).resolve()), *sys.argv[1:]], env)


def run_checked(command: list[str], what: str) -> None:
    print("$ " + " ".join(command), flush=True)
    status = subprocess.run(command).returncode
    if status != 0:
        fail(f"could not {what}: `{' '.join(command)}` exited with {status}")


def build(args: argparse.Namespace) -> None:
    if args.no_build:
        return
    run_checked(["cargo", "build", "--release", "--locked"], "build slac")
    if not args.verify_only:
        run_checked(["cargo", "build", "--release", "--locked", "--example", "lead_log"], "build the lead_log example")
        run_checked(["cargo", "build", "--release", "--locked", "--example", "lead_scan"], "build the lead_scan example")


# ---------------------------------------------------------------------- data files


def file_sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dataset(rows: int, seed: int, variant: str = "clean") -> Path:
    """target/bench-data/leads-VARIANT-N.csv, generated unless a matching one is there already.
    `clean`: the generator's --clean log; `dirty`: its defaults, shaped like a real export."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"leads-{variant}-{rows}.csv"
    marker_path = DATA_DIR / f"leads-{variant}-{rows}.csv.meta.json"
    wanted = {"rows": rows, "seed": seed, "variant": variant, "generator_source_sha256": file_sha256(GENERATOR_SOURCE)}
    if path.is_file() and marker_path.is_file():
        try:
            marker = json.loads(marker_path.read_text())
        except ValueError:
            marker = {}
        if {k: marker.get(k) for k in wanted} == wanted and marker.get("bytes") == path.stat().st_size:
            print(f"using {path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
            return path
    if not GENERATOR.is_file():
        fail(f"{GENERATOR} is missing: build it with `cargo build --release --locked --example lead_log`")
    partial = path.with_suffix(".csv.partial")
    print(f"generating {path} ...", flush=True)
    start = time.perf_counter()
    flags = ["--clean"] if variant == "clean" else []
    run_checked([str(GENERATOR), "--rows", str(rows), "--seed", str(seed), *flags, "--out", str(partial)], "generate the data")
    elapsed = time.perf_counter() - start
    partial.replace(path)
    marker = dict(wanted, bytes=path.stat().st_size, generate_seconds=round(elapsed, 3))
    marker_path.write_text(json.dumps(marker, indent=2) + "\n")
    print(f"  {rows} rows, {path.stat().st_size / 1e6:.1f} MB in {elapsed:.2f} s", flush=True)
    return path


def warm_page_cache(path: Path) -> None:
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# ----------------------------------------------------------------- child processes


class ChildResult:
    def __init__(self, status: int, wall: float, peak_rss_kib: int, stdout: str, stderr: str, cpu: float = 0.0):
        self.status = status
        self.wall = wall
        self.cpu = cpu
        self.peak_rss_kib = peak_rss_kib
        self.stdout = stdout
        self.stderr = stderr

    def stderr_tail(self, lines: int = 25) -> str:
        tail = self.stderr.rstrip().splitlines()[-lines:]
        return "\n".join("    " + line for line in tail) or "    (stderr was empty)"


def run_measured(command: list[str]) -> ChildResult:
    """Runs a command; wall time from just before the fork to the reap, peak RSS from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as e:
            fail(f"cannot start `{command[0]}`: {e}")
            raise AssertionError from e
        _, wait_status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        status = os.waitstatus_to_exitcode(wait_status)
        process.returncode = status  # reaped here; keeps Popen from waiting again
        out.seek(0)
        err.seek(0)
        return ChildResult(
            status,
            wall,
            usage.ru_maxrss,  # KiB on Linux
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_utime + usage.ru_stime,
        )


def slac_command(args: argparse.Namespace, data: Path) -> list[str]:
    return [str(SLAC), "check", args.sla, "--data", f"{args.data_name}={data}", "--format", "json"]


def run_slac(args: argparse.Namespace, data: Path) -> tuple[ChildResult, list[dict]]:
    command = slac_command(args, data)
    if not SLAC.is_file():
        fail(f"{SLAC} is missing: build it with `cargo build --release --locked` (or pass --skip-slac)")
    result = run_measured(command)
    # Exit 1 only means that some obligation was missed; the report is still complete.
    problem = None
    if result.status not in (0, 1):
        problem = f"exited with status {result.status}"
    else:
        try:
            metrics = extract_metrics(json.loads(result.stdout, parse_float=Decimal))
        except ValueError as e:
            problem = f"printed no usable JSON report ({e})"
        else:
            return result, metrics
    stdout_head = result.stdout.strip()[:400]
    fail(
        f"slac {problem}\n  command: {' '.join(command)}\n  stderr (tail):\n{result.stderr_tail()}"
        + (f"\n  stdout (head):\n    {stdout_head}" if stdout_head else "")
        + "\n  (use --skip-slac to time DuckDB alone)"
    )
    raise AssertionError


def extract_metrics(report: object) -> list[dict]:
    """The `metrics` array of slac's JSON report: top level, or else the first one nested anywhere."""
    if isinstance(report, dict) and isinstance(report.get("metrics"), list):
        return report["metrics"]
    stack = [report]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            value = node.get("metrics")
            if isinstance(value, list) and all(isinstance(m, dict) and "metric" in m for m in value):
                return value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise ValueError('no "metrics" array of {"metric", "period", "segment", "value"} objects')


def run_duckdb(args: argparse.Namespace, data: Path, dirty: bool = False) -> tuple[ChildResult, dict]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--duckdb-child",
        str(data),
        "--segmented",
        ",".join(args.segmented),
        "--month-sql",
        args.month_sql,
        *(["--rules"] if dirty else []),
    ]
    result = run_measured(command)
    if result.status != 0:
        fail(f"DuckDB run exited with status {result.status}\n  stderr (tail):\n{result.stderr_tail()}")
    return result, json.loads(result.stdout)


# ------------------------------------------------------------------ DuckDB (child)


def month_sql(column: str, style: str) -> str:
    """The local month (YYYY-MM) in Berlin of `column`, NULL outside MONTHS or when NULL."""
    if style == "strftime":
        month = f"strftime({column} AT TIME ZONE '{TIME_ZONE}', '%Y-%m')"
        return f"CASE WHEN {month} BETWEEN '{MONTHS[0]}' AND '{MONTHS[-1]}' THEN {month} END"
    # The same months, by comparing with each month's first instant in Berlin: a few
    # integer comparisons per row instead of a time zone conversion and a string.
    starts = [f"{m}-01" for m in MONTHS]
    year, month = (int(x) for x in MONTHS[-1].split("-"))
    starts.append(f"{year + month // 12}-{month % 12 + 1:02d}-01")
    whens = [f"WHEN {column} < TIMESTAMPTZ '{starts[0]} 00:00:00 {TIME_ZONE}' THEN NULL"]
    whens += [
        f"WHEN {column} < TIMESTAMPTZ '{end} 00:00:00 {TIME_ZONE}' THEN '{m}'"
        for m, end in zip(MONTHS, starts[1:])
    ]
    return "CASE " + " ".join(whens) + " END"


def clean_rows_sql(path: str) -> str:
    """The rows slac counts, by slac's rules, for an export that may be dirty: every
    field read as text; a row whose required field is empty, or whose value does not
    cast to its column's type (a decimal comma, 30 February, `n/a`), is malformed; a
    row contacted before its hand-over fails the `expect`; of the rows left, the first
    with a `lead_id` (compared without surrounding blanks) counts, later ones repeat it."""
    quoted = path.replace(chr(39), chr(39) * 2)
    # The declared types of the clean read, as casts; text columns stay text.
    casts = {c: t for c, t in COLUMNS.items() if t != "VARCHAR"}
    typed = ", ".join(f"TRY_CAST(nullif({c}, '') AS {t}) AS {c}" for c, t in casts.items())
    bad_cast = " OR ".join(
        f"(nullif({c}, '') IS NOT NULL AND TRY_CAST({c} AS {t}) IS NULL)" for c, t in casts.items()
    )
    # A decimal with more than two places would be rounded by the cast: refuse it, as slac does.
    bad_scale = "(regexp_matches(deal_value, '\\.[0-9]{3,}'))"
    required = " OR ".join(f"coalesce({c}, '') = ''" for c in ("lead_id", "source", "segment", "created_at", "attempts", "connected"))
    bad_enum = "source NOT IN ('marketing', 'sales') OR segment NOT IN ('executive', 'manager', 'intern')"
    return f"""
        (SELECT * EXCLUDE (rn, key) FROM (
            SELECT *, trim(lead_id) AS key FROM (
                SELECT row_number() OVER () AS rn, lead_id, source, segment, {typed}
                FROM read_csv('{quoted}', header = true, all_varchar = true)
                WHERE NOT ({required} OR {bad_enum} OR {bad_cast} OR coalesce({bad_scale}, false)))
            WHERE NOT coalesce(first_contact_at < handed_over_at, false))
         QUALIFY row_number() OVER (PARTITION BY key ORDER BY rn) = 1)"""


def duckdb_child(path: str, segmented: set[str], style: str, rules: bool = False) -> None:
    """Computes every metric with DuckDB and prints {"metrics": [...], ...} as JSON."""
    import duckdb  # only inside the venv

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{TIME_ZONE}'")
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items()) + "}"
    source = (
        clean_rows_sql(path)
        if rules
        else f"read_csv('{path.replace(chr(39), chr(39) * 2)}', header = true, columns = {columns})"
    )
    # Segment breakdowns: mqls alone comes cheaply as a histogram; any other segmented
    # metric needs grouping sets over (month) and (month, segment).
    handover_segmented = bool(segmented & (set(HANDOVER_METRICS) - {"mqls"}))
    won_segmented = bool(segmented & set(WON_METRICS))
    histogram = "mqls" in segmented and not handover_segmented
    handover_aggregates = {
        "mqls_by_segment": "histogram(segment) FILTER (mkt)" if histogram else "NULL::MAP(VARCHAR, UBIGINT)",
        "mqls": "count(*) FILTER (mkt)",
        "customers": "count(*) FILTER (mkt AND won)",
        "within_hour": "count(*) FILTER (mkt AND delay_us <= 3600000000)",
        "delay_sum": "sum(delay_us) FILTER (mkt)",
        "delay_n": "count(delay_us) FILTER (mkt)",
        "delay_q": "quantile_cont(delay_us, [0.5, 0.9]) FILTER (mkt)",
        "att_sum": "sum(attempts) FILTER (mkt AND NOT connected)",
        "att_n": "count(attempts) FILTER (mkt AND NOT connected)",
    }
    won_aggregates = {
        "marketing_sum": "sum(deal_value) FILTER (mkt)",
        "marketing_n": "count(*) FILTER (mkt)",
        "revenue": "sum(deal_value)",
        "won_n": "count(*)",
        "deal_n": "count(deal_value)",
    }

    def branch(kind: str, month: str, by_segment: bool) -> str:
        selects = [
            f"'{kind}' AS kind",
            f"{month} AS period",
            "segment AS seg" if by_segment else "NULL AS seg",
            "grouping(segment) AS total" if by_segment else "1 AS total",
            *(f"{expr} AS {name}" if kind == "h" else f"NULL AS {name}" for name, expr in handover_aggregates.items()),
            *(f"{expr} AS {name}" if kind == "w" else f"NULL AS {name}" for name, expr in won_aggregates.items()),
        ]
        group = f"GROUPING SETS (({month}), ({month}, segment))" if by_segment else month
        return f"SELECT {', '.join(selects)} FROM leads WHERE {month} IS NOT NULL GROUP BY {group}"

    # One scan of the file into the few derived columns the metrics need (rows without a
    # grouping month in range are dropped), then one GROUP BY per grouping column.
    sql = f"""
        WITH leads AS MATERIALIZED (
            SELECT * FROM (
                SELECT segment,
                       source = 'marketing' AS mkt,
                       {month_sql('handed_over_at', style)} AS hm,
                       {month_sql('won_at', style)} AS wm,
                       epoch_us(first_contact_at) - epoch_us(handed_over_at) AS delay_us,
                       won_at IS NOT NULL AS won,
                       deal_value, attempts, connected
                FROM {source})
            WHERE hm IS NOT NULL OR wm IS NOT NULL)
        {branch("h", "hm", handover_segmented)}
        UNION ALL
        {branch("w", "wm", won_segmented)}"""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    results = [dict(zip(names, row)) for row in cursor.fetchall()]
    query_seconds = time.perf_counter() - start

    metrics = []

    def emit(metric: str, period: str, segment: str | None, value: Decimal | int) -> None:
        if segment is not None and metric not in segmented:
            return
        metrics.append({"metric": metric, "period": period, "segment": segment, "value": decimal_text(value)})

    with localcontext() as ctx:
        ctx.prec = 50
        for r in results:
            if not r["total"] and r["seg"] is None:
                continue  # rows without a segment only count towards the totals
            period, segment = r["period"], None if r["total"] else r["seg"]
            if r["kind"] == "h":
                mqls, customers = r["mqls"], r["customers"]
                for name, count in sorted((r["mqls_by_segment"] or {}).items()):
                    emit("mqls", period, name, count)
                if mqls:
                    emit("mqls", period, segment, mqls)
                    emit("close_rate_actual", period, segment, Decimal(customers) / mqls)
                    emit("contacted_within_hour", period, segment, Decimal(r["within_hour"]) / mqls)
                if customers:
                    emit("customers_from_mqls", period, segment, customers)
                if r["delay_n"]:
                    median, p90 = r["delay_q"]
                    emit("follow_up_mean", period, segment, Decimal(r["delay_sum"]) / r["delay_n"] / 1000000)
                    emit("follow_up_median", period, segment, Decimal(repr(median)) / 1000000)
                    emit("follow_up_p90", period, segment, Decimal(repr(p90)) / 1000000)
                if r["att_n"]:
                    emit("attempts_unconnected", period, segment, Decimal(r["att_sum"]) / r["att_n"])
            else:
                if r["marketing_n"]:
                    emit("marketing_revenue", period, segment, r["marketing_sum"] or Decimal(0))
                if r["won_n"]:
                    emit("total_revenue", period, segment, r["revenue"] or Decimal(0))
                if r["deal_n"]:
                    emit("avg_deal_size_actual", period, segment, r["revenue"] / r["deal_n"])
    metrics.sort(key=lambda m: (m["metric"], m["period"], m["segment"] or ""))
    json.dump(
        {"duckdb_version": duckdb.__version__, "query_seconds": query_seconds, "metrics": metrics},
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


HANDOVER_METRICS = (
    "mqls", "customers_from_mqls", "close_rate_actual", "follow_up_mean", "follow_up_median",
    "follow_up_p90", "contacted_within_hour", "attempts_unconnected",
)
WON_METRICS = ("marketing_revenue", "total_revenue", "avg_deal_size_actual")


def decimal_text(value: Decimal | int) -> str:
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# -------------------------------------------------------------------- cross-check


def parse_value(raw: object) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    text = str(raw).strip()
    if text.endswith(" EUR"):
        text = text[:-4]
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def cross_check(slac_metrics: list[dict], duck_metrics: list[dict], label: str, segmented: list[str]) -> list[str]:
    """Every (metric, period, segment) of either side, compared; returns the problems."""
    problems: list[str] = []
    slac: dict[tuple, Decimal | None] = {}
    for entry in slac_metrics:
        key = (entry.get("metric"), entry.get("period"), entry.get("segment"))
        if key in slac:
            problems.append(f"slac reports {fmt_key(key)} twice")
        slac[key] = parse_value(entry.get("value"))
        if slac[key] is None:
            problems.append(f"slac value of {fmt_key(key)} is not a decimal: {entry.get('value')!r}")
    duck = {(m["metric"], m["period"], m["segment"]): Decimal(m["value"]) for m in duck_metrics}

    unknown = sorted({k[0] for k in slac if k[0] not in METRICS}, key=str)
    if unknown:
        print(f"  note: not cross-checked (no DuckDB definition): {', '.join(map(str, unknown))}")
    reported = {k[0] for k in slac}
    for metric in METRICS:
        if metric not in reported:
            problems.append(f"slac reports no `{metric}` at all")
    segmented_in_slac = {k[0] for k in slac if k[2] is not None}
    compared = 0
    for key in sorted(set(slac) | set(duck), key=lambda k: tuple(str(x) for x in k)):
        metric = key[0]
        if metric not in METRICS or metric not in reported:
            continue
        ours, theirs = slac.get(key), duck.get(key)
        if key in slac and ours is None:
            continue  # already reported as unparsable
        compared += 1
        if ours is None or theirs is None:
            present = ours if ours is not None else theirs
            # A count or sum of nothing: one side may list it as 0, the other leave it out.
            if METRICS[metric] == "exact" and present == 0:
                continue
            side = "slac" if ours is None else "DuckDB"
            hint = ""
            if ours is None and key[2] is not None and metric not in segmented_in_slac:
                hint = " (slac has no segment breakdown for this metric)"
            elif theirs is None and key[2] is not None and metric not in segmented:
                hint = " (pass --segmented to break this metric down in DuckDB too)"
            problems.append(f"{fmt_key(key)}: missing in {side}; the other has {present}{hint}")
        elif not values_match(metric, ours, theirs):
            problems.append(f"{fmt_key(key)}: slac {ours} != DuckDB {theirs}")
    print(f"  cross-check {label}: {compared} values compared, {len(problems)} problem(s)")
    return problems


def values_match(metric: str, a: Decimal, b: Decimal) -> bool:
    if METRICS[metric] == "exact":
        return a == b
    with localcontext() as ctx:
        ctx.prec = 60
        scale = max(abs(a), abs(b))
        return abs(a - b) <= REL_TOL * scale


def fmt_key(key: tuple) -> str:
    metric, period, segment = key
    return f"{metric} {period}" + (f" [{segment}]" if segment is not None else "")


def report_problems(problems: list[str]) -> None:
    if not problems:
        return
    print(f"\n{len(problems)} cross-check problem(s):", file=sys.stderr)
    for line in problems[:200]:
        print("  " + line, file=sys.stderr)
    if len(problems) > 200:
        print(f"  ... and {len(problems) - 200} more", file=sys.stderr)


# ------------------------------------------------------------------------ driving


def verify_only(args: argparse.Namespace) -> int:
    data = Path(args.verify_only)
    if not data.is_file():
        fail(f"{data}: no such file")
    print(f"cross-checking {data}", flush=True)
    _, slac_metrics = run_slac(args, data)
    _, duck = run_duckdb(args, data, dirty=True)
    problems = cross_check(slac_metrics, duck["metrics"], str(data), args.segmented)
    report_problems(problems)
    return 1 if problems else 0


def benchmark(args: argparse.Namespace) -> int:
    table = [
        "| data | rows | file MB | slac median wall s | slac CPU s | CPU/wall | DuckDB median wall s | slac/DuckDB "
        "| scan wall s | slac/scan | slac peak MB | DuckDB peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    problems: list[str] = []
    duck_version = None
    for variant, rows in [(v, r) for r in args.row_counts for v in args.variants]:
        data = dataset(rows, args.seed, variant)
        warm_page_cache(data)
        slac_runs: list[ChildResult] = []
        duck_runs: list[ChildResult] = []
        duck_query: list[float] = []
        scan_runs: list[ChildResult] = []
        slac_metrics = duck_metrics = None
        for run in range(1, args.runs + 1):
            if not args.skip_slac:
                result, metrics = run_slac(args, data)
                slac_runs.append(result)
                slac_metrics = slac_metrics or metrics
                print(f"  {rows} rows, run {run}: slac   {result.wall:7.2f} s  {result.peak_rss_kib / 1024:8.1f} MiB", flush=True)
            result, duck = run_duckdb(args, data, variant == "dirty")
            duck_runs.append(result)
            duck_query.append(duck["query_seconds"])
            duck_metrics = duck_metrics or duck["metrics"]
            duck_version = duck["duckdb_version"]
            print(f"  {rows} rows, run {run}: DuckDB {result.wall:7.2f} s  {result.peak_rss_kib / 1024:8.1f} MiB", flush=True)
            if SCAN.is_file():
                result = run_measured([str(SCAN), str(data)])
                if result.status != 0:
                    fail(f"{SCAN} exited with status {result.status}\n  stderr (tail):\n{result.stderr_tail()}")
                scan_runs.append(result)
                print(f"  {rows} rows, run {run}: scan   {result.wall:7.2f} s  {result.peak_rss_kib / 1024:8.1f} MiB", flush=True)
        (DATA_DIR / f"duckdb-{variant}-{rows}.json").write_text(json.dumps(duck_metrics, indent=1) + "\n")
        if slac_metrics is not None:
            (DATA_DIR / f"slac-metrics-{variant}-{rows}.json").write_text(json.dumps(slac_metrics, indent=1, default=str) + "\n")
            problems += cross_check(slac_metrics, duck_metrics, f"{variant} {rows} rows", args.segmented)
        duck_wall = statistics.median(r.wall for r in duck_runs)
        duck_peak = max(r.peak_rss_kib for r in duck_runs) * 1024 / 1e6
        scan_wall = statistics.median(r.wall for r in scan_runs) if scan_runs else None
        if slac_runs:
            slac_wall = statistics.median(r.wall for r in slac_runs)
            slac_cpu = statistics.median(r.cpu for r in slac_runs)
            slac_peak = max(r.peak_rss_kib for r in slac_runs) * 1024 / 1e6
            slac_cells = (
                f"{slac_wall:.2f}",
                f"{slac_cpu:.2f}",
                f"{slac_cpu / slac_wall:.2f}",
                f"{slac_wall / duck_wall:.2f}",
                f"{slac_peak:.0f}",
                f"{slac_wall / scan_wall:.2f}" if scan_wall else "—",
            )
        else:
            slac_cells = ("—",) * 6
        table.append(
            f"| {variant} | {rows:,} | {data.stat().st_size / 1e6:.1f} | {slac_cells[0]} | {slac_cells[1]} | "
            f"{slac_cells[2]} | {duck_wall:.2f} | {slac_cells[3]} | {f'{scan_wall:.2f}' if scan_wall else '—'} | "
            f"{slac_cells[5]} | {slac_cells[4]} | {duck_peak:.0f} |"
        )
        notes.append(
            f"- {variant}, {rows:,} rows: DuckDB's own read + aggregate + fetch, without interpreter start-up and "
            f"`import duckdb`: median {statistics.median(duck_query):.2f} s"
        )
    text = "\n".join(table) + "\n\n" + "\n".join(
        [
            f"Median of {args.runs} alternating run(s) each; wall time of the whole child process; peak = "
            "largest ru_maxrss (os.wait4) over the runs; MB = 10^6 bytes.",
            f"slac: `{' '.join(slac_command(args, Path('FILE')))}`" + (" (skipped)" if args.skip_slac else ""),
            "scan: `target/release/examples/lead_scan FILE`, a single-purpose one-thread scan of the same columns "
            "and month metrics, without checks, duplicate keys or business hours (the floor).",
            f"DuckDB {duck_version} (Python, default threads): one read_csv scan into a materialized CTE, then one GROUP BY per grouping column (UNION ALL).",
            f"Machine: {os.cpu_count()} logical CPUs; {time.strftime('%Y-%m-%d %H:%M %Z')}.",
            *notes,
        ]
    ) + "\n"
    print("\n" + text)
    (DATA_DIR / "results.md").write_text(text)
    print(f"written to {DATA_DIR / 'results.md'}")
    report_problems(problems)
    return 1 if problems else 0


def parse_rows(text: str) -> list[int]:
    try:
        rows = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        fail(f"--rows: expected comma-separated whole numbers, got {text!r}")
        raise AssertionError
    if not rows or any(r <= 0 for r in rows):
        fail("--rows: expected positive numbers")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000000,10000000", help="comma-separated data set sizes (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each tool per size (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (default: %(default)s)")
    parser.add_argument("--sla", default=DEFAULT_SLA, help="agreement to check (default: %(default)s)")
    parser.add_argument("--data-name", default="leads", help="name in --data NAME=FILE (default: %(default)s)")
    parser.add_argument("--verify-only", metavar="FILE", help="only cross-check slac and DuckDB on FILE, no timing")
    parser.add_argument(
        "--segmented",
        default=",".join(DEFAULT_SEGMENTED),
        help="metrics broken down per segment (default: %(default)s)",
    )
    parser.add_argument("--skip-slac", action="store_true", help="time DuckDB alone (no slac runs, no cross-check)")
    parser.add_argument("--no-build", action="store_true", help="use the binaries in target/release as they are")
    parser.add_argument(
        "--month-sql",
        choices=("boundaries", "strftime"),
        default="boundaries",
        help="how DuckDB finds a row's Berlin month: compare with month starts (fast, default) or "
        "strftime(col AT TIME ZONE ...) (the literal definition; same result)",
    )
    parser.add_argument(
        "--variants",
        default="clean,dirty",
        help="data to generate: `clean` (the generator's --clean) and/or `dirty` (its defaults: repeated keys, "
        "failed expectations, malformed values, months outside the agreement, mixed offsets) (default: %(default)s)",
    )
    parser.add_argument("--duckdb-child", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--rules", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.segmented = [m for m in args.segmented.split(",") if m]
    unknown = [m for m in args.segmented if m not in METRICS]
    if unknown:
        fail(f"--segmented: unknown metric(s) {', '.join(unknown)}")

    if args.duckdb_child:
        duckdb_child(args.duckdb_child, set(args.segmented), args.month_sql, args.rules)
        return 0
    if args.runs < 1:
        fail("--runs must be at least 1")
    args.row_counts = parse_rows(args.rows)
    args.variants = [v for v in args.variants.split(",") if v]
    if not args.variants or any(v not in ("clean", "dirty") for v in args.variants):
        fail("--variants: expected clean and/or dirty")
    if args.verify_only:
        # Relative to where the script was first started, before it moved to the root.
        args.verify_only = str(Path(os.environ.get(START_DIR_ENV, os.getcwd()), args.verify_only).absolute())
    os.environ.setdefault(START_DIR_ENV, os.getcwd())
    os.chdir(find_root())
    ensure_venv_and_reexec()
    build(args)
    return verify_only(args) if args.verify_only else benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
