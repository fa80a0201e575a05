"""The link between associations and operators (no Streamlit): where an operator's reinsertion
and family money goes and which associations carry it, and the operators drawn beside the
associations in the partnership graph."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.database.taxonomy import LINK_PURPOSES
from maillon.figures import associations, shared
from maillon.i18n import money, number, percent, t
from maillon.plain_text import plotly_text

SHOWN_OPERATORS = 15  # the operators that reallocate the most; the data table has them all
HOVER_ASSOCIATIONS = 4  # the largest beneficiaries named in a bar's hover
UNNAMED_ALPHA = 0.3
MONEY_TABLES = ["reallocation_by_market", "reallocation_beneficiary"]
OPERATOR_MARKER = 12
LEGEND_ROW = 27  # px a row of the kinds' legend takes above the bars (15 px type)


# ---------------------------------------------------------------- the money


def money_by_operator(filters: Filters) -> pl.DataFrame:
    return queries.run("operator_links_money", **filters.params())


def beneficiaries(filters: Filters) -> pl.DataFrame:
    return queries.run("operator_links_beneficiaries", **filters.params())


def money_finding(frame: pl.DataFrame, filters: Filters, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the share of the money that names an association."""
    returned = frame["returned_eur"].sum()
    share = percent(frame["named_eur"].sum() / returned if returned else None, lang)
    title = t(
        lang,
        "operator_links.money_title",
        share=share,
        total=money(returned, lang),
        period=shared.period(filters),
    )
    return title, share


def _hover(operator: dict, named: pl.DataFrame, lang: str) -> str:
    """The operator, its money, and its largest beneficiaries with their amounts."""
    top = named.head(HOVER_ASSOCIATIONS)
    lines = [
        t(
            lang,
            "operator_links.hover_money",
            name=plotly_text(operator["name"]),
            returned=money(operator["returned_eur"], lang),
            named=money(operator["named_eur"], lang),
        ),
        *(
            t(lang, "operator_links.hover_association", name=plotly_text(n), amount=money(a, lang))
            for n, a in top.select("association_name", "amount_eur").iter_rows()
        ),
    ]
    if named.height > top.height:
        lines.append(t(lang, "operator_links.hover_more", count=named.height - top.height))
    return "<br>".join(lines)


def money_chart(frame: pl.DataFrame, named: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """One bar per operator, the largest first, in its kind's colour: solid for the part that
    names an association, light and hatched for the rest; its total and named share at its end."""
    shown = frame.head(SHOWN_OPERATORS)
    fig = go.Figure()
    rows = [plotly_text(n) for n in shown["name"]]
    hovers = [
        _hover(o, named.filter(pl.col("operator_id") == o["operator_id"]), lang)
        for o in shown.iter_rows(named=True)
    ]
    for kind in shown.sort("sort_order")["kind_id"].unique(maintain_order=True):
        part = [i for i, k in enumerate(shown["kind_id"]) if k == kind]
        color = shown["color"][part[0]]
        for is_named in (True, False):
            values = shown["named_eur"] if is_named else shown["returned_eur"] - shown["named_eur"]
            fig.add_bar(
                x=[values[i] for i in part],
                y=[rows[i] for i in part],
                orientation="h",
                name=plotly_text(shown[f"kind_{lang}"][part[0]]),
                legendgroup=kind,
                showlegend=is_named,
                marker={
                    "color": color if is_named else draw.rgba(color, UNNAMED_ALPHA),
                    "line": {"color": color, "width": 1},
                    "pattern": {"shape": "" if is_named else "/", "fgcolor": color},
                },
                customdata=[hovers[i] for i in part],
                hovertemplate="%{customdata}<extra></extra>",
            )
    fig.add_scatter(
        x=shown["returned_eur"].to_list(),
        y=rows,
        mode="text",
        text=[
            t(
                lang,
                "operator_links.bar_label",
                total=money(r, lang),
                share=percent(n / r if r else None, lang),
            )
            for r, n in shown.select("returned_eur", "named_eur").iter_rows()
        ],
        textposition="middle right",
        textfont={"size": 15},
        cliponaxis=False,
        showlegend=False,
        hoverinfo="skip",
    )
    title, key_figure = money_finding(frame, filters, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "operator_links.money_subtitle", count=min(frame.height, SHOWN_OPERATORS)),
        **shared.sourced(filters, lang, MONEY_TABLES),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    top = max(shown["returned_eur"].max() or 0, 1e-9)
    # One row a kind, whatever the screen's width (in a horizontal legend, the rows depended on it).
    legend_room = LEGEND_ROW * shown["kind_id"].n_unique() + 8
    fig.update_layout(barmode="stack", height=max(480, 260 + 46 * shown.height) + legend_room)
    fig.update_yaxes(
        autorange="reversed",
        rangemode="normal",
        showgrid=False,
        zeroline=False,
        categoryorder="array",
        categoryarray=rows,
        tickfont={"size": 14},
    )
    fig.update_xaxes(gridcolor="#e6e6e6", range=[0, top * 1.35])
    draw.money_axis(fig, lang, top, axis="x")
    # The kinds' legend above the bars, from their left end: inside the plot it covered
    # the labels of the smallest bars, on the right it took a third of a laptop screen's width.
    fig = draw.finish(fig, legend=None, axis_room=40)
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "bottom",
            "font": {"size": 15},
        },
        margin={"t": fig.layout.margin.t + legend_room},
    )
    return Chart(fig, money_table(frame, named, lang), caption)


