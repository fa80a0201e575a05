"""What the dashboard pages share beyond ui.py: source lines naming tables and provenance,
grouping a long tail into "other", and column renaming for the data tables (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.i18n import date_text, percent, t
from maillon.plain_text import plain_markdown


def period(filters: Filters) -> str:
    """The years of the filters as people write them: '2024' or '2019–2024'."""
    if filters.year_from == filters.year_to:
        return str(filters.year_to)
    return f"{filters.year_from}–{filters.year_to}"


def group_label(group: str, lang: str) -> str:
    """'ESS', 'for-profit' or 'public régie' for a kind group, in the language."""
    return t(lang, f"dash.group_{group}")


def group_column(lang: str) -> pl.Expr:
    """The kind_group column as its label in the language, headed as tables head it."""
    return (
        pl.col("kind_group")
        .map_elements(lambda g: group_label(g, lang), return_dtype=pl.String)
        .alias(t(lang, "dash.group"))
    )


# A share at or above this counts as the whole figure (rounding of sums over many rows).
WHOLE = 0.995
# What a page's notice weighs: the markets side, the associations side, or both.
MARKET_TABLES = ("market_revenue", "reallocation_by_market", "outcome_fact")
# The market value is the part of market_revenue the prison administration pays: its provenance
# is weighed over those rows alone (provenance_weight's 'market_value'); its source line names
# the table and the condition, which a researcher can run in the SQL console.
SHOWN_TABLES = {"market_value": "market_revenue (payer_group_id = 'administration')"}
ASSOCIATION_TABLES = ("association", "association_intervention", "association_partnership")
ALL_TABLES = MARKET_TABLES + ASSOCIATION_TABLES


class Source(NamedTuple):
    """A source as source lines cite it (a row of the source table). A title Maillon wrote has its
    English (title_en, publisher_en); a publisher's own title has none: it is cited as published,
    in every language."""

    title: str
    publisher: str
    data_date: str | None
    title_en: str | None
    publisher_en: str | None

    def title_in(self, lang: str) -> str:
        return (self.title_en or self.title) if lang == "en" else self.title

    def publisher_in(self, lang: str) -> str:
        return (self.publisher_en or self.publisher) if lang == "en" else self.publisher


# The columns of a source's row that make a Source, in its fields' order.
SOURCE_COLUMNS = Source._fields


def sources_in(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Rows of the source table with their title and publisher as Source.title_in and
    publisher_in give them, and their licence likewise, the English columns dropped."""
    if lang == "en":
        frame = frame.with_columns(
            pl.coalesce(f"{column}_en", column).alias(column)
            for column in ("title", "publisher", "licence")
        )
    return frame.drop("title_en", "publisher_en", "licence_en")


@dataclass(frozen=True)
class Provenance:
    """How much of the rows behind a figure are illustrative and modeled, and their sources
    (sql/figure_provenance.sql). Each table read gives its own shares (weighted by euros or
    detainees for the facts, by rows otherwise); a figure is no more real than its least real
    table, so the figure's share is the largest over its tables."""

    illustrative: float
    modeled: float
    sources: tuple[Source, ...]  # in table order
    source_ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Provenance:
        def largest(provenance: str) -> float:
            shares = (
                frame.filter(pl.col("provenance") == provenance)
                .group_by("table_name")
                .agg(pl.col("share_of_table").sum())["share_of_table"]
            )
            return float(shares.max() or 0.0)

        sources = frame.select(SOURCE_COLUMNS).unique(maintain_order=True)
        ids = tuple(frame["source_id"].unique(maintain_order=True))
        found = tuple(Source(*row) for row in sources.iter_rows())
        return cls(largest("illustrative"), largest("modeled"), found, ids)

    def mark(self, lang: str) -> str:
        """'' when every row is real, else what is not: illustrative first, then modeled."""
        for share, whole, part in (
            (self.illustrative, "chart.illustrative_mark", "chart.illustrative_mark_part"),
            (self.modeled, "chart.modeled_mark", "chart.modeled_mark_part"),
        ):
            if share >= WHOLE:
                return t(lang, whole)
            if share > 0:
                return t(lang, part, share=percent(share, lang))
        return ""

    def notice(self, lang: str) -> str:
        """The page's notice: what is not real in its figures, or '' when all of it is."""
        if self.illustrative >= WHOLE:
            return t(lang, "notices.illustrative")
        if self.illustrative > 0:
            return t(lang, "notices.partly_illustrative", share=percent(self.illustrative, lang))
        if self.modeled > 0:
            return t(lang, "notices.modeled", share=percent(self.modeled, lang))
        return ""

    def source_texts(self, lang: str) -> list[str]:
        return source_texts(self.sources, lang)


