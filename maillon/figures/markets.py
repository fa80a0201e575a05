"""Markets and operators: market value by domain, share by operator kind, value per detainee-day
and per place, canteen markup, top establishments and operators (no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import overview, shared
from maillon.i18n import money, number, percent, t
from maillon.plain_text import plotly_text

OTHER = "other"


# ---------------------------------------------------------------- market value by domain


def value_by_domain(filters: Filters) -> pl.DataFrame:
    return queries.run("markets_value_by_domain_year", **filters.params())


def domain_series(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """year, series, label, color, market_value_eur: the six largest domains, then 'other'."""
    top = shared.top_with_other(frame, key="domain_id", value="market_value_eur")
    colors = dict(zip(top, draw.DOMAIN_PALETTE, strict=False))
    order = {d: i for i, d in enumerate(top)} | {OTHER: len(top)}
    named = frame.with_columns(
        pl.when(pl.col("domain_id").is_in(top))
        .then(pl.col("domain_id"))
        .otherwise(pl.lit(OTHER))
        .alias("series"),
        pl.when(pl.col("domain_id").is_in(top))
        .then(pl.col(f"label_{lang}"))
        .otherwise(pl.lit(t(lang, "dash.other_domains")))
        .alias("label"),
    )
    return (
        named.group_by("year", "series", "label")
        .agg(pl.col("market_value_eur").sum())
        .with_columns(
            pl.col("series").replace_strict(colors, default=draw.OTHER_COLOR).alias("color"),
            pl.col("series").replace_strict(order, default=99).alias("order"),
        )
        .sort("year", "order")
        .drop("order")
    )


def domain_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the largest domain of the last year and its share of
    that year's value (the last year with a value: contracts may run on with none recorded)."""
    frame = frame.filter(pl.col("market_value_eur") > 0)
    last_year = frame["year"].max()
    last = frame.filter(pl.col("year") == last_year).sort("market_value_eur", descending=True)
    top = last.row(0, named=True)
    share = percent(top["market_value_eur"] / last["market_value_eur"].sum(), lang)
    title = t(
        lang,
        "markets.domain_title",
        domain=top[f"label_{lang}"],
        share=share,
        total=money(last["market_value_eur"].sum(), lang),
        year=last_year,
    )
    return title, share


def domain_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    series = domain_series(frame, lang)
    title, key_figure = domain_finding(frame, lang)
    caption = Caption(
        title=title,
        # Says the smaller domains are grouped only when they are (more than six in scope).
        subtitle=t(
            lang,
            "markets.domain_subtitle_grouped"
            if series["series"].eq(OTHER).any()
            else "markets.domain_subtitle",
        ),
        **shared.sourced(filters, lang, ["market_value"]),
        key_figure=key_figure,
    )
    totals = series.group_by("year").agg(pl.col("market_value_eur").sum())
    fig = draw.stacked_bars(
        series,
        x="year",
        y="market_value_eur",
        series="series",
        series_label="label",
        color="color",
        caption=caption,
        lang=lang,
        totals_text={r["year"]: money(r["market_value_eur"], lang) for r in totals.to_dicts()},
    )
    return Chart(draw.finish(fig), domain_table(frame, lang), caption)


def domain_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("year").alias(t(lang, "chart.year")),
        pl.col(f"label_{lang}").alias(t(lang, "dash.domain")),
        pl.col("market_value_eur").round(2).alias(t(lang, "chart.value")),
    )


@cached
def domain_view(filters: Filters, lang: str) -> Chart | None:
    frame = value_by_domain(filters)
    return domain_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- share by operator kind


