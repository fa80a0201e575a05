"""Charts as image files (PNG for slides, SVG for print) through kaleido 1.x on the system Chromium.

One kaleido server (one headless Chromium) is started on first use and shared by every session
and thread of the process: starting a browser per image would cost a second or more each time.
The title, source line and illustrative mark are part of the figure (maillon.charts.draw), so
they are burnt into the image as they are.

Every image goes through `render`, which calls that server under a lock: Plotly's own
`to_image` and `write_image` would reach the same server without it.
"""

from __future__ import annotations

import atexit
import copy
import re
import threading
from pathlib import Path

import kaleido
import plotly.graph_objects as go

from maillon.charts import draw

CHROMIUM = Path("/usr/bin/chromium")
PNG_SCALE = 2  # 2x resolution: sharp on a projector and in a slide
WIDTH = 1200  # the width charts are drawn for on a wide page; heights come from the figure
DEFAULT_HEIGHT = 560
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}

_lock = threading.Lock()
_rendering = threading.Lock()
RENDER_WAIT_S = 60  # for the images asked before this one; kaleido bounds each image itself
_started = False


def _ensure_server() -> None:
    global _started
    with _lock:
        if _started:
            return
        options = {"path": str(CHROMIUM)} if CHROMIUM.exists() else {}
        # No MathJax: the charts hold no formulas, and it would be fetched from a CDN.
        kaleido.start_sync_server(mathjax=False, silence_warnings=True, **options)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _started = True


def size(fig: go.Figure | dict) -> tuple[int, int]:
    """Width and height in CSS pixels the image is drawn at (the figure's own height), for a
    figure or its export_spec."""
    height = fig["layout"].get("height") if isinstance(fig, dict) else fig.layout.height
    return WIDTH, int(height or DEFAULT_HEIGHT)


def render(fig: go.Figure | dict, fmt: str) -> bytes:
    """The figure as PNG (at 2x) or SVG bytes."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    spec = export_spec(fig)
    _ensure_server()
    width, height = size(spec)
    opts = {
        "format": fmt,
        "width": width,
        "height": height,
        "scale": PNG_SCALE if fmt == "png" else 1,
    }
    # One image at a time: kaleido's server hands results back through one queue shared by
    # its callers, and two sessions exporting at once got each other's images (22 of 30 in a
    # test of six threads); it draws one image at a time anyway. A server that stopped
    # answering makes the next images fail after a wait rather than hang.
    if not _rendering.acquire(timeout=RENDER_WAIT_S):
        raise TimeoutError(f"no chart image could be drawn within {RENDER_WAIT_S} s")
    try:
        data = kaleido.calc_fig_sync(spec, opts=opts)
    finally:
        _rendering.release()
    return _fixed_ids(data) if fmt == "svg" else data


def _fixed_ids(svg: bytes) -> bytes:
    """Plotly names the SVG's clip paths after a random id: fix it, so that the same chart gives
    the same file (and the board report the same bytes before printing)."""
    found = re.search(rb'id="defs-([0-9a-z]+)"', svg)
    return svg.replace(found.group(1), b"maillon") if found else svg


EXPORT_TICKS = {"size": 15, "color": "#222"}


def export_spec(fig: go.Figure | dict) -> dict:
    """The figure as a plain dict (a copy), laid out for a fixed-size image: charts not yet
    fitted by draw.finish get their legend beside the plot (not over the source line), and the
    title keeps off the left edge.

    Edited as a dict: Plotly's own update_xaxes and update_yaxes validate every axis of every
    subplot, 77 ms for a chart of nine panels, a tenth of its image."""
    figure = fig if isinstance(fig, go.Figure) else go.Figure(fig)
    if figure.layout.title.yref != "container":
        figure = go.Figure(figure)  # a copy: the figure on the page is left as it is
        draw.finish(figure)
    spec = figure.to_dict()
    layout = spec["layout"]
    _merge(layout, {"title": {"pad": {"l": 12}}})
    # Read on a slide or a printed page, further away than a screen: axis labels as large and
    # dark as the body text (the page's own template keeps them small and grey). Long category
    # names (horizontal bars) widen the margin instead of being cut off.
    for name in _axis_names(layout, "x"):
        _merge(
            layout.setdefault(name, {}), {"tickfont": EXPORT_TICKS, "title": {"font": EXPORT_TICKS}}
        )
    for name in _axis_names(layout, "y"):
        _merge(
            layout.setdefault(name, {}),
            {"automargin": True, "tickfont": EXPORT_TICKS, "title": {"font": EXPORT_TICKS}},
        )
    for number, trace in enumerate(spec["data"]):
        trace["uid"] = f"trace{number}"  # else random: the same chart would give different files
    return spec


def _axis_names(layout: dict, letter: str) -> list[str]:
    """The axes Plotly's update_xaxes (or update_yaxes) reaches: the first, always, and every
    other one the layout holds."""
    pattern = re.compile(rf"{letter}axis[0-9]+")
    return [f"{letter}axis", *sorted(k for k in layout if pattern.fullmatch(k))]


def _merge(target: dict, update: dict) -> None:
    """Nested dicts merged, other values (lists too) replaced, as Plotly's updates do for the
    properties edited here; nothing validated (they are Maillon's own constants)."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def file_name(key: str, fmt: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key)
    return f"maillon_{safe}.{fmt}"
