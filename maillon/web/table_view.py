"""How the pages show a Polars frame in Streamlit: dates as dates, not timestamps; numbers in the
reader's format where the table is read rather than sorted."""

from __future__ import annotations

import polars as pl
import streamlit as st

from maillon.charts.readable import is_year


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
        if dtype.is_numeric() and not is_year(frame[name])
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=grouped or None)
