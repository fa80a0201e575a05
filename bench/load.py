"""Load: N readers at once, each opening the Overview then going to five dashboard pages.

Each reader is a light client of Streamlit's own protocol (a websocket carrying the protobuf
messages the browser sends and receives), not a browser: 50 Chromium tabs would take the two
cores the servers are measured on. A reader first asks for the page over HTTP as a browser does
(behind the proxy that gives it its replica's cookie), opens the websocket, asks for a run of
the page and waits for the run to end; in-app navigation is the same request with the target
page, as the browser's navigation sends it. Timed: to the first chart drawn, and to the end of
the run. An error is a run that ends with an exception on the page, does not end within
`TIMEOUT` seconds, or a lost connection. Peak RSS is read from /proc for each app process.

Two ways of reading. All at once: every reader asks for each page the moment the previous one
ended, all starting together, the worst case (a hundred people clicking the same link in the same
second). Reading: each reader takes `READING_SECONDS` (a random time in that range) on each page
before the next, and arrives after such a time too, as people do; the servers then answer a flow
of page runs rather than one burst.

Three setups, under the same load in the same run: Maillon on one process, Maillon on two
replicas behind nginx (maillon.serve), and the bare Streamlit app of bench/bare (one chart per
page) on one process. All three are started by maillon.serve, so through maillon.streamlit_server:
on stock Streamlit's connections (Nagle's algorithm on) each run's messages after the first waited
40 ms for this client's delayed acknowledgement, the same 40 ms for any page, which Chromium does
not wait here.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import websockets
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from maillon import serve
from maillon.data.sandbox_worker import status_bytes

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = (1, 10, 25, 50)
READING_SESSIONS = (10, 25, 50)
# Seconds a reading reader spends on a page before the next (uniform): a glance at a dashboard
# page, shorter than people take, so the load is if anything heavier than theirs.
READING_SECONDS = (1.0, 4.0)
MAILLON_PAGES = ("", "markets", "money-flow", "outcomes", "establishments", "annual")
# The bare app's default page is at "" (its url_path "one" is not in the navigation message).
BARE_PAGES = ("", "two", "", "two", "", "two")
TIMEOUT = 120.0
# Targets of issue 21: no error at 50 readers; p95 at 25 readers on two replicas within 2x one
# reader alone; at most 600 MB per process at 25 readers.
MAX_RATIO_AT_25 = 2.0
MAX_RSS_MB = 600


@dataclass
class Visit:
    page: str
    to_chart: float | None = None
    to_end: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class Setup:
    name: str
    app: Path
    pages: tuple[str, ...]
    replicas: int
    proxy: bool


SETUPS = (
    Setup("bare Streamlit, 1 process", ROOT / "bench" / "bare" / "app.py", BARE_PAGES, 1, False),
    Setup("Maillon, 1 process", ROOT / "app.py", MAILLON_PAGES, 1, False),
    Setup("Maillon, 2 replicas + nginx", ROOT / "app.py", MAILLON_PAGES, 2, True),
)


@dataclass
class LoadResult:
    setup: str
    sessions: int
    reading: bool = False  # readers read each page (READING_SECONDS), else all at once
    visits: list[Visit] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)  # peak per app process
    seconds: float = 0.0

    def _ends(self) -> list[float]:
        return sorted(v.to_end for v in self.visits if v.to_end is not None)

    def _charts(self) -> list[float]:
        return sorted(v.to_chart for v in self.visits if v.to_chart is not None)

    @property
    def errors(self) -> int:
        return sum(v.error is not None for v in self.visits)

    @property
    def p50(self) -> float | None:
        ends = self._ends()
        return statistics.median(ends) if ends else None

    @property
    def p95(self) -> float | None:
        ends = self._ends()
        return ends[min(len(ends) - 1, round(0.95 * (len(ends) - 1)))] if ends else None

    @property
    def chart_p95(self) -> float | None:
        charts = self._charts()
        return charts[min(len(charts) - 1, round(0.95 * (len(charts) - 1)))] if charts else None

    def as_dict(self) -> dict:
        return {
            "setup": self.setup,
            "sessions": self.sessions,
            "reading": self.reading,
            "runs": len(self.visits),
            "errors": self.errors,
            "first_errors": sorted({v.error for v in self.visits if v.error})[:3],
            "p50_s": self.p50,
            "p95_s": self.p95,
            "chart_p95_s": self.chart_p95,
            "rss_mb": self.rss_mb,
            "seconds": self.seconds,
        }


def _first_get(url: str) -> str:
    """The page over HTTP, as a browser asks for it first; the cookies it was given."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{url}/?lang=fr", timeout=TIMEOUT) as answer:
        answer.read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def _until_finished(socket, visit: Visit, started: float, pages: dict) -> None:
    """Read the server's messages until the run ends; note the first chart and any error."""
    while True:
        message = ForwardMsg()
        message.ParseFromString(await socket.recv())
        kind = message.WhichOneof("type")
        if kind == "navigation":
            pages.update({p.url_pathname: p.page_script_hash for p in message.navigation.app_pages})
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element.WhichOneof("type")
            if element == "plotly_chart" and visit.to_chart is None:
                visit.to_chart = time.perf_counter() - started
            elif element == "exception" and visit.error is None:
                visit.error = f"exception: {message.delta.new_element.exception.message[:80]}"
        elif kind == "page_not_found" and visit.error is None:
            visit.error = "page not found"  # Streamlit then runs the default page instead
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                if visit.error is None:  # a failed run is counted as an error, not timed
                    visit.to_end = time.perf_counter() - started
                return
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                visit.error = "compile error"
                return