def share_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """Shares of each year's market value by kind (100 % stacked), the ESS total above each bar.

    Reads the same query as the Overview's chart (market_value_by_year_kind) and states the
    same finding, so both pages agree."""
    shares = overview.ess_share_by_year(frame)
    fig = go.Figure()
    for kind_id in frame["kind_id"].unique(maintain_order=True).to_list():
        part = frame.filter(pl.col("kind_id") == kind_id)
        name = plotly_text(part[f"label_{lang}"][0])
        fig.add_bar(
            x=part["year"].to_list(),
            y=part["share_of_year"].to_list(),
            name=name,
            marker_color=part["color"][0],
            marker_line={"color": "white", "width": 1},
            customdata=[percent(v, lang) for v in part["share_of_year"].to_list()],
            hovertemplate=f"{name}<br>%{{x}} : %{{customdata}}<extra></extra>",
        )
    fig.add_scatter(
        x=shares["year"].to_list(),
        y=[1.0] * shares.height,
        mode="text",
        text=[
            t(lang, "overview.ess_label", share=overview.share_text(v, lang))
            for v in shares["ess_share"]
        ],
        textposition="top center",
        textfont={"size": 16, "color": "#1b5e20"},
        showlegend=False,
        hoverinfo="skip",
    )
    title, key_figure = overview.market_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "markets.share_subtitle"),
        **shared.sourced(filters, lang, ["market_value", "operator_kind"]),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_layout(barmode="stack", xaxis={"type": "category"})
    fig.update_yaxes(range=[0, 1.2])  # room above the bars for the two-line ESS labels
    draw.locale_ticks(fig, lang, "percent", 1.0)
    return Chart(draw.finish(fig), overview.chart_table(frame, lang), caption)


@cached
def share_view(filters: Filters, lang: str) -> Chart | None:
    frame = overview.market_by_kind(filters)
    return share_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- per detainee-day and per place


def per_detainee(filters: Filters) -> pl.DataFrame:
    return queries.run("markets_per_detainee", **filters.params())


def per_detainee_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: what each group earns per detainee-day (ESS first)."""
    values = {r["kind_group"]: r["eur_per_detainee_day"] for r in frame.to_dicts()}
    if "ess" in values and "for_profit" in values:
        ess = _eur(values["ess"], lang)
        title = t(
            lang,
            "markets.per_day_title",
            ess=ess,
            for_profit=_eur(values["for_profit"], lang),
        )
        return title, ess
    group, value = next(iter(values.items()))
    title = t(
        lang,
        "markets.per_day_title_one",
        group=shared.group_label(group, lang),
        value=_eur(value, lang),
    )
    return title, _eur(value, lang)


def _eur(value: float | None, lang: str) -> str:
    """Small amounts with two decimals: '1,23 €' / '€1.23'."""
    if value is None:
        return "–"
    if abs(value) >= 100:
        return money(value, lang)
    return t(lang, "dash.eur", value=number(value, lang, decimals=2))


def per_detainee_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """Two panels side by side: EUR per detainee-day, EUR per operational place and year."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12)
    groups = [shared.group_label(g, lang) for g in frame["kind_group"]]
    for col, measure in ((1, "eur_per_detainee_day"), (2, "eur_per_place_year")):
        values = frame[measure].to_list()
        fig.add_bar(
            x=groups,
            y=values,
            marker_color=frame["color"].to_list(),
            text=[_eur(v, lang) for v in values],
            textposition="outside",
            textfont={"size": 16},
            cliponaxis=False,
            showlegend=False,
            hovertemplate="%{x} : %{text}<extra></extra>",
            row=1,
            col=col,
        )
    modeled = frame["modeled_months"].sum() / max(frame["months"].sum(), 1)
    note = t(lang, "markets.per_day_note", modeled=percent(modeled, lang))
    title, key_figure = per_detainee_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "markets.per_day_subtitle"),
        **shared.sourced(
            filters,
            lang,
            ["market_value", "establishment_population"],
            population=True,
            note=note,
        ),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_yaxes(showticklabels=False, rangemode="tozero")
    for col, measure in ((1, "eur_per_detainee_day"), (2, "eur_per_place_year")):
        top = frame[measure].max() or 1
        fig.update_yaxes(range=[0, top * 1.2], row=1, col=col)
    # panel names as axis titles, under each panel
    for col, key in ((1, "markets.per_day_panel"), (2, "markets.per_place_panel")):
        fig.update_xaxes(
            title={"text": t(lang, key), "font": {"size": 17}, "standoff": 14}, row=1, col=col
        )
    return Chart(
        draw.finish(fig, legend=None, axis_room=80), per_detainee_table(frame, lang), caption
    )


