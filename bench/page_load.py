"""Browser timings: a Maillon page against a bare Streamlit page with one chart, in the same run.

    uv run python -m bench.page_load [--runs 5]

Measures, in Debian Chromium through Playwright and inside the page, the time from the start of a
reload (and from a click in the navigation) until the first frame that shows the page's title and
first chart (neither left over from the previous page), for the bare app in bench/bare/app.py and
for Maillon's dashboard pages, both served at once and measured in turns, and prints the ratios
(the target: Maillon within 1.5x of the bare page).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from maillon import serve as serve_app

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
def serve(app: Path, env: dict | None = None, cwd: Path = ROOT, warm: bool = False):
    """`streamlit run app` on a free port; `warm`: run once before it is used, as `make run` and
    `make serve` start Maillon (maillon.serve.warm)."""
    port = serve_app.free_port()
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
        serve_app.wait_until_healthy(url)
        if warm:
            serve_app.warm(url)
        yield url
    finally:
        serve_app.stop(process)


# Drawn: the page's own title and a chart are on screen, neither left over (stale) from the
# previous page. What comes after the first chart (the sidebar's export buttons, the page's
# data tables) may still be arriving: the user already reads the page.
DRAWN = """(before) => {
  const fresh = (element) => element && !element.closest('[data-stale="true"]');
  const h1 = document.querySelector('h1');
  if (!fresh(h1) || (before !== null && h1.innerText === before)) return false;
  return [...document.querySelectorAll('.js-plotly-plot .main-svg')].some(fresh);
}"""

# Timed inside the page, on the frames the user sees: a watcher checks DRAWN on every animation
# frame (just before the browser paints) and keeps the time of the first one that shows the
# page; a click's time is the click event's own. A reload or a first visit counts from the
# navigation's start (performance.now() is 0 there), an in-app navigation from the click.
# Timed from Python instead, Playwright's own work (its click's checks, then a polling wait
# answered between the page's later tasks) added about 30 ms to the bare page and 35-75 ms to
# Maillon's, in proportion to what the page draws after its first chart, not before it.
WATCHER = (
    """
window.__benchWatch = (before) => new Promise((resolve) => {
  const drawn = """
    + DRAWN
    + """;
  const tick = () => (drawn(before) ? resolve(performance.now()) : requestAnimationFrame(tick));
  tick();
});
document.addEventListener('click', (event) => { window.__benchClick = event.timeStamp; }, true);
window.__benchLoaded = window.__benchWatch(null);
"""
)


def _loaded(page, action) -> float:
    """Seconds from the start of the navigation that `action` begins until its page is drawn."""
    action()
    return page.evaluate("window.__benchLoaded") / 1000


def _navigate(page, target: str) -> float:
    """Seconds from a click on `target` in the navigation until its page is drawn."""
    link = page.get_by_test_id("stSidebarNav").get_by_text(target, exact=True)
    link.hover()
    before = page.locator("h1").first.inner_text()
    page.evaluate("(before) => { window.__benchNext = window.__benchWatch(before); }", before)
    link.click()
    return page.evaluate("window.__benchNext.then((drawn) => drawn - window.__benchClick)") / 1000


def _new_tab(browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.add_init_script(WATCHER)
    return page


def measure(browser, url: str, home: str, pages: list[str], runs: int) -> dict[str, float]:
    """Seconds: the first visit of the just started server, then medians of a reload of the home
    page and of in-app navigation from home to each page."""
    page = _new_tab(browser)
    first_visit = _loaded(page, lambda: page.goto(url))
    reloads = [_loaded(page, page.reload) for _ in range(runs)]
    navigations: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(runs):
        for name in pages:
            navigations[name].append(_navigate(page, name))
            time.sleep(0.3)
            _navigate(page, home)
            time.sleep(0.3)
    page.close()
    return {FIRST_VISIT_UNWARMED: first_visit, "reload": statistics.median(reloads)} | {
        name: statistics.median(values) for name, values in navigations.items()
    }


FIRST_VISIT = "first visit, server just started and warmed (as make run, make serve)"
FIRST_VISIT_UNWARMED = "first visit, server just started, not warmed (streamlit run alone)"
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


BARE_APP = ROOT / "bench" / "bare" / "app.py"
FIRST_VISIT_SAMPLES = 3


def _first_visit(p, app: Path, warm: bool) -> float:
    """Seconds from the start of the navigation until the first page is drawn, in a browser just
    launched (its launch not counted, its profile empty) on a server just started."""
    with serve(app, warm=warm) as url:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = _new_tab(browser)
            return _loaded(page, lambda: page.goto(url))
        finally:
            browser.close()


def first_visits(p, samples: int) -> list[tuple[str, float, float]]:
    """(timing, bare seconds, Maillon seconds): medians of `samples` first visits, each of a
    server and a browser just started, bare and Maillon in turns. Warmed: the server ran the app
    once before the visit, as `make run` and `make serve` start Maillon, and as docs/deploy.md
    asks of a container's readiness step. Not warmed: `streamlit run` alone, the visit pays for
    the imports, the database's opening and the first queries."""
    found = {warm: ([], []) for warm in (True, False)}
    for sample in range(samples):
        apps = [(0, BARE_APP), (1, ROOT / "app.py")]
        for warm in (True, False):
            for side, app in apps[:: 1 if sample % 2 else -1]:
                found[warm][side].append(_first_visit(p, app, warm))
    return [
        (name, statistics.median(found[warm][0]), statistics.median(found[warm][1]))
        for name, warm in ((FIRST_VISIT, True), (FIRST_VISIT_UNWARMED, False))
    ]


