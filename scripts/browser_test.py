#!/usr/bin/env python3
"""Renders `slac report` of every bundled example in headless Chromium and checks it.

Run from the repository root (`.ci/run` does, after the tests built the binary):

    python3 scripts/browser_test.py --binary target/debug/slac
    python3 scripts/browser_test.py --binary target/debug/slac --update-docs   # refresh docs/report.png

For each example it writes target/browser-test/NAME.html, opens it in Debian's Chromium
(driven by Playwright, pinned in a virtualenv at target/browser-venv that this script
creates), takes a full-page screenshot NAME.png beside it, and fails (exit 1) when:

- the page made any request other than loading itself (the report must be offline);
- the console logged an error or the page threw (a Content-Security-Policy violation
  shows up here too);
- a chart is missing its SVG, draws nothing, or lacks a series name or axis title its
  figure declares (`data-series`, `data-axes`);
- an overview row's status is not written out in words (status never by colour alone).

Chromium itself is a system package: `.ci/run` installs `chromium` with apt-get when it
is missing; set CHROMIUM to use another binary.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

PLAYWRIGHT_VERSION = "1.65.2"
VENV = Path("target/browser-venv")
OUT = Path("target/browser-test")
IN_VENV_ENV = "SLAC_BROWSER_IN_VENV"

# The bundled examples with the data the README judges them against.
EXAMPLES = {
    "smarketing": [
        "sla-examples/smarketing.sla",
        "--metrics", "sla-examples/data/smarketing-metrics.csv",
        "--deliveries", "sla-examples/data/smarketing-deliveries.csv",
        "--as-of", "2026-06-15",
    ],
    "multi-level": [
        "sla-examples/multi-level.sla",
        "--metrics", "sla-examples/data/multi-level-metrics.csv",
        "--deliveries", "sla-examples/data/multi-level-deliveries.csv",
    ],
    "customer-uptime": [
        "sla-examples/customer-uptime.sla",
        "--metrics", "sla-examples/data/customer-uptime-metrics.json",
    ],
    "lead-log": [
        "sla-examples/lead-log.sla",
        "--data", "leads=sla-examples/data/lead-log.csv",
    ],
    "lead-segments": [
        "sla-examples/lead-segments.sla",
        "--metrics", "sla-examples/data/lead-segments-metrics.ndjson",
    ],
}
# The screenshot the README shows.
DOCS_EXAMPLE = "smarketing"
DOCS_SHOT = Path("docs/report.png")

# Runs in the page: every figure's findings, and the overview's status cells.
CHECK_PAGE = """
() => {
  const problems = [];
  const figures = [...document.querySelectorAll('figure.chart')];
  for (const [i, f] of figures.entries()) {
    const caption = (f.querySelector('figcaption') || {}).textContent || '';
    const where = `figure ${i + 1} (${f.dataset.chart}: "${caption.slice(0, 60)}")`;
    const svg = f.querySelector('svg');
    if (!svg) { problems.push(`${where}: no SVG`); continue; }
    const box = svg.getBoundingClientRect();
    if (box.width < 100 || box.height < 50) problems.push(`${where}: drawn ${box.width}x${box.height}`);
    const marks = svg.querySelectorAll('path, polyline, line, rect, circle, polygon').length;
    if (marks < 10) problems.push(`${where}: only ${marks} marks`);
    const text = [...svg.querySelectorAll('text')].map(t => t.textContent).join('\\n');
    const wanted = [...(f.dataset.series || '').split('|'), ...(f.dataset.axes || '').split('|')].filter(Boolean);
    for (const name of wanted) {
      if (!text.includes(name)) problems.push(`${where}: "${name}" is not drawn`);
    }
  }
  for (const row of document.querySelectorAll('tr[data-status]')) {
    const word = row.dataset.status.replace('_', ' ');
    if (!row.textContent.includes(word)) problems.push(`overview row ${row.dataset.obligation}: status "${word}" not written`);
  }
  return { figures: figures.length, problems };
}
"""


def fail(message: str) -> None:
    print(f"browser_test: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        fail("no Chromium found: install Debian's `chromium` (apt-get install chromium) or set CHROMIUM")
    return found


def ensure_venv() -> None:
    """Creates target/browser-venv with the pinned Playwright and re-executes this script in it."""
    if os.environ.get(IN_VENV_ENV) == "1":
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('playwright'))"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0 or probe.stdout.strip() != PLAYWRIGHT_VERSION:
        print(f"installing playwright=={PLAYWRIGHT_VERSION} into {VENV} ...", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"playwright=={PLAYWRIGHT_VERSION}"],
            check=True,
        )
    env = dict(os.environ, **{IN_VENV_ENV: "1"})
    os.execve(str(python.absolute()), [str(python.absolute()), str(Path(__file__).resolve()), *sys.argv[1:]], env)


def write_reports(binary: Path) -> dict[str, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    pages = {}
    for name, args in EXAMPLES.items():
        page = OUT / f"{name}.html"
        run = subprocess.run([str(binary), "report", *args, "--out", str(page)], capture_output=True, text=True)
        # 0 all met, 1 some obligation missed: both write the page.
        if run.returncode not in (0, 1) or not page.is_file():
            fail(f"`slac report` of {name} exited with {run.returncode}:\n{run.stderr}")
        pages[name] = page
    return pages


def check(pages: dict[str, Path], browser_path: str, update_docs: bool) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        for name, path in pages.items():
            url = path.resolve().as_uri()
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            requests: list[str] = []
            console: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
            page.goto(url, wait_until="load")
            result = page.evaluate(CHECK_PAGE)
            shot = OUT / f"{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            if update_docs and name == DOCS_EXAMPLE:
                DOCS_SHOT.parent.mkdir(parents=True, exist_ok=True)
                # The top of the page: status, termination and this month's progress.
                page.set_viewport_size({"width": 1100, "height": 900})
                page.screenshot(path=str(DOCS_SHOT), full_page=True, clip={"x": 0, "y": 0, "width": 1100, "height": 1500})
            page.close()
            others = [r for r in requests if r != url]
            problems += [f"{name}: requested {r}" for r in others]
            problems += [f"{name}: console {c}" for c in console]
            problems += [f"{name}: {p}" for p in result["problems"]]
            if result["figures"] == 0:
                problems.append(f"{name}: no charts")
            print(f"  {name}: {result['figures']} charts, {len(others)} requests, "
                  f"{len(console)} console errors, screenshot {shot}", flush=True)
        browser.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="target/debug/slac", help="the slac binary (default: %(default)s)")
    parser.add_argument("--update-docs", action="store_true", help=f"also write {DOCS_SHOT}")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    os.chdir(root)
    binary = Path(args.binary)
    if not binary.is_file():
        fail(f"{binary} is missing: build it with `cargo build --locked`")
    browser_path = chromium()
    ensure_venv()
    pages = write_reports(binary)
    problems = check(pages, browser_path, args.update_docs)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"browser test: {len(pages)} reports rendered and checked in {browser_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
