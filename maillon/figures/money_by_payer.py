"""What the money of the services is: the market value the prison administration pays and, beside
it and never added to it, canteen sales paid by detained people, concession work paid by clients,
other public funders and the cost of public management (régie) (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import money, t

ADMINISTRATION = "administration"


def by_payer(filters: Filters) -> pl.DataFrame:
    """One row per kind of money and operator kind (sql/money_by_payer.sql)."""
    return queries.run("money_by_payer", **filters.params())


def any_money(filters: Filters) -> bool:
    """True when some contract brings in money in the filters, whoever pays: a scope the prison
    administration pays nothing in (the canteen alone) still has figures to show."""
    return by_payer(filters).height > 0


@dataclass(frozen=True)
class Beside:
    """The kinds of money shown beside the market value: (payer_group_id, label, description,
    amount), in the taxonomy's order, the market value itself left out."""

    rows: tuple[tuple[str, str, str, float], ...]

    @classmethod
    @cached
    def load(cls, filters: Filters, lang: str) -> Beside:
        totals = _totals(by_payer(filters), lang).filter(pl.col("payer_group_id") != ADMINISTRATION)
        return cls(
            tuple(totals.select("payer_group_id", "payer", "description", "amount_eur").iter_rows())
        )

    def formatted(self, lang: str) -> list[tuple[str, str, str]]:
        """(label, amount as shown, what the money is) for each kind of money beside."""
        return [(label, money(amount, lang), text) for _, label, text, amount in self.rows]


def source_line(filters: Filters, lang: str) -> str:
    """The source line of the money beside the market value, from the rows it adds up."""
    return shared.sourced(filters, lang, ["market_revenue"])["source"]


def _totals(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """payer_group_id, payer, description, amount_eur: one row per kind of money, in order."""
    return (
        frame.group_by("payer_group_id", maintain_order=True)
        .agg(
            pl.col(f"payer_{lang}").first().alias("payer"),
            pl.col(f"description_{lang}").first().alias("description"),
            pl.col("amount_eur").sum(),
        )
        .filter(pl.col("amount_eur") > 0)
    )


def finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: what the administration pays, and the largest kind of
    money beside it (or the administration's alone, or the largest other when it pays none)."""
    totals = _totals(frame, lang)
    paid = totals.filter(pl.col("payer_group_id") == ADMINISTRATION)
    others = totals.filter(pl.col("payer_group_id") != ADMINISTRATION).sort(
        "amount_eur", descending=True
    )
    beside = None
    if others.height:
        largest = others.row(0, named=True)
        amount = money(largest["amount_eur"], lang)
        beside = t(lang, f"money_by_payer.beside_{largest['payer_group_id']}", amount=amount)
    if not paid.height:
        return t(lang, "money_by_payer.title_no_market", beside=beside), amount
    market = money(paid["amount_eur"][0], lang)
    if beside is None:
        return t(lang, "money_by_payer.title_market_only", market=market), market
    return t(lang, "money_by_payer.title", market=market, beside=beside), market


def chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    title, key_figure = finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "money_by_payer.subtitle", period=shared.period(filters)),
        **shared.sourced(filters, lang, ["market_revenue"]),
        key_figure=key_figure,
    )
    totals = _totals(frame, lang)
    fig = draw.stacked_horizontal_bars(
        frame.sort("payer_order", "kind_order"),
        y=f"payer_{lang}",
        x="amount_eur",
        series="kind_id",
        series_label=f"kind_{lang}",
        color="color",
        totals_text={r["payer"]: money(r["amount_eur"], lang) for r in totals.to_dicts()},
        caption=caption,
        lang=lang,
    )
    return Chart(fig, table(frame, lang), caption)


def table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The rows drawn, with readable column names and each row's provenance."""
    return frame.select(
        pl.col(f"payer_{lang}").alias(t(lang, "money_by_payer.payer")),
        pl.col(f"kind_{lang}").alias(t(lang, "chart.kind")),
        pl.col("amount_eur").round(2).alias(t(lang, "chart.value")),
        pl.col("contracts").alias(t(lang, "money_by_payer.contracts")),
        shared.row_provenance_column(lang),
    )


@cached
def view(filters: Filters, lang: str) -> Chart | None:
    frame = by_payer(filters)
    return chart(frame, filters, lang) if frame.height else None
