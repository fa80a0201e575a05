"""A table's rows as the explorer hands them out. CSV and Parquet hold the rows as they are, whose
provenance and source_id columns say where each row comes from; an Excel file also has a sheet
that names those sources (title, publisher, licence, address) and the view the rows were cut by,
so that the workbook says where its figures come from once it is forwarded."""

from __future__ import annotations

import polars as pl

from maillon.data.catalog import Table
from maillon.exports import downloads, workbook
from maillon.exports.basket import describe_filters
from maillon.figures import explorer, methodology
from maillon.i18n import t

SOURCE_COLUMNS = ("source_id", "title", "publisher", "data_date", "licence", "url", "provenance")


def view_text(
    view: explorer.View, table: Table, scope: explorer.Scope, whole: bool, lang: str
) -> str:
    """'table contract ; domain_id : canteen ; start_date : 2021-01-01..' and the global filters
    that apply to the table; the table alone when it is downloaded whole."""
    parts = [t(lang, "explorer.view_table", table=view.table)]
    if not whole:
        parts += [
            f"{column} : {', '.join(values)}" for column, values in sorted(view.facets.items())
        ]
        parts += [
            f"{column} : {low}..{high}" for column, (low, high) in sorted(view.ranges.items())
        ]
        if view.search:
            parts.append(t(lang, "explorer.view_search", text=view.search))
        if explorer.applied_scope(table, scope):
            parts.append(describe_filters(scope.filters, scope.options, lang))
    return t(lang, "chart.source_separator").join(parts)


def cited_sources(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The sources the rows cite by source_id, in the source table's order, with how many rows
    cite each (the reader's language for the titles and the provenance)."""
    rows_column = t(lang, "explorer.rows")
    if "source_id" not in rows.columns:
        return pl.DataFrame(
            schema={**dict.fromkeys(SOURCE_COLUMNS, pl.String), rows_column: pl.UInt32}
        )
    cited = rows.group_by("source_id").len(rows_column)
    return (
        methodology.sources(lang)
        .select(SOURCE_COLUMNS)
        .join(cited, on="source_id", how="inner", maintain_order="left")
    )


def file_bytes(rows: pl.DataFrame, fmt: str, table: str, view: str, lang: str) -> bytes:
    """The rows as a file of this format; an Excel one with its sources sheet."""
    if fmt != "xlsx":
        return downloads.to_bytes(rows, fmt)
    heading = t(lang, "explorer.view_line", view=view)
    sources = cited_sources(rows, lang)
    return workbook.rows_and_sources(rows, table, heading, sources, t(lang, "export.sources_sheet"))
