"""The associations network: directory and its CSV export, partnership graph and how
connected it is, coverage of the establishments by field of action, conventions to renew and
joint actions (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.database.taxonomy import FIELDS, SETTINGS
from maillon.figures import france_map, shared
from maillon.i18n import number, percent, t
from maillon.plain_text import plain_markdown, plotly_text

# Fields of action are not operator kinds: a palette of their own, distinct from the kind colours.
FIELD_COLORS = dict(zip(FIELDS, [*draw.DOMAIN_PALETTE, "#e15759", "#59a14f"], strict=True))
SIDE_COLORS = {"with_inside": "#9c755f", "with_after_release": "#76b7b2", "with_both": "#4e79a7"}
CARD_PLACES = 6
# The associations page's tabs, in order (their labels' keys): other pages link to one by place.
TABS = (
    "associations.tab_directory",
    "associations.tab_network",
    "associations.tab_coverage",
    "associations.tab_conventions",
    "associations.tab_actions",
    "operator_links.tab",
    "handover.tab",
)
TABS_KEY = "associations_tab"
# The directory's search in the page address: text, fields, settings, establishments.
SEARCH_TEXT_PARAM = "_q"
FIELD_PARAM = "_field"
SETTING_PARAM = "_setting"
ESTABLISHMENT_PARAM = "_establishment"
SEARCH_PARAMS = (SEARCH_TEXT_PARAM, FIELD_PARAM, SETTING_PARAM, ESTABLISHMENT_PARAM)
MAX_SEARCH_TEXT = 200  # characters of a linked search kept; a name or a town is far shorter
DIRECTORY_COLUMNS = (
    "name",
    "field",
    "scope",
    "setting",
    "address",
    "postal_code",
    "city",
    "email",
    "phone",
    "establishment_count",
    "establishments",
    "partners",
)


def label(lang: str, kind: str, value: str) -> str:
    """Label of a code: kind is field, setting, scope, purpose or theme."""
    return t(lang, f"associations.{kind}_{value}")


def scope_params(filters: Filters) -> dict:
    params = filters.params()
    places = ("disps", "regions", "departements", "modes", "types")
    return {k: params[k] for k in ("year_from", "year_to", *places)}


def sourced(filters: Filters, lang: str, tables: list[str]) -> dict[str, str]:
    """A caption's source line and mark: the association tables and the establishments."""
    return shared.sourced(filters, lang, tables, establishments=True)


# ---------------------------------------------------------------- directory and exports


@dataclass(frozen=True)
class Search:
    text: str = ""
    fields: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    establishments: tuple[str, ...] = ()


def search_to_url(search: Search) -> dict[str, str | list[str]]:
    """The search as URL parameters; an empty part writes nothing."""
    parts = {
        SEARCH_TEXT_PARAM: search.text.strip(),
        FIELD_PARAM: list(search.fields),
        SETTING_PARAM: list(search.settings),
        ESTABLISHMENT_PARAM: list(search.establishments),
    }
    return {param: value for param, value in parts.items() if value}


def search_from_url(query: Mapping[str, list[str]], establishments: Iterable[str]) -> Search:
    """The search a link names, keeping only the fields, settings and establishments the
    directory offers (in the order given, once each) and the first MAX_SEARCH_TEXT characters."""
    offered = {
        FIELD_PARAM: FIELDS,
        SETTING_PARAM: SETTINGS,
        ESTABLISHMENT_PARAM: set(establishments),
    }
    kept = {
        param: tuple(dict.fromkeys(v for v in query.get(param, []) if v in allowed))
        for param, allowed in offered.items()
    }
    text = (query.get(SEARCH_TEXT_PARAM) or [""])[-1]
    return Search(
        text[:MAX_SEARCH_TEXT], kept[FIELD_PARAM], kept[SETTING_PARAM], kept[ESTABLISHMENT_PARAM]
    )


def directory(filters: Filters, search: Search) -> pl.DataFrame:
    return queries.run(
        "associations_directory",
        **scope_params(filters),
        search=search.text.strip(),
        fields=list(search.fields),
        settings=list(search.settings),
        establishments=list(search.establishments),
    )


