"""Like for like: operator groups compared within each domain (and one establishment type when
the filter says so), with the spread across operators and how many operators stand behind each
figure (no Streamlit).

Comparing operator groups over all their markets mostly measures the mix of domains they hold
(catering costs more per day than culture, a family-reception market's families are its own
service). Within one domain the groups answer the same question; a group with fewer than
MIN_OPERATORS operators there is not shown as a comparison. Four measures read this way, each
from its own SQL file returning one row per domain and operator (value) with its group's count,
pooled figure (group_value) and p10 / median / p90: the market value per detainee-day (Markets),
the euros returned to reinsertion and families per 100 € earned (Where the result goes), the
cost per person helped and the social value per euro at the reader's SROI parameters
(Outcomes)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from plotly.subplots import make_subplots

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import outcomes_sroi, shared
from maillon.i18n import number, t
from maillon.plain_text import plotly_text

MIN_OPERATORS = 3  # the SQL files' `comparable` says the same
COMPARED = ("ess", "for_profit")
# Each domain's panel and the room between two (its title, the ticks above), in pixels.
PANEL_HEIGHT, PANEL_GAP = 210, 90


@dataclass(frozen=True)
class Measure:
    """One figure read domain by domain: its SQL file, its catalog keys (like_for_like.<name>_…),
    the tables its source line names, and whether its title counts the domains where the ESS
    median is lower (counts_lower) or higher than the for-profit one."""

    name: str
    query: str
    tables: tuple[str, ...]
    decimals: int
    counts_lower: bool
    population: bool = False


PER_DETAINEE_DAY = Measure(
    "per_detainee_day",
    "markets_per_detainee_by_domain",
    ("market_value", "establishment_population"),
    decimals=2,
    counts_lower=True,
    population=True,
)
PER_HUNDRED = Measure(
    "per_hundred",
    "money_flow_per_hundred_by_domain",
    ("market_revenue", "reallocation_by_market"),
    decimals=2,
    counts_lower=False,
)
COST_PER_PERSON = Measure(
    "cost_per_person",
    "outcomes_cost_by_domain",
    ("reallocation_by_market", "outcome_fact"),
    decimals=0,
    counts_lower=True,
)
SROI = Measure(
    "sroi",
    "outcomes_sroi_by_domain",
    ("outcome_fact", "sroi_proxy", "market_revenue"),
    decimals=2,
    counts_lower=False,
)


def by_domain(measure: Measure, filters: Filters, **extra) -> pl.DataFrame:
    """One row per domain and operator (the measure's SQL file, with its `extra` parameters)."""
    return queries.run(measure.query, **filters.params(), **extra)


def groups(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per domain and group: operators, comparable, pooled figure, p10, median, p90."""
    return frame.group_by(
        "domain_id", "domain_fr", "domain_en", "kind_group", "color", maintain_order=True
    ).agg(pl.col("operators", "comparable", "group_value", "p10", "median", "p90").first())


def finding(frame: pl.DataFrame, measure: Measure, lang: str) -> tuple[str, str]:
    """In how many domains, of those where both groups are comparable, the ESS median is lower
    (or higher, as the measure says) than the for-profit one."""
    both = (
        groups(frame)
        .filter(pl.col("comparable") & pl.col("kind_group").is_in(COMPARED))
        .pivot("kind_group", index="domain_id", values="median")
        .drop_nulls()
    )
    if not set(COMPARED) <= set(both.columns) or both.is_empty():
        return t(lang, "like_for_like.title_none", n=MIN_OPERATORS), "–"
    if measure.counts_lower:
        counted = int((both["ess"] < both["for_profit"]).sum())
    else:
        counted = int((both["ess"] > both["for_profit"]).sum())
    key = number(counted, lang)
    return t(lang, f"like_for_like.{measure.name}_title", domains=key, count=both.height), key


def _eur(value: float, measure: Measure, lang: str) -> str:
    return t(lang, "dash.eur", value=number(value, lang, decimals=measure.decimals))


def chart(frame: pl.DataFrame, measure: Measure, filters: Filters, lang: str) -> Chart:
    """One panel per domain with its own scale: a point per operator, each comparable group's
    p10–p90 as a line and its median as a tick; groups of too few operators say so instead."""
    summary = groups(frame)
    domains = summary["domain_id"].unique(maintain_order=True).to_list()
    names = dict(summary.select("domain_id", f"domain_{lang}").iter_rows())
    fig = make_subplots(
        rows=len(domains),
        cols=1,
        subplot_titles=[plotly_text(names[d]) for d in domains],
        vertical_spacing=PANEL_GAP / (PANEL_HEIGHT * len(domains)),
    )
    legend_shown: set[str] = set()
    for row, domain in enumerate(domains, start=1):
        here = summary.filter(pl.col("domain_id") == domain)
        points = frame.filter(pl.col("domain_id") == domain)
        # A panel's p10-p90 lines and median ticks are one trace each (lines apart by a gap):
        # a nine-panel chart of 57 traces drew as 39, its image 10 % sooner.
        ranges: dict[str, list] = {"x": [], "y": []}
        medians: dict[str, list] = {"x": [], "y": [], "hovertext": []}
        for group in here.iter_rows(named=True):
            name = shared.group_label(group["kind_group"], lang)
            if not group["comparable"]:
                # the lane is kept, named, with no point: too few operators to compare
                fig.add_scatter(
                    x=[None],
                    y=[t(lang, "like_for_like.lane_too_few", group=name, n=group["operators"])],
                    mode="markers",
                    showlegend=False,
                    hoverinfo="skip",
                    row=row,
                    col=1,
                )
                continue
            lane = t(
                lang,
                "like_for_like.lane",
                group=name,
                n=group["operators"],
                median=_eur(group["median"], measure, lang),
            )
            mine = points.filter(pl.col("kind_group") == group["kind_group"])
            fig.add_scatter(
                x=mine["value"].to_list(),
                y=[lane] * mine.height,
                mode="markers",
                marker={"color": group["color"], "size": 11, "opacity": 0.55},
                name=name,
                legendgroup=group["kind_group"],
                showlegend=group["kind_group"] not in legend_shown,
                customdata=[
                    [plotly_text(n), _eur(v, measure, lang)]
                    for n, v in zip(mine["operator_name"], mine["value"], strict=True)
                ],
                hovertemplate="%{customdata[0]} : %{customdata[1]}<extra></extra>",
                row=row,
                col=1,
            )
            legend_shown.add(group["kind_group"])
            gap = [None] if ranges["x"] else []
            ranges["x"] += [*gap, group["p10"], group["p90"]]
            ranges["y"] += [*gap, lane, lane]
            medians["x"].append(group["median"])
            medians["y"].append(lane)
            medians["hovertext"].append(
                t(
                    lang,
                    "like_for_like.median_hover",
                    value=_eur(group["median"], measure, lang),
                    n=group["operators"],
                )
            )
        if medians["x"]:
            fig.add_scatter(
                **ranges,
                mode="lines",
                line={"color": "#222", "width": 2},
                showlegend=False,
                hoverinfo="skip",
                row=row,
                col=1,
            )
            fig.add_scatter(
                **medians,
                mode="markers",
                marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": "#222"}},
                showlegend=False,
                hoverinfo="text",
                row=row,
                col=1,
            )
        top = max(points["value"].max() or 0, 1e-9)
        ticks = draw.tick_values(0, top)
        fig.update_xaxes(
            range=[0, top * 1.15],
            tickmode="array",
            tickvals=ticks,
            ticktext=[_eur(v, measure, lang) for v in ticks],
            row=row,
            col=1,
        )
    title, key_figure = finding(frame, measure, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, f"like_for_like.{measure.name}_subtitle", n=MIN_OPERATORS),
        **shared.sourced(filters, lang, list(measure.tables), population=measure.population),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_yaxes(showgrid=False, zeroline=False, autorange="reversed", rangemode="normal")
    fig.update_xaxes(gridcolor="#e6e6e6", showgrid=True)
    fig.update_layout(height=260 + PANEL_HEIGHT * len(domains))
    return Chart(
        draw.finish(fig, legend="right", axis_room=40), table(summary, measure, lang), caption
    )


def table(summary: pl.DataFrame, measure: Measure, lang: str) -> pl.DataFrame:
    """Per domain and group: the operators behind the figure, and the figure only when it is a
    comparison (MIN_OPERATORS or more)."""
    shown = pl.col("comparable")
    return summary.select(
        pl.col(f"domain_{lang}").alias(t(lang, "dash.domain")),
        shared.group_column(lang),
        pl.col("operators").alias(t(lang, "like_for_like.operators")),
        pl.when(shown)
        .then(pl.col("group_value").round(4))
        .alias(t(lang, f"like_for_like.{measure.name}_pooled")),
        pl.when(shown).then(pl.col("p10").round(4)).alias("p10"),
        pl.when(shown).then(pl.col("median").round(4)).alias(t(lang, "like_for_like.median")),
        pl.when(shown).then(pl.col("p90").round(4)).alias("p90"),
    )


def _view(measure: Measure, filters: Filters, lang: str, **extra) -> Chart | None:
    frame = by_domain(measure, filters, **extra)
    return chart(frame, measure, filters, lang) if frame.height else None


@cached
def per_detainee_day_view(filters: Filters, lang: str) -> Chart | None:
    return _view(PER_DETAINEE_DAY, filters, lang)


@cached
def per_hundred_view(filters: Filters, lang: str) -> Chart | None:
    return _view(PER_HUNDRED, filters, lang)


@cached
def cost_per_person_view(filters: Filters, lang: str) -> Chart | None:
    return _view(COST_PER_PERSON, filters, lang)


@cached
def sroi_view(filters: Filters, parameters: outcomes_sroi.Parameters, lang: str) -> Chart | None:
    """The SROI at the reader's central proxies and parameters, domain by domain."""
    used = outcomes_sroi.proxies_used(outcomes_sroi.proxies(), parameters)
    return _view(
        SROI,
        filters,
        lang,
        indicator_ids=used["indicator_id"].to_list(),
        proxy_eur=used["central_eur"].to_list(),
        factor=parameters.factor(),
    )
