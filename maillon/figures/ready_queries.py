"""Canned queries: the named queries of sql/ meant for people, listed with their description and
parameters, run in maillon.data.sandbox's bounded worker since a visitor sets the values (no
Streamlit).

A file is a canned query when its opening comment block carries a title. The block:

    -- title: Valeur des marchés par année et type d'opérateur
    -- title_en: Market value by year and operator kind
    -- description: Une phrase qui dit ce que la requête donne.
    -- description_en: One sentence saying what the query gives.
    -- param year_from: integer | Première année | First year
    -- param months: integer = 12 | Dans les N mois | Within N months
    -- param kinds: text[] | Types d'opérateur | Operator kinds

Types: integer, number, text, date, text[]. A default after '=' (`today` for a date); without one,
a parameter named like a global filter ($year_from, $year_to, $disps, $regions, $types, $domains,
$kinds) starts from the filters in force.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from maillon.data import queries, sandbox
from maillon.data.filters import LIST_FILTERS, FilterOptions, Filters
from maillon.data.paths import SQL_DIR
from maillon.exports import downloads

TYPES = ("integer", "number", "text", "date", "text[]")
# The filter dimension (for its options and labels) behind each list parameter.
FILTER_PARAMS = {param: dimension for dimension, param in LIST_FILTERS.items()}
_HEADER = re.compile(r"^--\s*(title|title_en|description|description_en):\s*(.+)$")
_PARAM = re.compile(
    r"^--\s*param\s+(\w+):\s*(integer|number|text\[\]|text|date)\s*(?:=\s*([^|]+?))?\s*"
    r"\|\s*([^|]+?)\s*\|\s*(.+?)\s*$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    label_fr: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def initial(self, filters: Filters):
        """The value the form starts from."""
        if self.default is not None:
            return parse_value(self, self.default)
        scope = filters.params()
        if self.name in scope:
            return scope[self.name]
        return [] if self.type == "text[]" else None


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    params: tuple[Param, ...]
    sql: str

    def title(self, lang: str) -> str:
        return self.title_fr if lang == "fr" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_fr if lang == "fr" else self.description_en

    def run(self, values: Mapping) -> sandbox.Result:
        """The rows for these values, in a worker process bounded like the SQL console's: the
        values are a visitor's (raises sandbox.Stopped)."""
        return sandbox.run(
            self.sql,
            {p.name: values[p.name] for p in self.params},
            limit=downloads.max_rows("csv"),
            max_bytes=sandbox.DOWNLOAD_MAX_MB * sandbox.MB,
        )


def parse(name: str, text: str) -> CannedQuery | None:
    """The canned query described by the file's opening comments, or None without a title."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        if match := _HEADER.match(line):
            fields[match[1]] = match[2].strip()
        elif match := _PARAM.match(line):
            default = match[3].strip() if match[3] else None
            params.append(Param(match[1], match[2], default, match[4], match[5]))
    if "title" not in fields:
        return None
    return CannedQuery(
        name,
        fields["title"],
        fields.get("title_en", fields["title"]),
        fields.get("description", ""),
        fields.get("description_en", fields.get("description", "")),
        tuple(params),
        text,
    )


@cache
def all_queries() -> tuple[CannedQuery, ...]:
    """Every canned query in sql/, by title."""
    found = []
    for path in sorted(SQL_DIR.glob("*.sql")):
        query = parse(path.stem, queries.sql_text(path.stem))
        if query is not None:
            found.append(query)
    return tuple(sorted(found, key=lambda q: q.title_fr))


def by_name(name: str) -> CannedQuery | None:
    return next((q for q in all_queries() if q.name == name), None)


def parse_value(param: Param, text: str):
    """A value from its text (URL or header default); raises ValueError when it does not read."""
    if param.type == "integer":
        # Every integer parameter is a year or a count of months: never below zero.
        value = int(text)
        if value < 0:
            raise ValueError(text)
        return value
    if param.type == "number":
        return float(text)
    if param.type == "date":
        return dt.date.today() if text == "today" else dt.date.fromisoformat(text)
    if param.type == "text[]":
        return [v for v in text.split(",") if v]
    return text


def format_value(param: Param, value) -> list[str]:
    """A value as URL text (one item per list element)."""
    if param.type == "text[]":
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


# ---------------------------------------------------------------- URL

QUERY_PARAM = "_query"
VALUE_PARAM = "_param"
URL_PARAMS = (QUERY_PARAM, VALUE_PARAM)


def to_url(query: CannedQuery, values: Mapping) -> dict[str, str | list[str]]:
    items = [f"{p.name}:{v}" for p in query.params for v in format_value(p, values.get(p.name))]
    return {QUERY_PARAM: query.name, **({VALUE_PARAM: items} if items else {})}


def values_from_url(
    query: CannedQuery, url: Mapping[str, list[str]], filters: Filters, options: FilterOptions
) -> tuple[dict, list[str]]:
    """The parameter values of a link (the form's initial values elsewhere), and what of it was
    left out: the name of a parameter that did not read, 'name:value' for a filter value the
    data does not hold (the form could not show it, yet the query would run with it)."""
    given: dict[str, list[str]] = {}
    for item in url.get(VALUE_PARAM, []):
        name, sep, value = item.partition(":")
        if sep:
            given.setdefault(name, []).append(value)
    values, bad = {}, []
    for param in query.params:
        values[param.name] = param.initial(filters)
        if param.name not in given:
            continue
        try:
            if param.type == "text[]":
                values[param.name] = [v for v in given[param.name] if v]
            else:
                values[param.name] = parse_value(param, given[param.name][-1])
        except ValueError:
            bad.append(param.name)
        if param.name in FILTER_PARAMS:
            known = options.values[FILTER_PARAMS[param.name]]
            bad += [f"{param.name}:{v}" for v in values[param.name] if v not in known]
            values[param.name] = [v for v in values[param.name] if v in known]
    return values, bad
