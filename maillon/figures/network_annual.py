"""The associations network's annual report: a year against the previous one (volunteers, hours,
people reached by setting, establishments covered, conventions, joint actions, partnerships),
targets against actuals and highlights computed from the data (no Streamlit).

Each figure set is one named query (sql/network_annual_*.sql) giving the year and the year
before; the changes are worded as the annual summary words them (annual.fmt, annual.change_text).
"""

from __future__ import annotations

import polars as pl

from maillon.charts.cache import cached
from maillon.charts.chart import Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import annual, associations, shared
from maillon.i18n import date_text, number, t, tn

# The chosen year is in the page address as _year, like the annual summary's.
YEAR_PARAM = annual.YEAR_PARAM
YEAR_KEY = "network_annual_year"
# One query per figure set, in the order the report shows them, with the figures each gives.
SECTIONS = {
    "activity": (
        "volunteers",
        "volunteer_hours",
        "people_reached",
        "reached_inside",
        "reached_after_release",
        "reached_both",
        "establishments_covered",
    ),
    "conventions": (
        "signed_associations",
        "signed_institutions",
        "expired",
        "lapsed",
        "due_associations",
        "due_institutions",
    ),
    "partnerships": ("partnerships_made", "partnerships_lost", "partnerships_active"),
    "actions": ("joint_actions", "prison_days_actions", "action_partners"),
}
HEADLINE = ("volunteers", "volunteer_hours", "people_reached", "establishments_covered")
# The tables the report reads: its provenance mark and source line come from their rows.
TABLES = (*shared.ASSOCIATION_TABLES, "joint_action", "institution_convention")
TARGET_TABLES = ("target", "association_intervention", "joint_action")
HIGHLIGHT_NAMES = 3  # names cited in a highlight sentence, the rest counted
# The figures whose largest changes make highlights: those whose name reads alone in a sentence.
HIGHLIGHT_METRICS = (*HEADLINE, "signed_institutions", "partnerships_made", "joint_actions")


def year_from_url(linked: dict[str, list[str]], years: list[int], default: int) -> int:
    return annual.year_from_url(linked, years, default)


def params(filters: Filters, year: int) -> dict:
    """The year and the place filters, as the associations page passes them."""
    found = associations.scope_params(filters)
    return {"year": year, **{k: v for k, v in found.items() if k not in ("year_from", "year_to")}}


def metric_name(metric: str, lang: str) -> str:
    return t(lang, f"network.metric_{metric}")


# ---------------------------------------------------------------- the year and the year before


def section(filters: Filters, year: int, name: str) -> pl.DataFrame:
    """One figure set: a row for the year before and one for the year (sql/network_annual_*)."""
    return queries.run(f"network_annual_{name}", **params(filters, year))


def figures(filters: Filters, year: int) -> dict[int, dict[str, float | None]]:
    """{year: {metric: value}} for the year and the one before; a year without any intervention
    in the filters has no figures (None, not zero: the data had not started)."""
    found: dict[int, dict[str, float | None]] = {year - 1: {}, year: {}}
    for name in SECTIONS:
        for row in section(filters, year, name).iter_rows(named=True):
            found[row["year"]] |= {m: row[m] for m in SECTIONS[name]}
    active = {y: bool(found[y].get("volunteers") or found[y].get("people_reached")) for y in found}
    return {y: found[y] if active[y] else dict.fromkeys(found[y]) for y in found}


def comparison(filters: Filters, year: int) -> pl.DataFrame:
    """section, metric, value, previous, change, change_pct: every figure of the report."""
    found = figures(filters, year)
    rows = []
    for name, metrics in SECTIONS.items():
        for metric in metrics:
            value, previous = found[year].get(metric), found[year - 1].get(metric)
            change = value - previous if value is not None and previous is not None else None
            rows.append(
                {
                    "section": name,
                    "metric": metric,
                    "value": value,
                    "previous": previous,
                    "change": change,
                    "change_pct": change / previous if change is not None and previous else None,
                }
            )
    schema = {"section": pl.String, "metric": pl.String}
    schema |= dict.fromkeys(("value", "previous", "change", "change_pct"), pl.Float64)
    return pl.DataFrame(rows, schema=schema)


def has_figures(frame: pl.DataFrame) -> bool:
    return frame["value"].is_not_null().any()


def figures_title(frame: pl.DataFrame, year: int, lang: str) -> str:
    key = "network.figures_title" if annual.has_previous(frame) else "network.figures_title_alone"
    return t(lang, key, year=year, previous=year - 1)


def fmt(value: float | None, lang: str) -> str:
    return annual.fmt("count", value, lang)


def change_text(row: dict, lang: str, minus: str = annual.TEXT_MINUS) -> str | None:
    return annual.change_text("count", row["value"], row["previous"], lang, minus)


