"""The map of metropolitan France the establishment maps are drawn on: the départements' real
outlines (IGN Admin Express via france-geojson), thinned, on plain axes (no Streamlit)."""

from __future__ import annotations

import json
import math
from functools import cache
from itertools import pairwise
from urllib.parse import quote

import plotly.graph_objects as go

from maillon.data.paths import REFERENCE_DIR

DEPARTEMENTS = REFERENCE_DIR / "departements-version-simplifiee.geojson"

# The map is drawn on plain axes (longitude scaled by the cosine of France's mean latitude), not
# with Plotly's geo layer: that one fetches a world topojson from the internet, and the app works
# offline.
LON_SCALE = math.cos(math.radians(46.5))
# Outline points closer than this to the previous kept one are dropped (about 9 km, a few pixels
# on the drawn map): the figures stay light enough to draw quickly in the browser (0.05 drew
# 5,160 ring points in 79 kB; 0.08 keeps 3,364 ring points, 2,072 once each border is drawn once).
OUTLINE_STEP = 0.08
OUTLINE_COLOR = "#c8c8c8"
# Room around the outline, in degrees of latitude: the largest markers (40 px) at the coast stay
# whole on a map some 600 px high.
MAP_PAD = 0.4
IMAGE_WIDTH = 1000


@cache
def departement_outlines() -> dict:
    """The real département outlines, read once."""
    return json.loads(DEPARTEMENTS.read_text())


def _thinned(line: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [line[0]]
    for x, y in line[1:-1]:
        if math.dist((x, y), kept[-1]) >= OUTLINE_STEP:
            kept.append((x, y))
    kept.append(line[-1])  # a ring stays closed, and a border keeps the ends it shares
    return [(round(x, 3), round(y, 3)) for x, y in kept]


def _exterior_rings(feature: dict) -> list[list[tuple[float, float]]]:
    """A département's exterior rings, (longitude, latitude), as in the GeoJSON."""
    geometry = feature["geometry"]
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [[(lon, lat) for lon, lat in polygon[0]] for polygon in polygons]


def _scaled(line: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(lon * LON_SCALE, lat) for lon, lat in line]


@cache
def outline_rings() -> dict[str, list[list[tuple[float, float]]]]:
    """{département code: exterior rings as (x, y)} from the bundled GeoJSON, thinned: the
    shapes the choropleth fills."""
    return {
        feature["properties"]["code"]: [
            _thinned(_scaled(ring)) for ring in _exterior_rings(feature)
        ]
        for feature in departement_outlines()["features"]
    }


def borders(features: list[dict]) -> list[list[tuple[float, float]]]:
    """The borders of GeoJSON polygons as (longitude, latitude) lines, each drawn once: two
    neighbours share a border point for point, so a segment met again is skipped."""
    seen: set[frozenset] = set()
    lines: list[list[tuple[float, float]]] = []
    for feature in features:
        for ring in _exterior_rings(feature):
            line: list[tuple[float, float]] = []
            for start, end in pairwise(ring):
                segment = frozenset((start, end))
                if segment in seen:
                    if len(line) > 1:
                        lines.append(line)
                    line = []
                    continue
                seen.add(segment)
                line = line or [start]
                line.append(end)
            if len(line) > 1:
                lines.append(line)
    return lines


@cache
def border_lines() -> list[list[tuple[float, float]]]:
    """The départements' borders as (x, y) lines, thinned. Each drawn once, the map's outline
    has 2,100 points against 3,500 for every ring, and no border drawn twice a few pixels apart
    where each neighbour's ring was thinned its own way."""
    return [_thinned(_scaled(line)) for line in borders(departement_outlines()["features"])]


def bounds() -> tuple[float, float, float, float]:
    """The outline's extent on the map's axes: (x0, x1, y0, y1)."""
    points = [point for line in border_lines() for point in line]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), max(xs), min(ys), max(ys)


@cache
def outline_image() -> str:
    """The borders as one SVG path, as a data URI. Plotly draws an image at once where it
    styles a 2,100-point line trace point by point (the map drew in 30 ms, now 20, in
    Chromium), and a data URI asks nothing of the network. The path is in whole units of a
    1,000-unit-wide image (0.6 px on the page's map), each point relative to the one before:
    9 kB, where the line trace's points took 40."""
    x0, x1, y0, y1 = bounds()
    scale = IMAGE_WIDTH / (x1 - x0)
    commands = []
    for line in border_lines():
        points = [(round((x - x0) * scale), round((y1 - y) * scale)) for x, y in line]
        steps = [(bx - ax, by - ay) for (ax, ay), (bx, by) in pairwise(points)]
        start = f"M{points[0][0]},{points[0][1]}l"
        commands.append(start + ",".join(f"{dx},{dy}" for dx, dy in steps))
    path = "".join(commands).replace(",-", "-")  # a minus sign separates numbers too
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' "
        f"viewBox='0 0 {IMAGE_WIDTH} {round((y1 - y0) * scale)}' preserveAspectRatio='none'>"
        f"<path d='{path}' fill='none' stroke='{OUTLINE_COLOR}' stroke-width='0.7' "
        "vector-effect='non-scaling-stroke'/></svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe="/:=,.-'")


def draw_outline(fig: go.Figure) -> None:
    """Put the départements' outline under the figure's traces, on equal-scale hidden axes
    that span it."""
    x0, x1, y0, y1 = bounds()
    fig.add_layout_image(
        source=outline_image(),
        xref="x",
        yref="y",
        x=x0,
        y=y1,
        sizex=x1 - x0,
        sizey=y1 - y0,
        sizing="stretch",
        layer="below",
    )
    fig.update_xaxes(visible=False, showgrid=False, range=[x0 - MAP_PAD, x1 + MAP_PAD])
    fig.update_yaxes(
        visible=False,
        showgrid=False,
        range=[y0 - MAP_PAD, y1 + MAP_PAD],
        scaleanchor="x",
        scaleratio=1,
    )
