"""The global filters: parsed from the URL, validated against the data, turned into SQL parameters.

A link with bad or unknown values never fails: each bad value is dropped with a notice and the
filter falls back to its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import polars as pl

from maillon.data.url_values import whole_number

# URL parameter for each list filter, and the SQL parameter it binds.
LIST_FILTERS = {
    "disp": "disps",
    "region": "regions",
    "departement": "departements",
    "mode": "modes",
    "type": "types",
    "domain": "domains",
    "kind": "kinds",
}
YEARS_PARAM = "years"


@dataclass(frozen=True)
class Notice:
    """A value of the URL that was ignored: which parameter and which value."""

    param: str
    value: str


@dataclass(frozen=True)
class FilterOptions:
    """What each filter can take, read from the data (sql/filter_options.sql)."""

    years: tuple[int, ...]
    values: Mapping[str, tuple[str, ...]]
    labels: Mapping[tuple[str, str, str], str] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> FilterOptions:
        values: dict[str, tuple[str, ...]] = {}
        labels: dict[tuple[str, str, str], str] = {}
        for dimension in LIST_FILTERS:
            rows = frame.filter(pl.col("dimension") == dimension)
            values[dimension] = tuple(rows["value"].to_list())
            for row in rows.iter_rows(named=True):
                labels[(dimension, row["value"], "fr")] = row["label_fr"]
                labels[(dimension, row["value"], "en")] = row["label_en"]
        years = frame.filter(pl.col("dimension") == "year")["value"].cast(pl.Int64).to_list()
        # Read-only: one FilterOptions is shared by every session of a data version.
        return cls(tuple(sorted(years)), MappingProxyType(values), MappingProxyType(labels))

    def label(self, dimension: str, value: str, lang: str) -> str:
        return self.labels.get((dimension, value, lang), value)


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    disp: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    departement: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()  # management mode of the establishment
    type: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()

    @classmethod
    def default(cls, options: FilterOptions) -> Filters:
        return cls(options.years[0], options.years[-1])

    def params(self) -> dict:
        """SQL parameters ($year_from, $year_to, $disps, ...) for every scoped query."""
        bound = {"year_from": self.year_from, "year_to": self.year_to}
        for attr, param in LIST_FILTERS.items():
            bound[param] = list(getattr(self, attr))
        return bound

    def to_query_params(self, options: FilterOptions) -> dict[str, str | list[str]]:
        """Only what differs from the defaults, so shared links stay short."""
        out: dict[str, str | list[str]] = {}
        if (self.year_from, self.year_to) != (options.years[0], options.years[-1]):
            out[YEARS_PARAM] = f"{self.year_from}-{self.year_to}"
        for attr in LIST_FILTERS:
            if getattr(self, attr):
                out[attr] = list(getattr(self, attr))
        return out

    @property
    def narrowed(self) -> bool:
        """Whether a filter other than the years is set: the figures cover part of the network."""
        return any(getattr(self, attr) for attr in LIST_FILTERS)

    def with_years(self, year_from: int, year_to: int) -> Filters:
        return replace(self, year_from=year_from, year_to=year_to)


def parse(query: Mapping[str, list[str]], options: FilterOptions) -> tuple[Filters, list[Notice]]:
    """Filters from URL parameters ({name: [values]}); unknown or bad values become notices."""
    notices: list[Notice] = []
    filters = Filters.default(options)
    years = query.get(YEARS_PARAM, [])
    if years:
        parsed = _parse_years(years[-1], options)
        if parsed is None:
            notices.append(Notice(YEARS_PARAM, years[-1]))
        else:
            filters = filters.with_years(*parsed)
    chosen = {}
    for attr in LIST_FILTERS:
        kept = []
        for raw in query.get(attr, []):
            for value in raw.split(","):
                if value in options.values[attr] and value not in kept:
                    kept.append(value)
                elif value not in options.values[attr]:
                    notices.append(Notice(attr, value))
        chosen[attr] = tuple(kept)
    known = {YEARS_PARAM, "lang", *LIST_FILTERS}
    notices += [
        Notice(k, ",".join(v)) for k, v in query.items() if k not in known and not k.startswith("_")
    ]
    return replace(filters, **chosen), notices


def _parse_years(text: str, options: FilterOptions) -> tuple[int, int] | None:
    parts = [whole_number(part) for part in text.split("-")]
    if len(parts) not in (1, 2) or None in parts:
        return None
    year_from, year_to = parts[0], parts[-1]
    if year_from > year_to or year_from not in options.years or year_to not in options.years:
        return None
    return year_from, year_to
