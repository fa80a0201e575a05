"""The Overview page's figures: four headline numbers and the market-share chart (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import money, number, percent, t


@dataclass(frozen=True)
class Headline:
    market_value_eur: float | None
    ess_share: float | None
    returned_eur: float | None
    detainees_employed: float | None
    employed_year: int | None

    @classmethod
    def load(cls, filters: Filters) -> Headline:
        row = queries.run("overview_headline", **filters.params()).row(0, named=True)
        return cls(
            row["market_value_eur"],
            row["ess_share"],
            # Money returned from markets the administration does not pay (the canteen, prison
            # work) is returned all the same: '–' only when there is neither.
            row["returned_eur"] if row["market_value_eur"] or row["returned_eur"] else None,
            row["detainees_employed"],
            row["employed_year"],
        )

    def formatted(self, lang: str) -> dict[str, str]:
        """The four figures as shown, in the locale's format."""
        return {
            "market_value": money(self.market_value_eur, lang),
            "ess_share": share_text(self.ess_share, lang),
            "returned": money(self.returned_eur, lang),
            "employed": number(self.detainees_employed, lang),
        }


def share_text(share: float | None, lang: str) -> str:
    """The ESS share as every page shows it: one decimal, so that a change of a point or two
    between years reads the same in the figures as in the change."""
    return percent(share, lang, decimals=1)


# The Overview's own queries, started together when the page starts (maillon.data.queries
# .prefetch): two cores run them side by side while the page draws what comes first.
QUERIES = (
    "overview_headline",
    "overview_per_hundred",
    "market_value_by_year_kind",
    "money_by_payer",  # the money beside the market value
    "procurement_summary",  # the published contracts' block
)


def prefetch(filters: Filters) -> None:
    for name in QUERIES:
        queries.prefetch(name, **filters.params())


def market_by_kind(filters: Filters) -> pl.DataFrame:
    return queries.run("market_value_by_year_kind", **filters.params())


def ess_share_by_year(frame: pl.DataFrame) -> pl.DataFrame:
    """year, ess_share: the ESS part of each year's market value."""
    return (
        frame.group_by("year")
        .agg(
            (
                pl.col("market_value_eur").filter(pl.col("is_ess")).sum()
                / pl.col("market_value_eur").sum()
            ).alias("ess_share")
        )
        .sort("year")
    )


def market_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the ESS share in the last year of the data, against the
    first."""
    shares = ess_share_by_year(frame)
    first, last = shares.row(0, named=True), shares.row(-1, named=True)
    values = {
        "first": share_text(first["ess_share"], lang),
        "last": share_text(last["ess_share"], lang),
        "year_from": first["year"],
        "year_to": last["year"],
    }
    if first["year"] == last["year"]:
        return t(lang, "overview.chart_title_single", **values), values["last"]
    change = round(last["ess_share"] - first["ess_share"], 3)
    key = (
        "chart_title_rise"
        if change > 0
        else "chart_title_fall"
        if change < 0
        else "chart_title_same"
    )
    return t(lang, f"overview.{key}", **values), values["last"]


def source_line(filters: Filters, lang: str) -> str:
    """The source line of the headline figures, from the rows they add up."""
    tables = ["market_value", "reallocation_by_market", "outcome_fact"]
    return shared.sourced(filters, lang, tables, establishments=True)["source"]


def per_hundred_source(filters: Filters, lang: str) -> str:
    """The source line of the euros per 100: the holders' revenue from every payer (not the
    market value alone) and what their results returned."""
    return shared.sourced(filters, lang, ["market_revenue", "reallocation_by_market"])["source"]


def market_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    shares = ess_share_by_year(frame)
    title, key_figure = market_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "overview.chart_subtitle"),
        **shared.sourced(filters, lang, ["market_value"], establishments=True),
        key_figure=key_figure,
    )
    fig = draw.stacked_bars(
        frame,
        x="year",
        y="market_value_eur",
        series="kind_id",
        series_label=f"label_{lang}",
        color="color",
        caption=caption,
        lang=lang,
        totals_text={
            row["year"]: t(lang, "overview.ess_label", share=share_text(row["ess_share"], lang))
            for row in shares.iter_rows(named=True)
        },
    )
    return Chart(draw.finish(fig), chart_table(frame, lang), caption)


def chart_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The rows drawn, with readable column names, for the 'show the data' table and download."""
    return frame.select(
        pl.col("year").alias(t(lang, "chart.year")),
        pl.col(f"label_{lang}").alias(t(lang, "chart.kind")),
        pl.col("market_value_eur").round(2).alias(t(lang, "chart.value")),
        (pl.col("share_of_year") * 100).round(1).alias(t(lang, "chart.share") + " (%)"),
    )


@dataclass(frozen=True)
class PerHundred:
    """Of each EUR 100 of market value earned by a group (ess, for_profit), the euros going to
    reinsertion and to family support (sql/overview_per_hundred.sql)."""

    reinsertion: dict[str, float]
    family: dict[str, float]
    covered: dict[str, float]  # the share of the group's market value whose result is split

    @classmethod
    def load(cls, filters: Filters) -> PerHundred:
        frame = queries.run("overview_per_hundred", **filters.params())
        rows = [r for r in frame.iter_rows(named=True) if r["revenue_eur"]]
        return cls(
            {r["kind_group"]: r["reinsertion_per_100"] for r in rows},
            {r["kind_group"]: r["family_per_100"] for r in rows},
            {r["kind_group"]: r["split_share"] for r in rows},
        )

    def sentence(self, group: str, lang: str) -> str | None:
        """'Of each €100 ESS operators earn in prison markets, €3.10 go to reinsertion and …';
        « données insuffisantes » when too little of the group's value has a known split."""
        if group not in self.reinsertion:
            return None
        if not shared.sufficient(self.covered[group]):
            return t(
                lang,
                f"overview.per_100_{group}_insufficient",
                insufficient=shared.insufficient(self.covered[group], lang),
            )
        return t(
            lang,
            f"overview.per_100_{group}",
            reinsertion=euros(self.reinsertion[group], lang),
            family=euros(self.family[group], lang),
        )


@cached
def market_view(filters: Filters, lang: str) -> Chart | None:
    """None where the prison administration pays nothing (the canteen alone, say)."""
    frame = market_by_kind(filters)
    return market_chart(frame, filters, lang) if frame.height else None


def euros(value: float, lang: str) -> str:
    """A small amount with cents: '3,10 €' / '€3.10'."""
    return t(lang, "overview.euros", value=number(value, lang, decimals=2))
