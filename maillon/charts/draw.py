"""Plotly figures in Maillon's house style (see ../shared/context/CHARTS.md).

Title = the finding, subtitle = the measure, a source line under the plot, the illustrative-data
mark burnt into the figure, projector-readable sizes, one colour per operator kind (from data).
"""

from __future__ import annotations

import math
import re
import textwrap

import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from maillon.charts import tick_labels
from maillon.charts.chart import Caption
from maillon.i18n import money, number, percent
from maillon.plain_text import plotly_text

# "Source Sans" is the name Streamlit serves its font under; "Source Sans Pro" where installed.
FONT = "Source Sans, Source Sans Pro, Arial, sans-serif"
SEPARATORS = {"fr": ", ", "en": ".,"}


def short_label(name: str) -> str:
    """A taxonomy label in short, where a long one would run into its neighbours or crowd the
    plot (a legend, Sankey nodes, a legend beside a graph): the acronym it ends with in brackets,
    else the label without its bracketed explanation ('Structure d'insertion par l'activité
    économique (SIAE)' -> 'SIAE', 'Scic (société coopérative d'intérêt collectif)' -> 'Scic').
    Hover and the data table keep the full name."""
    bracketed = re.search(r"\s*\(([^)]*)\)$", name)
    if bracketed is None:
        return name
    if re.fullmatch(r"[A-Z]{2,6}", bracketed.group(1)):
        return bracketed.group(1)
    return name[: bracketed.start()]


def _series_order(frame: pl.DataFrame, series: str) -> list:
    """The series in their taxonomy's order when the rows carry it (`sort_order`), so that a kind
    stacks and sits in the legend in the same place whatever the filters; else as they come. In
    order of first appearance, a kind absent from the first year came last."""
    if "sort_order" in frame.columns:
        frame = frame.sort("sort_order", maintain_order=True)
    return frame[series].unique(maintain_order=True).to_list()


def stacked_bars(
    frame: pl.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    series_label: str,
    color: str,
    caption: Caption,
    lang: str,
    totals_text: dict | None = None,
) -> go.Figure:
    """Bars stacked by series (already ordered by the query), a label above each bar. The series
    labels come from the data: shown as text, never as markup."""
    fig = go.Figure()
    for series_id in _series_order(frame, series):
        part = frame.filter(pl.col(series) == series_id)
        name = plotly_text(part[series_label][0])
        fig.add_bar(
            x=part[x].to_list(),
            y=part[y].to_list(),
            name=plotly_text(short_label(part[series_label][0])),
            marker_color=part[color][0],
            marker_line={"color": "white", "width": 1},
            customdata=[money(v, lang) for v in part[y].to_list()],
            hovertemplate=f"{name}<br>%{{x}} : %{{customdata}}<extra></extra>",
        )
    if totals_text:
        totals = frame.group_by(x).agg(pl.col(y).sum()).sort(x)
        fig.add_scatter(
            x=totals[x].to_list(),
            y=totals[y].to_list(),
            mode="text",
            text=[totals_text.get(v, "") for v in totals[x].to_list()],
            textposition="top center",
            textfont={"size": 16, "color": "#1b5e20"},
            showlegend=False,
            hoverinfo="skip",
        )
    style(fig, caption, lang)
    # A legend even for one series: a single grey stack must still say it is « nature non
    # connue ». Every year of the span has its place, so that a year without rows reads as a gap.
    fig.update_layout(barmode="stack", showlegend=True, xaxis={"type": "category"})
    if frame[x].dtype.is_integer() and not frame.is_empty():
        span = list(range(frame[x].min(), frame[x].max() + 1))
        fig.update_xaxes(categoryorder="array", categoryarray=span)
    top = frame.group_by(x).agg(pl.col(y).sum())[y].max() or 0
    if totals_text:  # room in the plot for the labels above the tallest bar (else cut off)
        fig.update_yaxes(range=[0, top * 1.2])
    return locale_ticks(fig, lang, "money", top)


