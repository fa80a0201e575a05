"""The explorer's SQL: any table of the catalog, filtered by the global filters, column facets and
a text search, counted, paged and exported (no Streamlit).

Table and column names cannot be bound, so every identifier is checked against the catalog
(maillon.data.catalog) and quoted; every value is bound as a $parameter. This is the only
module that builds SQL at run time, and it runs it through maillon.data.queries.run_sql.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

import polars as pl

from maillon.data import queries
from maillon.data.catalog import Catalog, Column, Table, UnknownIdentifier, quote
from maillon.data.filters import FilterOptions, Filters
from maillon.data.url_values import whole_number
from maillon.exports import downloads
from maillon.figures import dictionary
from maillon.i18n import number, parse_number

PAGE_SIZE = 50
FACET_VALUES = 200
# numbers a reader reads back are grouped from five digits on, as French typography has it
GROUPED_FROM = 10_000
# Global filter -> the column it applies to, wherever a table has that column.
SCOPE_COLUMNS = {
    "disp": "disp",
    "region": "region_code",
    "type": "type_code",
    "domain": "domain_id",
    "kind": "kind_id",
}
# Period columns, by preference: a year, a date in the year, or a period that must overlap.
YEAR_COLUMNS = ("year", "month", "sale_date")
PERIOD_COLUMNS = (("start_date", "end_date"), ("valid_from", "valid_to"))


@dataclass(frozen=True)
class View:
    """What the researcher is looking at; the whole of it goes into the URL."""

    table: str
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ranges: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    search: str = ""
    page: int = 1

    def with_facet(self, column: str, values: list[str]) -> View:
        facets = {k: v for k, v in self.facets.items() if k != column}
        if values:
            facets[column] = tuple(values)
        return replace(self, facets=facets, page=1)

    def with_search(self, text: str) -> View:
        return replace(self, search=text, page=1)

    def with_page(self, number: int) -> View:
        return replace(self, page=max(1, number))

    def with_range(self, column: str, low: str, high: str) -> View:
        ranges = {k: v for k, v in self.ranges.items() if k != column}
        if low or high:
            ranges[column] = (low, high)
        return replace(self, ranges=ranges, page=1)


@dataclass(frozen=True)
class Scope:
    """The global filters and what 'all years' means (then the year filter is not applied)."""

    filters: Filters
    options: FilterOptions

    @property
    def years_narrowed(self) -> bool:
        years = self.options.years
        return bool(years) and (self.filters.year_from, self.filters.year_to) != (
            years[0],
            years[-1],
        )


def validate(view: View, catalog: Catalog) -> tuple[View, list[str]]:
    """The view with unknown columns and unreadable values dropped, and what was dropped.

    Raises UnknownIdentifier for an unknown table (the page falls back to the first one).
    """
    table = catalog.table(view.table)
    dropped: list[str] = []
    facets = {}
    for column, values in view.facets.items():
        if table.has(column) and table.column(column).kind in ("text", "boolean"):
            facets[column] = values
        else:
            dropped.append(column)
    ranges = {}
    for column, (low, high) in view.ranges.items():
        if not table.has(column) or table.column(column).kind not in ("number", "date"):
            dropped.append(column)
            continue
        try:
            typed_bound(table.column(column), low)
            typed_bound(table.column(column), high)
        except ValueError:
            dropped.append(column)
            continue
        ranges[column] = (low, high)
    page = max(1, view.page)
    return replace(view, facets=facets, ranges=ranges, page=page), dropped


def typed_bound(column: Column, text: str):
    """A range bound typed for binding: float for numbers, date for dates, None when open."""
    if text == "":
        return None
    if column.kind == "date":
        return dt.date.fromisoformat(text[:10])
    value = float(text)
    if not math.isfinite(value):  # 'inf' and 'nan' read as floats, and bound nothing
        raise ValueError(text)
    return value


def crossed(column: Column, low: str, high: str) -> bool:
    """Whether a range's "from" bound is above its "to" bound: no row can be in it."""
    low_value, high_value = typed_bound(column, low), typed_bound(column, high)
    return low_value is not None and high_value is not None and low_value > high_value