def establishment_choices(filters: Filters) -> dict[str, str]:
    """{establishment_id: name} of the establishments in the filters, for the directory search."""
    frame = queries.run("associations_coverage", **_scope_last_year(filters))
    return dict(frame.sort("name").select("establishment_id", "name").iter_rows())


def directory_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The directory as shown and exported: codes as labels, headers in the language."""
    shown = frame.with_columns(
        pl.col("field_id")
        .replace_strict({f: label(lang, "field", f) for f in FIELDS})
        .alias("field"),
        pl.col("scope").replace_strict({s: label(lang, "scope", s) for s in ("national", "local")}),
        pl.col("setting").replace_strict({s: label(lang, "setting", s) for s in SETTINGS}),
    ).select(DIRECTORY_COLUMNS)
    return shown.rename({c: t(lang, f"associations.col_{c}") for c in DIRECTORY_COLUMNS})


@dataclass(frozen=True)
class Card:
    """One association of the directory: the heading is escaped Markdown, the rest plain text."""

    heading: str
    facts: str
    where: str
    partners: str
    contact: str


def _first_places(places: str | None, lang: str) -> str:
    """The first establishments of a card; the full list is in the exports."""
    names = places.split(", ") if places else []
    if len(names) <= CARD_PLACES:
        return ", ".join(names) or "–"
    more = t(lang, "associations.card_more", count=number(len(names) - CARD_PLACES, lang))
    return f"{', '.join(names[:CARD_PLACES])} {more}"


def cards(frame: pl.DataFrame, lang: str) -> list[Card]:
    found = []
    for row in frame.iter_rows(named=True):
        facts = " · ".join(
            [
                label(lang, "field", row["field_id"]),
                label(lang, "scope", row["scope"]),
                label(lang, "setting", row["setting"]),
            ]
        )
        partners = (
            t(lang, "associations.card_partners", partners=row["partners"])
            if row["partners"]
            else t(lang, "associations.card_no_partner")
        )
        contact = t(
            lang,
            "associations.card_contact",
            **{k: row[k] or "–" for k in ("address", "postal_code", "city", "email", "phone")},
        )
        where = t(
            lang,
            "associations.card_where",
            count=number(row["establishment_count"], lang),
            places=_first_places(row["establishments"], lang),
        )
        found.append(Card(f"**{plain_markdown(row['name'])}**", facts, where, partners, contact))
    return found


# ---------------------------------------------------------------- coverage


def _scope_last_year(filters: Filters) -> dict:
    params = scope_params(filters)
    params.pop("year_from")
    return params


def coverage(filters: Filters) -> pl.DataFrame:
    return queries.run("associations_coverage", **_scope_last_year(filters))


def coverage_finding(frame: pl.DataFrame, filters: Filters, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the establishments no association reaches."""
    uncovered = frame.filter(pl.col("fields_covered") == 0)
    count = number(uncovered.height, lang)
    title = t(
        lang,
        "associations.coverage_title",
        count=count,
        total=number(frame.height, lang),
        detainees=number(uncovered["detainees"].sum(), lang),
        year=filters.year_to,
    )
    return title, count


