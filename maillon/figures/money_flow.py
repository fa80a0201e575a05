"""Where the result goes: the Sankey of money from markets to destinations, destinations over
time, and the share of result each operator kind returns to reinsertion and families
(no Streamlit)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import ChartView, cached
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import money, percent, t
from maillon.plain_text import plotly_text

OTHER = "other"
RETURNED = ("reinsertion", "family")


# ---------------------------------------------------------------- the Sankey


def links(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_links", **filters.params())


def _group_domains(frame: pl.DataFrame) -> pl.DataFrame:
    """Stage-1 links of the domains beyond the six largest merged into one 'other' node."""
    stage1 = frame.filter(pl.col("stage") == 1)
    top = shared.top_with_other(stage1, key="source_id", value="value_eur")
    grouped = stage1.with_columns(
        pl.when(pl.col("source_id").is_in(top))
        .then(pl.col("source_id"))
        .otherwise(pl.lit(OTHER))
        .alias("source_id")
    )
    grouped = grouped.group_by(
        "stage", "source_type", "source_id", "target_type", "target_id", "kind_id", "color"
    ).agg(pl.col("value_eur").sum())
    return pl.concat([grouped.select(frame.columns), frame.filter(pl.col("stage") > 1)])


@dataclass(frozen=True)
class Layout:
    """Which column each node type sits in, and where a column's first node starts (a share of
    the plot height from the top; 0.01 unless said otherwise)."""

    columns: dict[str, int]
    tops: dict[str, float]


# The money Sankey: the small destination column starts below the result's label and ends
# above the middle of "other costs", where that node's label sits.
MONEY_LAYOUT = Layout({"domain": 0, "kind": 1, "cost": 2, "category": 3}, {"category": 0.12})
# The result Sankey: destination category -> destination.
RESULT_LAYOUT = Layout({"category": 0, "destination": 1}, {})
COST_ORDER = {"result": 0, "wages": 1, "other_costs": 2}
MIN_GAP = 0.05  # least vertical room per node label, as a share of the plot height


def _node_label(node_type: str, node_id: str, names: dict, lang: str) -> str:
    if node_type == "cost":
        return t(lang, f"money_flow.{node_id}")
    if node_id == OTHER:
        return t(lang, "dash.other_domains")
    return names[(node_type, node_id)]


def _short(name: str) -> str:
    """A node's name without its trailing explanation in brackets ('Scop (coopérative de
    travail)' -> 'Scop'): long labels ran into the next column. Hover keeps the full name."""
    return re.sub(r"\s*\([^)]*\)$", "", name)


def _node_color(node: tuple[str, str], kind_colors: dict, category_of: dict) -> str:
    node_type, node_id = node
    if node_type == "kind":
        return kind_colors[node_id]
    if node_type == "cost":
        return draw.COST_COLORS.get(node_id, draw.DESTINATION_COLORS["reinsertion"])
    if node_type == "category":
        return draw.DESTINATION_COLORS[node_id]
    if node_type == "destination":
        return draw.DESTINATION_COLORS[category_of[node_id]]
    return draw.NEUTRAL_NODE


def _positions(nodes: list[tuple[str, str]], values: list[float], layout: Layout):
    """x by column; y stacks each column's nodes, each given its share of the largest column's
    total or at least MIN_GAP, so that the labels of small flows do not overlap."""
    columns = sorted({layout.columns[n[0]] for n in nodes})
    members = {c: [i for i, n in enumerate(nodes) if layout.columns[n[0]] == c] for c in columns}
    tops = {layout.columns[kind]: top for kind, top in layout.tops.items()}
    scale_total = max(sum(values[i] for i in m) for m in members.values()) or 1
    y_by_node = {}
    for column, indices in members.items():
        top = tops.get(column, 0.01)
        heights = _heights([values[i] / scale_total * 0.85 for i in indices], 0.99 - top)
        for i, height in zip(indices, heights, strict=True):
            y_by_node[i] = top + height / 2
            top += height
    last = max(layout.columns.values())
    xs = [0.001 + 0.998 * layout.columns[node[0]] / last for node in nodes]
    return xs, [y_by_node[i] for i in range(len(nodes))]


