"""Public figures (« Repères publics »): figures published about prison services, each with its
date and how old it is, its publisher, link and reliability, and a sentence to cite it; figures
that compare (same date and unit) drawn as one small chart; any figure as a chart for the deck.

Read from sql/public_figures.sql. A figure is the source's number and reference in Maillon's own
words (public_fact.label_*), never the source's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.figures import shared
from maillon.i18n import money, number, percent, t, tn
from maillon.plain_text import plotly_text

THEMES = ("gestion_deleguee", "cantine", "travail", "operator_history")
# A figure this many years old or more is flagged as old next to its date.
OLD_AFTER_YEARS = 5
# Bars of figures that are not operator kinds: a neutral grey, never a kind's colour.
SERIES_COLOR = draw.NEUTRAL_NODE
SERIES_OPERATOR_KIND = {"gd_market_share_2015": "for_profit"}  # Sodexo, Gepsa, Idex
PROVENANCES = ("illustrative", "modeled")


@dataclass(frozen=True)
class PublicFigure:
    fact_id: str
    theme: str
    label: str
    value: str  # formatted in the reader's language, unit sign included
    unit: str  # what follows the value ('établissements sur 192'), may be empty
    scope: str
    date: str
    age_years: int | None  # None when undated
    publisher: str
    url: str
    reliability: str
    series_id: str | None
    is_text: bool  # a list or a sentence rather than one number

    @property
    def web_link(self) -> str | None:
        """The source's address when it is a web address (an imported file could hold another
        scheme, which is never made a link)."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else None

    def age(self, lang: str) -> str:
        """'il y a 17 ans' / '17 years old', 'non daté' / 'undated'."""
        if self.age_years is None:
            return t(lang, "public.undated")
        if self.age_years < 1:
            return t(lang, "public.this_year")
        return tn(lang, "public.age", self.age_years)

    def is_old(self) -> bool:
        return self.age_years is not None and self.age_years >= OLD_AFTER_YEARS

    @property
    def value_with_unit(self) -> str:
        """'71 établissements', '42,8 % du marché de la gestion déléguée'."""
        return " ".join(part for part in (self.value, self.unit) if part)

    def scope_and_date(self, lang: str) -> str:
        """'France, 2015': what the figure covers and its date, the date said once (a scope that
        already names it, 'France, année 2020', is not followed by '2020' again)."""
        if self.date.casefold() in self.scope.casefold():
            return self.scope
        return t(lang, "public.scope_and_date", scope=self.scope, date=self.date)

    def cite(self, lang: str) -> str:
        """A sentence to paste into a slide or a letter: the figure, what it covers, its date and
        its source with the link."""
        return t(
            lang,
            "public.cite_text",
            label=self.label,
            value=self.value_with_unit,
            scope_and_date=self.scope_and_date(lang),
            publisher=self.publisher,
            url=self.url,
        )


def _rows() -> pl.DataFrame:
    return queries.run("public_figures")


def _decimals(published: str) -> int:
    match = re.search(r"[.,](\d+)\s*$", published.strip())
    return len(match.group(1)) if match else 0


def _value(row: dict, lang: str) -> str:
    number_value = row["value_number"]
    decimals = _decimals(row["value_published"])
    if row["unit_kind"] == "percent":
        return percent(number_value / 100, lang, decimals=decimals)
    if row["unit_kind"] == "eur":
        return money(number_value, lang, cents=decimals > 0)
    if row["unit_kind"] == "count":
        return number(number_value, lang, decimals=decimals)
    return row[f"value_{lang}"]


def reliability_label(published: str, lang: str) -> str:
    """'official (parliament)' -> 'officielle (parlement)'; a kind Maillon has no words for is
    shown as published."""
    key = "public.reliability_" + re.sub(r"[^a-z]+", "_", published.lower()).strip("_")
    text = t(lang, key)
    return published if text == key else text


def _figure(row: dict, lang: str, today: date) -> PublicFigure:
    year = row["reference_year"]
    return PublicFigure(
        fact_id=row["fact_id"],
        theme=row["theme"],
        label=row[f"label_{lang}"],
        value=_value(row, lang),
        unit=row[f"unit_{lang}"] or "",
        scope=row[f"scope_{lang}"],
        date=row[f"date_{lang}"],
        age_years=None if year is None else today.year - year,
        publisher=row[f"publisher_label_{lang}"],
        url=row["source_url"],
        reliability=reliability_label(row["reliability"], lang),
        series_id=row["series_id"],
        is_text=row["unit_kind"] == "text",
    )


def figures(lang: str, today: date) -> list[PublicFigure]:
    """Every public figure, by theme (THEMES order) and in the order of the file."""
    return [_figure(row, lang, today) for row in _rows().iter_rows(named=True)]


def by_theme(lang: str, today: date) -> dict[str, list[PublicFigure]]:
    grouped: dict[str, list[PublicFigure]] = {theme: [] for theme in THEMES}
    for figure in figures(lang, today):
        grouped.setdefault(figure.theme, []).append(figure)
    return {theme: items for theme, items in grouped.items() if items}


