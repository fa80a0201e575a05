"""Plotly figures in Maillon's house style (see ../shared/context/CHARTS.md).

Title = the finding, subtitle = the measure, a source line under the plot, the illustrative-data
mark burnt into the figure, projector-readable sizes, one colour per operator kind (from data).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from maillon.i18n import money, t

FONT = "Source Sans Pro, Arial, sans-serif"
SEPARATORS = {"fr": ", ", "en": ".,"}


def stacked_bars(
    frame: pl.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    series_label: str,
    color: str,
    title: str,
    subtitle: str,
    source: str,
    lang: str,
    totals_text: dict | None = None,
    illustrative: bool = False,
) -> go.Figure:
    """Bars stacked by series (already ordered by the query), a label above each bar."""
    fig = go.Figure()
    for series_id in frame[series].unique(maintain_order=True).to_list():
        part = frame.filter(pl.col(series) == series_id)
        name = part[series_label][0]
        fig.add_bar(
            x=part[x].to_list(),
            y=part[y].to_list(),
            name=name,
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
    style(fig, title=title, subtitle=subtitle, source=source, lang=lang, illustrative=illustrative)
    fig.update_layout(barmode="stack", xaxis={"type": "category"})
    fig.update_yaxes(
        tickformat="~s",
        ticksuffix=" €" if lang == "fr" else "",
        tickprefix="" if lang == "fr" else "€",
    )
    return fig


def style(
    fig: go.Figure, *, title: str, subtitle: str, source: str, lang: str, illustrative: bool
) -> go.Figure:
    """Apply the house style: large type, light grid, source line and illustrative mark."""
    annotations = [
        {
            "text": source,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": -0.16,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": 13, "color": "#555"},
        }
    ]
    if illustrative:
        annotations.append(
            {
                "text": t(lang, "chart.illustrative_mark"),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.02,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13, "color": "#8a4b00"},
                "bgcolor": "#fff3e0",
                "borderpad": 3,
            }
        )
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 15, "color": "#444"}},
            "font": {"size": 22},
            "x": 0,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
        },
        font={"family": FONT, "size": 16, "color": "#222"},
        separators=SEPARATORS[lang],
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 70, "r": 20, "t": 110, "b": 120},
        legend={"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top", "font": {"size": 14}},
        annotations=annotations,
        height=560,
    )
    fig.update_yaxes(gridcolor="#e6e6e6", zeroline=True, zerolinecolor="#999", rangemode="tozero")
    return fig
