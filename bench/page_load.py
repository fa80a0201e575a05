"""Browser timings: a Maillon page against a bare Streamlit page with one chart, in the same run.

    uv run python -m bench.page_load [--runs 7]

Measures, in Debian Chromium through Playwright, the time from a reload (and from a click in the
navigation) until the page's chart is drawn, for the bare app in bench/bare/app.py and for Maillon,
and prints the ratio (the target: Maillon within 1.5x of the bare page).
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
CHART = ".js-plotly-plot .main-svg"


@contextmanager
def serve(app: Path, env: dict | None = None):
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
        cwd=ROOT,
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


def _timed(page, action) -> float:
    start = time.perf_counter()
    action()
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    return time.perf_counter() - start


def measure(browser, url: str, first: str, second: str, runs: int) -> dict[str, float]:
    """Median seconds: reload of `first`, then in-app navigation to `second` and back."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    page.locator(CHART).first.wait_for(timeout=60_000)
    reloads, navigations = [], []
    for _ in range(runs):
        reloads.append(_timed(page, page.reload))
    for _ in range(runs):
        for name in (second, first):
            link = page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True)
            navigations.append(_timed(page, link.click))
            time.sleep(0.3)
    page.close()
    return {"reload": statistics.median(reloads), "navigation": statistics.median(navigations)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", default="Vue d'ensemble", help="Maillon page to reload")
    parser.add_argument("--other", default=None, help="Maillon page to navigate to and back")
    args = parser.parse_args(argv)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with serve(ROOT / "bench" / "bare" / "app.py") as url:
            bare = measure(browser, url, "One", "Two", args.runs)
        with serve(ROOT / "app.py") as url:
            other = args.other or args.page
            maillon = measure(browser, url, args.page, other, args.runs)
        browser.close()
    print("| timing | bare Streamlit | Maillon | ratio |")
    print("|---|---|---|---|")
    for key in ("reload", "navigation"):
        ratio = maillon[key] / bare[key]
        print(f"| {key} | {bare[key]:.2f} s | {maillon[key]:.2f} s | {ratio:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
