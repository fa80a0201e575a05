"""The read-only SQL console: one SELECT, checked by DuckDB's own parser, run under a time limit
(no Streamlit).

Three walls, each enough on its own for what it guards:
1. DuckDB's parser (duckdb.extract_statements): exactly one statement, of type SELECT (WITH ...
   SELECT, DESCRIBE and SUMMARIZE included). COPY, ATTACH, SET, PRAGMA, CREATE, INSERT, ... are
   other statement types and are refused.
2. The parse tree (json_serialize_sql): every table function must be in a small allow-list, so
   read_csv, read_text, glob, query, duckdb_settings, ... are refused; every table read must be a
   table of the database or a CTE, so '/etc/passwd' or 'data.csv' used as a table is refused.
3. The connection itself (maillon.queries): read-only, external access disabled, configuration
   locked.
The query runs on a cursor of its own in a worker thread; past the time limit the cursor is
interrupted, and other sessions' queries, on their own cursors, never wait for it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from maillon import downloads, queries
from maillon.catalog import Catalog
from maillon.config import setting
from maillon.i18n import t

ALLOWED_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# Scalar functions that would reveal the server's configuration (paths, settings).
DENIED_FUNCTIONS = frozenset({"current_setting", "getvariable"})
SHOWN_ROWS = 10_000
DEFAULT_TIMEOUT_SECONDS = 5.0


class Refused(Exception):
    """The console will not run this text. `key` is the message in the sql_console catalog
    section, `values` fill its placeholders."""

    def __init__(self, key: str, **values):
        super().__init__(key, values)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Result:
    frame: pl.DataFrame
    truncated: bool
    seconds: float


def timeout_seconds() -> float:
    return float(setting("sql_timeout_seconds", str(DEFAULT_TIMEOUT_SECONDS)))


def check(text: str, catalog: Catalog, cursor: duckdb.DuckDBPyConnection) -> str:
    """The one SELECT statement of `text`, ready to wrap in a subquery; raises Refused."""
    if not text.strip():
        raise Refused("refused_empty")
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as error:
        raise Refused("refused_syntax", detail=_first_line(error)) from None
    if not statements:
        raise Refused("refused_empty")
    if len(statements) > 1:
        raise Refused("refused_several", count=len(statements))
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise Refused("refused_kind", kind=statement.type.name)
    ((tree,),) = cursor.execute("SELECT json_serialize_sql(?)", [text]).fetchall()
    tree = json.loads(tree)
    if tree.get("error"):
        raise Refused("refused_syntax", detail=tree.get("error_message", ""))
    _check_tree(tree, catalog)
    # Without its final semicolon; a trailing comment is closed by the wrapper's newline.
    return statement.query.rstrip().rstrip(";")


def _check_tree(tree: dict, catalog: Catalog) -> None:
    ctes = {key.lower() for key in _cte_names(tree)}
    tables = {name.lower() for name in catalog.names}
    for node in _nodes(tree):
        kind = str(node.get("type", ""))
        if kind.endswith("_QUERY_NODE"):  # a write inside the SELECT, e.g. WITH x AS (DELETE ...)
            raise Refused("refused_kind", kind=kind.removesuffix("_QUERY_NODE"))
        if kind == "TABLE_FUNCTION":
            name = (node.get("function") or {}).get("function_name", "?")
            if name.lower() not in ALLOWED_TABLE_FUNCTIONS:
                raise Refused("refused_function", name=name)
        elif kind == "FUNCTION" and str(node.get("function_name", "")).lower() in DENIED_FUNCTIONS:
            raise Refused("refused_setting", name=node["function_name"])
        elif kind == "BASE_TABLE":
            parts = [node.get(k) or "" for k in ("catalog_name", "schema_name", "table_name")]
            qualified = parts[0] or parts[1] not in ("", "main")
            if qualified or parts[2].lower() not in tables | ctes:
                raise Refused("refused_table", name=".".join(p for p in parts if p))


def _nodes(tree):
    """Every dict in the parse tree, depth first."""
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _nodes(value)


def _cte_names(tree) -> list[str]:
    return [
        entry["key"]
        for node in _nodes(tree)
        if isinstance(node.get("cte_map"), dict)
        for entry in node["cte_map"].get("map", [])
    ]


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


class Failed(Exception):
    """DuckDB refused the query while running it (unknown column, bad type, ...)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class TimedOut(Exception):
    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def run(
    text: str,
    catalog: Catalog,
    limit: int = SHOWN_ROWS,
    timeout: float | None = None,
    db: Path | None = None,
) -> Result:
    """At most `limit` rows of the query, and whether there were more.

    Raises Refused (not run), Failed (DuckDB error) or TimedOut (interrupted).
    """
    timeout = timeout_seconds() if timeout is None else timeout
    cursor = queries.new_cursor(db)
    try:
        statement = check(text, catalog, cursor)
        wrapped = f"SELECT * FROM (\n{statement}\n) LIMIT $limit"
        outcome: dict = {}

        def work() -> None:
            try:
                outcome["frame"] = cursor.sql(wrapped, params={"limit": limit + 1}).pl()
            except Exception as error:  # reported to the user, whatever DuckDB raised
                outcome["error"] = error

        started = time.perf_counter()
        worker = threading.Thread(target=work, name="maillon-sql-console", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            cursor.interrupt()
            worker.join()
            raise TimedOut(timeout)
        seconds = time.perf_counter() - started
    finally:
        cursor.close()
    if "error" in outcome:
        raise Failed(_first_line(outcome["error"]))
    frame = outcome["frame"]
    return Result(frame.head(limit), frame.height > limit, seconds)


def rows_for_download(text: str, catalog: Catalog, fmt: str) -> tuple[pl.DataFrame, bool]:
    """The whole result up to the format's cap, under the same checks and time limit."""
    result = run(text, catalog, limit=downloads.max_rows(fmt))
    return result.frame, result.truncated


def message(error: Exception, lang: str) -> str:
    """What the user is told when the console does not return rows."""
    if isinstance(error, Refused):
        return t(lang, f"sql_console.{error.key}", **error.values)
    if isinstance(error, TimedOut):
        return t(lang, "sql_console.timed_out", seconds=f"{error.seconds:g}")
    if isinstance(error, Failed):
        return t(lang, "sql_console.failed", detail=error.detail)
    raise error


# ---------------------------------------------------------------- URL

SQL_PARAM = "_sql"
URL_PARAMS = (SQL_PARAM,)