def per_detainee_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        shared.group_column(lang),
        pl.col("revenue_eur").round(2).alias(t(lang, "chart.value")),
        pl.col("detainee_days").round(0).alias(t(lang, "markets.detainee_days")),
        pl.col("place_years").round(1).alias(t(lang, "markets.place_years")),
        pl.col("eur_per_detainee_day").round(4).alias(t(lang, "markets.per_day_panel")),
        pl.col("eur_per_place_year").round(2).alias(t(lang, "markets.per_place_panel")),
    )


@cached
def per_detainee_view(filters: Filters, lang: str) -> Chart | None:
    frame = per_detainee(filters)
    return per_detainee_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- canteen markup


def markup(filters: Filters) -> pl.DataFrame:
    return queries.run("canteen_markup", **filters.params())


BASKET = "basket"
MARKUP_COLUMNS = 3


def markup_by_group(frame: pl.DataFrame) -> dict[str, float]:
    """{kind_group: markup of its whole basket}, from the kinds' basket rows."""
    grouped = (
        frame.filter(pl.col("category") == BASKET)
        .group_by("kind_group")
        .agg((pl.col("price_eur").sum() / pl.col("reference_price_eur").sum() - 1).alias("markup"))
    )
    return dict(zip(grouped["kind_group"], grouped["markup"], strict=True))


def markup_finding(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The finding and its key figure: the for-profit holders' canteen markup, against the
    ESS holders'."""
    groups = markup_by_group(frame)
    if "ess" in groups and "for_profit" in groups:
        for_profit = percent(groups["for_profit"], lang)
        title = t(
            lang,
            "markets.markup_title",
            for_profit=for_profit,
            ess=percent(groups["ess"], lang),
        )
        return title, for_profit
    group, value = next(iter(groups.items()))
    title = t(
        lang,
        "markets.markup_title_one",
        group=shared.group_label(group, lang),
        markup=percent(value, lang),
    )
    return title, percent(value, lang)


def _category_label(category: str, lang: str) -> str:
    return t(lang, "markets.whole_basket" if category == BASKET else f"dash.item_{category}")


def markup_panels(frame: pl.DataFrame) -> list[str]:
    """The whole basket first, then the item categories, 'other' last."""
    categories = set(frame["category"].to_list()) - {BASKET}
    return [BASKET, *sorted(categories, key=lambda c: (c == "other", c))]


def markup_chart(frame: pl.DataFrame, filters: Filters, lang: str) -> Chart:
    """Small multiples: one panel per item category (the whole basket first), one horizontal
    bar per operator kind in its colour, the kinds in the same order in every panel."""
    panels = markup_panels(frame)
    rows = -(-len(panels) // MARKUP_COLUMNS)
    fig = make_subplots(
        rows=rows,
        cols=MARKUP_COLUMNS,
        shared_yaxes=True,
        shared_xaxes=True,
        subplot_titles=[_category_label(c, lang) for c in panels],
        horizontal_spacing=0.04,
        vertical_spacing=0.14,
    )
    fig.update_annotations(font={"size": 16})  # the panel titles
    kinds = frame.select("kind_id", f"label_{lang}", "sort_order").unique().sort("sort_order")
    order = [plotly_text(label) for label in kinds[f"label_{lang}"]]
    for position, category in enumerate(panels):
        part = frame.filter(pl.col("category") == category).sort("sort_order")
        fig.add_bar(
            y=[plotly_text(label) for label in part[f"label_{lang}"]],
            x=part["markup"].to_list(),
            orientation="h",
            marker_color=part["color"].to_list(),
            text=[percent(v, lang) for v in part["markup"]],
            textposition="outside",
            textfont={"size": 14},
            cliponaxis=False,
            showlegend=False,
            hovertemplate=f"{_category_label(category, lang)}<br>%{{y}} : %{{text}}<extra></extra>",
            row=position // MARKUP_COLUMNS + 1,
            col=position % MARKUP_COLUMNS + 1,
        )
    title, key_figure = markup_finding(frame, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "markets.markup_subtitle"),
        **shared.sourced(filters, lang, ["canteen_price", "contract", "contract_establishment"]),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    # the provenance mark goes above the top-right panel's title
    if caption.mark:
        fig.update_annotations(selector={"text": plotly_text(caption.mark)}, yshift=26)
    top = max(frame["markup"].max() or 0, 0.1)
    bottom = min(frame["markup"].min() or 0, 0)
    fig.update_xaxes(range=[bottom, top * 1.35])
    draw.locale_ticks(fig, lang, "percent", top * 1.3, bottom, axis="x")
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=order[::-1],
        range=[-0.6, len(order) - 0.4],
        tickfont={"size": 14},
    )
    draw.finish(fig, legend=None)
    fig.update_layout(height=max(520, 180 + rows * (60 + 34 * len(order))))
    return Chart(fig, markup_table(frame, lang), caption)


def markup_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col(f"label_{lang}").alias(t(lang, "chart.kind")),
        shared.group_column(lang),
        pl.col("category")
        .map_elements(lambda c: _category_label(c, lang), return_dtype=pl.String)
        .alias(t(lang, "markets.item_category")),
        pl.col("prices").alias(t(lang, "markets.prices")),
        pl.col("price_eur").round(2).alias(t(lang, "markets.price_sum")),
        pl.col("reference_price_eur").round(2).alias(t(lang, "markets.reference_sum")),
        (pl.col("markup") * 100).round(1).alias(t(lang, "markets.markup") + " (%)"),
    )


