"""Files researchers take away: a Polars frame as CSV, XLSX or Parquet, with row caps.

Excel cannot hold more than 1,048,576 rows (one of them the header); the other formats are capped
by the setting `download_max_rows` so that one download cannot exhaust the server's memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

from maillon.config import setting

EXCEL_MAX_ROWS = 1_048_575
DEFAULT_MAX_ROWS = 2_000_000


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


def to_bytes(frame: pl.DataFrame, fmt: str) -> bytes:
    """The frame as a file; the caller has already capped it to max_rows(fmt)."""
    buffer = io.BytesIO()
    if fmt == "csv":
        frame.write_csv(buffer)
    elif fmt == "xlsx":
        frame.write_excel(buffer, autofit=frame.height <= 10_000)
    elif fmt == "parquet":
        frame.write_parquet(buffer)
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


def file_name(stem: str, fmt: str) -> str:
    """maillon_<stem>.<ext>, with only safe characters in the stem."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
    return f"maillon_{safe}.{FORMATS[fmt].extension}"
