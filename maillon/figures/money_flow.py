"""Where the result goes: the Sankey of money from markets to destinations, destinations over
time, and the share of result each operator kind returns to reinsertion and families
(no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from maillon.charts import draw, sankey
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.charts.sankey import Layout
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import money, percent, t

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


# The money Sankey: the small destination column starts below the result's label. The labels
# after the domains' wrap at 22 characters and the costs stand at three fifths of the width:
# 1280 px wide, the costs' labels (right of their nodes) and the destinations' (left of
# theirs) fit side by side in the last gap.
MONEY_LAYOUT = Layout(
    {"domain": 0, "kind": 1, "cost": 2, "category": 3},
    {"category": 0.12},
    label_chars=22,
    xs={0: 0, 1: 1 / 3, 2: 0.6, 3: 1},
)
# The result Sankey: destination category -> destination.
RESULT_LAYOUT = Layout({"category": 0, "destination": 1}, {})
COST_ORDER = {"result": 0, "wages": 1, "other_costs": 2}


def _node_label(node_type: str, node_id: str, names: dict, lang: str) -> str:
    if node_type == "cost":
        return t(lang, f"money_flow.{node_id}")
    if node_id == OTHER:
        return t(lang, "dash.other_domains")
    return names[(node_type, node_id)]


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


def sankey_data(
    frame: pl.DataFrame, lang: str, layout: Layout = MONEY_LAYOUT
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(nodes, links) ready for sankey.figure: nodes in column order, links by node index."""
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
    label_lines = [
        sankey.label_lines(f"{draw.short_label(n)} · {money(v, lang)}", layout, node[0])
        for node, n, v in zip(node_rows, names_only, values, strict=True)
    ]
    xs, ys = sankey.positions(node_rows, values, layout, [len(lines) for lines in label_lines])
    nodes = pl.DataFrame(
        {
            "type": [n[0] for n in node_rows],
            "id": [n[1] for n in node_rows],
            "name": names_only,
            "label_lines": label_lines,
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
    """The Sankey's totals: the holders' revenue it starts from (every payer, régie left out: it
    has no result), their result and what went back to reinsertion and families."""

    revenue_eur: float
    result_eur: float
    returned_eur: float

    @classmethod
    def of(cls, frame: pl.DataFrame) -> FlowTotals:
        stage1 = frame.filter(pl.col("stage") == 1)["value_eur"].sum()
        result = frame.filter(pl.col("stage") == 3)
        returned = result.filter(pl.col("target_id").is_in(RETURNED))["value_eur"].sum()
        return cls(stage1, result["value_eur"].sum(), returned)


def sankey_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: what went back to reinsertion and families."""
    totals = FlowTotals.of(frame)
    returned = money(totals.returned_eur, lang)
    title = t(
        lang,
        "money_flow.sankey_title",
        revenue=money(totals.revenue_eur, lang),
        result=money(totals.result_eur, lang),
        returned=returned,
        share=percent(totals.returned_eur / totals.result_eur if totals.result_eur else None, lang),
    )
    return title, returned


def sankey_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    nodes, link_frame = sankey_data(frame, lang)
    title, key_figure = sankey_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "money_flow.sankey_subtitle"),
        **shared.sourced(
            filters, lang, ["market_revenue", "operator_result", "reallocation_by_market"]
        ),
        key_figure=key_figure,
    )
    fig = sankey.figure(nodes, link_frame, caption=caption, lang=lang)
    return Chart(fig, sankey_table(frame, lang), caption)


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
def totals(filters: Filters) -> FlowTotals:
    return FlowTotals.of(links(filters))


@cached
def sankey_view(filters: Filters, lang: str) -> Chart | None:
    frame = links(filters)
    return sankey_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- the result in detail


def result_links(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_result_links", **filters.params())


def result_sankey_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the result, what of it went back, and first where."""
    result = money(frame["value_eur"].sum(), lang)
    returned = frame.filter(pl.col("source_id").is_in(RETURNED))
    if not returned.height:
        return t(lang, "money_flow.result_title_none", result=result), result
    top = returned.sort("value_eur", "target_id", descending=True).row(0, named=True)
    returned_text = money(returned["value_eur"].sum(), lang)
    title = t(
        lang,
        "money_flow.result_title",
        result=result,
        returned=returned_text,
        top=shared.labels(lang)[("destination", top["target_id"])].lower(),
        top_amount=money(top["value_eur"], lang),
    )
    return title, returned_text


def result_sankey_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    nodes, link_frame = sankey_data(frame, lang, RESULT_LAYOUT)
    title, key_figure = result_sankey_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "money_flow.result_subtitle"),
        **shared.sourced(filters, lang, ["reallocation_by_market", "destination"]),
        key_figure=key_figure,
    )
    fig = sankey.figure(nodes, link_frame, caption=caption, lang=lang, height=640)
    return Chart(fig, sankey_table(frame, lang, RESULT_LAYOUT), caption)