# The house style, registered once as a Plotly template: large type for a projector, white
# background, light grid, the title on the left. Pages draw charts with Streamlit's theme off
# (maillon.web.ui), so a chart looks the same on screen as in its image, deck and report.
TEMPLATE = "maillon"
HEIGHT = 560
AXIS = {
    "automargin": True,  # long category names widen the margin instead of being cut off
    "tickfont": {"size": 12, "color": "#555"},
    "ticklabelstandoff": 4,  # category names kept off the bars they name
    "title": {"font": {"size": 15, "color": "#555"}},
}
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 16, "color": "#222"},
        "title": {
            "font": {"size": 22, "weight": 600},
            "subtitle": {"font": {"size": 15, "color": "#444"}},
            "x": 0,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
        },
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "margin": {"l": 70, "r": 20, "t": 110, "b": 120},
        "legend": {"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top", "font": {"size": 14}},
        "hoverlabel": {"font": {"family": FONT, "size": 15}},
        "xaxis": {**AXIS, "zeroline": False},
        "yaxis": {
            **AXIS,
            "gridcolor": "#e6e6e6",
            "zeroline": True,
            "zerolinecolor": "#999",
            "rangemode": "tozero",
        },
    }
)
SOURCE_LINE = {
    "xref": "paper",
    "yref": "paper",
    "x": 0,
    "y": -0.16,
    "xanchor": "left",
    "yanchor": "top",
    "showarrow": False,
    "font": {"size": 13, "color": "#555"},
}
PROVENANCE_MARK = {
    "xref": "paper",
    "yref": "paper",
    "x": 1,
    # a fixed few pixels above the plot: a share of a tall figure's height reaches the subtitle
    "y": 1,
    "yshift": 6,
    "xanchor": "right",
    "yanchor": "bottom",
    "showarrow": False,
    "font": {"size": 13, "color": "#8a4b00"},
    "bgcolor": "#fff3e0",
    "borderpad": 3,
}


def lines(text: str) -> str:
    """Plain text (line breaks as '\\n') as Plotly text: escaped, lines joined by <br>."""
    return "<br>".join(plotly_text(line) for line in text.split("\n"))


def style(fig: go.Figure, caption: Caption, lang: str) -> go.Figure:
    """Put the caption on the figure in the house style: title, subtitle, the source line under
    the plot and the illustrative mark above it (added to the figure's own annotations)."""
    fig.update_layout(
        template=TEMPLATE,
        # Streamlit sizes a chart by the figure's own height, not its template's.
        height=fig.layout.height or HEIGHT,
        separators=SEPARATORS[lang],
        title={"text": lines(caption.title), "subtitle": {"text": lines(caption.subtitle)}},
    )
    fig.add_annotation(text=lines(caption.source), **SOURCE_LINE)
    if caption.mark:
        fig.add_annotation(text=plotly_text(caption.mark), **PROVENANCE_MARK)
    return fig


# ---------------------------------------------------------------- shared by the dashboard pages

# Fixed colours for meanings that have no colour column in the taxonomies. Operator kinds always
# take operator_kind.color; these never reuse those hues' meaning. Every mark colour stands out
# from the white background by 3:1 at least (WCAG 1.4.11), and the colours that share a chart
# stay apart for readers with a red-green or blue-yellow colour deficiency (checked on simulated
# vision); tests/test_chart_contrast.py holds the contrast.
DESTINATION_COLORS = {
    "reinsertion": "#1b7837",
    "family": "#50a028",
    "service": "#488898",
    "reserves": "#8088c8",
    "members": "#a88870",
    "dividends": "#b2182b",
}
COST_COLORS = {"wages": "#f86018", "other_costs": "#707070"}
# Service domains (at most six, then "other" in grey): muted, distinct from the kind colours.
DOMAIN_PALETTE = ["#4e79a7", "#c88050", "#809888", "#787000", "#b07aa1", "#9c755f"]
OTHER_COLOR = "#767676"
NEUTRAL_NODE = "#6b6b6b"
MAX_CATEGORIES = 7


