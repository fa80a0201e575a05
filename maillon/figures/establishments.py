"""Establishments: the map of the real establishments, the choropleth by département, overseas
establishments, and one establishment's own view (no Streamlit)."""

from __future__ import annotations

import json
import math
from functools import cache
from itertools import pairwise

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.data.paths import REFERENCE_DIR
from maillon.figures import shared
from maillon.i18n import date_text, number, percent, t, tn
from maillon.plain_text import plotly_text

DEPARTEMENTS = REFERENCE_DIR / "departements-version-simplifiee.geojson"
OCCUPANCY_SCALE = [[0, "#fee8c8"], [0.5, "#fdbb84"], [1, "#b30000"]]
OCCUPANCY_RANGE = (0.6, 1.8)
OCCUPANCY_TICKS = (0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8)


def _scope(filters: Filters) -> dict:
    return {
        "year_to": filters.year_to,
        "disps": list(filters.disp),
        "regions": list(filters.region),
        "departements": list(filters.departement),
        "modes": list(filters.mode),
        "types": list(filters.type),
    }


def establishments(filters: Filters) -> pl.DataFrame:
    return queries.run("establishments_map", **_scope(filters))


def by_departement(filters: Filters) -> pl.DataFrame:
    return queries.run("establishments_by_departement", **_scope(filters))


@cache
def departement_outlines() -> dict:
    """The real département outlines (IGN Admin Express via france-geojson), read once."""
    return json.loads(DEPARTEMENTS.read_text())


def map_provenance(frame: pl.DataFrame) -> shared.Provenance:
    """The provenance of a map's month, weighted by detainees, and the sources of its rows (the
    establishments' and their population's)."""
    counted = frame.filter(pl.col("detainees").is_not_null())
    total = counted["detainees"].sum() or 1

    def share(provenance: str) -> float:
        return counted.filter(pl.col("provenance") == provenance)["detainees"].sum() / total

    ids = {*frame["source_id"].drop_nulls(), *frame["establishment_source_id"].drop_nulls()}
    return shared.Provenance(share("illustrative"), share("modeled"), *shared.named_sources(ids))


def sourced(frame: pl.DataFrame, lang: str) -> dict[str, str]:
    """A map's source line (its rows' sources, the month, the outlines; the data quality) and
    its provenance mark."""
    month = frame["month"].drop_nulls().max()
    nc = int(frame["quartiers_nc"].sum())
    modeled = frame.filter(pl.col("provenance") == "modeled").height
    note = t(
        lang,
        "establishments.quality",
        nc=tn(lang, "establishments.quality_nc", nc),
        modeled=tn(lang, "establishments.quality_modeled", modeled),
    )
    found = map_provenance(frame)
    parts = [
        *found.source_texts(lang),
        t(lang, "establishments.source", date=date_text(month, lang)),
    ]
    sources = t(lang, "chart.source_separator").join(parts)
    return {
        "source": f"{t(lang, 'chart.source', sources=sources)}\n{note}",
        "mark": found.mark(lang),
    }


def drawn_on_map(frame: pl.DataFrame) -> pl.DataFrame:
    """The establishments the map draws: metropolitan ones with a published population."""
    return frame.filter(~pl.col("is_overseas") & pl.col("occupancy").is_not_null())