def summary() -> dict[str, int]:
    """How many figures, and the years of the oldest and the newest dated one."""
    years = _rows()["reference_year"].drop_nulls()
    return {"count": _rows().height, "oldest": years.min(), "newest": years.max()}


def series_ids(theme: str) -> list[str]:
    """The series of a theme, in the order their first figure comes."""
    rows = _rows().filter((pl.col("theme") == theme) & pl.col("series_id").is_not_null())
    return rows["series_id"].unique(maintain_order=True).to_list()


def _source_line(rows: pl.DataFrame, lang: str) -> str:
    # one item per page read (publishers are named more or less fully from one row to the next)
    publishers = rows.select(f"publisher_label_{lang}", "source_url").unique(
        "source_url", keep="first", maintain_order=True
    )
    items = [f"{p} ({url})" for p, url in publishers.iter_rows()]
    return t(lang, "public.source_line", sources=t(lang, "public.list_separator").join(items))


def _mark(rows: pl.DataFrame, lang: str) -> str:
    """The mark of the rows behind a figure ('' when all are real, as published figures are)."""
    share = {p: rows.filter(pl.col("provenance") == p).height / rows.height for p in PROVENANCES}
    return shared.Provenance(share["illustrative"], share["modeled"], ()).mark(lang)


@cached
def series_chart(series_id: str, lang: str) -> Chart:
    """The figures of one series as bars, largest first; the title states the largest."""
    rows = _rows().filter(pl.col("series_id") == series_id)
    kind = SERIES_OPERATOR_KIND.get(series_id)
    color = shared.kind_colors()[kind] if kind else SERIES_COLOR
    first = rows.row(0, named=True)
    texts = [_value(row, lang) for row in rows.iter_rows(named=True)]
    table = rows.select(
        pl.col(f"series_label_{lang}").alias("name"),
        pl.col("value_number").alias("value"),
        pl.Series("shown", texts),
        pl.col(f"date_{lang}").alias("date"),
        pl.col(f"publisher_label_{lang}").alias("publisher"),
        pl.col("source_url"),
    ).with_columns(pl.lit(color).alias("color"))
    headers = {c: t(lang, f"public.col_{c}") for c in table.columns if c != "color"}
    top = table.sort("value", descending=True, maintain_order=True).row(0, named=True)
    values = {
        "top": top["name"],
        "value": top["shown"],
        "first": texts[0],
        "last": texts[-1],
        "year": first["reference_year"],
    }
    caption = Caption(
        title=t(lang, f"public.series_{series_id}_title", **values),
        subtitle=t(lang, f"public.series_{series_id}_subtitle", **values),
        source=_source_line(rows, lang),
        key_figure=top["shown"],
        mark=_mark(rows, lang),
    )
    unit = first["unit_kind"]
    plotted = table.with_columns(
        (pl.col("value") / 100).alias("value") if unit == "percent" else pl.col("value")
    )
    fig = draw.horizontal_bars(
        plotted,
        y="name",
        x="value",
        color="color",
        text=texts,
        caption=caption,
        lang=lang,
        percent_axis=unit == "percent",
    )
    return Chart(fig, table.drop("color").rename(headers), caption)


def figure_chart(fact_id: str, lang: str, today: date) -> Chart:
    """One figure as a slide: its value large, what it is as the title, its reference below."""
    row = _rows().filter(pl.col("fact_id") == fact_id).row(0, named=True)
    figure = _figure(row, lang, today)
    caption = Caption(
        title=figure.label,
        subtitle=figure.scope_and_date(lang),
        source=_source_line(pl.DataFrame([row]), lang)
        + "\n"
        + t(lang, "public.slide_age", age=figure.age(lang), reliability=figure.reliability),
        key_figure=figure.value,
        mark=_mark(pl.DataFrame([row]), lang),
    )
    fig = go.Figure()
    fig.add_annotation(
        text=draw.wrap(plotly_text(figure.value), 48),
        x=0.5,
        y=0.62,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 72 if len(figure.value) <= 14 else 30, "color": "#222"},
    )
    if figure.unit:
        fig.add_annotation(
            text=draw.wrap(plotly_text(figure.unit), 70),
            x=0.5,
            y=0.3,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 24, "color": "#444"},
        )
    draw.style(fig, caption, lang)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=460, showlegend=False)
    table = pl.DataFrame(
        {
            t(lang, "public.col_name"): [figure.label],
            t(lang, "public.col_shown"): [figure.value],
            t(lang, "public.col_unit"): [figure.unit],
            t(lang, "public.col_scope"): [figure.scope],
            t(lang, "public.col_date"): [figure.date],
            t(lang, "public.col_publisher"): [figure.publisher],
            t(lang, "public.col_source_url"): [figure.url],
            t(lang, "public.col_reliability"): [figure.reliability],
        }
    )
    return Chart(draw.finish(fig, legend=None, axis_room=10), table, caption)
