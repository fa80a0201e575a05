"""How the pages show a Polars frame in Streamlit: dates as dates, not timestamps; numbers in the
reader's format where the table is read rather than sorted."""

from __future__ import annotations

import polars as pl
import streamlit as st

from maillon.i18n import number


def show(frame: pl.DataFrame) -> None:
    """The frame as an interactive table (text is never rendered as HTML)."""
    dates = {
        name: st.column_config.DateColumn(name, format="YYYY-MM-DD")
        for name, dtype in frame.schema.items()
        if dtype == pl.Date
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=dates or None)


def show_sortable(frame: pl.DataFrame) -> None:
    """A ranking the reader sorts by clicking a header: numbers stay numbers, with the digits
    grouped in the browser's own locale (Streamlit knows no other)."""
    grouped = {
        name: st.column_config.NumberColumn(name, format="localized")
        for name, dtype in frame.schema.items()
        if dtype.is_numeric() and not _is_year(frame[name])
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=grouped or None)


def _is_year(column: pl.Series) -> bool:
    values = column.drop_nulls()
    return column.dtype.is_integer() and values.len() > 0 and values.is_between(1900, 2100).all()


def _decimals(column: pl.Series) -> int:
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
        if dtype.is_numeric() and not _is_year(column):
            decimals = _decimals(column)
            column = pl.Series(name, [number(v, lang, decimals) for v in column], pl.String)
        columns.append(column)
    return pl.DataFrame(columns)