def source_texts(sources: tuple[Source, ...], lang: str) -> list[str]:
    """'<title> (<publisher>, <date>)' for each source, as the source lines name them, in the
    reader's language where Maillon wrote the title."""
    return [
        t(
            lang,
            "chart.source_item",
            title=source.title_in(lang),
            publisher=source.publisher_in(lang),
            date=date_text(source.data_date, lang),
        )
        for source in sources
    ]


def row_provenance(illustrative: float | None, modeled: float | None, lang: str) -> str:
    """A ranking row's or a table row's own provenance, as a word: 'real', 'modeled (12 %)',
    'invented', 'invented (41 %)'."""
    illustrative, modeled = illustrative or 0.0, modeled or 0.0
    if illustrative >= WHOLE:
        return t(lang, "chart.row_illustrative")
    if illustrative > 0:
        return t(lang, "chart.row_illustrative_part", share=percent(illustrative, lang))
    if modeled > 0:
        return t(lang, "chart.row_modeled", share=percent(modeled, lang))
    return t(lang, "chart.row_real")


def yes_no(column: str, lang: str) -> pl.Expr:
    """A true/false column as the words 'oui'/'non' ('yes'/'no'): a CSV would say 'true'."""
    words = {True: t(lang, "dash.yes"), False: t(lang, "dash.no")}
    return pl.col(column).replace_strict(words, default=None, return_dtype=pl.String)


def row_provenance_column(lang: str) -> pl.Expr:
    """A table's provenance column, from its rows' illustrative_share and modeled_share."""
    return (
        pl.struct("illustrative_share", "modeled_share")
        .map_elements(
            lambda r: row_provenance(r["illustrative_share"], r["modeled_share"], lang),
            return_dtype=pl.String,
        )
        .alias(t(lang, "chart.provenance_column"))
    )


def named_sources(ids: set[str]) -> tuple[tuple[Source, ...], tuple[str, ...]]:
    """The sources `ids`, and their ids, in the source order."""
    frame = queries.run("data_sources").filter(pl.col("source_id").is_in(sorted(ids)))
    return tuple(Source(*row) for row in frame.select(SOURCE_COLUMNS).iter_rows()), tuple(
        frame["source_id"]
    )


def prefetch(filters: Filters) -> None:
    """Start the provenance and coverage queries of these filters, which most figures of a page
    read, so that they run beside the page's own queries (maillon.data.queries.prefetch)."""
    queries.prefetch("figure_provenance", **filters.params())
    queries.prefetch("figure_coverage", **filters.params())


def provenance(filters: Filters, tables: tuple[str, ...]) -> Provenance:
    """The provenance of the rows of `tables` a figure reads with these filters (built once per
    data version: pages ask for it on every run)."""
    return _provenance(filters, tuple(tables))


@cached
def _provenance(filters: Filters, tables: tuple[str, ...]) -> Provenance:
    frame = queries.run("figure_provenance", **filters.params())
    return Provenance.of(frame.filter(pl.col("table_name").is_in(list(tables))))