async def reader(
    url: str, pages: tuple[str, ...], reading: random.Random | None = None
) -> list[Visit]:
    """One reader: the first page, then each other page by in-app navigation; with `reading`,
    a reading time drawn from it before each page."""
    visits = [Visit(page) for page in pages]

    async def read() -> None:
        if reading:
            await asyncio.sleep(reading.uniform(*READING_SECONDS))

    try:
        await read()
        cookie = await asyncio.to_thread(_first_get, url)
        address = url.replace("http://", "ws://") + "/_stcore/stream"
        async with websockets.connect(
            address,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie} if cookie else None,
            max_size=None,
            open_timeout=TIMEOUT,
        ) as socket:
            hashes: dict[str, str] = {}
            for number, visit in enumerate(visits):
                if number:
                    await read()
                started = time.perf_counter()
                page_hash = hashes.get(visit.page, "")
                await socket.send(
                    serve.run_request("lang=fr", page_hash, "" if page_hash else visit.page)
                )
                await asyncio.wait_for(_until_finished(socket, visit, started, hashes), TIMEOUT)
    except (OSError, TimeoutError, DecodeError, TypeError, websockets.WebSocketException) as error:
        for visit in visits:
            if visit.to_end is None and visit.error is None:
                visit.error = f"{type(error).__name__}: {str(error)[:80]}"
    return visits


@contextmanager
def peak_rss(pids: tuple[int, ...]):
    """Poll each process's resident memory while the block runs; yields the peaks (MB)."""
    peaks = [0.0 for _ in pids]
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.1):
            for i, pid in enumerate(pids):
                peaks[i] = max(peaks[i], status_bytes("VmRSS", pid) / 2**20)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        done.set()
        thread.join()


async def _readers(
    url: str, pages: tuple[str, ...], sessions: int, reading: bool = False
) -> list[Visit]:
    # Seeded: each run draws the same reading times, so two runs differ only by the servers.
    times = [random.Random(number) if reading else None for number in range(sessions)]
    found = await asyncio.gather(*(reader(url, pages, drawn) for drawn in times))
    return [visit for visits in found for visit in visits]


