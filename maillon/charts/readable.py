"""The rows behind a chart as people read them: numbers in the language's format, years as they
are. Shared by the pages' tables and the chart's web page (maillon.exports.html_page)."""

from __future__ import annotations

import polars as pl

from maillon.i18n import number


def is_year(column: pl.Series) -> bool:
    values = column.drop_nulls()
    return column.dtype.is_integer() and values.len() > 0 and values.is_between(1900, 2100).all()


def decimals(column: pl.Series) -> int:
    """Digits after the point a column needs: none for whole numbers and for large values."""
    values = column.drop_nulls().abs()
    if values.len() == 0 or column.dtype.is_integer() or (values == values.round(0)).all():
        return 0
    largest = values.max()
    return 0 if largest >= 1000 else 1 if largest >= 10 else 2


def readable(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Numbers as the language writes them ('14 479 208', '22,9'; missing: '–'), years as they
    are: for the small tables shown beside a chart. The CSV download keeps the raw values."""
    columns = []
    for name, dtype in frame.schema.items():
        column = frame[name]
        if dtype.is_numeric() and not is_year(column):
            digits = decimals(column)
            column = pl.Series(name, [number(v, lang, digits) for v in column], pl.String)
        columns.append(column)
    return pl.DataFrame(columns)
