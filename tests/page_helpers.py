"""Helpers for the dashboard page tests: open a page through AppTest, read its figures, and
compute totals with independent SQL on the base tables of the DuckDB file."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from maillon.data.filters import Filters
from maillon.data.queries import READ_ONLY_CONFIG
from maillon.i18n import LANGUAGES
from maillon.web import a11y
from tests.conftest import APP

# Every list filter's SQL parameter, empty: no filter (the years are passed apart).
NO_FILTER = {k: v for k, v in Filters(0, 0).params().items() if isinstance(v, list)}


def page_file(page: str) -> str:
    """The script of the page whose URL path is `page` (hyphens or underscores): see app.py."""
    return f"pages/{page.replace('-', '_')}_page.py"


def open_page(page: str, **query) -> AppTest:
    """The app opened with `query` in the URL, then switched to the page `page` (its URL name)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page != "overview":
        at.switch_page(page_file(page)).run()
        assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Select the tab `label` of the lazy tabs `key` (only the open tab is built) and rerun."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures_in_tabs(at: AppTest, key: str) -> list[dict]:
    """Every chart of a page whose charts sit in lazy tabs, opening each tab in turn."""
    found = []
    for label in [tab.label for tab in at.tabs]:
        found += figures(open_tab(at, key, label))
    return found


def titled(source: AppTest | list[dict], start: str) -> dict:
    """The one figure whose title starts with `start`, on a page or in a list of figures."""
    specs = figures(source) if isinstance(source, AppTest) else source
    found = [f for f in specs if f["layout"]["title"]["text"].startswith(start)]
    assert len(found) == 1, [f["layout"]["title"]["text"] for f in specs]
    return found[0]


def annotations(spec: dict) -> list[str]:
    return [a["text"] for a in spec["layout"].get("annotations", [])]


def bar_total(spec: dict) -> float:
    return sum(sum(v for v in trace["y"] if v) for trace in spec["data"] if trace["type"] == "bar")


def _connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection of our own; the same configuration as the app's, which DuckDB
    requires for a second connection to one file in one process."""
    return duckdb.connect(os.path.realpath(db), read_only=True, config=READ_ONLY_CONFIG)


def sql_all(db: Path, query: str, params: list | None = None) -> list[tuple]:
    """Independent SQL on the built file: written here, on the base tables, not the app's."""
    con = _connect(db)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def sql(db: Path, query: str, params: list | None = None) -> tuple:
    return sql_all(db, query, params)[0]


# Which contracts each kind of total adds up, written from the base tables: the market value is
# what the prison administration pays (régie left out); the holders' revenue is every payer's,
# régie left out (it has no result).
MONEY = {
    "market": "p.payer_group_id = 'administration' AND c.contract_kind_id <> 'regie'",
    "holders": "c.contract_kind_id <> 'regie'",
}


def market_value(
    db: Path, year_from: int, year_to: int, kinds: list[str] | None = None, money: str = "market"
) -> float:
    """Contract revenue from the base tables (not market_revenue): the market value, or with
    money="holders" all the holders earn."""
    kinds = kinds or []
    return sql(
        db,
        "SELECT coalesce(sum(r.revenue_eur), 0)::DOUBLE FROM contract_revenue r "
        "JOIN contract c USING (contract_id) JOIN operator o USING (operator_id) "
        "JOIN payer p USING (payer_id) "
        "WHERE r.year BETWEEN ? AND ? AND (len(?::VARCHAR[]) = 0 OR list_contains(?, o.kind_id)) "
        f"AND {MONEY[money]}",
        [year_from, year_to, kinds, kinds],
    )[0]


def years(db: Path) -> tuple[int, int]:
    return sql(db, "SELECT min(year), max(year) FROM contract_revenue")


def static_table(at: AppTest, column: str):
    """The st.table holding `column`, as the reader sees it: its cells and headers are escaped
    for Markdown (maillon.figures.shared.plain_cells), the escapes are taken off here."""

    def shown(text: str) -> str:
        return re.sub(r"\\(.)", r"\1", str(text)).replace("\u2060", "")

    for element in at.table:
        frame = element.value
        frame.columns = [shown(c) for c in frame.columns]
        if column in frame.columns:
            return frame.map(shown)
    raise AssertionError(f"no table with a column {column!r}")


@dataclass
class ShownTable:
    """A table of maillon.web.table_view.show_static as the browser gets it: text, unescaped."""

    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        return [row[self.header.index(name)] for row in self.rows]


class _TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[ShownTable] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(ShownTable())
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.tables[-1].rows.append([])
        elif tag in ("caption", "th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("caption", "th", "td") and self._cell is not None:
            text, table = "".join(self._cell), self.tables[-1]
            if tag == "caption":
                table.caption = text
            elif self._in_head:
                table.header.append(text)
            else:
                table.rows[-1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown_tables(at: AppTest) -> list[ShownTable]:
    """The static tables on the page, in order."""
    reader = _TableReader()
    for element in at.get("html"):
        if "maillon-static" in element.proto.body:
            reader.feed(element.proto.body)
    return reader.tables


# The app's style rules and page language (maillon.web.a11y.page_head), first in every run:
# an element of the page's tree that shows nothing.
APP_HEADS = frozenset(a11y.head_html(lang) for lang in LANGUAGES)


def is_app_head(element) -> bool:
    return element.type == "html" and element.proto.body in APP_HEADS


def in_order(node) -> list:
    """The elements under `node` (e.g. `at.main`) in the order the page shows them."""
    children = getattr(node, "children", None)
    if children is None:
        return [] if is_app_head(node) else [node]
    return [element for _, child in sorted(children.items()) for element in in_order(child)]
