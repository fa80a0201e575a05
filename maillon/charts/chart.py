"""A chart as one value: the figure, the rows behind it and what it says (its caption), built once
by the figures code and read as they are by the page, the image export, the deck, the printed
report and the Excel workbook. Nothing reads a figure's text back to learn what it says."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl


@dataclass(frozen=True)
class Caption:
    """What a chart says, as plain text (names from the data as themselves, never markup).

    `title` states the finding and `key_figure` is the figure of that finding as shown in the
    title ('38,5 %'); `source` may hold line breaks ('\\n'); `mark` says how much of the rows
    behind the chart are not real ('DONNÉES ILLUSTRATIVES', 'PARTIELLEMENT MODÉLISÉ (37 %)'),
    empty when all are real: it is drawn on the chart and carried into every export.
    """

    title: str
    subtitle: str
    source: str
    key_figure: str = ""
    mark: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart, the rows behind it and its caption. Shared between sessions: never modify it."""

    figure: go.Figure
    table: pl.DataFrame
    caption: Caption
