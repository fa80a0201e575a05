"""The read-only SQL console: one SELECT, checked by DuckDB's own parser, run where it cannot
hurt the server (no Streamlit).

Four walls, each enough on its own for what it guards:
1. DuckDB's parser (duckdb.extract_statements): exactly one statement, of type SELECT (WITH ...
   SELECT, DESCRIBE and SUMMARIZE included). COPY, ATTACH, SET, PRAGMA, CREATE, INSERT, ... are
   other statement types and are refused.
2. The parse tree (json_serialize_sql): every table function must be in a small allow-list, so
   read_csv, read_text, glob, query, duckdb_settings, ... are refused; every table read must be a
   table of the database or a CTE in scope where it is read, so '/etc/passwd' or 'data.csv' used
   as a table is refused, even when a CTE elsewhere in the query carries that name.
3. The worker process (maillon.data.sandbox): its own read-only connection with no file access, a
   memory budget set by the OS, killed at the time limit, results capped in rows and bytes.
4. The connection settings themselves: read-only, external access disabled, configuration
   locked.
"""

from __future__ import annotations

import json
import re

import duckdb
import polars as pl

from maillon.data import queries, sandbox
from maillon.data.catalog import Catalog
from maillon.exports import downloads
from maillon.i18n import number, t

ALLOWED_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# Scalar functions that would reveal the server's configuration (paths, settings).
DENIED_FUNCTIONS = frozenset({"current_setting", "getvariable"})
SHOWN_ROWS = 10_000
MAX_TEXT_CHARS = 20_000


class Refused(Exception):
    """The console will not run this text. `key` is the message in the sql_console catalog
    section, `values` fill its placeholders."""

    def __init__(self, key: str, **values):
        super().__init__(key, values)
        self.key = key
        self.values = values


def check(text: str, catalog: Catalog, cursor: duckdb.DuckDBPyConnection) -> str:
    """The one SELECT statement of `text`, ready to wrap in a subquery; raises Refused."""
    if not text.strip():
        raise Refused("refused_empty")
    if len(text) > MAX_TEXT_CHARS:
        raise Refused("refused_long", chars=len(text), cap=MAX_TEXT_CHARS)
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as error:
        raise Refused("refused_syntax", detail=_first_line(error)) from None
    if not statements:
        raise Refused("refused_empty")
    if len(statements) > 1:
        raise Refused("refused_several", count=len(statements))
    statement = statements[0]
    if _type(statement) != duckdb.StatementType.SELECT:
        raise Refused("refused_kind", kind=_keyword(statement.query))
    ((tree,),) = cursor.execute("SELECT json_serialize_sql(?)", [text]).fetchall()
    tree = json.loads(tree)
    if tree.get("error"):
        raise Refused("refused_syntax", detail=tree.get("error_message", ""))
    _check_tree(tree, catalog)
    # Without its final semicolon; a trailing comment is closed by the wrapper's newline.
    return statement.query.rstrip().rstrip(";")


def _type(statement) -> duckdb.StatementType | None:
    try:
        return statement.type
    except ValueError:  # a type the Python binding does not name (UPDATE EXTENSIONS)
        return None


def _keyword(query: str) -> str:
    """The statement's first keyword as written (CHECKPOINT, INSTALL, TRUNCATE, USE...): DuckDB's
    statement types group several of them under another name."""
    for position, kind in duckdb.tokenize(query):
        if kind == duckdb.token_type.keyword:
            return re.match(r"\w+", query[position:])[0].upper()
    return "?"


def _check_tree(tree, catalog: Catalog, ctes: frozenset[str] = frozenset()) -> None:
    """Walk the parse tree; a CTE name is known only inside the query that defines it."""
    if isinstance(tree, list):
        for value in tree:
            _check_tree(value, catalog, ctes)
        return
    if not isinstance(tree, dict):
        return
    cte_map = tree.get("cte_map")
    if isinstance(cte_map, dict):
        ctes = ctes | {entry["key"].lower() for entry in cte_map.get("map", [])}
    _check_node(tree, catalog, ctes)
    for value in tree.values():
        _check_tree(value, catalog, ctes)


def _check_node(node: dict, catalog: Catalog, ctes: frozenset[str]) -> None:
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
        tables = {name.lower() for name in catalog.names}
        if qualified or parts[2].lower() not in tables | ctes:
            raise Refused("refused_table", name=".".join(p for p in parts if p))


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def run(
    text: str,
    catalog: Catalog,
    limit: int = SHOWN_ROWS,
    max_bytes: int = sandbox.SHOWN_MAX_MB * sandbox.MB,
    timeout: float | None = None,
) -> sandbox.Result:
    """At most `limit` rows of the query, and whether there were more.

    Raises Refused (not run) or sandbox.Stopped (busy, time or memory limit, too large, DuckDB
    error).
    """
    cursor = queries.new_cursor()
    try:
        statement = check(text, catalog, cursor)
    finally:
        cursor.close()
    wrapped = f"SELECT * FROM (\n{statement}\n) LIMIT $limit"
    return sandbox.run(
        wrapped, {"limit": limit + 1}, limit=limit, max_bytes=max_bytes, timeout=timeout
    )


def rows_for_download(text: str, catalog: Catalog, fmt: str) -> tuple[pl.DataFrame, bool]:
    """The whole result up to the format's caps, under the same checks and limits."""
    result = run(
        text,
        catalog,
        limit=downloads.max_rows(fmt),
        max_bytes=sandbox.DOWNLOAD_MAX_MB * sandbox.MB,
    )
    return result.frame, result.truncated


def message(error: Refused | sandbox.Stopped, lang: str) -> str:
    """What the user is told when the console does not return rows."""
    if isinstance(error, sandbox.Stopped):
        return sandbox.message(error, lang)
    values = {k: number(v, lang) if isinstance(v, int) else v for k, v in error.values.items()}
    return t(lang, f"sql_console.{error.key}", **values)


# ---------------------------------------------------------------- URL

SQL_PARAM = "_sql"
URL_PARAMS = (SQL_PARAM,)
