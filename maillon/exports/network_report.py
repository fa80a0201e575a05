"""The associations network's annual report as a paginated PDF: the network report page's
figures, highlights and targets as print-styled HTML, printed by report.py's Chromium.

Every text is escaped (names of associations and institutions come from imported files); the
HTML holds no script. The same database, filters, year, language and date give the same pages.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from maillon.data.filters import FilterOptions, Filters
from maillon.exports import basket, report
from maillon.exports.report import escape, small_html, table_html
from maillon.figures import annual, methodology, network_annual, shared
from maillon.i18n import date_text, t

SECTIONS = ("cover", "figures", "highlights")  # one printed page (or more) each; sources last
# The figure tables sit two by two on a page: smaller type than the board report's.
CSS = (
    report.CSS
    + """
h3 { font-size: 12pt; margin: 4mm 0 1mm 0; color: #1b5e20; }
section#figures table { font-size: 9.5pt; margin: 1mm 0 1mm 0; }
section#figures th, section#figures td { padding: 1mm 2mm; }
section#figures table { table-layout: fixed; }
section#figures th:first-child { width: 52%; }
section#figures th:not(:first-child) { text-align: right; }
.note { font-size: 8.5pt; color: #555; margin: 0 0 2mm 0; }
h2, h3 { break-after: avoid; }
.keep, li { break-inside: avoid; }
"""
)


def _cover(filters: Filters, options: FilterOptions, year: int, lang: str, day: date) -> str:
    scope = basket.describe_filters(filters.with_years(year, year), options, lang)
    cover = (
        f"<h1>{escape(t(lang, 'network.report_title', year=year))}</h1>"
        f'<p class="subtitle">{escape(t(lang, "network.report_subtitle", year=year))}</p>'
        f"<p>{escape(t(lang, 'export.deck_filters', filters=scope))}</p>"
        f"<p>{escape(t(lang, 'export.report_date', date=date_text(day, lang)))}</p>"
    )
    # What is not real in the year's figures, from their rows.
    mark = network_annual.provenance(filters, year).mark(lang)
    if mark:
        cover += f'<p class="notice">{escape(t(lang, "export.method_mark", mark=mark))}</p>'
    return cover


def _figures(comparison: pl.DataFrame, filters: Filters, year: int, lang: str) -> str:
    parts = [f"<h2>{escape(network_annual.figures_title(comparison, year, lang))}</h2>"]
    for name in network_annual.SECTIONS:
        parts.append(
            f"<h3>{escape(network_annual.section_title(name, lang))}</h3>"
            + table_html(network_annual.section_table(comparison, name, year, lang))
            + f'<p class="note">{escape(network_annual.section_note(name, lang))}</p>'
        )
    return "".join(parts) + small_html(network_annual.figures_source(filters, year, lang))


def _highlights(comparison: pl.DataFrame, filters: Filters, year: int, lang: str) -> str:
    lines = network_annual.highlights(comparison, filters, year, lang)
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    shown = f"<ul>{items}</ul>" if items else f"<p>{escape(t(lang, 'annual.no_highlights'))}</p>"
    target_part = report.targets_html(
        network_annual.targets_view(filters, year, lang),
        annual.targets_missing(filters, year, lang),
        lang,
    )
    return (
        f"<h2>{escape(t(lang, 'annual.highlights_title'))}</h2>{shown}"
        f"<h2>{escape(t(lang, 'annual.targets_heading'))}</h2>{target_part}"
    )


def _sources(filters: Filters, year: int, lang: str) -> str:
    """Only the sources the report's figures read: those of the year's rows (and of the
    establishments, which the source line names)."""
    used = shared.provenance(
        filters.with_years(year, year), (*network_annual.TABLES, "establishment")
    ).source_ids
    frame = (
        methodology.sources(lang)
        .filter(pl.col("source_id").is_in(list(used)))
        .select(
            pl.col(column).alias(t(lang, f"export.source_{column}"))
            for column in ("title", "publisher", "licence", "provenance")
        )
    )
    heading = f"<h2>{escape(t(lang, 'export.report_sources'))}</h2>"
    return f'<div class="keep">{heading}{table_html(frame, 99)}</div>'


def build_html(
    filters: Filters, options: FilterOptions, year: int, lang: str, day: date
) -> str | None:
    """The report as one HTML page; None when the year has no data."""
    comparison = network_annual.comparison(filters, year)
    if not network_annual.has_figures(comparison):
        return None
    body = "".join(
        f'<section id="{name}">{content}</section>'
        for name, content in (
            ("cover", _cover(filters, options, year, lang, day)),
            ("figures", _figures(comparison, filters, year, lang)),
            (
                "highlights",
                _highlights(comparison, filters, year, lang) + _sources(filters, year, lang),
            ),
        )
    )
    title = escape(t(lang, "network.report_title", year=year))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def build(
    filters: Filters, options: FilterOptions, year: int, lang: str, day: date | None = None
) -> bytes | None:
    """The network report for the year as PDF bytes; None when the year has no data."""
    page = build_html(filters, options, year, lang, day or date.today())
    return report.to_pdf(page) if page is not None else None