def bound_text(value, lang: str) -> str:
    """A range bound from its field as URL text ('2021', '12.5', ''): a date, a number typed the
    reader's way ('12,5' in French), or nothing. ValueError for a text that is no number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        value = parse_number(value, lang)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def bound_shown(column: Column, text: str, lang: str):
    """What a range bound's field shows for its URL text: a date, or the number in the reader's
    format with every digit of the text ('12.5' is '12,5' in French), or '' when open."""
    if column.kind == "date":
        return typed_bound(column, text)
    if text == "":
        return ""
    return number_shown(float(text), lang, max(0, -Decimal(text).as_tuple().exponent))


def number_shown(value: float, lang: str, decimals: int) -> str:
    """A number a reader reads back or types, in the reader's format: digits grouped from five
    on, as French typography has it (10 592 513,93; a year stays 2021, not 2 021)."""
    return number(value, lang, decimals, grouped=abs(value) >= GROUPED_FROM)


def value_shown(column: Column, value, lang: str) -> str:
    """A column's smallest or largest value, beside its range fields: a number with at most two
    decimals, a date as written in the data, '–' when the column is empty."""
    if value is None:
        return "–"
    if column.kind == "date":
        return str(value)
    return number_shown(value, lang, 0 if float(value).is_integer() else 2)


def applied_scope(table: Table, scope: Scope) -> list[str]:
    """The global filters that apply to this table ('years', 'disp', ...)."""
    applied = []
    if scope.years_narrowed and _period_clause(table):
        applied.append("years")
    for attr, column in SCOPE_COLUMNS.items():
        if getattr(scope.filters, attr) and table.has(column):
            applied.append(attr)
    return applied


def _period_clause(table: Table) -> str | None:
    for name in YEAR_COLUMNS:
        if table.has(name):
            column = table.column(name)
            expr = quote(name) if column.kind == "number" else f"year({quote(name)})"
            return f"{expr} BETWEEN $year_from AND $year_to"
    for start, end in PERIOD_COLUMNS:
        if table.has(start) and table.has(end):
            return (
                f"{quote(start)} <= make_date($year_to, 12, 31) "
                f"AND {quote(end)} >= make_date($year_from, 1, 1)"
            )
    return None


def _scope_expr(table: Table, column: str) -> str:
    # Overseas collectivities without a région are filtered by their département code, as in
    # the derived tables (sql/derived.sql).
    if column == "region_code" and table.has("departement_code"):
        return 'coalesce("region_code", "departement_code")'
    return quote(column)


def where(
    view: View,
    table: Table,
    scope: Scope,
    skip: str | None = None,
) -> tuple[str, dict]:
    """The WHERE clause (or '') and its parameters; `skip` leaves one column's facet out, so that
    a facet's own counts show what else it could take."""
    clauses: list[str] = []
    params: dict = {}
    applied = applied_scope(table, scope)
    if "years" in applied:
        clauses.append(_period_clause(table))
        params |= {"year_from": scope.filters.year_from, "year_to": scope.filters.year_to}
    for attr, column in SCOPE_COLUMNS.items():
        if attr in applied:
            clauses.append(f"list_contains($scope_{attr}, {_scope_expr(table, column)})")
            params[f"scope_{attr}"] = list(getattr(scope.filters, attr))
    for i, (name, values) in enumerate(sorted(view.facets.items())):
        if name != skip:
            column = table.column(name)
            clauses.append(f"list_contains($facet_{i}, {quote(column.name)}::VARCHAR)")
            params[f"facet_{i}"] = list(values)
    for i, (name, (low, high)) in enumerate(sorted(view.ranges.items())):
        if name == skip:
            continue
        column = table.column(name)
        if low != "":
            clauses.append(f"{quote(column.name)} >= $low_{i}")
            params[f"low_{i}"] = typed_bound(column, low)
        if high != "":
            clauses.append(f"{quote(column.name)} <= $high_{i}")
            params[f"high_{i}"] = typed_bound(column, high)
    text_columns = [c for c in table.columns if c.kind == "text"]
    if view.search.strip() and text_columns:
        # contains() on lower-cased text: no pattern characters to escape.
        tests = " OR ".join(
            f"contains(lower(coalesce({quote(c.name)}, '')), $search)" for c in text_columns
        )
        clauses.append(f"({tests})")
        params["search"] = view.search.strip().lower()
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _from(table: Table) -> str:
    return f"FROM {quote(table.name)}"


def count(view: View, catalog: Catalog, scope: Scope) -> int:
    table = catalog.table(view.table)
    clause, params = where(view, table, scope)
    frame = queries.run_sql(f"SELECT count(*) AS n {_from(table)}{clause}", params)
    return int(frame["n"][0])


def page(view: View, catalog: Catalog, scope: Scope, size: int = PAGE_SIZE) -> pl.DataFrame:
    """One page of rows, in the table's stored order (derived tables are sorted by time); DuckDB
    keeps that order for a filtered scan, so pages are stable."""
    table = catalog.table(view.table)
    clause, params = where(view, table, scope)
    params |= {"limit": size, "offset": (view.page - 1) * size}
    return queries.run_sql(f"SELECT * {_from(table)}{clause} LIMIT $limit OFFSET $offset", params)


