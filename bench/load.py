"""Load: N readers at once, each opening the Overview then going to five dashboard pages.

Each reader is a light client of Streamlit's own protocol (a websocket carrying the protobuf
messages the browser sends and receives), not a browser: 50 Chromium tabs would take the two
cores the servers are measured on. A reader first asks for the page over HTTP as a browser does
(behind the proxy that gives it its replica's cookie), opens the websocket, asks for a run of
the page and waits for the run to end; in-app navigation is the same request with the target
page, as the browser's navigation sends it. Timed: to the first chart drawn, and to the end of
the run. An error is a run that ends with an exception on the page, does not end within
`TIMEOUT` seconds, or a lost connection. Peak RSS is read from /proc for each app process.

Three setups, under the same load in the same run: Maillon on one process, Maillon on two
replicas behind nginx (maillon.serve), and the bare Streamlit app of bench/bare (one chart per
page) on one process.
"""

from __future__ import annotations

import asyncio
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
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from maillon import serve
from maillon.data.sandbox_worker import status_bytes

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = (1, 10, 25, 50)
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
            "runs": len(self.visits),
            "errors": self.errors,
            "first_errors": sorted({v.error for v in self.visits if v.error})[:3],
            "p50_s": self.p50,
            "p95_s": self.p95,
            "chart_p95_s": self.chart_p95,
            "rss_mb": self.rss_mb,
            "seconds": self.seconds,
        }


def _rerun(query: str, page_hash: str = "", page_name: str = "") -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_script_hash = page_hash
    message.rerun_script.page_name = page_name
    return message.SerializeToString()


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


async def reader(url: str, pages: tuple[str, ...]) -> list[Visit]:
    """One reader: the first page, then each other page by in-app navigation."""
    visits = [Visit(page) for page in pages]
    try:
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
            for visit in visits:
                started = time.perf_counter()
                page_hash = hashes.get(visit.page, "")
                await socket.send(_rerun("lang=fr", page_hash, "" if page_hash else visit.page))
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


async def _readers(url: str, pages: tuple[str, ...], sessions: int) -> list[Visit]:
    found = await asyncio.gather(*(reader(url, pages) for _ in range(sessions)))
    return [visit for visits in found for visit in visits]


def measure(setup: Setup, sessions_list=SESSIONS, env: dict | None = None) -> list[LoadResult]:
    """Each number of readers in turn on one fresh start of `setup` (warmed by one reader)."""
    results = []
    with serve.running(setup.replicas, app=setup.app, env=env, proxy=setup.proxy) as served:
        for _ in range(setup.replicas):  # every replica has drawn each page once
            asyncio.run(_readers(served.url, setup.pages, 1))
        for sessions in sessions_list:
            result = LoadResult(setup.name, sessions)
            started = time.perf_counter()
            with peak_rss(served.pids) as peaks:
                result.visits = asyncio.run(_readers(served.url, setup.pages, sessions))
            result.seconds = time.perf_counter() - started
            result.rss_mb = [round(p, 1) for p in peaks]
            results.append(result)
    return results


def run_all(env: dict | None = None, sessions_list=SESSIONS) -> list[LoadResult]:
    return [r for setup in SETUPS for r in measure(setup, sessions_list, env)]


def misses(results: list[LoadResult]) -> list[str]:
    """The load targets this run missed, one line each."""
    found = []
    by = {(r.setup, r.sessions): r for r in results}
    for r in results:
        if r.setup.startswith("Maillon") and r.sessions == max(SESSIONS) and r.errors:
            found.append(f"{r.errors} errors at {r.sessions} readers ({r.setup})")
        if r.setup.startswith("Maillon") and r.sessions == 25:
            worst = max(r.rss_mb, default=0.0)
            if worst > MAX_RSS_MB:
                found.append(f"{worst:.0f} MB in one process at 25 readers ({r.setup})")
    alone = by.get((SETUPS[2].name, 1))
    at_25 = by.get((SETUPS[2].name, 25))
    if alone and at_25 and alone.p95 and at_25.p95:
        ratio = at_25.p95 / alone.p95
        if ratio > MAX_RATIO_AT_25:
            found.append(f"p95 at 25 readers is {ratio:.1f}x one reader alone (two replicas)")
    return found


def markdown(results: list[LoadResult]) -> list[str]:
    def s(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f} s"

    lines = [
        "| setup | readers | page runs | errors | p50 to end of run | p95 to end of run "
        "| p95 to first chart | peak RSS per process |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rss = ", ".join(f"{mb:.0f} MB" for mb in r.rss_mb)
        lines.append(
            f"| {r.setup} | {r.sessions} | {len(r.visits)} | {r.errors} | {s(r.p50)} "
            f"| {s(r.p95)} | {s(r.chart_p95)} | {rss} |"
        )
    return lines


if __name__ == "__main__":
    import json
    import sys

    counts = tuple(int(n) for n in sys.argv[1:]) or SESSIONS
    measured = run_all(None, counts)
    print("\n".join(markdown(measured)))
    print(json.dumps([r.as_dict() for r in measured], indent=1))
    print("\n".join(misses(measured)) or "no target missed")