def money_table(frame: pl.DataFrame, named: pl.DataFrame, lang: str) -> pl.DataFrame:
    """One row per operator and beneficiary association (an operator naming none: one row
    without association), operators in the chart's order."""
    rows = frame.with_row_index("rank").join(
        named.select("operator_id", "association_name", "amount_eur"),
        on="operator_id",
        how="left",
    )
    return rows.sort(["rank", "amount_eur"], descending=[False, True], nulls_last=True).select(
        pl.col("name").alias(t(lang, "operator_links.col_operator")),
        pl.col(f"kind_{lang}").alias(t(lang, "chart.kind")),
        pl.col("returned_eur").round(2).alias(t(lang, "operator_links.col_returned")),
        pl.col("named_eur").round(2).alias(t(lang, "operator_links.col_named")),
        pl.col("association_name").alias(t(lang, "operator_links.col_association")),
        pl.col("amount_eur").round(2).alias(t(lang, "operator_links.col_amount")),
    )


@cached
def money_view(filters: Filters, lang: str) -> Chart | None:
    frame = money_by_operator(filters)
    if not frame.height:
        return None
    return money_chart(frame, beneficiaries(filters), filters, lang)


# ---------------------------------------------------------------- operators in the graph


def partnerships(filters: Filters) -> pl.DataFrame:
    return queries.run("operator_links_graph", **associations.scope_params(filters))


def operator_nodes(links: pl.DataFrame) -> pl.DataFrame:
    """The operators of the partnerships shown, with their kind and number of partners."""
    return (
        links.group_by("operator_id", "operator_name", "kind_id", "kind_fr", "kind_en", "color")
        .agg(pl.col("sort_order").first(), pl.col("association_id").n_unique().alias("partners"))
        .sort("sort_order", "operator_id")
    )


def edge_trace(links: pl.DataFrame, where: dict, lang: str) -> go.Scatter:
    xs: list = []
    ys: list = []
    for a, o in links.select("association_id", "operator_id").iter_rows():
        xs += [where[a][0], where[o][0], None]
        ys += [where[a][1], where[o][1], None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": "#b26b00", "width": 1.4, "dash": "dash"},
        name=t(lang, "operator_links.edge"),
        hoverinfo="skip",
        legendgroup="edges",
    )


def node_traces(links: pl.DataFrame, where: dict, lang: str) -> list[go.Scatter]:
    """One trace per operator kind: squares in the kind's colour, the partners in the hover."""
    nodes = operator_nodes(links)
    traces = []
    for kind in nodes["kind_id"].unique(maintain_order=True):
        part = nodes.filter(pl.col("kind_id") == kind)
        ids = part["operator_id"].to_list()
        hovers = []
        for operator_id, name, partners in part.select(
            "operator_id", "operator_name", "partners"
        ).iter_rows():
            own = links.filter(pl.col("operator_id") == operator_id)
            hovers.append(
                "<br>".join(
                    [
                        t(
                            lang,
                            "operator_links.node_hover",
                            name=plotly_text(name),
                            partners=number(partners, lang),
                        ),
                        *(
                            t(
                                lang,
                                "operator_links.partner_hover",
                                name=plotly_text(a),
                                purpose=t(lang, f"operator_links.purpose_{p}"),
                            )
                            for a, p in own.select("association_name", "purpose").iter_rows()
                        ),
                    ]
                )
            )
        traces.append(
            go.Scatter(
                x=[where[i][0] for i in ids],
                y=[where[i][1] for i in ids],
                ids=ids,
                mode="markers",
                marker={
                    "size": OPERATOR_MARKER,
                    "symbol": "square",
                    "color": part["color"][0],
                    "line": {"color": "#222", "width": 1},
                },
                customdata=hovers,
                hovertemplate="%{customdata}<extra></extra>",
                name=t(
                    lang,
                    "operator_links.node_legend",
                    kind=draw.short_label(part[f"kind_{lang}"][0]),
                ),
            )
        )
    return traces


def graph_finding(links: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and key figure of the graph with operators: the partnerships, and the part
    held by ESS operators."""
    count = number(links.height, lang)
    ess = links.filter(pl.col("kind_group") == "ess").height
    title = t(
        lang,
        "operator_links.graph_title",
        count=count,
        operators=number(links["operator_id"].n_unique(), lang),
        associations=number(links["association_id"].n_unique(), lang),
        ess=percent(ess / links.height if links.height else None, lang),
    )
    return title, count


def graph_table(links: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The operator partnerships drawn, one row each."""
    return links.select(
        pl.col("operator_name").alias(t(lang, "operator_links.col_operator")),
        pl.col(f"kind_{lang}").alias(t(lang, "chart.kind")),
        pl.col("association_name").alias(t(lang, "operator_links.col_association")),
        pl.col("purpose")
        .replace_strict({p: t(lang, f"operator_links.purpose_{p}") for p in LINK_PURPOSES})
        .alias(t(lang, "operator_links.col_purpose")),
        pl.col("since_year").alias(t(lang, "operator_links.col_since")),
        pl.col("establishment_name").alias(t(lang, "operator_links.col_establishment")),
    )
