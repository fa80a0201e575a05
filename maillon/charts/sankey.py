"""Sankey diagrams: where the nodes go (one column per node type, each node given room in
proportion to its flow but never less than a label needs) and the figure in the house style
(no Streamlit, no data access)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.chart import Caption
from maillon.plain_text import plotly_text

MIN_GAP = 0.05  # least vertical room per line of a node's label, as a share of the plot height


@dataclass(frozen=True)
class Layout:
    """Which column each node type sits in, and where a column's first node starts (a share of
    the plot height from the top; 0.01 unless said otherwise). `label_chars`: the labels of the
    columns after the first wrap at this many characters. `xs`: where each column stands (a
    share of the plot width), evenly spaced unless said: with more than two columns, the labels
    of the last middle column (right of its nodes) and those of the last (left of its nodes)
    share the last gap."""

    columns: dict[str, int]
    tops: dict[str, float]
    label_chars: int | None = None
    xs: dict[int, float] | None = None


def label_lines(label: str, layout: Layout, node_type: str) -> list[str]:
    """A node's label as the lines it is drawn on (words never cut)."""
    if not layout.label_chars or not layout.columns[node_type]:
        return [label]
    return textwrap.wrap(label, layout.label_chars, break_long_words=False) or [label]


def positions(nodes: list[tuple[str, str]], values: list[float], layout: Layout, lines: list[int]):
    """x by column; y stacks each column's nodes, each given its share of the largest column's
    total or at least MIN_GAP per line of its label, so that the labels of small flows do not
    overlap."""
    columns = sorted({layout.columns[n[0]] for n in nodes})
    members = {c: [i for i, n in enumerate(nodes) if layout.columns[n[0]] == c] for c in columns}
    tops = {layout.columns[kind]: top for kind, top in layout.tops.items()}
    scale_total = max(sum(values[i] for i in m) for m in members.values()) or 1
    y_by_node = {}
    for column, indices in members.items():
        top = tops.get(column, 0.01)
        room = heights(
            [values[i] / scale_total * 0.85 for i in indices],
            [MIN_GAP * lines[i] for i in indices],
            0.99 - top,
        )
        for i, height in zip(indices, room, strict=True):
            y_by_node[i] = top + height / 2
            top += height
    last = max(layout.columns.values())
    column_x = layout.xs or {column: column / last for column in range(last + 1)}
    xs = [0.001 + 0.998 * column_x[layout.columns[node[0]]] for node in nodes]
    return xs, [y_by_node[i] for i in range(len(nodes))]


def heights(shares: list[float], least: list[float], room: float) -> list[float]:
    """Each node's share of the height, at least its `least`, the whole fitting in `room`: when
    the column is too tall, the nodes above their least shrink and the small ones keep it."""
    floored = [max(share, low) for share, low in zip(shares, least, strict=True)]
    if sum(floored) <= room:
        return floored
    small = {i for i, share in enumerate(shares) if share <= least[i]}
    while True:
        large = [i for i in range(len(shares)) if i not in small]
        large_total = sum(shares[i] for i in large)
        kept = sum(least[i] for i in small)
        scale = max(room - kept, 0) / large_total if large_total else 0
        newly_small = {i for i in large if shares[i] * scale < least[i]}
        if not newly_small:
            break
        small |= newly_small
    return [least[i] if i in small else share * scale for i, share in enumerate(shares)]


def figure(
    nodes: pl.DataFrame,
    links: pl.DataFrame,
    *,
    caption: Caption,
    lang: str,
    height: int = 760,
) -> go.Figure:
    """A Sankey from nodes (label_lines, color, hover) and links (source, target, value, color,
    hover). Labels and hover texts are plain text (names from the data): shown as text, never as
    markup; a label's lines are drawn one under the other."""
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            valueformat=",.0f",
            valuesuffix=" €" if lang == "fr" else "",
            node={
                "label": [
                    "<br>".join(plotly_text(line) for line in lines)
                    for lines in nodes["label_lines"]
                ],
                "x": nodes["x"].to_list(),
                "y": nodes["y"].to_list(),
                "color": nodes["color"].to_list(),
                "pad": 14,
                "thickness": 18,
                "line": {"color": "white", "width": 0.5},
                "customdata": [plotly_text(v) for v in nodes["hover"]],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            link={
                "source": links["source"].to_list(),
                "target": links["target"].to_list(),
                "value": links["value"].to_list(),
                "color": links["color"].to_list(),
                "customdata": [plotly_text(v) for v in links["hover"]],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            textfont={"size": 15, "color": "#111"},
        )
    )
    draw.style(fig, caption, lang)
    fig.update_layout(height=height, margin={"l": 10, "r": 10})
    return draw.finish(fig, legend=None, axis_room=12)