@cached
def result_view(filters: Filters, lang: str) -> Chart | None:
    frame = result_links(filters)
    return result_sankey_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- destinations over time


def destinations_by_year(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_destinations_by_year", **filters.params()).with_columns(
        pl.col("category_id").replace_strict(draw.DESTINATION_COLORS).alias("color")
    )


def destinations_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the share returned in the last year, against the first."""
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
    return t(lang, f"money_flow.{key}", **values), values["last"]


def destinations_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    title, key_figure = destinations_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "money_flow.destinations_subtitle"),
        **shared.sourced(filters, lang, ["reallocation_by_market"]),
        key_figure=key_figure,
    )
    fig = draw.stacked_bars(
        frame,
        x="year",
        y="amount_eur",
        series="category_id",
        series_label=f"label_{lang}",
        color="color",
        caption=caption,
        lang=lang,
    )
    return Chart(draw.finish(fig), destinations_table(frame, lang), caption)


def destinations_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("year").alias(t(lang, "chart.year")),
        pl.col(f"label_{lang}").alias(t(lang, "money_flow.destination")),
        pl.col("amount_eur").round(2).alias(t(lang, "chart.value")),
        (pl.col("share_of_year") * 100).round(1).alias(t(lang, "chart.share") + " (%)"),
    )


@cached
def destinations_view(filters: Filters, lang: str) -> Chart | None:
    frame = destinations_by_year(filters)
    return destinations_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- returned share by kind


def returned_by_kind(filters: Filters) -> pl.DataFrame:
    return queries.run("money_flow_returned_by_kind", **filters.params()).filter(
        pl.col("result_eur") > 0
    )


def group_shares(frame: pl.DataFrame) -> dict[bool, float]:
    """{is_ess: share of result returned to reinsertion and families}: ESS against for-profit and
    public, each only when all its kinds' coverage is sufficient (kinds not known left out)."""
    known = frame.filter(pl.col("kind_id") != "unknown")
    # A group missing one of its kinds would speak for the others only: it is left out whole.
    incomplete = known.filter(pl.col("split_share") < shared.SUFFICIENT)["is_ess"].to_list()
    compared = known.filter(~pl.col("is_ess").is_in(incomplete))
    grouped = compared.group_by("is_ess").agg(
        (pl.col("reinsertion_eur") + pl.col("family_eur")).sum() / pl.col("result_eur").sum()
    )
    return {r[0]: r[1] for r in grouped.iter_rows()}


def returned_finding(frame: pl.DataFrame, filters: Filters, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the share of result the ESS returned, against others."""
    shares = group_shares(frame)
    values = {"period": shared.period(filters)}
    if not shares:
        return t(lang, "coverage.title_insufficient"), ""
    if True in shares and False in shares:
        ess = percent(shares[True], lang)
        title = t(
            lang,
            "money_flow.returned_title",
            ess=ess,
            other=percent(shares[False], lang),
            **values,
        )
        return title, ess
    if True in shares:
        ess = percent(shares[True], lang)
        return t(lang, "money_flow.returned_title_ess", ess=ess, **values), ess
    share = percent(next(iter(shares.values())), lang)
    return t(lang, "money_flow.returned_title_one", share=share, **values), share


def returned_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    title, key_figure = returned_finding(frame, filters, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "money_flow.returned_subtitle"),
        **shared.sourced(filters, lang, ["reallocation_by_market", "market_revenue"]),
        key_figure=key_figure,
    )
    shown = frame.with_columns(
        pl.when(pl.col("split_share") >= shared.SUFFICIENT)
        .then(pl.col("returned_share_of_result"))
        .otherwise(0.0)
    )
    fig = draw.horizontal_bars(
        shown,
        y=f"label_{lang}",
        x="returned_share_of_result",
        color="color",
        text=[
            percent(value, lang) if shared.sufficient(share) else shared.insufficient(share, lang)
            for value, share in zip(
                frame["returned_share_of_result"], frame["split_share"], strict=True
            )
        ],
        caption=caption,
        lang=lang,
        percent_axis=True,
    )
    return Chart(fig, returned_table(frame, lang), caption)


def returned_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col(f"label_{lang}").alias(t(lang, "chart.kind")),
        pl.col("revenue_eur").round(2).alias(t(lang, "chart.value")),
        pl.col("result_eur").round(2).alias(t(lang, "money_flow.result_eur")),
        pl.col("reinsertion_eur").round(2).alias(t(lang, "money_flow.reinsertion")),
        pl.col("family_eur").round(2).alias(t(lang, "money_flow.family")),
        (pl.col("returned_share_of_result") * 100).round(1).alias(t(lang, "money_flow.share")),
        (pl.col("split_share") * 100).round(1).alias(t(lang, "chart.coverage")),
    )


@cached
def returned_view(filters: Filters, lang: str) -> Chart | None:
    frame = returned_by_kind(filters)
    return returned_chart(frame, filters, lang) if frame.height else None