def coverage_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """Metropolitan establishments sized by detainees, coloured by how many fields are covered;
    those with none are drawn as open red circles so they stand out."""
    metro = frame.filter(~pl.col("is_overseas"))
    fig = go.Figure()
    france_map.draw_outline(fig)
    for covered in (True, False):
        part = metro.filter((pl.col("fields_covered") > 0) == covered)
        fig.add_scatter(
            x=(part["longitude"] * france_map.LON_SCALE).to_list(),
            y=part["latitude"].to_list(),
            mode="markers",
            marker={
                "size": (part["detainees"].fill_null(0).cast(pl.Float64).sqrt() * 0.9)
                .clip(5, 40)
                .to_list(),
                "color": part["fields_covered"].to_list() if covered else "rgba(0,0,0,0)",
                "colorscale": "Blues",
                "cmin": 0,
                "cmax": len(FIELDS),
                "line": {"color": "#333" if covered else "#c0392b", "width": 0.6 if covered else 2},
                "colorbar": {"title": {"text": t(lang, "associations.fields_covered")}}
                if covered
                else None,
            },
            customdata=[
                t(
                    lang,
                    "associations.coverage_hover",
                    name=plotly_text(n),
                    detainees=number(d, lang),
                    fields=", ".join(label(lang, "field", f) for f in fs) or "–",
                )
                for n, d, fs in part.select("name", "detainees", "fields").iter_rows()
            ],
            hovertemplate="%{customdata}<extra></extra>",
            name=t(lang, "associations.covered" if covered else "associations.not_covered"),
            showlegend=not covered,
        )
    title, key_figure = coverage_finding(frame, filters, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "associations.coverage_subtitle"),
        **shared.sourced(filters, lang, ["association_intervention"], population=True),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_layout(
        height=760,
        margin={"l": 10, "r": 10},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    fig = draw.finish(fig, legend=None, axis_room=10)
    return Chart(fig, coverage_table(frame, lang), caption)


def coverage_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """One row per establishment, one yes/no column per field, fewest fields first."""
    yes, no = t(lang, "associations.yes"), t(lang, "associations.no")
    return frame.select(
        pl.col("name").alias(t(lang, "associations.col_establishment")),
        pl.col("region_name").alias(t(lang, "associations.col_region")),
        pl.col("detainees").alias(t(lang, "associations.col_detainees")),
        pl.col("fields_covered").alias(t(lang, "associations.fields_covered")),
        *[
            pl.when(pl.col("fields").list.contains(f))
            .then(pl.lit(yes))
            .otherwise(pl.lit(no))
            .alias(label(lang, "field", f))
            for f in FIELDS
        ],
    )


@cached
def coverage_view(filters: Filters, lang: str) -> Chart | None:
    frame = coverage(filters)
    return coverage_chart(frame, filters, lang) if frame.height else None


def continuity(filters: Filters) -> pl.DataFrame:
    return queries.run("associations_continuity", **_scope_last_year(filters))


def continuity_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """Share of each région's establishments with support inside, after release, and both."""
    fig = go.Figure()
    sides = (
        ("with_inside", "#9c755f"),
        ("with_after_release", "#76b7b2"),
        ("with_both", "#4e79a7"),
    )
    for column, color in sides:
        fig.add_bar(
            y=[plotly_text(r) for r in frame["region_name"]],
            x=(frame[column] / frame["establishments"]).to_list(),
            orientation="h",
            name=t(lang, f"associations.{column}"),
            marker_color=color,
            customdata=[
                f"{number(v, lang)} / {number(n, lang)}"
                for v, n in frame.select(column, "establishments").iter_rows()
            ],
            hovertemplate="%{y} : %{customdata}<extra></extra>",
        )
    both = frame["with_both"].sum()
    total = frame["establishments"].sum()
    share = percent(both / total if total else None, lang)
    caption = Caption(
        title=t(lang, "associations.continuity_title", share=share, year=filters.year_to),
        subtitle=t(lang, "associations.continuity_subtitle"),
        **sourced(filters, lang, ["association", "association_intervention"]),
        key_figure=share,
    )
    draw.style(fig, caption, lang)
    fig.update_xaxes(range=[0, 1], gridcolor="#e6e6e6")
    draw.locale_ticks(fig, lang, "percent", 1.0, axis="x")
    fig.update_yaxes(rangemode="normal")
    fig.update_layout(barmode="group", height=max(480, 70 * frame.height + 220))
    return Chart(draw.finish(fig, legend="right"), continuity_table(frame, lang), caption)


def continuity_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("region_name").alias(t(lang, "associations.col_region")),
        *[
            pl.col(c).alias(t(lang, f"associations.{c}"))
            for c in ("establishments", "with_inside", "with_after_release", "with_both")
        ],
    )


@cached
def continuity_view(filters: Filters, lang: str) -> Chart | None:
    frame = continuity(filters)
    return continuity_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- conventions


def without_convention(filters: Filters) -> pl.DataFrame:
    return queries.run("associations_without_convention", **scope_params(filters))


def without_convention_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("association").alias(t(lang, "associations.col_name")),
        pl.col("partner").alias(t(lang, "associations.col_partner")),
        pl.col("purpose")
        .map_elements(lambda p: label(lang, "purpose", p), return_dtype=pl.String)
        .alias(t(lang, "associations.col_purpose")),
        pl.col("since_year").alias(t(lang, "associations.col_since")),
    )