def sourced(
    filters: Filters,
    lang: str,
    tables: list[str],
    *,
    population: bool = False,
    establishments: bool = False,
    note: str | None = None,
) -> dict[str, str]:
    """A caption's `source` and `mark`, from the rows of the tables the figure reads: 'Source:
    tables x, y; <title> (<publisher>, <date>); …', the coverage of what not every operator
    reports (Coverage.lines) and the provenance mark."""
    return dict(_sourced(filters, lang, tuple(tables), population, establishments, note))


@cached
def _sourced(
    filters: Filters,
    lang: str,
    tables: tuple[str, ...],
    population: bool,
    establishments: bool,
    note: str | None,
) -> dict[str, str]:
    read = (
        *tables,
        *(["establishment_population"] if population else []),
        *(["establishment"] if establishments else []),
    )
    found = _provenance(filters, read)
    shown = ", ".join(SHOWN_TABLES.get(table, table) for table in tables)
    parts = [t(lang, "dash.source_tables", tables=shown), *found.source_texts(lang)]
    text = t(lang, "chart.source", sources=t(lang, "chart.source_separator").join(parts))
    needs = any(table in NEEDS for table in tables)
    covered = Coverage.load(filters).lines(tables, lang) if needs else []
    lines = [text, *covered, *([note] if note else [])]
    return {"source": "\n".join(lines), "mark": found.mark(lang)}


# What the figures reading a table need that not every operator reports, strictest first: a
# split of the result needs the accounts, so a figure reading both states the split's coverage.
NEEDS = {
    "reallocation_by_market": "split",
    "operator_result": "accounts",
    "outcome_fact": "outcomes",
}
# A comparison between operator kinds shows a kind only when the data it needs covers at least
# half of that kind's market value: below, the figure would speak for the minority of the kind's
# markets that reported, and the kind is shown as « données insuffisantes ».
SUFFICIENT = 0.5


@dataclass(frozen=True)
class Coverage:
    """Of the holders' revenue in the filters (every payer), the share earned by holders that
    have accounts, a split of their result and outcomes that year, in all and per kind group
    (sql/figure_coverage.sql). The market value itself counts every known contract."""

    shares: dict[tuple[str, str], float]  # (kind_group or 'all', need) -> share

    @classmethod
    @cached
    def load(cls, filters: Filters) -> Coverage:
        frame = queries.run("figure_coverage", **filters.params())
        return cls(
            {
                (row["kind_group"], need): row[f"{need}_share"]
                for row in frame.iter_rows(named=True)
                for need in ("accounts", "split", "outcomes")
                if row[f"{need}_share"] is not None
            }
        )

    def share(self, need: str, group: str = "all") -> float | None:
        return self.shares.get((group, need))

    def line(self, need: str, lang: str) -> str:
        """'Computed over the operators whose … : 62 % of the holders' revenue.', or '' when the
        figure covers the whole of it."""
        share = self.share(need)
        if share is None or share >= WHOLE:
            return ""
        return t(lang, f"coverage.{need}", share=percent(share, lang))

    def lines(self, tables: tuple[str, ...], lang: str) -> list[str]:
        """The coverage lines of a figure reading `tables` (one per need, the split standing for
        the accounts it implies)."""
        needs = [NEEDS[table] for table in tables if table in NEEDS]
        if "split" in needs and "accounts" in needs:
            needs.remove("accounts")
        return [line for need in dict.fromkeys(needs) if (line := self.line(need, lang))]


def sufficient(share: float | None) -> bool:
    """True when a kind's coverage is enough to show it beside the others (SUFFICIENT)."""
    return share is not None and share >= SUFFICIENT


def insufficient(share: float | None, lang: str) -> str:
    """« données insuffisantes (12 % du chiffre d'affaires couvert) », instead of a kind's bar."""
    return t(lang, "coverage.insufficient", share=percent(share or 0, lang))


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


def plain_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """A text table for st.table, which reads Markdown in its cells and headers: every cell and
    header escaped to show as itself (imported titles and texts included)."""
    return pl.DataFrame(
        {
            plain_markdown(name): [plain_markdown(str(v)) for v in frame[name].to_list()]
            for name in frame.columns
        }
    )
