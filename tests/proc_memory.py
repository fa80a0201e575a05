"""Memory of processes read from /proc, for the tests that bound it: a field of
/proc/<pid>/status in bytes, a process's descendants, and a watcher that samples peaks."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path


def status_bytes(pid: int, field: str = "VmRSS") -> int:
    """VmRSS, VmHWM... of a process in bytes; 0 when it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def descendants(pid: int) -> list[int]:
    """The process's children, their children, and so on."""
    found, queue = [], [pid]
    while queue:
        for task in Path(f"/proc/{queue.pop()}/task").glob("*"):
            with contextlib.suppress(OSError):
                children = [int(p) for p in (task / "children").read_text().split()]
                found += children
                queue += children
    return found


class PeakWatcher:
    """The highest resident memory of a process (`own`) and of any one of its descendants
    (`child`), sampled every 10 ms while the block runs."""

    def __init__(self, pid: int | None = None):
        self.pid = pid or os.getpid()

    def __enter__(self) -> PeakWatcher:
        self.own = status_bytes(self.pid)
        self.child = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.own = max(self.own, status_bytes(self.pid))
            for pid in descendants(self.pid):
                self.child = max(self.child, status_bytes(pid))
            time.sleep(0.01)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
