"""Files researchers take away: a Polars frame as CSV, XLSX or Parquet, with row caps.

Excel cannot hold more than 1,048,576 rows (one of them the header); the other formats are capped
by the setting `download_max_rows` so that one download cannot exhaust the server's memory.

Every CSV and XLSX file is written through `to_bytes` (or `spreadsheet_safe` for a workbook
built elsewhere): a text cell that a spreadsheet would read as a formula (starting with =, @, a
tab, a carriage return, or + or - followed by anything) starts with an apostrophe instead, the
OWASP rule against CSV injection; numbers stay numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

from maillon.data.config import setting
from maillon.i18n import t

EXCEL_MAX_ROWS = 1_048_575
DEFAULT_MAX_ROWS = 2_000_000
# Fitting column widths reads every cell: past this many rows it costs more than it helps.
AUTOFIT_MAX_ROWS = 10_000
# A lone '-' or '+' (a blank written as a dash) is no formula: it stays as typed.
FORMULA_START = r"^(?:[=@\t\r]|[+\-][\s\S])"


@dataclass(frozen=True)
class Format:
    extension: str
    mime: str
    label: str


FORMATS = {
    "csv": Format("csv", "text/csv", "CSV"),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
    ),
    "parquet": Format("parquet", "application/vnd.apache.parquet", "Parquet"),
}


def max_rows(fmt: str) -> int:
    """The most rows a file of this format holds."""
    configured = int(setting("download_max_rows", str(DEFAULT_MAX_ROWS)))
    return min(configured, EXCEL_MAX_ROWS) if fmt == "xlsx" else configured


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell that a spreadsheet would evaluate made inert."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def _whole(values: pl.Series) -> bool:
    """Whether every value is a whole number a float holds exactly (and an Int64 holds)."""
    values = values.drop_nulls()
    return (
        not values.is_empty()
        and values.is_finite().all()
        and (values % 1 == 0).all()
        and values.abs().max() < 2**53
    )


def whole_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Float columns holding only whole numbers as integers: a CSV says 147234000, not
    147234000.0 (a value rounded to the euro stays a float in Polars)."""
    whole = [
        name for name, dtype in frame.schema.items() if dtype.is_float() and _whole(frame[name])
    ]
    return frame.with_columns(pl.col(whole).cast(pl.Int64)) if whole else frame


def to_bytes(frame: pl.DataFrame, fmt: str) -> bytes:
    """The frame as a file; the caller has already capped it to max_rows(fmt)."""
    buffer = io.BytesIO()
    if fmt == "csv":
        # The BOM tells Excel the file is UTF-8: without it « é » opens as « Ã© ». Polars, pandas,
        # R and DuckDB read it and drop it.
        spreadsheet_safe(whole_numbers(frame)).write_csv(buffer, include_bom=True)
    elif fmt == "xlsx":
        # Polars opens xlsxwriter with strings_to_formulas=False: text stays text.
        spreadsheet_safe(frame).write_excel(buffer, autofit=frame.height <= AUTOFIT_MAX_ROWS)
    elif fmt == "parquet":
        frame.write_parquet(buffer)
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


def with_provenance(
    frame: pl.DataFrame, mark: str, source: str, lang: str, filters: str = ""
) -> pl.DataFrame:
    """The rows behind a chart with its provenance, source line and the filters it was drawn
    for on every row, so that the warning and the scope stay with the file once it leaves the
    app ('real' when the mark is empty)."""
    columns = [
        pl.lit(mark or t(lang, "export.real"), pl.String).alias(t(lang, "export.provenance")),
        pl.lit(" ".join(source.splitlines()), pl.String).alias(t(lang, "export.source")),
    ]
    if filters:
        columns.append(pl.lit(filters, pl.String).alias(t(lang, "export.filters")))
    return frame.with_columns(columns)


def file_name(stem: str, fmt: str) -> str:
    """maillon_<stem>.<ext>, with only safe characters in the stem."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
    return f"maillon_{safe}.{FORMATS[fmt].extension}"
