"""Queries a visitor controls (the SQL console's text, a ready-made query's values) run in a
worker process that can be stopped for certain (no Streamlit).

DuckDB in the server's own process neither stopped on an interrupt nor honoured its memory limit
for some statements (`SELECT unnest(range(100000000))` took the server to 7 GB), so these queries
never run there. Each runs in a fresh `maillon.data.sandbox_worker` process:
- on the version of the database in service when the page run started (maillon.data.queries),
  read-only, with no file access and one DuckDB thread, at a lower priority than the app;
- within a memory budget enforced by the OS (its address space is capped so that its resident
  memory cannot pass the budget) and by DuckDB's own memory limit, below it;
- killed at the time limit, so a query never runs past it by more than the time to kill;
- returning at most `limit` rows and `max_bytes` bytes, else a clear refusal;
- at most `workers` at once per server (each may use the whole budget); one more waits for a
  free slot up to the time limit, then is told the console is busy.
The process exits after one query: its memory goes back to the system with it. One spare worker
is kept started, so that a query does not wait for Python to import DuckDB.
"""

from __future__ import annotations

import atexit
import json
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from maillon.data import queries
from maillon.data.config import setting
from maillon.data.paths import ROOT
from maillon.data.sandbox_worker import status_bytes
from maillon.i18n import number, t

MB = 2**20
DEFAULT_TIMEOUT_SECONDS = 5.0
DEFAULT_MEMORY_MB = 1024
DEFAULT_WORKERS = 2
SHOWN_MAX_MB = 32  # a result shown on the page travels in one message (Streamlit's cap: 200 MB)
DOWNLOAD_MAX_MB = 128


class Stopped(Exception):
    """The query did not give rows: `key` names the message in the sandbox catalog section."""

    def __init__(self, key: str, peak_bytes: int = 0, **values):
        super().__init__(key, values)
        self.key = key
        self.values = values
        self.peak_bytes = peak_bytes  # the worker's peak resident memory, when known


@dataclass(frozen=True)
class Result:
    frame: pl.DataFrame
    truncated: bool
    seconds: float
    peak_bytes: int  # the worker's peak resident memory


def message(stopped: Stopped, lang: str) -> str:
    """What the visitor is told, in their language."""
    values = {k: number(v, lang) if isinstance(v, int) else v for k, v in stopped.values.items()}
    return t(lang, f"sandbox.{stopped.key}", **values)


def timeout_seconds() -> float:
    return float(setting("sql_timeout_seconds", str(DEFAULT_TIMEOUT_SECONDS)))


def memory_budget() -> int:
    return int(setting("sql_memory_mb", str(DEFAULT_MEMORY_MB))) * MB


def _workers() -> int:
    return int(setting("sql_workers", str(DEFAULT_WORKERS)))


_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None
_spare: subprocess.Popen | None = None


def _slots_semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(_workers())
        return _slots


def _worker_args(version: str, budget: int) -> list[str]:
    # DuckDB's own limit, under the OS cap: it then says "out of memory" itself, cleanly.
    duckdb_memory = f"{budget // 2 // MB}MB"
    return [
        sys.executable,
        "-m",
        "maillon.data.sandbox_worker",
        str(budget),
        duckdb_memory,
        version,
    ]


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        close_fds=True,
    )


def _take_worker(args: list[str]) -> subprocess.Popen:
    """The spare worker if it was started for the same version and budget and still waits,
    else a new one."""
    global _spare
    with _lock:
        worker, _spare = _spare, None
    if worker is None or worker.poll() is not None or worker.args != args:
        _dismiss(worker)
        worker = _start(args)
    return worker


def warm(db: Path | None = None) -> None:
    """Start the spare worker, unless one waits already (called after each query, and by the
    pages that run such queries as they open)."""
    global _spare
    args = _worker_args(queries.current_version(db), memory_budget())
    with _lock:
        if _spare is not None and _spare.poll() is None and _spare.args == args:
            return
        stale, _spare = _spare, _start(args)
    _dismiss(stale)


def _dismiss(worker: subprocess.Popen | None) -> None:
    if worker is not None and worker.poll() is None:
        worker.kill()
        worker.wait()


@atexit.register
def _dismiss_spare() -> None:
    _dismiss(_spare)


def _wait_ready(worker: subprocess.Popen, deadline: float, timeout: float) -> None:
    readable, _, _ = select.select([worker.stdout], [], [], max(deadline - time.monotonic(), 0))
    if not readable:
        _dismiss(worker)
        raise Stopped("timed_out", seconds=f"{timeout:g}")
    if worker.stdout.readline() != b"ready\n":
        _dismiss(worker)
        raise Stopped("worker_broken")


def run(
    sql: str,
    params: dict | None = None,
    *,
    limit: int,
    max_bytes: int,
    timeout: float | None = None,
    db: Path | None = None,
) -> Result:
    """At most `limit` rows of `sql` with `params` bound, and whether there were more.

    Raises Stopped: busy, timed_out, memory, too_large, failed (DuckDB's words) or worker_broken.
    """
    timeout = timeout_seconds() if timeout is None else timeout
    budget = memory_budget()
    args = _worker_args(queries.current_version(db), budget)
    request = {
        "sql": sql,
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in (params or {}).items()},
        "limit": limit,
        "max_bytes": max_bytes,
    }
    # The limit counts from now: waiting for a free slot or a ready worker is part of it.
    started = time.monotonic()
    deadline = started + timeout
    slots = _slots_semaphore()
    if not slots.acquire(timeout=timeout):
        raise Stopped("busy", seconds=f"{timeout:g}")
    try:
        worker = _take_worker(args)
        _wait_ready(worker, deadline, timeout)
        return _ask(worker, request, started, deadline, budget)
    finally:
        slots.release()
        # The next spare starts once this query is over, not competing with it for the CPU.
        warm(db)


def _ask(
    worker: subprocess.Popen, request: dict, started: float, deadline: float, budget: int
) -> Result:
    try:
        out, _ = worker.communicate(
            pickle.dumps(request), timeout=max(deadline - time.monotonic(), 0.01)
        )
    except subprocess.TimeoutExpired:
        peak = status_bytes("VmHWM", worker.pid)
        _dismiss(worker)
        seconds = f"{deadline - started:g}"
        raise Stopped("timed_out", seconds=seconds, peak_bytes=peak) from None
    header_line, _, payload = out.partition(b"\n")
    try:
        header = json.loads(header_line)
    except ValueError:
        # No answer: the worker died. Killed or aborted, it ran out of its memory.
        if worker.returncode in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV):
            raise Stopped("memory", budget_mb=budget // MB) from None
        raise Stopped("worker_broken") from None
    status, peak = header["status"], header["peak_bytes"]
    if status == "memory":
        raise Stopped("memory", peak_bytes=peak, budget_mb=budget // MB)
    if status == "too_large":
        raise Stopped("too_large", peak_bytes=peak, cap_mb=request["max_bytes"] // MB)
    if status == "failed":
        raise Stopped("failed", peak_bytes=peak, detail=header["detail"])
    return Result(
        frame=pl.read_ipc_stream(payload),
        truncated=header["truncated"],
        seconds=time.monotonic() - started,
        peak_bytes=header["peak_bytes"],
    )
