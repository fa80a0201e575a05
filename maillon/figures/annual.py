"""Annual summary for the board: a year against the previous one, computed highlights, targets
against actuals (no Streamlit).

The headline figures come from overview_headline.sql with year_from = year_to = the year, so they
equal the Overview's figures for a one-year period."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.data.url_values import whole_number
from maillon.figures import markets, money_by_payer, money_flow, overview, shared
from maillon.i18n import MINUS, money, number, percent, t, tn

METRICS = ("market_value_eur", "ess_share", "returned_eur", "detainees_employed")
SHARES = {"ess_share", "returned_share_of_result"}


# The chosen year is in the page address as _year, so a link opens the same summary.
YEAR_PARAM = "_year"
YEAR_KEY = "annual_year"


def year_from_url(linked: dict[str, list[str]], years: list[int], default: int) -> int:
    """The year of a link if it is one of the data's years, else the default."""
    values = linked.get(YEAR_PARAM, [])
    text = values[-1] if values else ""
    year = whole_number(text)
    return year if year in years else default


def for_year(filters: Filters, year: int) -> Filters:
    return filters.with_years(year, year)


def returned_share(filters: Filters) -> float | None:
    """Part of the reallocated result going to reinsertion and families (one query per page)."""
    frame = money_flow.destinations_by_year(filters)
    total = frame["amount_eur"].sum()
    return frame.filter(pl.col("is_returned"))["amount_eur"].sum() / total if total else None


def figures(filters: Filters, year: int) -> dict[str, float | None]:
    """The year's headline figures; all None when no contract brings in money that year within
    the filters, whoever pays (a year before the data starts is missing, not zero)."""
    headline = overview.Headline.load(for_year(filters, year))
    if not money_by_payer.any_money(for_year(filters, year)):
        return dict.fromkeys((*METRICS, "returned_share_of_result"))
    return {
        "market_value_eur": headline.market_value_eur,
        "ess_share": headline.ess_share,
        "returned_eur": headline.returned_eur,
        "detainees_employed": headline.detainees_employed,
        "returned_share_of_result": returned_share(for_year(filters, year)),
    }


def fmt(metric: str, value: float | None, lang: str) -> str:
    """As the Overview formats the same figure (overview.Headline.formatted)."""
    if metric in SHARES:
        return percent(value, lang, decimals=1)
    if metric.endswith("_eur"):
        return money(value, lang)
    return number(value, lang)


# Streamlit's metric reads a fall from a leading ASCII hyphen (arrow down, red); tables keep the
# typographic minus sign.
METRIC_MINUS, TEXT_MINUS = "-", MINUS


def change_text(
    metric: str,
    value: float | None,
    previous: float | None,
    lang: str,
    minus: str = TEXT_MINUS,
) -> str | None:
    """'+1,2 M€ (+8 %)' for amounts, '+2,1 pts' for shares; None without a previous value.
    A metric's delta passes minus=METRIC_MINUS so that a fall points down."""
    if value is None or previous is None:
        return None
    change = value - previous
    sign = "+" if change >= 0 else minus
    if metric in SHARES:
        return t(lang, "annual.points", sign=sign, value=number(abs(change) * 100, lang, 1))
    amount = money(abs(change), lang) if metric.endswith("_eur") else number(abs(change), lang)
    if not previous:
        return f"{sign}{amount}"
    return f"{sign}{amount} ({sign}{percent(abs(change / previous), lang, decimals=1)})"


def headline(frame: pl.DataFrame) -> list[dict]:
    """The comparison's rows shown as metric boxes: the Overview's four figures, in its order."""
    return [r for r in frame.to_dicts() if r["metric"] in METRICS]


def has_figures(frame: pl.DataFrame) -> bool:
    """True when the comparison has a figure for the year (the market value may be missing
    where the prison administration pays nothing while other figures exist)."""
    return frame["value"].is_not_null().any()


@cached
def comparison(filters: Filters, year: int) -> pl.DataFrame:
    """metric, value, previous, change, change_pct: the headline figures and the returned share."""
    now, before = figures(filters, year), figures(filters, year - 1)
    rows = []
    for metric in (*METRICS, "returned_share_of_result"):
        value, previous = now[metric], before[metric]
        change = value - previous if value is not None and previous is not None else None
        pct = change / previous if change is not None and previous else None
        rows.append(
            {
                "metric": metric,
                "value": value,
                "previous": previous,
                "change": change,
                "change_pct": pct,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "metric": pl.String,
            "value": pl.Float64,
            "previous": pl.Float64,
            "change": pl.Float64,
            "change_pct": pl.Float64,
        },
    )


def has_previous(frame: pl.DataFrame) -> bool:
    """Whether the previous year has figures to compare with."""
    return frame["previous"].is_not_null().any()


def figures_title(frame: pl.DataFrame, year: int, lang: str) -> str:
    if has_previous(frame):
        return t(lang, "annual.figures_title", year=year, previous=year - 1)
    return t(lang, "annual.figures_title_alone", year=year, previous=year - 1)


