"""Outcomes: what the markets produced per year and operator kind, the cost per person helped, and
an SROI range from documented financial proxies with adjustable assumptions (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import catalog, money, number, percent, t

SROI_YEARS = 3  # the benefit is counted over three years, fading by the drop-off rate


def by_year_kind(filters: Filters) -> pl.DataFrame:
    return queries.run("outcomes_by_year_kind", **filters.params())


def indicators(frame: pl.DataFrame, lang: str) -> dict[str, str]:
    """{indicator_id: label} in display order, for the indicator picker."""
    rows = frame.select("indicator_id", f"indicator_{lang}", "indicator_order").unique()
    rows = rows.sort("indicator_order")
    return dict(zip(rows["indicator_id"], rows[f"indicator_{lang}"], strict=True))


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


# ---------------------------------------------------------------- cost per person, SROI


def sroi_inputs(filters: Filters) -> pl.DataFrame:
    return queries.run("outcomes_sroi", **filters.params())


def proxies() -> pl.DataFrame:
    return queries.run("sroi_proxies")


def has_cost(frame: pl.DataFrame) -> bool:
    return frame["eur_per_person_helped"].drop_nulls().len() > 0


def _cost_covered() -> pl.Expr:
    """The cost per person helped needs both the split of the result and the outcomes."""
    return pl.min_horizontal("split_share", "outcomes_share")


def cost_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("kind_group")
        .map_elements(lambda g: shared.group_label(g, lang), return_dtype=pl.String)
        .alias(t(lang, "dash.group")),
        pl.col("returned_eur").round(2).alias(t(lang, "outcomes.returned_eur")),
        pl.col("people_helped").alias(t(lang, "outcomes.people_helped")),
        pl.col("eur_per_person_helped").round(2).alias(t(lang, "outcomes.per_person")),
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
    )
    return Chart(fig, cost_table(frame, lang), caption)


@dataclass(frozen=True)
class Assumptions:
    """Shares (0–1) removed from the gross value: what would have happened anyway (deadweight),
    what others caused (attribution), and the yearly fading of the benefit (drop-off)."""

    deadweight: float = 0.25
    attribution: float = 0.30
    drop_off: float = 0.20

    def factor(self) -> float:
        """Net share of the gross one-year value, summed over SROI_YEARS years."""
        years = sum((1 - self.drop_off) ** year for year in range(SROI_YEARS))
        return (1 - self.deadweight) * (1 - self.attribution) * years


def sroi(frame: pl.DataFrame, assumptions: Assumptions) -> pl.DataFrame:
    """kind_group, color, outcomes_share, low, central, high: net social value per euro of the
    market value of the operators that measure outcomes; null ratios for a group whose coverage
    is insufficient (shown as « données insuffisantes »)."""
    factor = assumptions.factor()
    valued = (pl.col("covered_revenue_eur") > 0) & (pl.col("value_high_eur") > 0)
    shown = pl.col("outcomes_share") >= shared.SUFFICIENT
    return frame.filter(valued).select(
        "kind_group",
        "color",
        "outcomes_share",
        *[
            pl.when(shown)
            .then(pl.col(f"value_{level}_eur") * factor / pl.col("covered_revenue_eur"))
            .alias(level)
            for level in ("low", "central", "high")
        ],
    )


def _ratio(value: float, lang: str) -> str:
    return t(lang, "dash.eur", value=number(value, lang, decimals=2))


def sroi_finding(ratios: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the social value per euro of the ESS (else the first
    group), low to high, its central value as the key figure."""
    rows = {r["kind_group"]: r for r in ratios.to_dicts() if r["central"] is not None}
    if not rows:
        return t(lang, "coverage.title_insufficient"), ""
    row = rows.get("ess") or next(iter(rows.values()))
    central = _ratio(row["central"], lang)
    title = t(
        lang,
        "outcomes.sroi_title",
        group=shared.group_label(row["kind_group"], lang),
        low=_ratio(row["low"], lang),
        high=_ratio(row["high"], lang),
        central=central,
    )
    return title, central