def measure(
    setup: Setup,
    sessions_list=SESSIONS,
    env: dict | None = None,
    reading_list: tuple[int, ...] = (),
) -> list[LoadResult]:
    """Each number of readers in turn, all at once then reading, on one fresh start of `setup`
    (warmed by one reader)."""
    results = []
    with serve.running(setup.replicas, app=setup.app, env=env, proxy=setup.proxy) as served:
        for _ in range(setup.replicas):  # every replica has drawn each page once
            asyncio.run(_readers(served.url, setup.pages, 1))
        runs = [(n, False) for n in sessions_list] + [(n, True) for n in reading_list]
        for sessions, reading in runs:
            result = LoadResult(setup.name, sessions, reading)
            started = time.perf_counter()
            with peak_rss(served.pids) as peaks:
                result.visits = asyncio.run(_readers(served.url, setup.pages, sessions, reading))
            result.seconds = time.perf_counter() - started
            result.rss_mb = [round(p, 1) for p in peaks]
            results.append(result)
    return results


def run_all(
    env: dict | None = None, sessions_list=SESSIONS, reading_list=READING_SESSIONS
) -> list[LoadResult]:
    return [r for setup in SETUPS for r in measure(setup, sessions_list, env, reading_list)]


def misses(results: list[LoadResult]) -> list[str]:
    """The load targets this run missed, one line each."""
    found = []
    by = {(r.setup, r.sessions, r.reading): r for r in results}
    for r in results:
        how = _how(r)
        if r.setup.startswith("Maillon") and r.sessions == max(SESSIONS) and r.errors:
            found.append(f"{r.errors} errors at {r.sessions} readers {how} ({r.setup})")
        if r.setup.startswith("Maillon") and r.sessions == 25:
            worst = max(r.rss_mb, default=0.0)
            if worst > MAX_RSS_MB:
                found.append(f"{worst:.0f} MB in one process at 25 readers {how} ({r.setup})")
    alone = by.get((SETUPS[2].name, 1, False))
    for reading in (False, True):
        at_25 = by.get((SETUPS[2].name, 25, reading))
        if alone and at_25 and alone.p95 and at_25.p95:
            ratio = at_25.p95 / alone.p95
            if ratio > MAX_RATIO_AT_25:
                found.append(
                    f"p95 at 25 readers {_how(at_25)} is {ratio:.1f}x one reader alone "
                    "(two replicas)"
                )
    return found


def _how(result: LoadResult) -> str:
    low, high = READING_SECONDS
    return f"reading {low:g}-{high:g} s a page" if result.reading else "all at once"


def notes(results: list[LoadResult]) -> list[str]:
    """What the table says, with this run's numbers: readers all at once wait for the cores;
    readers who read see what one reader alone sees."""
    by = {(r.setup, r.sessions, r.reading): r for r in results}
    one = by.get((SETUPS[1].name, 25, False))
    alone = by.get((SETUPS[2].name, 1, False))
    burst = by.get((SETUPS[2].name, 25, False))
    paced = by.get((SETUPS[2].name, 25, True))
    bare, bare_alone = by.get((SETUPS[0].name, 25, False)), by.get((SETUPS[0].name, 1, False))
    lines = []
    if one and one.visits and alone and alone.p95 and burst and burst.p95:
        per_run = one.seconds / len(one.visits)
        cores = os.cpu_count() or 1
        line = (
            f"- **All at once, the readers wait for the cores.** One process served 25 readers' "
            f"{len(one.visits)} page runs in {one.seconds:.1f} s, {per_run * 1000:.0f} ms each: "
            "Python runs one thread at a time, so a process answers one run after another. "
            f"With two replicas on this machine's {cores} cores, the last of 25 first pages "
            f"asked in the same instant waits about 25 × {per_run * 1000:.0f} ms / "
            f"{min(2, cores)} whatever the page does: p95 {burst.p95:.2f} s against "
            f"{alone.p95:.2f} s for one reader alone ({burst.p95 / alone.p95:.1f}x)."
        )
        if bare and bare.p95 and bare_alone and bare_alone.p95:
            line += (
                f" The bare page is {bare.p95 / bare_alone.p95:.1f}x at 25 readers on one process."
            )
        lines.append(line)
    if paced and paced.p95 and alone and alone.p95:
        low, high = READING_SECONDS
        lines.append(
            f"- **Readers who read** ({low:g}-{high:g} s a page, arriving as they come): p95 "
            f"at 25 readers on two replicas is {paced.p95:.2f} s, {paced.p95 / alone.p95:.1f}x "
            "one reader alone. More readers at once need more cores: a replica per core."
        )
    return lines


