"""The one query path: run a named SQL file from sql/ with bound $parameters, get a Polars frame.

- One read-only, locked-down connection per process and database version; a cursor per thread.
- The database path is a symlink to the current version (see maillon.database.build). A page
  run reads one version from start to end: app.py wraps it in `one_version()`, which resolves the
  link once; every query, cached chart and worker inside reads that version, so a page is all old or
  all new when an import lands meanwhile. Outside such a block each call resolves the link.
- Results are cached by (version, query text, parameters); a new version is a new cache key.
- A page can start a query it will need on another thread (`prefetch`): DuckDB runs it while
  the page runs its own queries (two cores plan and run two queries at once), and the page's
  `run` then takes its result instead of running it again.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import duckdb
import polars as pl

from maillon.data.config import database_path
from maillon.data.paths import SQL_DIR

READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}
CACHE_SIZE = 512

_lock = threading.Lock()
_connections: OrderedDict[str, duckdb.DuckDBPyConnection] = OrderedDict()
VERSIONS_OPEN = 3
_local = threading.local()
_sql_text: dict[str, str] = {}
_pinned: ContextVar[str | None] = ContextVar("maillon_version", default=None)
_prefetcher = ThreadPoolExecutor(max_workers=2, thread_name_prefix="maillon-prefetch")
_prefetched: dict[tuple, Future] = {}
_prefetched_lock = threading.Lock()


class UnknownQuery(KeyError):
    pass


def sql_text(name: str) -> str:
    """The text of sql/<name>.sql (read once)."""
    if name not in _sql_text:
        path = SQL_DIR / f"{name}.sql"
        if not name.replace("_", "").isalnum() or not path.exists():
            raise UnknownQuery(name)
        _sql_text[name] = path.read_text()
    return _sql_text[name]


def current_version(db: Path | None = None) -> str:
    """The version this run reads: the one pinned by `one_version`, else (or for an explicit
    `db`) the file the database path points to now."""
    pinned = _pinned.get()
    if pinned is not None and db is None:
        return pinned
    return os.path.realpath(db or database_path())


@contextmanager
def one_version() -> Iterator[str]:
    """Inside the block, every query reads the version in service when it was entered."""
    token = _pinned.set(os.path.realpath(database_path()))
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


def _connection(version: str) -> duckdb.DuckDBPyConnection:
    with _lock:
        con = _connections.get(version)
        if con is None:
            con = duckdb.connect(version, read_only=True, config=READ_ONLY_CONFIG)
            _connections[version] = con
            # Older versions stay open a while for queries already running on them.
            while len(_connections) > VERSIONS_OPEN:
                _connections.popitem(last=False)[1].close()
        return con


def _cursor(version: str) -> duckdb.DuckDBPyConnection:
    """This thread's cursor on `version`, made again when the version's connection is not the
    one the cursor came from (it was closed to make room for newer versions, then reopened)."""
    con = _connection(version)
    held = getattr(_local, "cursor", None)
    if held is None or held[0] is not con:
        _local.cursor = (con, con.cursor())
    return _local.cursor[1]


def _freeze(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def run(name: str, cached: bool = True, db: Path | None = None, **params) -> pl.DataFrame:
    """Run sql/<name>.sql with `params` bound as $name; lists become DuckDB lists."""
    return _execute(sql_text(name), params, cached, db)


def prefetch(name: str, db: Path | None = None, **params) -> None:
    """Start sql/<name>.sql with `params` on another thread; a later `run` with the same name
    and parameters takes its result (waiting for it if it is still running)."""
    key = _key(sql_text(name), params, db)
    with _prefetched_lock:
        for done in [k for k, future in _prefetched.items() if future.done()]:
            if done != key:
                del _prefetched[done]  # kept in the LRU cache when it succeeded
        if key not in _prefetched:
            _prefetched[key] = _prefetcher.submit(_cached_frame, *key)


def _key(text: str, params: dict, db: Path | None) -> tuple:
    return current_version(db), text, tuple(sorted((k, _freeze(v)) for k, v in params.items()))


def _execute(text: str, params: dict, cached: bool, db: Path | None) -> pl.DataFrame:
    key = _key(text, params, db)
    if not cached:
        return _frame(*key)
    with _prefetched_lock:
        started = _prefetched.pop(key, None)
    # Still queued (behind other pages' prefetches): run it here rather than wait its turn.
    if started is not None and not started.cancel():
        return started.result()  # its error, if it failed, is raised here
    return _cached_frame(*key)


def _frame(version: str, text: str, params: tuple) -> pl.DataFrame:
    bound = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
    return _cursor(version).sql(text, params=bound or None).pl()


# The standard library's thread-safe LRU cache, as for built charts (maillon.charts.cache).
_cached_frame = functools.lru_cache(maxsize=CACHE_SIZE)(_frame)


def clear_cache() -> None:
    with _prefetched_lock:
        _prefetched.clear()
    _cached_frame.cache_clear()


def run_sql(
    text: str, params: dict | None = None, cached: bool = True, db: Path | None = None
) -> pl.DataFrame:
    """Run SQL built by Maillon's own code (maillon.figures.explorer), never typed by a user.

    Same connection, cursor and cache as run(); identifiers in `text` must come from the catalog
    and values must be bound through `params` ($name).
    """
    return _execute(text, params or {}, cached, db)


def new_cursor(db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor of its own on the current version, for a query that may have to be interrupted
    (the SQL console): interrupting it leaves every other query running."""
    return _connection(current_version(db)).cursor()