def headline(frame: pl.DataFrame) -> list[dict]:
    return [r for r in frame.to_dicts() if r["metric"] in HEADLINE]


def section_table(frame: pl.DataFrame, name: str, year: int, lang: str) -> pl.DataFrame:
    """One figure set as a table: the figure, the year, the year before, the change."""
    rows = frame.filter(pl.col("section") == name).to_dicts()
    return pl.DataFrame(
        {
            t(lang, "annual.figure"): [metric_name(r["metric"], lang) for r in rows],
            str(year): [fmt(r["value"], lang) for r in rows],
            str(year - 1): [fmt(r["previous"], lang) for r in rows],
            t(lang, "annual.change"): [change_text(r, lang) or "–" for r in rows],
        },
        schema=dict.fromkeys(
            (t(lang, "annual.figure"), str(year), str(year - 1), t(lang, "annual.change")),
            pl.String,
        ),
    )


def section_title(name: str, lang: str) -> str:
    return t(lang, f"network.section_{name}")


def section_note(name: str, lang: str) -> str:
    return t(lang, f"network.note_{name}")


# ---------------------------------------------------------------- highlights


def events(filters: Filters, year: int) -> pl.DataFrame:
    """event (lapsed, made, lost, prison_days), id, name, other, event_date of the year."""
    return queries.run("network_annual_events", **params(filters, year))


def _names(frame: pl.DataFrame, lang: str, pair: bool = True) -> str:
    """The first names of the events, 'A – B' for a pair, and how many more."""
    shown = [
        f"{name} – {other}" if pair and other else name
        for name, other in frame.head(HIGHLIGHT_NAMES).select("name", "other").iter_rows()
    ]
    more = frame.height - len(shown)
    text = ", ".join(shown)
    return f"{text} {t(lang, 'network.and_more', count=number(more, lang))}" if more else text


def highlights(frame: pl.DataFrame, filters: Filters, year: int, lang: str) -> list[str]:
    """Sentences from the data: the two largest relative changes of the year, the conventions
    lapsed, the partnerships made and lost, the national prison days. Names are imported text:
    the page shows them as plain text, the PDF escapes them."""
    lines = []
    if annual.has_previous(frame):
        moved = (
            frame.filter(
                pl.col("metric").is_in(HIGHLIGHT_METRICS),
                pl.col("change_pct").is_not_null(),
                pl.col("change") != 0,
            )
            .sort(pl.col("change_pct").abs(), "metric", descending=[True, False])
            .head(2)
        )
        for row in moved.to_dicts():
            lines.append(
                t(
                    lang,
                    "network.highlight_change",
                    name=metric_name(row["metric"], lang),
                    change=change_text(row, lang),
                    value=fmt(row["value"], lang),
                )
            )
    found = events(filters, year)
    for event in ("lapsed", "made", "lost"):
        part = found.filter(pl.col("event") == event)
        if part.height:
            lines.append(
                tn(lang, f"network.highlight_{event}", part.height, names=_names(part, lang))
            )
    days = found.filter(pl.col("event") == "prison_days").sort("event_date")
    if days.height:
        lines.append(
            tn(
                lang,
                "network.highlight_prison_days",
                days.height,
                date=date_text(days["event_date"][0], lang),
            )
        )
    return lines


# ---------------------------------------------------------------- targets


def targets(filters: Filters, year: int) -> pl.DataFrame:
    """metric_id, target, actual, ratio, met for each network target of the year (table target)
    with an actual figure in the filters."""
    actual = figures(filters, year)[year]
    metrics = {m: actual.get(m) for m in (*HEADLINE, "joint_actions")}
    return annual.target_ratios(queries.run("annual_targets", year=year), metrics)


@cached
def targets_view(filters: Filters, year: int, lang: str) -> Chart | None:
    """Actual as a share of target, drawn by the annual summary's chart with the network's
    metric names and tables; None as annual.targets_view."""
    if filters.narrowed:
        return None
    frame = targets(filters, year)
    if not frame.height:
        return None
    return annual.targets_chart(frame, filters, year, lang, metric_name, TARGET_TABLES)


# ---------------------------------------------------------------- provenance


def provenance(filters: Filters, year: int) -> shared.Provenance:
    return shared.provenance(filters.with_years(year, year), TABLES)


def figures_source(filters: Filters, year: int, lang: str) -> str:
    """Under the figures: their definition, then their mark and sources, from the year's rows."""
    found = shared.sourced(filters.with_years(year, year), lang, list(TABLES), establishments=True)
    return "\n".join(
        p for p in (t(lang, "network.figures_source"), found["mark"], found["source"]) if p
    )
