"""How the pages show a Polars frame in Streamlit: dates as dates, not timestamps; numbers in the
reader's format where the table is read rather than sorted."""

from __future__ import annotations

from html import escape

import polars as pl
import streamlit as st

from maillon.charts.readable import is_year
from maillon.exports.report import table_html

# st.table reads every cell and header as Markdown: one Markdown renderer per cell in the browser,
# about 40 ms of a page change for the network report's four tables (docs/performance.md). This
# one is plain HTML, as the printed report's, its text escaped: shown as itself, never as HTML
# nor Markdown.
STATIC_CSS = """<style>
.maillon-static table {
  border-collapse: collapse; width: 100%; font-size: 0.875rem; table-layout: fixed;
}
.maillon-static th, .maillon-static td {
  border: 1px solid rgba(49, 51, 63, 0.1); padding: 0.25rem 0.75rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere;
}
.maillon-static th {font-weight: 600;}
.maillon-static th:first-child {width: 46%;}
.maillon-static th + th {text-align: right;}
.maillon-static caption {caption-side: top; text-align: left; font-weight: 600; padding: 0.25rem 0;}
.maillon-static .note {font-size: 0.875rem; color: rgba(20, 19, 18, 0.6); margin: 0.5rem 0 0;}
.maillon-static .num {text-align: right; font-variant-numeric: tabular-nums;}
</style>"""


def _dates(frame: pl.DataFrame) -> dict:
    """Date columns shown as dates: Streamlit writes a Polars date as a timestamp at midnight."""
    return {
        name: st.column_config.DateColumn(name, format="YYYY-MM-DD")
        for name, dtype in frame.schema.items()
        if dtype == pl.Date
    }


def show(frame: pl.DataFrame) -> None:
    """The frame as an interactive table (text is never rendered as HTML)."""
    st.dataframe(frame, hide_index=True, width="stretch", column_config=_dates(frame) or None)


def show_sortable(frame: pl.DataFrame) -> None:
    """A ranking the reader sorts by clicking a header: numbers stay numbers, with the digits
    grouped in the browser's own locale (Streamlit knows no other), and dates as dates."""
    grouped = {
        name: st.column_config.NumberColumn(name, format="localized")
        for name, dtype in frame.schema.items()
        if dtype.is_numeric() and not is_year(frame[name])
    }
    config = grouped | _dates(frame)
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config or None)


def show_static(frame: pl.DataFrame, title: str | None = None, note: str | None = None) -> None:
    """A small table to read and print, not to sort: text cells, a label in the first column and
    figures, aligned right, in the others; its title (the table's caption for screen readers)
    and a note below it, in the same element."""
    table = table_html(frame, caption=title)
    below = f'<p class="note">{escape(note)}</p>' if note else ""
    st.html(f'{STATIC_CSS}<div class="maillon-static">{table}{below}</div>')