@cached
def markup_view(filters: Filters, lang: str) -> Chart | None:
    frame = markup(filters)
    return markup_chart(frame, filters, lang) if frame.height else None


# ---------------------------------------------------------------- top establishments and operators


def invented_on_real_places(filters: Filters, lang: str) -> str:
    """The warning the ranking of real establishments carries when any of its values is
    invented: the place is real, the figure is not. '' when every value is real or modeled."""
    frame = queries.run("markets_top_establishments", **filters.params())
    if not (frame["illustrative_share"] > 0).any():
        return ""
    return t(lang, "markets.invented_on_real_places")


def top_establishments(filters: Filters, lang: str) -> pl.DataFrame:
    frame = queries.run("markets_top_establishments", **filters.params())
    return frame.select(
        pl.col("name").alias(t(lang, "dash.establishment")),
        pl.col("type_code").alias(t(lang, "dash.type")),
        pl.col("region_name").alias(t(lang, "dash.region")),
        pl.col("market_value_eur").round(0).cast(pl.Int64).alias(t(lang, "chart.value")),
        shared.row_provenance_column(lang),
        (pl.col("ess_share") * 100).round(1).alias(t(lang, "overview.ess_share") + " (%)"),
        pl.col("operators").alias(t(lang, "markets.operators")),
        pl.col("domains").alias(t(lang, "markets.domains")),
        pl.col("detainees").alias(t(lang, "markets.detainees")),
    )


def top_operators(filters: Filters, lang: str) -> pl.DataFrame:
    frame = queries.run("markets_top_operators", **filters.params())
    return frame.select(
        pl.col("name").alias(t(lang, "markets.operator")),
        pl.col(f"kind_{lang}").alias(t(lang, "chart.kind")),
        shared.yes_no("is_grouping", lang).alias(t(lang, "markets.grouping")),
        pl.col("market_value_eur").round(0).cast(pl.Int64).alias(t(lang, "chart.value")),
        shared.row_provenance_column(lang),
        (pl.col("share") * 100).round(1).alias(t(lang, "markets.share_of_value") + " (%)"),
        pl.col("contracts").alias(t(lang, "markets.contracts")),
        pl.col("establishments").alias(t(lang, "markets.establishments")),
        pl.col("domains").alias(t(lang, "markets.domains")),
    )
