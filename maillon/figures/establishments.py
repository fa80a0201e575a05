"""Establishments: the map of the real establishments, the choropleth by département, overseas
establishments, and one establishment's own view (no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.figures import france_map, shared
from maillon.i18n import date_text, number, percent, t, tn
from maillon.plain_text import plotly_text


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


# Occupancy classes of both maps (upper bounds; the last is open), light to dark: a few
# classes read better on a projector than a continuous scale, and draw as one trace each.
OCCUPANCY_CLASSES = (0.9, 1.0, 1.1, 1.2, 1.4, None)
CLASS_COLORS = ("#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
# A dark ring keeps the lightest class's points visible on the white map.
MARKER_LINE = {"color": "#333", "width": 0.6}


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


def map_chart(frame: pl.DataFrame, lang: str) -> Chart:
    """Metropolitan establishments as points sized by detainees, coloured by occupancy class
    (the choropleth's classes and colours, one trace each, in the legend)."""
    metro = drawn_on_map(frame).with_columns(
        (pl.col("detainees").cast(pl.Float64).sqrt() * 0.9).clip(4, 40).alias("size")
    )
    classes = pl.Series([occupancy_class(o) for o in metro["occupancy"]], dtype=pl.Int8)
    fig = go.Figure()
    france_map.draw_outline(fig)
    for index, color in enumerate(CLASS_COLORS):
        part = metro.filter(classes == index)
        fig.add_scatter(
            x=(part["longitude"] * france_map.LON_SCALE).to_list() or [None],
            y=part["latitude"].to_list() or [None],
            mode="markers",
            marker={"size": part["size"].to_list(), "color": color, "line": MARKER_LINE},
            customdata=[
                plotly_text(f"{n} ({ty}) : {number(d, lang)} / {number(c, lang)} · ")
                + percent(o, lang)
                for n, ty, d, c, o in part.select(
                    "name", "type_code", "detainees", "operational_capacity", "occupancy"
                ).iter_rows()
            ],
            hovertemplate="%{customdata}<extra></extra>",
            name=class_label(index, lang),
            cliponaxis=False,
        )
    title, key_figure = map_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(
            lang,
            "establishments.map_subtitle",
            overseas=frame.filter(pl.col("is_overseas")).height,
            # Overseas ones without a headcount are counted once, as overseas.
            unknown=frame.filter(~pl.col("is_overseas") & pl.col("occupancy").is_null()).height,
        ),
        **sourced(frame, lang),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_layout(
        height=760,
        margin={"l": 10, "r": 10},
        # The legend's points one size: a class's first point would set its point's size.
        legend={"title": {"text": t(lang, "establishments.occupancy")}, "itemsizing": "constant"},
    )
    fig = draw.finish(fig, legend="right", axis_room=10)
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


def _centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Where a département's hover point goes: the middle of its largest ring's extent."""
    ring = max(rings, key=len)
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def choropleth_chart(frame: pl.DataFrame, places: pl.DataFrame, lang: str) -> Chart:
    """Départements filled by occupancy class (one filled trace per class, in the legend),
    with one hover point per département."""
    fig = go.Figure()
    france_map.draw_outline(fig)
    rings = france_map.outline_rings()
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
    fig.update_layout(
        height=760,
        margin={"l": 10, "r": 10},
        hoverdistance=30,
        legend={"title": {"text": t(lang, "establishments.occupancy")}},
    )
    return Chart(
        draw.finish(fig, legend="right", axis_room=10), departement_table(frame, lang), caption
    )


@cached
def map_view(filters: Filters, lang: str) -> Chart | None:
    """The map, or None when none of the scope's establishments is drawn on it (overseas, or
    no headcount published): the page then points to the overseas tab."""
    frame = establishments(filters)
    return map_chart(frame, lang) if drawn_on_map(frame).height else None


@cached
def choropleth_view(filters: Filters, lang: str) -> Chart | None:
    frame = by_departement(filters)
    return choropleth_chart(frame, establishments(filters), lang) if frame.height else None


def every_establishment(options: FilterOptions) -> dict[str, str]:
    """{establishment_id: name} of every establishment, whatever the filters (for pickers)."""
    return names(establishments(Filters.default(options)))


CHOSEN_PARAM = "_establishment"  # the establishment chosen on the page, in its URL


def names(frame: pl.DataFrame) -> dict[str, str]:
    """{establishment_id: name} for the establishment picker."""
    return dict(zip(frame["establishment_id"], frame["name"], strict=True))


MODES = ("public", "delegated", "ppp")  # establishment_management's CHECK


def departement_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The choropleth's rows as its data table: words for headers, the density in %."""
    return frame.select(
        pl.col("departement_code").alias(t(lang, "filters.departement")),
        pl.col("departement_name").alias(t(lang, "establishments.departement_name")),
        pl.col("establishments").alias(t(lang, "markets.establishments")),
        pl.col("detainees").alias(t(lang, "establishments.detainees")),
        pl.col("operational_capacity").alias(t(lang, "establishments.places")),
        (pl.col("occupancy") * 100).round(1).alias(t(lang, "establishments.occupancy") + " (%)"),
    )


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