def map_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure (establishments over capacity), counted on the
    establishments drawn, so the title describes the map."""
    known = drawn_on_map(frame)
    over = number(known.filter(pl.col("occupancy") > 1).height, lang)
    title = t(
        lang,
        "establishments.map_title",
        over=over,
        total=number(known.height, lang),
        detainees=number(known["detainees"].sum(), lang),
    )
    return title, over


# The map is drawn on plain axes (longitude scaled by the cosine of France's mean latitude), not
# with Plotly's geo layer: that one fetches a world topojson from the internet, and the app works
# offline.
LON_SCALE = math.cos(math.radians(46.5))
# Outline points closer than this to the previous kept one are dropped (about 9 km, a few pixels
# on the drawn map): the figures stay light enough to draw quickly in the browser (0.05 drew
# 5,160 ring points in 79 kB; 0.08 keeps 3,364 ring points, 2,072 once each border is drawn once).
OUTLINE_STEP = 0.08


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


def _outline_trace() -> go.Scatter:
    xs: list = []
    ys: list = []
    for line in border_lines():
        xs += [x for x, _ in line] + [None]
        ys += [y for _, y in line] + [None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": "#c8c8c8", "width": 0.7},
        hoverinfo="skip",
        showlegend=False,
    )


def _map_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(
        visible=False, showgrid=False, scaleanchor="x", scaleratio=1, rangemode="normal"
    )


def map_chart(frame: pl.DataFrame, lang: str) -> Chart:
    """Metropolitan establishments as points sized by detainees, coloured by occupancy."""
    metro = drawn_on_map(frame)
    sizes = (metro["detainees"].cast(pl.Float64).sqrt() * 0.9).clip(4, 40).to_list()
    fig = go.Figure(_outline_trace())
    fig.add_scatter(
        x=(metro["longitude"] * LON_SCALE).to_list(),
        y=metro["latitude"].to_list(),
        mode="markers",
        marker={
            "size": sizes,
            "color": metro["occupancy"].to_list(),
            "colorscale": OCCUPANCY_SCALE,
            "cmin": OCCUPANCY_RANGE[0],
            "cmax": OCCUPANCY_RANGE[1],
            "line": {"color": "#333", "width": 0.6},
            "colorbar": {
                "title": {"text": t(lang, "establishments.occupancy")},
                "tickmode": "array",
                "tickvals": OCCUPANCY_TICKS,
                "ticktext": [percent(v, lang) for v in OCCUPANCY_TICKS],
            },
        },
        customdata=[
            plotly_text(f"{n} ({ty}) : {number(d, lang)} / {number(c, lang)} · {percent(o, lang)}")
            for n, ty, d, c, o in metro.select(
                "name", "type_code", "detainees", "operational_capacity", "occupancy"
            ).iter_rows()
        ],
        hovertemplate="%{customdata}<extra></extra>",
        showlegend=False,
    )
    title, key_figure = map_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(
            lang,
            "establishments.map_subtitle",
            overseas=frame.filter(pl.col("is_overseas")).height,
            unknown=frame.filter(pl.col("occupancy").is_null()).height,
        ),
        **sourced(frame, lang),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    _map_axes(fig)
    fig.update_layout(height=760, margin={"l": 10, "r": 10})
    fig = draw.finish(fig, legend=None, axis_room=10)
    return Chart(fig, table(frame, lang, overseas=False), caption)


def choropleth_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the most crowded département and its occupancy."""
    top = frame.sort("occupancy", descending=True).row(0, named=True)
    occupancy = percent(top["occupancy"], lang)
    title = t(
        lang,
        "establishments.choropleth_title",
        name=top["departement_name"],
        occupancy=occupancy,
        over=frame.filter(pl.col("occupancy") > 1).height,
        total=frame.height,
    )
    return title, occupancy


# Occupancy classes of the choropleth (upper bounds; the last is open), light to dark: a few
# classes read better on a projector than a continuous scale, and draw as one trace each.
OCCUPANCY_CLASSES = (0.9, 1.0, 1.1, 1.2, 1.4, None)
CLASS_COLORS = ("#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")


def occupancy_class(occupancy: float) -> int:
    """The index in OCCUPANCY_CLASSES of the class holding `occupancy`."""
    bounds = enumerate(OCCUPANCY_CLASSES)
    return next(i for i, upper in bounds if upper is None or occupancy < upper)


def class_label(index: int, lang: str) -> str:
    upper = OCCUPANCY_CLASSES[index]
    if index == 0:
        return t(lang, "establishments.class_below", upper=percent(upper, lang))
    lower = percent(OCCUPANCY_CLASSES[index - 1], lang)
    if upper is None:
        return t(lang, "establishments.class_above", lower=lower)
    return t(lang, "establishments.class_between", lower=lower, upper=percent(upper, lang))


