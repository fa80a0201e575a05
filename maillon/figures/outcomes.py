"""Outcomes: what the markets produced per year and operator kind, and the cost per person helped
(the SROI is in outcomes_sroi; no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import money, number, percent, t


def by_year_kind(filters: Filters) -> pl.DataFrame:
    return queries.run("outcomes_by_year_kind", **filters.params())


@cached
def indicators(filters: Filters, lang: str) -> Mapping[str, str]:
    """{indicator_id: label} in display order, for the indicator picker (read-only: cached)."""
    columns = ("indicator_id", f"indicator_{lang}", "indicator_order")
    rows = by_year_kind(filters).select(columns).unique().sort("indicator_order")
    return MappingProxyType(dict(zip(rows["indicator_id"], rows[f"indicator_{lang}"], strict=True)))


def for_indicator(frame: pl.DataFrame, indicator_id: str) -> pl.DataFrame:
    return frame.filter(pl.col("indicator_id") == indicator_id)


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    return money(value, lang) if unit == "eur" else number(value, lang)


def indicator_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the indicator in the last year and the ESS part of it."""
    last_year = frame["year"].max()
    last = frame.filter(pl.col("year") == last_year)
    total = last["value"].sum()
    ess = last.filter(pl.col("is_ess"))["value"].sum()
    value = fmt_value(total, last["unit"][0], lang)
    title = t(
        lang,
        "outcomes.indicator_title",
        indicator=last[f"indicator_{lang}"][0],
        value=value,
        year=last_year,
        share=percent(ess / total if total else None, lang),
    )
    return title, value


def indicator_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    unit = frame["unit"][0]
    subtitle_key = (
        "indicator_subtitle_headcount" if frame["is_headcount"][0] else "indicator_subtitle"
    )
    title, key_figure = indicator_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, f"outcomes.{subtitle_key}", unit=t(lang, f"outcomes.unit_{unit}")),
        **shared.sourced(filters, lang, ["outcome_fact"]),
        key_figure=key_figure,
    )
    fig = draw.stacked_bars(
        frame,
        x="year",
        y="value",
        series="kind_id",
        series_label=f"label_{lang}",
        color="color",
        caption=caption,
        lang=lang,
    )
    if unit != "eur":
        top = frame.group_by("year").agg(pl.col("value").sum())["value"].max() or 0
        draw.locale_ticks(fig, lang, "number", top)
        for trace in fig.data:
            trace.customdata = [number(v, lang) for v in trace.y]
    return Chart(draw.finish(fig), indicator_table(frame, lang), caption)


def indicator_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("year").alias(t(lang, "chart.year")),
        pl.col(f"indicator_{lang}").alias(t(lang, "outcomes.indicator")),
        pl.col(f"label_{lang}").alias(t(lang, "chart.kind")),
        pl.col("value").round(2).alias(t(lang, "outcomes.value")),
    )


# ---------------------------------------------------------------- cost per person helped


def sroi_inputs(filters: Filters) -> pl.DataFrame:
    return queries.run("outcomes_sroi", **filters.params())


def has_cost(frame: pl.DataFrame) -> bool:
    return frame["eur_per_person_helped"].drop_nulls().len() > 0


def _cost_covered() -> pl.Expr:
    """The cost per person helped needs both the split of the result and the outcomes."""
    return pl.min_horizontal("split_share", "outcomes_share")


def cost_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        shared.group_column(lang),
        pl.col("returned_eur").round(2).alias(t(lang, "outcomes.returned_eur")),
        pl.col("people_helped").alias(t(lang, "outcomes.people_helped")),
        pl.col("eur_per_person_helped").round(2).alias(t(lang, "outcomes.per_person")),
        pl.col("own_service_families").alias(t(lang, "outcomes.own_service_families")),
        (_cost_covered() * 100).round(1).alias(t(lang, "chart.coverage")),
    )


def cost_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: what each group spends per person helped (ESS first),
    over the groups whose coverage is sufficient."""
    values = {
        r["kind_group"]: r["eur_per_person_helped"]
        for r in frame.filter(pl.col("covered") >= shared.SUFFICIENT).to_dicts()
    }
    if not values:
        return t(lang, "coverage.title_insufficient"), ""
    if values.get("ess") is not None and values.get("for_profit") is not None:
        ess = money(values["ess"], lang)
        title = t(
            lang,
            "outcomes.cost_title",
            ess=ess,
            for_profit=money(values["for_profit"], lang),
        )
        return title, ess
    group, value = next(iter(values.items()))
    title = t(
        lang,
        "outcomes.cost_title_one",
        group=shared.group_label(group, lang),
        value=money(value, lang),
    )
    return title, money(value, lang)


def cost_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    drawn = frame.filter(pl.col("eur_per_person_helped").is_not_null()).with_columns(
        pl.col("kind_group")
        .map_elements(lambda g: shared.group_label(g, lang), return_dtype=pl.String)
        .alias("group"),
        _cost_covered().alias("covered"),
    )
    title, key_figure = cost_finding(drawn, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "outcomes.cost_subtitle"),
        **shared.sourced(filters, lang, ["reallocation_by_market", "outcome_fact"]),
        key_figure=key_figure,
    )
    fig = draw.horizontal_bars(
        drawn.with_columns(
            pl.when(pl.col("covered") >= shared.SUFFICIENT)
            .then(pl.col("eur_per_person_helped"))
            .otherwise(0.0)
        ),
        y="group",
        x="eur_per_person_helped",
        color="color",
        text=[
            money(value, lang) if shared.sufficient(share) else shared.insufficient(share, lang)
            for value, share in zip(drawn["eur_per_person_helped"], drawn["covered"], strict=True)
        ],
        caption=caption,
        lang=lang,
        axis_title=t(lang, "outcomes.cost_axis"),
    )
    return Chart(fig, cost_table(frame, lang), caption)


@cached
def indicator_view(filters: Filters, indicator_id: str, lang: str) -> Chart:
    return indicator_chart(for_indicator(by_year_kind(filters), indicator_id), filters, lang)


@cached
def cost_view(filters: Filters, lang: str) -> Chart | None:
    frame = sroi_inputs(filters)
    return cost_chart(frame, filters, lang) if has_cost(frame) else None
