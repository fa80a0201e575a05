"""The import log: one JSON line per check, import and restore, beside the database versions.

It lives outside `<db>.versions/` so that swapping or pruning versions never touches it. Each line
is written whole and flushed to disk; a line cut short by a crash is skipped when reading.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path


def log_path(db: Path) -> Path:
    return db.with_name(db.name + ".imports.jsonl")


def write(db: Path, **event) -> dict:
    """Append one event (`at` is added, UTC) and return it."""
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **event}
    with open(log_path(db), "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return entry


def read(db: Path, limit: int = 200) -> list[dict]:
    """The last `limit` events, newest first."""
    path = log_path(db)
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events[::-1][:limit]
