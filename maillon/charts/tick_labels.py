"""The room a figure's tick labels take left of its plot, given before Plotly draws it.

Plotly measures tick labels only once it has drawn them; when they need more room than the
margin gives, it draws the whole figure a second time (automargin). A margin computed before,
from the widths the labels take in Source Sans (the font the page draws its charts in), spares
that second drawing: a third to a half of a horizontal-bar chart's drawing time.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

# Advance widths in em of Source Sans (Streamlit's "Source Sans" web font), measured in Chromium
# with canvas measureText at 100 px and rounded up to the nearest 0.05 em.
_EM_WIDTHS = {
    0.15: "\u202f\u2009",  # narrow no-break and thin spaces (French number groups, units)
    0.2: " \u00a0",
    0.25: "',.:;ijl|îï’·",
    0.3: "!()I[]f{}Î",
    0.35: "-/\\rt°",
    0.45: '"*?sxz«»²',
    0.5: "0123456789#$+<=>FJLY^_acegkvy~àâäçéèêëÿ€–×±≈≤≥",
    0.55: "AESTVXZ`bdhnopquôöùûüÀÂÉÈÊ",
    0.6: "BCKPRÇ",
    0.65: "&DGHNUÙÛ→",
    0.7: "OQÔ",
    0.75: "Mw",
    0.8: "Wæ—",
    0.85: "%@mœŒ",
    0.95: "…",
}
EM = {char: width for width, chars in _EM_WIDTHS.items() for char in chars}
# Any other character (another script, a symbol): as wide as the widest common letters.
OTHER_EM = 0.8


def width(text: str, size: float) -> float:
    """Pixels the line `text` takes at font size `size` (px)."""
    return size * sum(EM.get(char, OTHER_EM) for char in text)


# Pixels Plotly's automargin keeps beside the tick labels' box, standoff included (measured: 17).
LABEL_ROOM = 18


def left_width(fig: go.Figure) -> float:
    """Pixels of the widest tick label left of the plot (0: none, or Plotly picks them)."""
    labels = _left_tick_labels(fig)
    return max((width(line, size) for line, size in labels or ()), default=0)


def make_room(fig: go.Figure, labels_width: float) -> None:
    """Widen the left margin to the tick labels' width, as Plotly's automargin would: Plotly then
    draws the figure once instead of twice (automargin stays on for an image drawn in another
    font, and for ticks Plotly picks itself)."""
    if not labels_width:
        return
    needed = math.ceil(labels_width) + LABEL_ROOM
    margin = fig.layout.margin.l
    if needed > (margin if margin is not None else fig.layout.template.layout.margin.l):
        fig.update_layout(margin={"l": needed})


def _left_tick_labels(fig: go.Figure) -> list[tuple[str, float]] | None:
    """(line, font size) of every tick label left of the plot; None when Plotly picks some of
    them itself (a numeric axis without tick texts)."""
    default_size = fig.layout.template.layout.yaxis.tickfont.size
    found = []
    for name in [key for key in fig.layout if key.startswith("yaxis")]:
        axis = fig.layout[name]
        if axis.visible is False or axis.showticklabels is False or axis.side == "right":
            continue
        if axis.ticktext:
            labels = list(axis.ticktext)
        else:
            trace_axis = "y" + name.removeprefix("yaxis")
            labels = [
                value
                for trace in fig.data
                if (getattr(trace, "yaxis", None) or "y") == trace_axis
                for value in getattr(trace, "y", None) or ()
                if value is not None
            ]
            if not all(isinstance(value, str) for value in labels):
                return None
        size = axis.tickfont.size or default_size
        found += [(line, size) for label in labels for line in str(label).split("<br>")]
    return found