def sroi_chart(
    ratios: pl.DataFrame, assumptions: Assumptions, filters: Filters, lang: str
) -> Chart:
    """Per group, the low–high range as a bar and the central value as a labelled dot."""
    names = [shared.group_label(g, lang) for g in ratios["kind_group"]]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=(ratios["high"] - ratios["low"]).to_list(),
        base=ratios["low"].to_list(),
        orientation="h",
        marker={"color": ratios["color"].to_list(), "opacity": 0.45},
        customdata=[
            f"{_ratio(lo, lang)} – {_ratio(hi, lang)}"
            for lo, hi in zip(ratios["low"], ratios["high"], strict=True)
        ],
        hovertemplate="%{y} : %{customdata}<extra></extra>",
        name=t(lang, "outcomes.sroi_range"),
    )
    fig.add_scatter(
        y=names,
        x=ratios["central"].fill_null(0).to_list(),
        mode="markers+text",
        marker={
            "color": "#222",
            "size": [14 if v is not None else 0 for v in ratios["central"]],
            "symbol": "diamond",
        },
        text=[
            _ratio(v, lang) if v is not None else shared.insufficient(share, lang)
            for v, share in zip(ratios["central"], ratios["outcomes_share"], strict=True)
        ],
        # « données insuffisantes » starts at the axis, where a centred label would be cut off
        textposition=["top center" if v is not None else "middle right" for v in ratios["central"]],
        textfont={"size": 16},
        name=t(lang, "outcomes.sroi_central"),
        hoverinfo="skip",
    )
    note = t(
        lang,
        "outcomes.sroi_note",
        deadweight=percent(assumptions.deadweight, lang),
        attribution=percent(assumptions.attribution, lang),
        drop_off=percent(assumptions.drop_off, lang),
        years=SROI_YEARS,
    )
    title, key_figure = sroi_finding(ratios, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "outcomes.sroi_subtitle"),
        **shared.sourced(
            filters, lang, ["outcome_fact", "sroi_proxy", "market_revenue"], note=note
        ),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_layout(height=max(400, 240 + 90 * ratios.height), showlegend=False)
    fig.update_xaxes(rangemode="tozero", gridcolor="#e6e6e6", tickformat=".2f")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.add_vline(x=1, line={"color": "#666", "width": 1, "dash": "dot"})
    return Chart(draw.finish(fig, legend=None, axis_room=40), sroi_table(ratios, lang), caption)


def sroi_table(ratios: pl.DataFrame, lang: str) -> pl.DataFrame:
    return ratios.select(
        pl.col("kind_group")
        .map_elements(lambda g: shared.group_label(g, lang), return_dtype=pl.String)
        .alias(t(lang, "dash.group")),
        pl.col("low").round(3).alias(t(lang, "outcomes.low")),
        pl.col("central").round(3).alias(t(lang, "outcomes.central")),
        pl.col("high").round(3).alias(t(lang, "outcomes.high")),
        (pl.col("outcomes_share") * 100).round(1).alias(t(lang, "chart.coverage")),
    )


def proxy_basis(indicator_id: str, basis: str, lang: str) -> str:
    """What a proxy stands for, in the reader's language: the demo's texts (written in English in
    data/demo/sroi_proxy.csv) are Maillon's words, translated by the catalogs
    (sroi_proxy_basis.<indicator>); a text someone imported is shown as written."""
    key = f"sroi_proxy_basis.{indicator_id}"
    return t(lang, key) if catalog("en").get(key) == basis else basis


def proxies_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col(f"label_{lang}").alias(t(lang, "outcomes.indicator")),
        pl.col("low_eur").alias(t(lang, "outcomes.low") + " (€)"),
        pl.col("central_eur").alias(t(lang, "outcomes.central") + " (€)"),
        pl.col("high_eur").alias(t(lang, "outcomes.high") + " (€)"),
        pl.struct("indicator_id", "basis")
        .map_elements(
            lambda p: proxy_basis(p["indicator_id"], p["basis"], lang), return_dtype=pl.String
        )
        .alias(t(lang, "outcomes.basis")),
        pl.col("provenance").alias(t(lang, "outcomes.provenance")),
    )


@cached
def indicator_view(filters: Filters, indicator_id: str, lang: str) -> Chart:
    return indicator_chart(for_indicator(by_year_kind(filters), indicator_id), filters, lang)


@cached
def cost_view(filters: Filters, lang: str) -> Chart | None:
    frame = sroi_inputs(filters)
    return cost_chart(frame, filters, lang) if has_cost(frame) else None


@cached
def sroi_view(filters: Filters, assumptions: Assumptions, lang: str) -> Chart | None:
    ratios = sroi(sroi_inputs(filters), assumptions)
    return sroi_chart(ratios, assumptions, filters, lang) if ratios.height else None