def comparison_table(frame: pl.DataFrame, year: int, lang: str) -> pl.DataFrame:
    rows = frame.to_dicts()
    return pl.DataFrame(
        {
            t(lang, "annual.figure"): [t(lang, f"annual.metric_{r['metric']}") for r in rows],
            str(year): [fmt(r["metric"], r["value"], lang) for r in rows],
            str(year - 1): [fmt(r["metric"], r["previous"], lang) for r in rows],
            t(lang, "annual.change"): [
                change_text(r["metric"], r["value"], r["previous"], lang) or "–" for r in rows
            ],
        }
    )


# ---------------------------------------------------------------- highlights


def _largest_changes(frame: pl.DataFrame, key: str, label: str, year: int, n: int) -> list[dict]:
    if frame.filter(pl.col("year") == year - 1).is_empty():
        return []  # nothing to compare with: every value would read as a change from zero
    wide = (
        frame.group_by(key, label)
        .agg(
            pl.col("market_value_eur").filter(pl.col("year") == year).sum().alias("value"),
            pl.col("market_value_eur").filter(pl.col("year") == year - 1).sum().alias("previous"),
        )
        .with_columns((pl.col("value") - pl.col("previous")).alias("change"))
        .filter(pl.col("change") != 0)
        .sort(pl.col("change").abs(), key, descending=[True, False])
    )
    return wide.head(n).to_dicts()


@cached
def highlights(filters: Filters, year: int, lang: str, n: int = 3) -> tuple[str, ...]:
    """Sentences: the largest changes of market value by domain and by operator kind."""
    two_years = filters.with_years(year - 1, year)
    lines = []
    for frame, key, what in (
        (markets.value_by_domain(two_years), "domain_id", "domain"),
        (overview.market_by_kind(two_years), "kind_id", "kind"),
    ):
        for row in _largest_changes(frame, key, f"label_{lang}", year, n):
            lines.append(
                t(
                    lang,
                    f"annual.highlight_{what}",
                    name=row[f"label_{lang}"],
                    change=change_text("market_value_eur", row["value"], row["previous"], lang),
                    value=money(row["value"], lang),
                )
            )
    return tuple(lines)


def contracts(filters: Filters, year: int) -> pl.DataFrame:
    params = {k: v for k, v in filters.params().items() if k not in ("year_from", "year_to")}
    return queries.run("annual_contracts", year=year, **params)


def contract_lines(frame: pl.DataFrame, lang: str) -> tuple[str, ...]:
    lines = []
    for event in ("started", "ended"):
        part = frame.filter(pl.col("event") == event)
        if part.height:
            lines.append(
                tn(
                    lang,
                    f"annual.contracts_{event}",
                    part.height,
                    value=money(part["awarded_value_eur"].sum(), lang),
                )
            )
    return tuple(lines)


def contracts_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.select(
        pl.col("event")
        .map_elements(lambda e: t(lang, f"annual.event_{e}"), return_dtype=pl.String)
        .alias(t(lang, "annual.event")),
        pl.col("contract_id").alias(t(lang, "annual.contract")),
        pl.col(f"domain_{lang}").alias(t(lang, "dash.domain")),
        pl.col("operator_name").alias(t(lang, "markets.operator")),
        pl.col(f"kind_{lang}").alias(t(lang, "chart.kind")),
        pl.col("start_date").alias(t(lang, "annual.start")),
        pl.col("end_date").alias(t(lang, "annual.end")),
        pl.col("awarded_value_eur").round(0).alias(t(lang, "annual.awarded")),
        pl.col("establishments").alias(t(lang, "markets.establishments")),
    )


# ---------------------------------------------------------------- targets


def targets(filters: Filters, year: int) -> pl.DataFrame:
    """metric_id, target, actual, ratio (actual / target), met for each target of the year that
    has an actual figure in the filters."""
    return target_ratios(queries.run("annual_targets", year=year), figures(filters, year))


def target_ratios(frame: pl.DataFrame, actual: dict[str, float | None]) -> pl.DataFrame:
    """The targets of `frame` (table target) whose metric is in `actual`, with that actual
    figure, its ratio to the target and whether it is met (the network report's too)."""
    return (
        frame.filter(pl.col("metric_id").is_in(list(actual)))
        .select(
            "metric_id",
            pl.col("value").alias("target"),
            pl.col("metric_id").replace_strict(actual, return_dtype=pl.Float64).alias("actual"),
        )
        .filter(pl.col("actual").is_not_null())
        .with_columns(
            (pl.col("actual") / pl.col("target")).alias("ratio"),
            (pl.col("actual") >= pl.col("target")).alias("met"),
        )
    )


def targets_finding(frame: pl.DataFrame, year: int, lang: str) -> tuple[str, str]:
    """The finding and its key figure: how many of the year's targets were met."""
    met = int(frame["met"].sum())
    title = tn(lang, "annual.targets_title", met, total=frame.height, year=year)
    return title, number(met, lang)