def run(runs: int = 5) -> list[tuple[str, float, float]]:
    """(timing, bare seconds, Maillon seconds): first visits (`first_visits`), then medians of a
    reload and of the navigation to each page.

    Both apps are served at once, each in its own browser, and measured in turns: each Maillon
    reload or navigation is paired with one of the bare page taken just before or after it (the
    order alternating), and each Maillon timing is compared with its own pairs. The machine's
    drift over the minutes of a run (other work, memory reclaim) then moves both sides of a ratio
    alike; measured one app after the other, the same tree gave ratios 0.3 apart. Two browsers,
    not two tabs: tabs of one site share a renderer process, and its main thread.

    The reloads come first, then the rounds of navigation. A reload in every round made every
    navigation of the round one of a page just loaded and a session just started (JavaScript not
    yet optimised, nothing of the session kept): Maillon's navigations took 0.17-0.18 s against
    0.12-0.14 s in a page in use, the bare page's 0.08-0.10 s either way. The reload's own
    timing measures a fresh page; navigation is timed in a page in use, as readers move in it."""
    timings = {name: ([], []) for name in ["reload", *MAILLON_PAGES]}
    with sync_playwright() as p:
        rows = first_visits(p, FIRST_VISIT_SAMPLES)
        bare_browser, browser = (
            p.chromium.launch(executable_path=CHROMIUM, args=ARGS) for _ in range(2)
        )
        with serve(BARE_APP) as bare_url:
            bare_tab = _new_tab(bare_browser)
            _loaded(bare_tab, lambda: bare_tab.goto(bare_url))
            with serve(ROOT / "app.py") as url:
                tab = _new_tab(browser)
                _loaded(tab, lambda: tab.goto(url))
                for names in (["reload"], MAILLON_PAGES):
                    for round_number, name in itertools.product(range(runs), names):
                        turns = [(0, bare_tab, "Two", "One"), (1, tab, name, HOME)]
                        for side, page, target, home in turns[:: 1 if round_number % 2 else -1]:
                            if name == "reload":
                                seconds = _loaded(page, page.reload)
                            else:
                                seconds = _navigate(page, target)
                                time.sleep(0.3)
                                _navigate(page, home)
                            timings[name][side].append(seconds)
                            time.sleep(0.3)
        bare_browser.close()
        browser.close()
    for name, (bare, maillon) in timings.items():
        label = name if name == "reload" else f"navigation to {name}"
        rows.append((label, statistics.median(bare), statistics.median(maillon)))
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