def _heights(shares: list[float], room: float) -> list[float]:
    """Each node's share of the height, at least MIN_GAP, the whole fitting in `room`: when the
    column is too tall, the nodes above MIN_GAP shrink and the small ones keep MIN_GAP."""
    floored = [max(share, MIN_GAP) for share in shares]
    if sum(floored) <= room:
        return floored
    small = {i for i, share in enumerate(shares) if share <= MIN_GAP}
    while True:
        large = [i for i in range(len(shares)) if i not in small]
        large_total = sum(shares[i] for i in large)
        scale = max(room - MIN_GAP * len(small), 0) / large_total if large_total else 0
        newly_small = {i for i in large if shares[i] * scale < MIN_GAP}
        if not newly_small:
            break
        small |= newly_small
    return [MIN_GAP if i in small else share * scale for i, share in enumerate(shares)]


def sankey_data(
    frame: pl.DataFrame, lang: str, layout: Layout = MONEY_LAYOUT
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(nodes, links) ready for draw.sankey: nodes in column order, links by node index."""
    if "domain" in layout.columns:
        frame = _group_domains(frame)
    names = shared.labels(lang)
    kind_colors = shared.kind_colors()
    order = queries.run("taxonomy_labels")
    rank = {(r["type"], r["id"]): r["sort_order"] for r in order.iter_rows(named=True)}
    category_of = {
        r["target_id"]: r["source_id"]
        for r in frame.filter(pl.col("target_type") == "destination").iter_rows(named=True)
    }
    inflow = frame.group_by("target_type", "target_id").agg(pl.col("value_eur").sum())
    outflow = frame.group_by("source_type", "source_id").agg(pl.col("value_eur").sum())
    totals = {(r[0], r[1]): r[2] for r in inflow.iter_rows()}
    for r in outflow.iter_rows():
        totals.setdefault((r[0], r[1]), r[2])

    def sort_key(node: tuple[str, str]):
        column = layout.columns[node[0]]
        if node[0] == "domain":  # largest first, 'other' last
            return (column, node[1] == OTHER, -totals[node], node[1])
        if node[0] == "cost":
            return (column, COST_ORDER[node[1]], 0, "")
        return (column, False, rank.get(node, 99), node[1])

    node_rows = sorted(totals, key=sort_key)
    index = {node: i for i, node in enumerate(node_rows)}
    values = [totals[n] for n in node_rows]
    names_only = [_node_label(kind, node_id, names, lang) for kind, node_id in node_rows]
    xs, ys = _positions(node_rows, values, layout)
    nodes = pl.DataFrame(
        {
            "type": [n[0] for n in node_rows],
            "id": [n[1] for n in node_rows],
            "name": names_only,
            "label": [
                f"{_short(n)} · {money(v, lang)}" for n, v in zip(names_only, values, strict=True)
            ],
            "color": [_node_color(node, kind_colors, category_of) for node in node_rows],
            "value_eur": values,
            "x": xs,
            "y": ys,
            "hover": [f"{n} : {money(v, lang)}" for n, v in zip(names_only, values, strict=True)],
        }
    )
    link_rows = frame.to_dicts()

    def link_color(row: dict) -> str:
        if row["color"]:
            return draw.rgba(row["color"], 0.4)
        if row["source_type"] == "category":
            return draw.rgba(draw.DESTINATION_COLORS[row["source_id"]], 0.5)
        return draw.rgba(draw.DESTINATION_COLORS[row["target_id"]], 0.5)

    link_frame = pl.DataFrame(
        {
            "source": [index[(r["source_type"], r["source_id"])] for r in link_rows],
            "target": [index[(r["target_type"], r["target_id"])] for r in link_rows],
            "value": [r["value_eur"] for r in link_rows],
            "color": [link_color(r) for r in link_rows],
            "hover": [
                f"{names_only[index[(r['source_type'], r['source_id'])]]} → "
                f"{names_only[index[(r['target_type'], r['target_id'])]]} : "
                f"{money(r['value_eur'], lang)}"
                for r in link_rows
            ],
        },
        schema={
            "source": pl.Int64,
            "target": pl.Int64,
            "value": pl.Float64,
            "color": pl.String,
            "hover": pl.String,
        },
    )
    return nodes, link_frame


@dataclass(frozen=True)
class FlowTotals:
    market_value_eur: float
    result_eur: float
    returned_eur: float

    @classmethod
    def of(cls, frame: pl.DataFrame) -> FlowTotals:
        stage1 = frame.filter(pl.col("stage") == 1)["value_eur"].sum()
        result = frame.filter(pl.col("stage") == 3)
        returned = result.filter(pl.col("target_id").is_in(RETURNED))["value_eur"].sum()
        return cls(stage1, result["value_eur"].sum(), returned)


def sankey_title(frame: pl.DataFrame, lang: str) -> str:
    totals = FlowTotals.of(frame)
    return t(
        lang,
        "money_flow.sankey_title",
        market=money(totals.market_value_eur, lang),
        result=money(totals.result_eur, lang),
        returned=money(totals.returned_eur, lang),
        share=percent(totals.returned_eur / totals.result_eur if totals.result_eur else None, lang),
    )


def sankey_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> go.Figure:
    nodes, link_frame = sankey_data(frame, lang)
    return draw.sankey(
        nodes,
        link_frame,
        title=sankey_title(frame, lang),
        subtitle=t(lang, "money_flow.sankey_subtitle"),
        source=shared.source_line(
            filters, lang, ["market_revenue", "operator_result", "reallocation_by_market"]
        ),
        lang=lang,
        illustrative=True,
    )


def sankey_table(frame: pl.DataFrame, lang: str, layout: Layout = MONEY_LAYOUT) -> pl.DataFrame:
    nodes, link_frame = sankey_data(frame, lang, layout)
    label = nodes["name"].to_list()
    return pl.DataFrame(
        {
            t(lang, "money_flow.from"): [label[i] for i in link_frame["source"]],
            t(lang, "money_flow.to"): [label[i] for i in link_frame["target"]],
            t(lang, "chart.value"): link_frame["value"].round(2),
        }
    )


@cached
def sankey_view(filters: Filters, lang: str) -> ChartView | None:
    frame = links(filters)
    if not frame.height:
        return None
    return ChartView(sankey_chart(frame, filters, lang), sankey_table(frame, lang))


# ---------------------------------------------------------------- the result in detail


def result_links(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_result_links", **filters.params())


def result_sankey_title(frame: pl.DataFrame, lang: str) -> str:
    result = frame["value_eur"].sum()
    returned = frame.filter(pl.col("source_id").is_in(RETURNED))
    if not returned.height:
        return t(lang, "money_flow.result_title_none", result=money(result, lang))
    top = returned.sort("value_eur", "target_id", descending=True).row(0, named=True)
    return t(
        lang,
        "money_flow.result_title",
        result=money(result, lang),
        returned=money(returned["value_eur"].sum(), lang),
        top=plotly_text(shared.labels(lang)[("destination", top["target_id"])].lower()),
        top_amount=money(top["value_eur"], lang),
    )


def result_sankey_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> go.Figure:
    nodes, link_frame = sankey_data(frame, lang, RESULT_LAYOUT)
    return draw.sankey(
        nodes,
        link_frame,
        title=result_sankey_title(frame, lang),
        subtitle=t(lang, "money_flow.result_subtitle"),
        source=shared.source_line(filters, lang, ["reallocation_by_market", "destination"]),
        lang=lang,
        illustrative=True,
        height=640,
    )


@cached
def result_view(filters: Filters, lang: str) -> ChartView | None:
    frame = result_links(filters)
    if not frame.height:
        return None
    return ChartView(
        result_sankey_chart(frame, filters, lang), sankey_table(frame, lang, RESULT_LAYOUT)
    )


# ---------------------------------------------------------------- destinations over time


def destinations_by_year(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_destinations_by_year", **filters.params()).with_columns(
        pl.col("category_id").replace_strict(draw.DESTINATION_COLORS).alias("color")
    )


def destinations_title(frame: pl.DataFrame, lang: str) -> str:
    shares = (
        frame.group_by("year")
        .agg(pl.col("amount_eur").filter(pl.col("is_returned")).sum() / pl.col("amount_eur").sum())
        .sort("year")
    )
    first, last = shares.row(0), shares.row(-1)
    values = {
        "first": percent(first[1], lang),
        "last": percent(last[1], lang),
        "year_from": first[0],
        "year_to": last[0],
    }
    key = "destinations_title_single" if first[0] == last[0] else "destinations_title"
    return t(lang, f"money_flow.{key}", **values)


def destinations_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> go.Figure:
    fig = draw.stacked_bars(
        frame,
        x="year",
        y="amount_eur",
        series="category_id",
        series_label=f"label_{lang}",
        color="color",
        title=destinations_title(frame, lang),
        subtitle=t(lang, "money_flow.destinations_subtitle"),
        source=shared.source_line(filters, lang, ["reallocation_by_market"]),
        lang=lang,
        illustrative=True,
    )
    return draw.finish(fig)


def destinations_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("year").alias(t(lang, "chart.year")),
        pl.col(f"label_{lang}").alias(t(lang, "money_flow.destination")),
        pl.col("amount_eur").round(2).alias(t(lang, "chart.value")),
        (pl.col("share_of_year") * 100).round(1).alias(t(lang, "chart.share") + " (%)"),
    )


@cached
def destinations_view(filters: Filters, lang: str) -> ChartView | None:
    frame = destinations_by_year(filters)
    if not frame.height:
        return None
    return ChartView(destinations_chart(frame, filters, lang), destinations_table(frame, lang))


# ---------------------------------------------------------------- returned share by kind


def returned_by_kind(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_returned_by_kind", **filters.params()).filter(
        pl.col("result_eur") > 0
    )


def group_shares(frame: pl.DataFrame) -> dict[bool, float]:
    """{is_ess: share of result returned to reinsertion and families}."""
    grouped = frame.group_by("is_ess").agg(
        (pl.col("reinsertion_eur") + pl.col("family_eur")).sum() / pl.col("result_eur").sum()
    )
    return {r[0]: r[1] for r in grouped.iter_rows()}


def returned_title(frame: pl.DataFrame, filters: Filters, lang: str) -> str:
    shares = group_shares(frame)
    values = {"period": shared.period(filters)}
    if True in shares and False in shares:
        return t(
            lang,
            "money_flow.returned_title",
            ess=percent(shares[True], lang),
            other=percent(shares[False], lang),
            **values,
        )
    return t(
        lang,
        "money_flow.returned_title_one",
        share=percent(next(iter(shares.values())), lang),
        **values,
    )


def returned_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> go.Figure:
    return draw.horizontal_bars(
        frame,
        y=f"label_{lang}",
        x="returned_share_of_result",
        color="color",
        text=[percent(v, lang) for v in frame["returned_share_of_result"]],
        title=returned_title(frame, filters, lang),
        subtitle=t(lang, "money_flow.returned_subtitle"),
        source=shared.source_line(filters, lang, ["reallocation_by_market", "market_revenue"]),
        lang=lang,
        percent_axis=True,
        illustrative=True,
    )


def returned_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col(f"label_{lang}").alias(t(lang, "chart.kind")),
        pl.col("revenue_eur").round(2).alias(t(lang, "chart.value")),
        pl.col("result_eur").round(2).alias(t(lang, "money_flow.result_eur")),
        pl.col("reinsertion_eur").round(2).alias(t(lang, "money_flow.reinsertion")),
        pl.col("family_eur").round(2).alias(t(lang, "money_flow.family")),
        (pl.col("returned_share_of_result") * 100).round(1).alias(t(lang, "money_flow.share")),
    )


@cached
def returned_view(filters: Filters, lang: str) -> ChartView | None:
    frame = returned_by_kind(filters)
    if not frame.height:
        return None
    return ChartView(returned_chart(frame, filters, lang), returned_table(frame, lang))
