"""What the dashboard pages share beyond ui.py: source lines naming tables and provenance,
grouping a long tail into "other", and column renaming for the data tables (no Streamlit)."""

from __future__ import annotations

import polars as pl

from maillon.charts import draw
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.i18n import t


def period(filters: Filters) -> str:
    """The years of the filters as people write them: '2024' or '2019–2024'."""
    if filters.year_from == filters.year_to:
        return str(filters.year_to)
    return f"{filters.year_from}–{filters.year_to}"


def group_label(group: str, lang: str) -> str:
    """'ESS', 'for-profit' or 'public régie' for a kind group, in the language."""
    return t(lang, f"dash.group_{group}")


def source_line(
    filters: Filters,
    lang: str,
    tables: list[str],
    *,
    population: bool = False,
    establishments: bool = False,
    note: str | None = None,
) -> str:
    """'Source: tables x, y; Maillon demo set, illustrative …; population: real/modeled …'."""
    parts = [
        t(lang, "dash.source_tables", tables=", ".join(tables)),
        t(lang, "sources.demo", period=period(filters)),
    ]
    if population:
        parts.append(t(lang, "dash.source_population"))
    if establishments:
        parts.append(t(lang, "sources.establishments"))
    text = t(lang, "chart.source", sources=t(lang, "chart.source_separator").join(parts))
    return f"{text}\n{note}" if note else text


def labels(lang: str) -> dict[tuple[str, str], str]:
    """{(type, id): label} for domains, kinds, destination categories and destinations."""
    frame = queries.run("taxonomy_labels")
    return {(r["type"], r["id"]): r[f"label_{lang}"] for r in frame.iter_rows(named=True)}


def kind_colors() -> dict[str, str]:
    frame = queries.run("taxonomy_labels").filter(pl.col("type") == "kind")
    return dict(zip(frame["id"], frame["color"], strict=True))


def top_with_other(
    frame: pl.DataFrame, *, key: str, value: str, n: int = draw.MAX_CATEGORIES - 1
) -> list[str]:
    """The `n` largest keys by total value; the rest are to be grouped as 'other'."""
    totals = frame.group_by(key).agg(pl.col(value).sum()).sort([value, key], descending=True)
    return totals[key].head(n).to_list()
