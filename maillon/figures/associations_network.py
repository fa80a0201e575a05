"""The associations network page's graph and joint actions: partnerships between the associations
present, how connected they are, and the actions they run together (no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw, network
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.database.taxonomy import FIELDS, THEMES
from maillon.figures import associations, operator_links
from maillon.i18n import number, percent, t
from maillon.plain_text import plotly_text

LABELLED_NODES = 12  # only the best-connected associations carry a label; hover gives the rest
# Room a label needs in layout units (the graph spans about -1.2..1.2 on ~900 x 560 pixels).
LABEL_WIDTH, LABEL_HEIGHT = 0.7, 0.1
# A white outline round each letter: a label stays legible over the dense core's coloured points
# and lines (a soft glow alone let them show through the letters).
LABEL_HALO = "1px 1px 1px white, -1px -1px 1px white, 1px -1px 1px white, -1px 1px 1px white"


# ---------------------------------------------------------------- network


def connectivity(filters: Filters) -> dict:
    return queries.run("associations_connectivity", **associations.scope_params(filters)).row(
        0, named=True
    )


def connectivity_text(figures: dict, lang: str) -> dict[str, str]:
    """The four key figures, formatted, keyed by their label key."""
    partnerships = figures["partnerships"]
    return {
        "associations": number(figures["associations"], lang),
        "without_partner": number(figures["without_partner"], lang),
        "with_convention": percent(
            figures["with_convention"] / partnerships if partnerships else None, lang
        ),
        "collectives": number(figures["collectives"], lang),
    }


def network_finding(figures: dict, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the associations without any partner."""
    partnerships = figures["partnerships"]
    alone = number(figures["without_partner"], lang)
    title = t(
        lang,
        "associations.network_title",
        alone=alone,
        total=number(figures["associations"], lang),
        share=percent(figures["with_convention"] / partnerships if partnerships else None, lang),
    )
    return title, alone


def _edge_trace(edges: pl.DataFrame, where: dict, signed: bool, lang: str) -> go.Scatter:
    xs: list = []
    ys: list = []
    for a, b in (
        edges.filter(pl.col("has_convention") == signed)
        .select("association_id", "partner_id")
        .iter_rows()
    ):
        xs += [where[a][0], where[b][0], None]
        ys += [where[a][1], where[b][1], None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={
            "color": "#555" if signed else "#999",
            "width": 1.6 if signed else 1.0,
            "dash": "solid" if signed else "dot",
        },
        name=t(lang, "associations.edge_signed" if signed else "associations.edge_unsigned"),
        hoverinfo="skip",
        legendgroup="edges",
    )


def labels_that_fit(
    nodes: pl.DataFrame, where: dict, obstacles: list[tuple[float, float]] = ()
) -> set[str]:
    """The best-connected associations whose label keeps clear of the labels already placed and
    of the `obstacles` (the operators' squares: a label above its node must not cover one)."""
    placed: list[tuple[float, float]] = []
    chosen = set()
    ranked = nodes.filter(pl.col("partners") > 0).sort(
        ["partners", "association_id"], descending=[True, False]
    )
    for node in ranked["association_id"]:
        x, y = where[node]
        covers = any(
            abs(x - ox) < LABEL_WIDTH / 2 and 0 < oy - y < 1.5 * LABEL_HEIGHT
            for ox, oy in obstacles
        )
        clear = all(abs(x - px) > LABEL_WIDTH or abs(y - py) > LABEL_HEIGHT for px, py in placed)
        if clear and not covers:
            placed.append((x, y))
            chosen.add(node)
        if len(chosen) == LABELLED_NODES:
            break
    return chosen


def network_chart(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    figures: dict,
    filters: Filters,
    lang: str,
    links: pl.DataFrame | None = None,
) -> Chart:
    """Associations as points coloured by field and sized by partners; a solid line when the
    partnership has a signed convention, dotted otherwise. With `links` (operator partnerships),
    the operators beside them as squares in their kind's colour, linked by dashed lines."""
    ids = nodes["association_id"].to_list()
    pairs = list(edges.select("association_id", "partner_id").iter_rows())
    if links is not None:
        ids += operator_links.operator_nodes(links)["operator_id"].to_list()
        pairs += list(links.select("association_id", "operator_id").iter_rows())
    where = network.layout(ids, pairs)
    fig = go.Figure([_edge_trace(edges, where, True, lang), _edge_trace(edges, where, False, lang)])
    if links is not None:
        fig.add_trace(operator_links.edge_trace(links, where, lang))
    operators = [] if links is None else operator_links.operator_nodes(links)["operator_id"]
    labelled = labels_that_fit(nodes, where, [where[o] for o in operators])
    for field in FIELDS:
        part = nodes.filter(pl.col("field_id") == field)
        if not part.height:
            continue
        ids = part["association_id"].to_list()
        fig.add_scatter(
            x=[where[i][0] for i in ids],
            y=[where[i][1] for i in ids],
            mode="markers+text",
            text=[
                plotly_text(n) if i in labelled else ""
                for i, n in zip(ids, part["name"], strict=True)
            ],
            textposition="top center",
            textfont={"size": 12, "color": "#222", "shadow": LABEL_HALO},
            marker={
                "size": [8 + 3 * min(p, 8) for p in part["partners"]],
                "color": associations.FIELD_COLORS[field],
                "line": {"color": "#333", "width": 0.6},
            },
            customdata=[
                t(lang, "associations.node_hover", name=plotly_text(n), partners=number(p, lang))
                for n, p in part.select("name", "partners").iter_rows()
            ],
            hovertemplate="%{customdata}<extra></extra>",
            name=associations.label(lang, "field", field),
        )
    tables = ["association", "association_partnership"]
    if links is None:
        title, key_figure = network_finding(figures, lang)
        subtitle, table = t(lang, "associations.network_subtitle"), network_table(nodes, lang)
    else:
        fig.add_traces(operator_links.node_traces(links, where, lang))
        title, key_figure = operator_links.graph_finding(links, lang)
        subtitle, table = (
            t(lang, "operator_links.graph_subtitle"),
            operator_links.graph_table(links, lang),
        )
        tables.append("operator_partnership")
    caption = Caption(
        title=title,
        subtitle=subtitle,
        **associations.sourced(filters, lang, tables),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, rangemode="normal")
    # The operators add some fifty nodes: more height keeps the graph's core readable.
    fig.update_layout(height=720 if links is None else 860, hovermode="closest")
    return Chart(draw.finish(fig, axis_room=10), table, caption)


