"""A page's figures as an Excel workbook (xlsxwriter): one sheet per chart's data, then a sheet
listing each chart's title, source line and filters."""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl
import xlsxwriter

from maillon.exports.downloads import AUTOFIT_MAX_ROWS, spreadsheet_safe
from maillon.i18n import t

SHEET_NAME_MAX = 31  # Excel's limit
FORBIDDEN = "[]:*?/\\'"  # in sheet names
# Built in memory; text that starts like a formula is written as text, never evaluated.
OPTIONS = {"in_memory": True, "strings_to_formulas": False}


@dataclass(frozen=True)
class ChartData:
    key: str
    title: str
    source: str
    mark: str  # the provenance mark, empty when every row behind the chart is real
    table: pl.DataFrame


def sheet_names(keys: list[str]) -> list[str]:
    """Valid, unique sheet names from the chart keys (Excel forbids []:*?/\\ and > 31 chars)."""
    names: list[str] = []
    for key in keys:
        base = "".join("_" if c in FORBIDDEN else c for c in key)[:SHEET_NAME_MAX] or "chart"
        name, n = base, 2
        while name.lower() in (existing.lower() for existing in names):
            suffix = f"_{n}"
            name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def build(charts: list[ChartData], lang: str, filters_text: str) -> bytes:
    out = io.BytesIO()
    with xlsxwriter.Workbook(out, OPTIONS) as book:
        names = sheet_names([c.key for c in charts])
        for chart, name in zip(charts, names, strict=True):
            spreadsheet_safe(chart.table).write_excel(book, worksheet=name, autofit=True)
        sources = pl.DataFrame(
            {
                t(lang, "export.sheet"): names,
                t(lang, "export.chart_title"): [c.title for c in charts],
                t(lang, "export.source"): [" ".join(c.source.splitlines()) for c in charts],
                t(lang, "export.provenance"): [c.mark or t(lang, "export.real") for c in charts],
                t(lang, "export.filters"): [filters_text] * len(charts),
            },
            schema={
                t(lang, "export.sheet"): pl.String,
                t(lang, "export.chart_title"): pl.String,
                t(lang, "export.source"): pl.String,
                t(lang, "export.provenance"): pl.String,
                t(lang, "export.filters"): pl.String,
            },
        )
        spreadsheet_safe(sources).write_excel(
            book, worksheet=t(lang, "export.sources_sheet"), autofit=True
        )
    return out.getvalue()


def rows_and_sources(
    rows: pl.DataFrame, rows_name: str, heading: str, sources: pl.DataFrame, sources_name: str
) -> bytes:
    """A sheet of rows, then a sheet with a heading line and the sources table under it (the
    heading is there even when no source is listed)."""
    out = io.BytesIO()
    with xlsxwriter.Workbook(out, OPTIONS) as book:
        rows_sheet, sources_sheet = sheet_names([rows_name, sources_name])
        autofit = rows.height <= AUTOFIT_MAX_ROWS
        spreadsheet_safe(rows).write_excel(book, worksheet=rows_sheet, autofit=autofit)
        book.add_worksheet(sources_sheet).write_string(0, 0, heading)
        spreadsheet_safe(sources).write_excel(
            book, worksheet=sources_sheet, position="A3", autofit=True
        )
    return out.getvalue()