def page_count(rows: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-rows // size))


def value_counts(
    view: View, catalog: Catalog, scope: Scope, column: str, limit: int = FACET_VALUES
) -> pl.DataFrame:
    """value (as text), rows: the most frequent values of a column under every other filter."""
    table = catalog.table(view.table)
    name = quote(table.column(column).name)
    clause, params = where(view, table, scope, skip=column)
    clause += (" AND " if clause else " WHERE ") + f"{name} IS NOT NULL"
    params["limit"] = limit
    return queries.run_sql(
        f"SELECT {name}::VARCHAR AS value, count(*) AS rows {_from(table)}{clause} "
        "GROUP BY ALL ORDER BY rows DESC, value LIMIT $limit",
        params,
    )


def column_range(view: View, catalog: Catalog, scope: Scope, column: str) -> tuple:
    """(min, max) of a number or date column under every other filter."""
    table = catalog.table(view.table)
    name = quote(table.column(column).name)
    clause, params = where(view, table, scope, skip=column)
    frame = queries.run_sql(
        f"SELECT min({name}) AS low, max({name}) AS high {_from(table)}{clause}", params
    )
    return frame["low"][0], frame["high"][0]


def rows_for_download(
    view: View, catalog: Catalog, scope: Scope, fmt: str, whole: bool
) -> tuple[pl.DataFrame, bool]:
    """The filtered rows (or the whole table), capped for the format; True if cut at the cap."""
    table = catalog.table(view.table)
    clause, params = ("", {}) if whole else where(view, table, scope)
    cap = downloads.max_rows(fmt)
    params["limit"] = cap + 1
    frame = queries.run_sql(f"SELECT * {_from(table)}{clause} LIMIT $limit", params, cached=False)
    return frame.head(cap), frame.height > cap


# ---------------------------------------------------------------- URL

TABLE_PARAM = "_table"
FACET_PARAM = "_facet"
RANGE_PARAM = "_range"
SEARCH_PARAM = "_q"
PAGE_PARAM = "_page"
URL_PARAMS = (TABLE_PARAM, FACET_PARAM, RANGE_PARAM, SEARCH_PARAM, PAGE_PARAM)


def to_url(view: View) -> dict[str, str | list[str]]:
    """The view as URL parameters: _facet=column:value, _range=column:low..high."""
    out: dict[str, str | list[str]] = {TABLE_PARAM: view.table}
    facets = [f"{c}:{v}" for c, values in sorted(view.facets.items()) for v in values]
    if facets:
        out[FACET_PARAM] = facets
    ranges = [f"{c}:{low}..{high}" for c, (low, high) in sorted(view.ranges.items())]
    if ranges:
        out[RANGE_PARAM] = ranges
    if view.search:
        out[SEARCH_PARAM] = view.search
    if view.page > 1:
        out[PAGE_PARAM] = str(view.page)
    return out


def from_url(query: Mapping[str, list[str]], default_table: str) -> View:
    """A view from URL parameters; validate() then drops what the catalog does not know."""
    table = (query.get(TABLE_PARAM) or [default_table])[-1]
    facets: dict[str, list[str]] = {}
    for item in query.get(FACET_PARAM, []):
        column, sep, value = item.partition(":")
        if sep:
            facets.setdefault(column, []).append(value)
    ranges = {}
    for item in query.get(RANGE_PARAM, []):
        column, sep, bounds = item.partition(":")
        low, dots, high = bounds.partition("..")
        if sep and dots:
            ranges[column] = (low, high)
    pages = query.get(PAGE_PARAM, ["1"])
    page_number = whole_number(pages[-1]) or 1
    return View(
        table,
        {k: tuple(v) for k, v in facets.items()},
        ranges,
        (query.get(SEARCH_PARAM) or [""])[-1],
        page_number,
    )


def safe_view(query: Mapping[str, list[str]], catalog: Catalog) -> tuple[View, list[str]]:
    """from_url + validate, falling back to the first table when the table is unknown."""
    view = from_url(query, catalog.names[0])
    try:
        return validate(view, catalog)
    except UnknownIdentifier:
        return View(catalog.names[0]), [view.table]


# No global filter in force: for whole-table figures.
NO_SCOPE = Scope(Filters(0, 0), FilterOptions((), {}))


def provenance(table: Table, catalog: Catalog) -> pl.DataFrame:
    """value, rows: how many rows of the whole table are real, modeled or illustrative (empty
    when the table has no provenance column)."""
    if not table.has("provenance"):
        return pl.DataFrame(schema={"value": pl.String, "rows": pl.Int64})
    return value_counts(View(table.name), catalog, NO_SCOPE, "provenance")


def is_illustrative(table: Table, catalog: Catalog) -> bool:
    """Whether the table holds invented rows: by its provenance column where it has one,
    else by where its rows come from."""
    if table.has("provenance"):
        return "illustrative" in provenance(table, catalog)["value"].to_list()
    return dictionary.group(table) in ("markets", "associations", "derived")


def facet_labels(counts: pl.DataFrame, chosen: tuple[str, ...], lang: str) -> dict[str, str]:
    """value -> 'value (rows)' for a facet's choices, chosen values first even if not counted."""
    labels = {v: f"{v} (0)" for v in chosen}
    for value, rows in counts.iter_rows():
        labels[value] = f"{value} ({number(rows, lang)})"
    return labels