def network_table(nodes: pl.DataFrame, lang: str) -> pl.DataFrame:
    return (
        nodes.sort(["partners", "name"], descending=[True, False])
        .with_columns(
            pl.col("field_id").replace_strict(
                {f: associations.label(lang, "field", f) for f in FIELDS}
            )
        )
        .select(
            pl.col("name").alias(t(lang, "associations.col_name")),
            pl.col("field_id").alias(t(lang, "associations.col_field")),
            pl.col("partners").alias(t(lang, "associations.col_partners_count")),
        )
    )


@cached
def network_view(filters: Filters, lang: str, with_operators: bool = False) -> Chart | None:
    """The partnership graph; `with_operators` adds the operators and their partnerships."""
    nodes = queries.run("associations_network_nodes", **associations.scope_params(filters))
    if not nodes.height:
        return None
    edges = queries.run("associations_network_edges", **associations.scope_params(filters))
    links = operator_links.partnerships(filters) if with_operators else None
    return network_chart(nodes, edges, connectivity(filters), filters, lang, links)


# ---------------------------------------------------------------- joint actions


def joint_actions(filters: Filters) -> pl.DataFrame:
    return queries.run("associations_joint_actions", **associations.scope_params(filters))


def actions_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """A timeline: one row per theme, one point per action, hover for partners and places."""
    fig = go.Figure()
    for theme, color in zip(THEMES, draw.DOMAIN_PALETTE, strict=True):
        part = frame.filter(pl.col("theme") == theme)
        if not part.height:
            continue
        fig.add_scatter(
            x=part["action_date"].to_list(),
            y=[associations.label(lang, "theme", theme)] * part.height,
            mode="markers",
            marker={"size": 14, "color": color, "line": {"color": "#333", "width": 0.6}},
            customdata=[
                t(
                    lang,
                    "associations.action_hover",
                    title=plotly_text(ti),
                    partners=plotly_text(p),
                    places=plotly_text(e or "–"),
                )
                for ti, p, e in part.select("title", "partners", "establishments").iter_rows()
            ],
            hovertemplate="%{x|%d/%m/%Y}<br>%{customdata}<extra></extra>",
            name=associations.label(lang, "theme", theme),
            showlegend=False,
        )
    prison_days = frame.filter(pl.col("theme") == "prison_days").height
    count = number(frame.height, lang)
    caption = Caption(
        title=t(
            lang,
            "associations.actions_title",
            count=count,
            prison_days=number(prison_days, lang),
        ),
        subtitle=t(lang, "associations.actions_subtitle"),
        **associations.sourced(filters, lang, ["joint_action", "joint_action_partner"]),
        key_figure=count,
    )
    draw.style(fig, caption, lang)
    fig.update_yaxes(
        rangemode="normal",
        categoryorder="array",
        categoryarray=[associations.label(lang, "theme", th) for th in reversed(THEMES)],
    )
    fig.update_layout(height=480, margin={"l": 200})
    fig = draw.finish(fig, legend=None)
    return Chart(fig, actions_table(frame, lang), caption)


def actions_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("action_date").cast(pl.Date).alias(t(lang, "associations.col_date")),
        pl.col("theme")
        .map_elements(lambda th: associations.label(lang, "theme", th), return_dtype=pl.String)
        .alias(t(lang, "associations.col_theme")),
        pl.col("title").alias(t(lang, "associations.col_title")),
        pl.col("partners").alias(t(lang, "associations.col_partners")),
        pl.col("establishments").alias(t(lang, "associations.col_places")),
    )


@cached
def actions_view(filters: Filters, lang: str) -> Chart | None:
    frame = joint_actions(filters)
    return actions_chart(frame, filters, lang) if frame.height else None
