"""How the researchers' pages show a Polars frame in Streamlit: dates as dates, not timestamps."""

from __future__ import annotations

import polars as pl
import streamlit as st


def show(frame: pl.DataFrame) -> None:
    """The frame as an interactive table (text is never rendered as HTML)."""
    dates = {
        name: st.column_config.DateColumn(name, format="YYYY-MM-DD")
        for name, dtype in frame.schema.items()
        if dtype == pl.Date
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=dates or None)
