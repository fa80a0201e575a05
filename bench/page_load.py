"""Browser timings: a Maillon page against a bare Streamlit page with one chart, in the same run.

    uv run python -m bench.page_load [--runs 5]

Measures, in Debian Chromium through Playwright, the time from a reload (and from a click in the
navigation) until the page's title and first chart are drawn (neither left over from the previous
page), for the bare app in bench/bare/app.py and for Maillon's
dashboard pages, and prints the ratios (the target: Maillon within 1.5x of the bare page).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def serve(app: Path, env: dict | None = None, cwd: Path = ROOT):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            f"--server.port={port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
        ],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


# Drawn: the page's own title and a chart are on screen, neither left over (stale) from the
# previous page. What comes after the first chart (the sidebar's export buttons, the page's
# data tables) may still be arriving: the user already reads the page.
DRAWN = """([before]) => {
  const fresh = (element) => element && !element.closest('[data-stale="true"]');
  const h1 = document.querySelector('h1');
  if (!fresh(h1) || (before !== null && h1.innerText === before)) return false;
  return [...document.querySelectorAll('.js-plotly-plot .main-svg')].some(fresh);
}"""


def _title(page) -> str:
    return page.locator("h1").first.inner_text()


def _timed(page, action, before: str | None) -> float:
    start = time.perf_counter()
    action()
    page.wait_for_function(DRAWN, arg=[before], timeout=60_000, polling=10)
    return time.perf_counter() - start


def measure(browser, url: str, home: str, pages: list[str], runs: int) -> dict[str, float]:
    """Seconds: the first visit of the just started server, then medians of a reload of the home
    page and of in-app navigation from home to each page."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    first_visit = _timed(page, lambda: page.goto(url), None)
    reloads = [_timed(page, page.reload, None) for _ in range(runs)]
    navigations: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(runs):
        for name in pages:
            for target in (name, home):
                link = page.get_by_test_id("stSidebarNav").get_by_text(target, exact=True)
                seconds = _timed(page, link.click, _title(page))
                if target == name:
                    navigations[name].append(seconds)
                time.sleep(0.3)
    page.close()
    return {FIRST_VISIT: first_visit, "reload": statistics.median(reloads)} | {
        name: statistics.median(values) for name, values in navigations.items()
    }


FIRST_VISIT = "first visit of a cold server"
HOME = "Vue d'ensemble"
MAILLON_PAGES = [
    "Marchés et opérateurs",
    "Où va le résultat",
    "Résultats pour les personnes",
    "Établissements",
    "Bilan annuel",
    "Rapport annuel du réseau",
    "Repères publics",
]


def run(runs: int = 5) -> list[tuple[str, float, float]]:
    """(timing, bare seconds, Maillon seconds): the first visit, a reload, then navigation to
    each page."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with serve(ROOT / "bench" / "bare" / "app.py") as url:
            bare = measure(browser, url, "One", ["Two"], runs)
        with serve(ROOT / "app.py") as url:
            maillon = measure(browser, url, HOME, MAILLON_PAGES, runs)
        browser.close()
    rows = [(name, bare[name], maillon[name]) for name in (FIRST_VISIT, "reload")]
    rows += [(f"navigation to {name}", bare["Two"], maillon[name]) for name in MAILLON_PAGES]
    return rows


def table(rows: list[tuple[str, float, float]]) -> str:
    lines = ["| timing | bare Streamlit | Maillon | ratio |", "|---|---|---|---|"]
    for name, bare, maillon in rows:
        lines.append(f"| {name} | {bare:.2f} s | {maillon:.2f} s | {maillon / bare:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(table(run(args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