# Measured on 2 December 2026 (py-spy --gil on one process, 25 readers all at once; then five
# waves of 50 readers on one process, each right after the last).
GC_NOTE = (
    "- **No collection after every run.** Streamlit collects all garbage after each page run "
    "(`runner.postScriptGC`), walking every object of every session still held (a closed "
    "session's for two minutes) while no other run goes on: under 25 readers at once it was "
    "48% of the server's time, and five waves of 50 readers took 7.8, 9.7, 11.6, 12.5 and "
    "13.8 s, slower with each wave. Turned off (`.streamlit/config.toml`): 5.1-5.6 s each, "
    "peak RSS 434 MB against 423 MB; Python's own collector still frees cycles."
)
NAGLE_NOTE = (
    "- **No wait between a run's messages** (December 2026). Stock Streamlit keeps Nagle's "
    "algorithm on for its connections: each run's messages after the first waited for the "
    "reader's delayed acknowledgement, 40 ms a run behind nginx (for every browser) and for this "
    "client alone (Chromium, connected directly, acknowledges at once). `make run`, `make serve` "
    "and this benchmark start every app, the bare one included, through "
    "`maillon.streamlit_server`, which turns it off: a run of the bare page came back in 6 ms "
    "instead of 46 ms, and in Chromium through the proxy a navigation to Establishments took "
    "149 ms instead of 177 ms, a reload 455 ms instead of 509 ms (medians of 9). One reader's "
    "runs are that much shorter than in the tables before: the ratios to one reader grew."
)

RUN_CPU_NOTE = (
    "- **Less work per run** (3 December 2026). py-spy, sampling the thread that holds the GIL "
    "while one process served 480 page runs, found a third of the script's samples in work "
    "done again on every run: Polars deriving a page's figures from its cached query results "
    "(a year's comparison and highlights, the money's totals, the money beside the market "
    "value, the outcome indicators), the filter options unpickled from `st.cache_data`, "
    "Streamlit's secrets parsed again for the database path while no secrets file exists, and "
    "Babel formatting the same figures. Now cached per data version and shared read-only, or "
    "skipped: 14.1-14.8 ms of server CPU per page run, now 10.5-11.5 ms (the Overview and five "
    "dashboard pages, 300 runs, three alternated rounds). The rest is Streamlit's own work for "
    "each element, the figures' JSON and the websocket's messages."
)


def markdown(results: list[LoadResult]) -> list[str]:
    def s(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f} s"

    lines = [
        "| setup | readers | how they read | page runs | errors | p50 to end of run "
        "| p95 to end of run | p95 to first chart | peak RSS per process |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rss = ", ".join(f"{mb:.0f} MB" for mb in r.rss_mb)
        lines.append(
            f"| {r.setup} | {r.sessions} | {_how(r)} | {len(r.visits)} | {r.errors} | {s(r.p50)} "
            f"| {s(r.p95)} | {s(r.chart_p95)} | {rss} |"
        )
    return lines


if __name__ == "__main__":
    import json
    import sys

    counts = tuple(int(n) for n in sys.argv[1:]) or SESSIONS
    measured = run_all(None, counts, tuple(n for n in counts if n > 1))
    print("\n".join(markdown(measured)))
    print(json.dumps([r.as_dict() for r in measured], indent=1))
    print("\n".join(misses(measured)) or "no target missed")
