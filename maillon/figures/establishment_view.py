"""One establishment's own view (no Streamlit): its detainees by month against its places, and the
markets it holds, what they produced and which part of those figures is invented (the
establishment is real; the demo's markets are not)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import date_text, money, number, percent, t


def series(establishment_id: str) -> pl.DataFrame:
    return queries.run("establishment_population_series", establishment_id=establishment_id)


def series_chart(frame: pl.DataFrame, name: str, lang: str) -> Chart:
    """The establishment's detainees by month (published or modeled) against its places."""
    fig = go.Figure()
    for provenance, dash in (("modeled", "dot"), ("real", "solid")):
        part = frame.filter(pl.col("provenance") == provenance)
        if part.height:
            fig.add_scatter(
                x=part["month"].to_list(),
                y=part["detainees"].to_list(),
                mode="lines",
                line={"color": "#b30000", "width": 3, "dash": dash},
                name=t(lang, f"establishments.detainees_{provenance}"),
            )
    fig.add_scatter(
        x=frame["month"].to_list(),
        y=frame["operational_capacity"].to_list(),
        mode="lines",
        line={"color": "#555", "width": 2, "shape": "hv"},
        name=t(lang, "establishments.places"),
    )
    last = frame.row(-1, named=True)
    occupancy = percent(last["occupancy"], lang)
    caption = Caption(
        title=t(
            lang,
            "establishments.series_title",
            name=name,
            detainees=number(last["detainees"], lang),
            places=number(last["operational_capacity"], lang),
            occupancy=occupancy,
            month=date_text(last["month"], lang, month=True),
        ),
        subtitle=t(lang, "establishments.series_subtitle"),
        source=t(
            lang,
            "chart.source",
            sources=t(lang, "chart.source_separator").join(
                shared.source_texts(shared.named_sources(set(frame["source_id"]))[0], lang)
            ),
        ),
        key_figure=occupancy,
    )
    draw.style(fig, caption, lang)
    fig.update_layout(height=480)
    fig.update_yaxes(tickformat=",d")  # '1 000' / '1,000' with the layout's separators
    return Chart(draw.finish(fig), series_table(frame, lang), caption)


def series_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("month").alias(t(lang, "establishments.month")),
        pl.col("detainees").alias(t(lang, "establishments.detainees")),
        pl.col("operational_capacity").alias(t(lang, "establishments.places")),
        (pl.col("occupancy") * 100).round(1).alias(t(lang, "establishments.occupancy") + " (%)"),
        pl.col("provenance").alias(t(lang, "establishments.provenance")),
    )


def markets(establishment_id: str, filters: Filters) -> pl.DataFrame:
    return queries.run(
        "establishment_markets",
        establishment_id=establishment_id,
        year_from=filters.year_from,
        year_to=filters.year_to,
    )


def markets_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col(f"domain_{lang}").alias(t(lang, "dash.domain")),
        pl.col("operator_name").alias(t(lang, "markets.operator")),
        pl.col(f"kind_{lang}").alias(t(lang, "chart.kind")),
        pl.col("first_year").alias(t(lang, "establishments.from")),
        pl.col("last_year").alias(t(lang, "establishments.to")),
        pl.col("revenue_eur").round(0).alias(t(lang, "establishments.col_revenue")),
        shared.row_provenance_column(lang),
        pl.col("returned_eur").round(0).alias(t(lang, "overview.returned") + " (€)"),
    )


def invented_notice(frame: pl.DataFrame, lang: str) -> str:
    """Next to one real establishment's market figures: which part of them is invented (the
    establishment is real, the demo's markets are not). '' when none is."""
    total = frame["revenue_eur"].sum()
    invented = (frame["revenue_eur"] * frame["illustrative_share"].fill_null(0)).sum()
    if not total or invented <= 0:
        return ""
    return t(lang, "establishments.invented_notice", share=percent(invented / total, lang))


def outcomes(establishment_id: str, filters: Filters) -> pl.DataFrame:
    return queries.run(
        "establishment_outcomes",
        establishment_id=establishment_id,
        year_from=filters.year_from,
        year_to=filters.year_to,
    )


def outcomes_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """One row per indicator; the period total is left empty for headcounts (not additive)."""
    year = frame["last_year"][0]
    return frame.select(
        pl.col(f"label_{lang}").alias(t(lang, "establishments.indicator")),
        pl.col("last_year_value").round(0).alias(t(lang, "establishments.in_year", year=year)),
        pl.when(pl.col("is_headcount"))
        .then(None)
        .otherwise(pl.col("period_value").round(0))
        .alias(t(lang, "establishments.over_period")),
        shared.row_provenance_column(lang),
    )


def markets_summary(frame: pl.DataFrame, filters: Filters, lang: str) -> str:
    return t(
        lang,
        "establishments.markets_summary",
        value=money(frame["revenue_eur"].sum(), lang),
        returned=money(frame["returned_eur"].sum(), lang),
        holders=frame["operator_name"].n_unique(),
        period=shared.period(filters),
    )
