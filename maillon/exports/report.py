"""The annual board report as a paginated PDF: a print-styled HTML page (the annual summary's
figures, its charts as SVG) printed by headless Chromium in a subprocess.

Every text is escaped; the HTML holds no script. The same database, filters, year, language and
date give the same pages and the same text.
"""

from __future__ import annotations

import base64
import html
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import polars as pl

from maillon.charts.chart import Chart
from maillon.data.filters import FilterOptions, Filters
from maillon.exports import basket, images, scoped
from maillon.figures import annual, methodology, overview, shared
from maillon.i18n import date_text, t

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 120
TREND_YEARS = 5
# The tables the report's figures read: its sources table lists only their sources.
REPORT_TABLES = (*shared.MARKET_TABLES, "target", "establishment")
SECTIONS = ("cover", "figures", "targets", "charts", "method")  # one printed page each

CSS = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "Source Sans Pro", Arial, sans-serif; color: #222; font-size: 11pt; }
section { break-after: page; }
section:last-child { break-after: auto; }
h1 { font-size: 28pt; margin: 70mm 0 6mm 0; }
h2 { font-size: 17pt; margin: 0 0 4mm 0; border-bottom: 2px solid #1b5e20; padding-bottom: 2mm; }
.subtitle { font-size: 14pt; color: #444; }
.notice { background: #fff3e0; color: #8a4b00; padding: 3mm; margin-top: 12mm; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0 5mm 0; font-size: 10pt; }
th, td { border-bottom: 1px solid #ddd; padding: 1.5mm 2mm; text-align: left; }
th { background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; }
img.chart { width: 100%; max-height: 120mm; object-fit: contain; }
.small { font-size: 9pt; color: #555; }
li { margin-bottom: 1.5mm; }
"""


def escape(text: object) -> str:
    return html.escape("" if text is None else str(text))


def table_html(frame: pl.DataFrame, numeric_from: int = 1, caption: str | None = None) -> str:
    """The frame's text cells, escaped, as an HTML table (the columns from `numeric_from` on
    marked as figures), with its caption if given."""
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    rows = []
    for row in frame.iter_rows():
        cells = "".join(
            f'<td class="num">{escape(v)}</td>' if i >= numeric_from else f"<td>{escape(v)}</td>"
            for i, v in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    named = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{named}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def svg_html(fig) -> str:
    data = base64.b64encode(images.render(fig, "svg")).decode()
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="">'


def targets_html(targets: Chart | None, missing: str, lang: str) -> str:
    """The targets against actuals as printed: their table, the chart, its note and sources; or
    why there are none."""
    if not targets:
        return f"<p>{escape(missing)}</p>"
    return (
        table_html(targets.table)
        + svg_html(targets.figure)
        + f'<p class="small">{escape(t(lang, "annual.targets_note"))}</p>'
        + small_html(targets.caption.mark, targets.caption.source)
    )


def small_html(*lines: str) -> str:
    """Small print under a section: its mark and source lines, one per line, as text."""
    shown = [escape(line) for text in lines if text for line in text.split("\n")]
    return f'<p class="small">{"<br>".join(shown)}</p>' if shown else ""


def build_html(
    filters: Filters, options: FilterOptions, year: int, lang: str, day: date
) -> str | None:
    """The report as one HTML page; None when the year has no data."""
    comparison = annual.comparison(filters, year)
    if not annual.has_figures(comparison):
        return None
    filters_text = basket.describe_filters(filters.with_years(year, year), options, lang)
    cover = (
        f"<h1>{escape(t(lang, 'export.report_title', year=year))}</h1>"
        f'<p class="subtitle">{escape(t(lang, "export.report_subtitle", year=year))}</p>'
        f"<p>{escape(t(lang, 'export.deck_filters', filters=filters_text))}</p>"
        f"<p>{escape(t(lang, 'export.report_date', date=date_text(day, lang)))}</p>"
    )
    # What is not real in the year's figures, from their rows.
    mark = shared.provenance(filters.with_years(year, year), shared.MARKET_TABLES).mark(lang)
    if mark:
        cover += f'<p class="notice">{escape(t(lang, "export.method_mark", mark=mark))}</p>'

    lines = annual.highlights(filters, year, lang) + annual.contract_lines(
        annual.contracts(filters, year), lang
    )
    highlights = "".join(f"<li>{escape(line)}</li>" for line in lines) or (
        f"<p>{escape(t(lang, 'annual.no_highlights'))}</p>"
    )
    figures = (
        f"<h2>{escape(annual.figures_title(comparison, year, lang))}</h2>"
        + table_html(annual.comparison_table(comparison, year, lang))
        + small_html(annual.figures_source(filters, year, lang))
        + f"<h2>{escape(t(lang, 'annual.highlights_title'))}</h2><ul>{highlights}</ul>"
    )
    target_part = targets_html(
        annual.targets_view(filters, year, lang), annual.targets_missing(filters, year, lang), lang
    )
    # The trend up to the year, at most five years: one printed page.
    trend = filters.with_years(max(min(filters.year_from, year - 1), year - TREND_YEARS + 1), year)
    market = overview.market_by_kind(trend)
    market_chart = overview.market_chart(market, trend, lang)
    # The cover's filters name the year alone: the trend says its own years under its source.
    charts_part = svg_html(market_chart.figure) + small_html(
        market_chart.caption.mark,
        market_chart.caption.source,
        scoped.filters_line((trend, options), lang),
    )
    method_items = "".join(
        "<li>{}</li>".format(
            escape(
                t(
                    lang,
                    "export.labelled",
                    label=t(lang, f"methodology.figure_{f.key}"),
                    value=t(lang, f"methodology.figure_{f.key}_definition"),
                )
            )
        )
        for f in methodology.HEADLINE_FIGURES
    )
    # Only the sources the report's figures read: those of the year's and the trend's rows.
    used = {
        *shared.provenance(filters.with_years(year, year), REPORT_TABLES).source_ids,
        *shared.provenance(trend, REPORT_TABLES).source_ids,
    }
    sources = (
        methodology.sources(lang)
        .filter(pl.col("source_id").is_in(list(used)))
        .select(
            pl.col(column).alias(t(lang, f"export.source_{column}"))
            for column in ("title", "publisher", "licence", "provenance")
        )
    )
    body = "".join(
        f'<section id="{name}">{content}</section>'
        for name, content in (
            ("cover", cover),
            ("figures", figures),
            ("targets", f"<h2>{escape(t(lang, 'annual.targets_heading'))}</h2>{target_part}"),
            ("charts", f"<h2>{escape(t(lang, 'export.report_charts'))}</h2>{charts_part}"),
            (
                "method",
                f"<h2>{escape(t(lang, 'export.report_method'))}</h2><ul>{method_items}</ul>"
                f"<h2>{escape(t(lang, 'export.report_sources'))}</h2>{table_html(sources, 99)}",
            ),
        )
    )
    title = escape(t(lang, "export.report_title", year=year))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def to_pdf(page: str) -> bytes:
    """Print an HTML page to PDF with headless Chromium (no header or footer lines)."""
    with tempfile.TemporaryDirectory(prefix="maillon_report_") as folder:
        source, target = Path(folder) / "report.html", Path(folder) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={Path(folder) / 'profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
        return target.read_bytes()


def build(
    filters: Filters, options: FilterOptions, year: int, lang: str, day: date | None = None
) -> bytes | None:
    """The board report for the year as PDF bytes; None when the year has no data."""
    page = build_html(filters, options, year, lang, day or date.today())
    return to_pdf(page) if page is not None else None