def tick_values(bottom: float, top: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering bottom..top."""
    top = max(top, bottom + 1e-9)
    raw = (top - bottom) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(bottom / step + 1e-9) * step
    steps = math.ceil((top - first) / step - 1e-9)
    return [round(first + i * step, 12) for i in range(steps + 1)]


def locale_ticks(
    fig: go.Figure, lang: str, kind: str, top: float, bottom: float = 0.0, axis: str = "y"
) -> go.Figure:
    """Tick labels in the locale's format, '100 M€', '60 %', '5 000' (Plotly's d3 formats put
    no space before a unit and write 'M' and 'k'): money, number or percent."""
    ticks = tick_values(bottom, top)
    decimals = 1 if kind == "percent" and len(ticks) > 1 and ticks[1] - ticks[0] < 0.01 else 0
    fmt = {
        "money": lambda v: money(v, lang),
        "number": lambda v: number(v, lang),
        "percent": lambda v: percent(v, lang, decimals=decimals),
    }[kind]
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(
        tickmode="array",
        tickvals=ticks,
        ticktext=[fmt(v) for v in ticks],
        tickformat=None,
        tickprefix=None,
        ticksuffix=None,
    )
    return fig


def money_axis(
    fig: go.Figure, lang: str, top: float, bottom: float = 0.0, axis: str = "y"
) -> go.Figure:
    """Abbreviated euro ticks on one axis: '4 M€' / '€4M'."""
    locale_ticks(fig, lang, "money", top, bottom, axis)
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(rangemode="tozero")
    return fig


def rgba(color: str, alpha: float) -> str:
    """'#rrggbb' as 'rgba(r,g,b,alpha)' (Sankey links are drawn translucent)."""
    r, g, b = plotly.colors.hex_to_rgb(color)
    return f"rgba({r},{g},{b},{alpha})"


def horizontal_bars(
    frame: pl.DataFrame,
    *,
    y: str,
    x: str,
    color: str,
    text: list[str],
    caption: Caption,
    lang: str,
    percent_axis: bool = False,
    axis_title: str | None = None,
) -> go.Figure:
    """One bar per row, labelled at its end, in the frame's order from the top, with the value
    axis titled `axis_title` if given. The row labels (`y`) may come from the data: shown as
    text, never as markup."""
    fig = go.Figure(
        go.Bar(
            x=frame[x].to_list(),
            y=[plotly_text(v) for v in frame[y]],
            orientation="h",
            marker_color=frame[color].to_list(),
            text=text,
            textposition="outside",
            textfont={"size": 16},
            cliponaxis=False,
            hovertemplate="%{y} : %{text}<extra></extra>",
        )
    )
    style(fig, caption, lang)
    fig.update_yaxes(autorange="reversed", rangemode="normal", showgrid=False, zeroline=False)
    fig.update_xaxes(
        rangemode="tozero",
        gridcolor="#e6e6e6",
        range=[0, max(frame[x].max() or 0, 1e-9) * 1.18],
    )
    top = max(frame[x].max() or 0, 1e-9)
    if percent_axis:
        locale_ticks(fig, lang, "percent", top, axis="x")
    else:
        money_axis(fig, lang, top, axis="x")
    fig.update_layout(showlegend=False, height=max(420, 220 + 60 * frame.height))
    if axis_title:
        fig.update_xaxes(title={"text": axis_title, "standoff": 8})
    # The source line goes under the axis title when there is one.
    return finish(fig, legend=None, axis_room=66 if axis_title else 40)


def stacked_horizontal_bars(
    frame: pl.DataFrame,
    *,
    y: str,
    x: str,
    series: str,
    series_label: str,
    color: str,
    totals_text: dict,
    caption: Caption,
    lang: str,
) -> go.Figure:
    """One bar per `y` (in the frame's order from the top) stacked by series, its total at its
    end: groups read side by side, each its own bar, none added to another. Labels from the data
    are shown as text, never as markup."""
    fig = go.Figure()
    rows = frame[y].unique(maintain_order=True).to_list()
    for series_id in _series_order(frame, series):
        part = frame.filter(pl.col(series) == series_id)
        name = plotly_text(part[series_label][0])
        fig.add_bar(
            x=part[x].to_list(),
            y=[plotly_text(v) for v in part[y]],
            orientation="h",
            name=plotly_text(short_label(part[series_label][0])),
            marker_color=part[color][0],
            marker_line={"color": "white", "width": 1},
            customdata=[money(v, lang) for v in part[x].to_list()],
            hovertemplate=f"{name}<br>%{{y}} : %{{customdata}}<extra></extra>",
        )
    totals = frame.group_by(y, maintain_order=True).agg(pl.col(x).sum())
    fig.add_scatter(
        x=totals[x].to_list(),
        y=[plotly_text(v) for v in totals[y]],
        mode="text",
        text=[totals_text.get(v, "") for v in totals[y].to_list()],
        textposition="middle right",
        textfont={"size": 16},
        cliponaxis=False,
        showlegend=False,
        hoverinfo="skip",
    )
    style(fig, caption, lang)
    top = max(totals[x].max() or 0, 1e-9)
    fig.update_layout(barmode="stack", height=max(460, 260 + 70 * len(rows)))
    fig.update_yaxes(autorange="reversed", rangemode="normal", showgrid=False, zeroline=False)
    fig.update_xaxes(gridcolor="#e6e6e6", range=[0, top * 1.22])
    money_axis(fig, lang, top, axis="x")
    return finish(fig, legend="right", axis_room=40)


def wrap(text: str, width: int) -> str:
    """Break Plotly text with <br> so that no line is longer than `width` characters (words are
    never cut)."""
    return "<br>".join(
        "<br>".join(
            textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
        )
        for line in text.split("<br>")
    )


def finish(
    fig: go.Figure,
    *,
    legend: str | None = "right",
    axis_room: int = 48,
    title_width: int = 72,
    subtitle_width: int = 120,
    source_width: int = 110,
) -> go.Figure:
    """Make a styled figure fit a laptop screen as well as a projector: wrap the title, subtitle
    and source line instead of letting them run off the edge, make room for them, and put a long
    legend on the right rather than over the source line."""
    title = wrap(fig.layout.title.text or "", title_width)
    subtitle = wrap(fig.layout.title.subtitle.text or "", subtitle_width)
    # The source line starts where the plot does, right of the tick labels: it wraps shorter as
    # they widen (6 px of label take about 1.3 of its characters); 1280 px wide, no line of it
    # runs off the figure.
    labels_width = tick_labels.left_width(fig)
    source_width = min(source_width, max(50, 120 - round(1.3 * labels_width / 6)))
    title_lines, subtitle_lines = title.count("<br>") + 1, subtitle.count("<br>") + 1
    top = 24 + 30 * title_lines + 21 * subtitle_lines + 34
    annotations = []
    bottom = axis_room + 16
    for annotation in fig.layout.annotations:
        item = annotation.to_plotly_json()
        if item.get("yref") == "paper" and item.get("y", 1) < 0:
            item["text"] = wrap(item["text"], source_width)
            item.update(y=0, yanchor="top", yshift=-axis_room, align="left")
            bottom = axis_room + 18 * (item["text"].count("<br>") + 1) + 16
        annotations.append(item)
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle},
            # 18 px under the figure's top edge. Plotly leaves a container title's top padding
            # out and centres its lines on the anchor (half a 22 px line up for each line after
            # the first): in an image or a slide the title touched or crossed the edge.
            "y": 1 - (18 + 15 * (title_lines - 1)) / (fig.layout.height or HEIGHT),
            "yref": "container",
            "yanchor": "top",
        },
        annotations=annotations,
        margin={"t": top, "b": bottom},
    )
    tick_labels.make_room(fig, labels_width)
    if legend == "right":
        fig.update_layout(
            legend={
                "orientation": "v",
                "x": 1.02,
                "xanchor": "left",
                "y": 1,
                "yanchor": "top",
                "traceorder": "reversed",
                "font": {"size": 15},
            },
            margin={"r": 20},
        )
    return fig