TARGET_TABLES = ("target", "market_value", "reallocation_by_market")


def metric_name(metric: str, lang: str) -> str:
    return t(lang, f"annual.metric_{metric}")


def targets_chart(
    frame: pl.DataFrame,
    filters: Filters,
    year: int,
    lang: str,
    name: Callable[[str, str], str] = metric_name,
    tables: tuple[str, ...] = TARGET_TABLES,
) -> Chart:
    """Actual as a share of target, one bar per target, the 100 % line drawn; `name` words a
    metric, `tables` are those its figures read (the network report passes its own)."""
    names = [name(m, lang) for m in frame["metric_id"]]
    colors = ["#1b7837" if met else "#b2182b" for met in frame["met"]]
    text = [
        t(
            lang,
            "annual.target_label",
            mark="✓" if met else "✗",
            actual=fmt(m, a, lang),
            target=fmt(m, v, lang),
        )
        for m, a, v, met in zip(
            frame["metric_id"], frame["actual"], frame["target"], frame["met"], strict=True
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["ratio"].to_list(),
            y=names,
            orientation="h",
            marker_color=colors,
            customdata=text,
            hovertemplate="%{y} : %{customdata}<extra></extra>",
        )
    )
    # Each label starts past the bar and past the 100 % line, so the line never crosses it.
    fig.add_scatter(
        x=[max(ratio, 1.0) + 0.04 for ratio in frame["ratio"]],
        y=names,
        mode="text",
        text=text,
        textposition="middle right",
        textfont={"size": 16},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
    )
    title, key_figure = targets_finding(frame, year, lang)
    caption = Caption(
        title=title,
        subtitle=t(lang, "annual.targets_subtitle", year=year),
        **shared.sourced(
            filters.with_years(year, year),
            lang,
            list(tables),
        ),
        key_figure=key_figure,
    )
    draw.style(fig, caption, lang)
    top = max(frame["ratio"].max() or 1, 1) * 1.85  # room for the labels past the bars
    fig.add_vline(x=1, line={"color": "#222", "width": 2, "dash": "dash"})
    fig.update_xaxes(range=[0, top], gridcolor="#e6e6e6")
    draw.locale_ticks(fig, lang, "percent", top * 0.95, axis="x")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(showlegend=False, height=max(420, 240 + 70 * frame.height))
    fig = draw.finish(fig, legend=None, axis_room=40, source_width=100)
    return Chart(fig, targets_table(frame, lang, name), caption)


def targets_table(
    frame: pl.DataFrame, lang: str, name: Callable[[str, str], str] = metric_name
) -> pl.DataFrame:
    rows = frame.to_dicts()
    return pl.DataFrame(
        {
            t(lang, "annual.figure"): [name(r["metric_id"], lang) for r in rows],
            t(lang, "annual.target"): [fmt(r["metric_id"], r["target"], lang) for r in rows],
            t(lang, "annual.actual"): [fmt(r["metric_id"], r["actual"], lang) for r in rows],
            t(lang, "annual.met"): [
                t(lang, "dash.yes") if r["met"] else t(lang, "dash.no") for r in rows
            ],
        }
    )


PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSelectbox"], [data-testid="stExpander"], [data-testid="stDownloadButton"],
  [data-testid="stElementToolbar"], [data-testid="stDecoration"], [data-testid="stPopover"],
  [data-testid="stButton"] { display: none !important; }
  .block-container, [data-testid="stMainBlockContainer"] { max-width: 100% !important;
    padding: 0 1cm !important; }
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; }
  .js-plotly-plot, [data-testid="stMetric"], .maillon-static { break-inside: avoid; }
}
</style>
"""


@cached
def targets_view(filters: Filters, year: int, lang: str) -> Chart | None:
    """The year's targets against actuals; None when none is set, or when the filters narrow
    the actuals (targets_missing says which)."""
    if filters.narrowed:
        return None
    frame = targets(filters, year)
    return targets_chart(frame, filters, year, lang) if frame.height else None


def targets_missing(filters: Filters, year: int, lang: str) -> str:
    """Why there is no targets chart. Every target is set for the whole network (table target,
    scope 'all'): compared with the actuals of a DISP, a domain or a kind, a board would read
    "0 of 5 met" where nothing was missed."""
    if filters.narrowed:
        return t(lang, "annual.targets_narrowed")
    return t(lang, "annual.no_targets", year=year)


def figures_source(filters: Filters, year: int, lang: str) -> str:
    """Under the year's figures: their definition, then their mark and sources (with the
    coverage of what not every operator reports), from the year's rows."""
    found = shared.sourced(filters.with_years(year, year), lang, list(shared.MARKET_TABLES))
    return "\n".join(
        p for p in (t(lang, "annual.figures_source"), found["mark"], found["source"]) if p
    )
