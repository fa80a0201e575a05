"""A chart as it leaves the app (image, HTML page, slide, published folder): the filters it was
drawn for written under its source line, so that a figure for one DISP and four years is not
read as the national one once it is out of the app."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go

from maillon.charts import draw
from maillon.charts.chart import Chart
from maillon.data.filters import FilterOptions, Filters
from maillon.exports.basket import describe_filters
from maillon.i18n import t
from maillon.plain_text import plotly_text

# The global filters a chart was drawn for and their labels; None for a published figure, which
# they do not apply to.
Scope = tuple[Filters, FilterOptions] | None


def filters_text(scope: Scope, lang: str) -> str:
    """'Années : 2021–2024 ; DISP : PARIS', or that the filters do not apply."""
    if scope is None:
        return t(lang, "public.not_filtered")
    return describe_filters(*scope, lang)


def filters_line(scope: Scope, lang: str) -> str:
    """The filters as a line under a source: 'Filtres : Années : 2021–2024 ; DISP : PARIS'."""
    if scope is None:
        return filters_text(scope, lang)
    return t(lang, "export.deck_filters", filters=filters_text(scope, lang))


def exported(chart: Chart, scope: Scope, lang: str) -> Chart:
    """The chart with its filters under its source line (a copy: the page's is left as it is)."""
    return replace(chart, figure=with_filters(chart.figure, filters_line(scope, lang)))


def with_filters(fig: go.Figure, line: str, width: int = 110) -> go.Figure:
    """A copy of a finished figure with `line` (the filters it was drawn for) under its source
    line, the figure taller by as much: an image, a slide or a page taken away from the app
    says for which scope its figures hold. The figure on the page is left as it is."""
    copy = go.Figure(fig)
    text = draw.wrap(plotly_text(line), width)
    added = text.count("<br>") + 1
    notes = list(copy.layout.annotations)
    source = next(
        (i for i, a in enumerate(notes) if a.yref == "paper" and a.yanchor == "top" and a.yshift),
        None,
    )
    if source is None:  # no source line to stand under: the line goes at the figure's foot
        copy.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yanchor="top",
            yshift=-12,
            showarrow=False,
            align="left",
            xanchor="left",
            font={"size": 12, "color": "#555"},
        )
    else:
        notes[source] = notes[source].update(text=f"{notes[source].text}<br>{text}")
        copy.layout.annotations = notes
    copy.update_layout(
        height=(copy.layout.height or draw.HEIGHT) + 18 * added,
        margin={"b": (copy.layout.margin.b or 0) + 18 * added},
    )
    return copy