def _centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Where a département's hover point goes: the middle of its largest ring's extent."""
    ring = max(rings, key=len)
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def choropleth_chart(frame: pl.DataFrame, places: pl.DataFrame, lang: str) -> Chart:
    """Départements filled by occupancy class (one filled trace per class, in the legend),
    with one hover point per département."""
    fig = go.Figure(_outline_trace())
    rings = outline_rings()
    shown = frame.filter(
        pl.col("occupancy").is_not_null() & pl.col("departement_code").is_in(list(rings))
    )
    classes = [occupancy_class(o) for o in shown["occupancy"]]
    for index, color in enumerate(CLASS_COLORS):
        xs: list = []
        ys: list = []
        for code, found in zip(shown["departement_code"], classes, strict=True):
            if found == index:
                for ring in rings[code]:
                    xs += [x for x, _ in ring] + [None]
                    ys += [y for _, y in ring] + [None]
        fig.add_scatter(
            x=xs or [None],
            y=ys or [None],
            mode="lines",
            fill="toself",
            fillcolor=color,
            line={"color": "white", "width": 0.6},
            name=class_label(index, lang),
            hoverinfo="skip",
        )
    centres = [_centre(rings[code]) for code in shown["departement_code"]]
    fig.add_scatter(
        x=[x for x, _ in centres],
        y=[y for _, y in centres],
        mode="markers",
        marker={"size": 14, "opacity": 0},
        text=[
            plotly_text(
                f"{row['departement_name']} : {number(row['detainees'], lang)} / "
                f"{number(row['operational_capacity'], lang)} · {percent(row['occupancy'], lang)}"
            )
            for row in shown.iter_rows(named=True)
        ],
        hoverinfo="text",
        showlegend=False,
    )
    title, key_figure = choropleth_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "establishments.choropleth_subtitle"),
        **sourced(places, lang),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    _map_axes(fig)
    fig.update_layout(
        height=760,
        margin={"l": 10, "r": 10},
        hoverdistance=30,
        legend={"title": {"text": t(lang, "establishments.occupancy")}},
    )
    return Chart(draw.finish(fig, legend="right", axis_room=10), frame, caption)


@cached
def map_view(filters: Filters, lang: str) -> Chart | None:
    frame = establishments(filters)
    return map_chart(frame, lang) if frame.height else None


@cached
def choropleth_view(filters: Filters, lang: str) -> Chart | None:
    frame = by_departement(filters)
    return choropleth_chart(frame, establishments(filters), lang) if frame.height else None


def every_establishment(options: FilterOptions) -> dict[str, str]:
    """{establishment_id: name} of every establishment, whatever the filters (for pickers)."""
    return names(establishments(Filters.default(options)))


def names(frame: pl.DataFrame) -> dict[str, str]:
    """{establishment_id: name} for the establishment picker."""
    return dict(zip(frame["establishment_id"], frame["name"], strict=True))


MODES = ("public", "delegated", "ppp")  # establishment_management's CHECK


def table(frame: pl.DataFrame, lang: str, overseas: bool | None = None) -> pl.DataFrame:
    if overseas is not None:
        frame = frame.filter(pl.col("is_overseas") == overseas)
    return frame.select(
        pl.col("name").alias(t(lang, "dash.establishment")),
        pl.col("type_code").alias(t(lang, "dash.type")),
        pl.col("city").alias(t(lang, "establishments.city")),
        pl.col("region_name").alias(t(lang, "dash.region")),
        pl.col("management_mode")
        .replace_strict({m: t(lang, f"establishments.mode_{m}") for m in MODES}, default=None)
        .alias(t(lang, "filters.mode")),
        pl.col("detainees").alias(t(lang, "establishments.detainees")),
        pl.col("operational_capacity").alias(t(lang, "establishments.places")),
        (pl.col("occupancy") * 100).round(1).alias(t(lang, "establishments.occupancy") + " (%)"),
        pl.col("quartiers_nc").alias(t(lang, "establishments.quartiers_nc")),
    )


# ---------------------------------------------------------------- one establishment
