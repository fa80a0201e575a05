"""The Outcomes page's social return (SROI): the parameters and financial proxies the reader may
change (kept in the URL), the net social value per euro of revenue outside canteens (every
payer), its chart, and every parameter and proxy with its source or « hypothèse » (no
Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import catalog, money, number, percent, t, tn

LEVELS = ("low", "central", "high")
# The reader's values live in the URL under '_sroi_' names (ui.write_url keeps '_' parameters).
PREFIX = "_sroi_"
PROXY_PREFIX = PREFIX + "proxy_"
SHARES = ("deadweight", "attribution", "displacement", "drop_off")
MAX_SHARE = 0.9  # the sliders go to 90 %
MAX_YEARS = 10


@dataclass(frozen=True)
class Parameters:
    """Shares (0–1) removed from the gross value: what would have happened anyway (deadweight),
    what others caused (attribution), what the outcomes take away from other people
    (displacement: a job or a housing place found by one is not found by another), and the
    yearly fading of the benefit (drop-off), counted over `years` years; and the central values
    of the proxies the reader changed ((indicator_id, € a unit) pairs). The defaults are
    assumptions, measured nowhere for these markets (docs/data-model.md, "SROI")."""

    deadweight: float = 0.25
    attribution: float = 0.30
    displacement: float = 0.10
    drop_off: float = 0.20
    years: int = 3
    proxies: tuple[tuple[str, float], ...] = ()

    def factor(self) -> float:
        """Net share of the gross one-year value, summed over the years."""
        years = sum((1 - self.drop_off) ** year for year in range(self.years))
        kept = (1 - self.deadweight) * (1 - self.attribution) * (1 - self.displacement)
        return kept * years


DEFAULTS = Parameters()


# ---------------------------------------------------------------- the URL


def url_keys(proxy_ids: list[str]) -> list[str]:
    return [PREFIX + name for name in (*SHARES, "years")] + [PROXY_PREFIX + i for i in proxy_ids]


def _number(values: list[str]) -> float | None:
    try:
        return float(values[-1]) if values else None
    except ValueError:
        return None


def from_url(params: dict[str, list[str]], proxy_ids: list[str]) -> Parameters:
    """The parameters of a link; a value missing or out of range keeps its default."""
    found: dict = {}
    for name in SHARES:
        value = _number(params.get(PREFIX + name, []))
        if value is not None and 0 <= value <= MAX_SHARE:
            found[name] = value
    years = _number(params.get(PREFIX + "years", []))
    if years is not None and years.is_integer() and 1 <= years <= MAX_YEARS:
        found["years"] = int(years)
    proxies = []
    for indicator in proxy_ids:
        value = _number(params.get(PROXY_PREFIX + indicator, []))
        if value is not None and value >= 0:
            proxies.append((indicator, value))
    return Parameters(**found, proxies=tuple(proxies))


def to_url(parameters: Parameters) -> dict[str, str]:
    """Only what differs from the defaults, so that a shared link stays short."""
    wanted = {
        PREFIX + f.name: f"{getattr(parameters, f.name):.6g}"
        for f in fields(Parameters)
        if f.name != "proxies" and getattr(parameters, f.name) != getattr(DEFAULTS, f.name)
    }
    wanted.update({PROXY_PREFIX + i: f"{v:.6g}" for i, v in parameters.proxies})
    return wanted


# ---------------------------------------------------------------- the proxies and the ratio


def proxies() -> pl.DataFrame:
    return queries.run("sroi_proxies")


def inputs(filters: Filters) -> pl.DataFrame:
    return queries.run("outcomes_sroi", **filters.params())


def quantities(filters: Filters) -> pl.DataFrame:
    return queries.run("outcomes_sroi_quantities", **filters.params())


def proxies_used(frame: pl.DataFrame, parameters: Parameters) -> pl.DataFrame:
    """The proxies as the ratio applies them, with `changed`: a central value the reader set
    replaces the documented one and scales the low and high values by the same factor (the
    range keeps its relative width; from a documented zero, the range is that one value)."""
    changes = pl.DataFrame(
        {
            "indicator_id": [i for i, _ in parameters.proxies],
            "reader_eur": [v for _, v in parameters.proxies],
        },
        schema={"indicator_id": pl.String, "reader_eur": pl.Float64},
    )
    out = frame.join(changes, on="indicator_id", how="left", maintain_order="left")
    changed = pl.col("reader_eur").is_not_null()
    scale = pl.when(pl.col("central_eur") > 0).then(pl.col("reader_eur") / pl.col("central_eur"))
    return out.with_columns(
        changed.alias("changed"),
        pl.col("central_eur").alias("documented_eur"),
        *[
            pl.when(changed)
            .then(pl.coalesce(pl.col(f"{level}_eur") * scale, pl.col("reader_eur")))
            .otherwise(pl.col(f"{level}_eur"))
            .alias(f"{level}_eur")
            for level in ("low", "high")
        ],
        pl.when(changed)
        .then(pl.col("reader_eur"))
        .otherwise(pl.col("central_eur"))
        .alias("central_eur"),
    ).drop("reader_eur")


def gross_values(counted: pl.DataFrame, used: pl.DataFrame) -> pl.DataFrame:
    """kind_group, value_low_eur, value_central_eur, value_high_eur: the outcomes × their proxy,
    summed per group (one year's gross value)."""
    prices = used.select("indicator_id", *[f"{level}_eur" for level in LEVELS])
    priced = counted.join(prices, on="indicator_id")
    return priced.group_by("kind_group").agg(
        (pl.col("quantity") * pl.col(f"{level}_eur")).sum().alias(f"value_{level}_eur")
        for level in LEVELS
    )


def sroi(frame: pl.DataFrame, gross: pl.DataFrame, parameters: Parameters) -> pl.DataFrame:
    """kind_group, color, outcomes_share, invested_eur, low, central, high: net social value per
    euro of revenue outside canteens (every payer), of the operators that measure outcomes; null
    ratios for a group whose coverage is insufficient (shown as « données insuffisantes »)."""
    factor = parameters.factor()
    joined = frame.join(gross, on="kind_group", how="left", maintain_order="left").with_columns(
        pl.col(f"value_{level}_eur").fill_null(0.0) for level in LEVELS
    )
    valued = (pl.col("invested_eur") > 0) & (pl.col("value_high_eur") > 0)
    shown = pl.col("outcomes_share") >= shared.SUFFICIENT
    return joined.filter(valued).select(
        "kind_group",
        "color",
        "outcomes_share",
        "invested_eur",
        *[
            pl.when(shown)
            .then(pl.col(f"value_{level}_eur") * factor / pl.col("invested_eur"))
            .alias(level)
            for level in LEVELS
        ],
    )


# ---------------------------------------------------------------- the chart


def _ratio(value: float, lang: str) -> str:
    return t(lang, "dash.eur", value=number(value, lang, decimals=2))


def sroi_finding(ratios: pl.DataFrame, lang: str) -> tuple[str, str, dict | None]:
    """The finding, its key figure (the central social value per euro of the ESS, else of the
    first group) and the row it speaks of."""
    rows = {r["kind_group"]: r for r in ratios.to_dicts() if r["central"] is not None}
    if not rows:
        return t(lang, "coverage.title_insufficient"), "", None
    row = rows.get("ess") or next(iter(rows.values()))
    central = _ratio(row["central"], lang)
    title = t(
        lang,
        "outcomes.sroi_title",
        group=shared.group_label(row["kind_group"], lang),
        low=_ratio(row["low"], lang),
        high=_ratio(row["high"], lang),
        central=central,
    )
    return title, central, row


def proxies_note(used: pl.DataFrame, lang: str) -> str:
    """How many proxies are sourced and how many are assumptions."""
    assumed = used.filter(pl.col("changed") | (pl.col("provenance") == "illustrative")).height
    if assumed == used.height:
        return t(lang, "outcomes.proxies_all_assumed", count=used.height)
    return t(lang, "outcomes.proxies_some_assumed", sourced=used.height - assumed, assumed=assumed)


def sroi_chart(
    ratios: pl.DataFrame, used: pl.DataFrame, parameters: Parameters, filters: Filters, lang: str
) -> Chart:
    """Per group, the low–high range as a bar and the central value as a labelled dot."""
    names = [shared.group_label(g, lang) for g in ratios["kind_group"]]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=(ratios["high"] - ratios["low"]).to_list(),
        base=ratios["low"].to_list(),
        orientation="h",
        marker={"color": ratios["color"].to_list(), "opacity": 0.45},
        customdata=[
            f"{_ratio(lo, lang)} – {_ratio(hi, lang)}"
            for lo, hi in zip(ratios["low"], ratios["high"], strict=True)
        ],
        hovertemplate="%{y} : %{customdata}<extra></extra>",
        name=t(lang, "outcomes.sroi_range"),
    )
    fig.add_scatter(
        y=names,
        x=ratios["central"].fill_null(0).to_list(),
        mode="markers+text",
        marker={
            "color": "#222",
            "size": [14 if v is not None else 0 for v in ratios["central"]],
            "symbol": "diamond",
        },
        text=[
            _ratio(v, lang) if v is not None else shared.insufficient(share, lang)
            for v, share in zip(ratios["central"], ratios["outcomes_share"], strict=True)
        ],
        # « données insuffisantes » starts at the axis, where a centred label would be cut off
        textposition=["top center" if v is not None else "middle right" for v in ratios["central"]],
        textfont={"size": 16},
        cliponaxis=False,  # the top row's label rises above the plot: not cut at its edge
        name=t(lang, "outcomes.sroi_central"),
        hoverinfo="skip",
    )
    note = t(
        lang,
        "outcomes.sroi_note",
        **{name: percent(getattr(parameters, name), lang) for name in SHARES},
        years=_years(parameters.years, lang),
        proxies=proxies_note(used, lang),
    )
    title, key_figure, row = sroi_finding(ratios, lang)
    speaks_of = row or ratios.row(0, named=True)
    caption = Caption(
        title=title,
        subtitle=t(
            lang,
            "outcomes.sroi_subtitle",
            invested=money(speaks_of["invested_eur"], lang),
            group=shared.group_label(speaks_of["kind_group"], lang),
        ),
        **shared.sourced(
            filters, lang, ["outcome_fact", "sroi_proxy", "market_revenue"], note=note
        ),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    fig.update_layout(height=max(420, 260 + 90 * ratios.height), showlegend=False)
    fig.update_xaxes(rangemode="tozero", gridcolor="#e6e6e6", tickformat=".2f")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.add_vline(x=1, line={"color": "#666", "width": 1, "dash": "dot"})
    return Chart(draw.finish(fig, legend=None, axis_room=40), sroi_table(ratios, lang), caption)


def sroi_table(ratios: pl.DataFrame, lang: str) -> pl.DataFrame:
    return ratios.select(
        shared.group_column(lang),
        pl.col("low").round(3).alias(t(lang, "outcomes.low")),
        pl.col("central").round(3).alias(t(lang, "outcomes.central")),
        pl.col("high").round(3).alias(t(lang, "outcomes.high")),
        pl.col("invested_eur").round(2).alias(t(lang, "outcomes.invested_eur")),
        (pl.col("outcomes_share") * 100).round(1).alias(t(lang, "chart.coverage")),
    )


# ---------------------------------------------------------------- every parameter and proxy


def proxy_basis(indicator_id: str, basis: str, lang: str) -> str:
    """What a proxy stands for, in the reader's language: the demo's texts (written in English in
    data/demo/sroi_proxy.csv) are Maillon's words, translated by the catalogs
    (sroi_proxy_basis.<indicator>); a text someone imported is shown as written."""
    key = f"sroi_proxy_basis.{indicator_id}"
    return t(lang, key) if catalog("en").get(key) == basis else basis


def proxy_source(row: dict, lang: str) -> str:
    """A proxy's source: « hypothèse » for a value the reader changed or an illustrative one (with
    the source it comes from), else its source's title, publisher, date and address."""
    if row["changed"]:
        return t(lang, "outcomes.source_reader")
    source = shared.Source(
        row["source_title"],
        row["source_publisher"],
        row["source_date"],
        row["source_title_en"],
        row["source_publisher_en"],
    )
    if row["provenance"] == "illustrative":
        return t(lang, "outcomes.source_assumed", source=source.title_in(lang))
    (text,) = shared.source_texts((source,), lang)
    if row["source_url"]:
        text = f"{text}, {row['source_url']}"
    if row["provenance"] == "modeled":
        return t(lang, "outcomes.source_modeled", source=text)
    return text


def _share(value: float, lang: str) -> str:
    return percent(value, lang)


def _years(value: int, lang: str) -> str:
    return tn(lang, "outcomes.years_value", value, years=value)


def inputs_table(used: pl.DataFrame, parameters: Parameters, lang: str) -> pl.DataFrame:
    """Every parameter and proxy of the SROI: the value used, the documented one, what it stands
    for and its source (« hypothèse » for each parameter: none is measured for these markets)."""
    rows = []
    for name in (*SHARES, "years"):
        show = _years if name == "years" else _share
        value, default = getattr(parameters, name), getattr(DEFAULTS, name)
        rows.append(
            (
                t(lang, f"outcomes.{name}"),
                show(value, lang),
                show(default, lang),
                t(lang, f"outcomes.{name}_help"),
                t(lang, "outcomes.source_reader" if value != default else "outcomes.source_none"),
            )
        )
    for row in used.iter_rows(named=True):
        used_value = t(
            lang,
            "outcomes.proxy_value",
            central=money(row["central_eur"], lang, compact=False),
            low=money(row["low_eur"], lang, compact=False),
            high=money(row["high_eur"], lang, compact=False),
        )
        rows.append(
            (
                t(lang, "outcomes.proxy_label", indicator=row[f"label_{lang}"]),
                used_value,
                money(row["documented_eur"], lang, compact=False),
                proxy_basis(row["indicator_id"], row["basis"], lang),
                proxy_source(row, lang),
            )
        )
    columns = ("input", "used", "source", "documented", "basis")
    order = (0, 1, 4, 2, 3)  # rows are (input, used, documented, basis, source)
    return pl.DataFrame(
        {
            t(lang, f"outcomes.col_{c}"): [r[i] for r in rows]
            for i, c in zip(order, columns, strict=True)
        }
    )


@cached
def sroi_view(filters: Filters, parameters: Parameters, lang: str) -> Chart | None:
    used = proxies_used(proxies(), parameters)
    ratios = sroi(inputs(filters), gross_values(quantities(filters), used), parameters)
    return sroi_chart(ratios, used, parameters, filters, lang) if ratios.height else None
