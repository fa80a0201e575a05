"""What a screen reader needs beside a chart: its text alternative, in the page but not drawn."""

from __future__ import annotations

import streamlit as st

from maillon.charts.chart import Chart
from maillon.exports import basket, html_page
from maillon.i18n import t

# Its container is visually hidden and still read (the sr-only rules on "st-key-chart_alt_" in
# maillon/web/assets/app.css, loaded once a run by app.py rather than once a chart).
ALT_KEY = "chart_alt_"


def chart_alternative(chart: Chart, lang: str) -> str:
    """The chart's title (the finding), measure, provenance mark and data, then where its data
    table is (the expander right after the chart): plain text."""
    table = t(lang, "chart.alt_table", label=t(lang, "chart.show_data"))
    return f"{html_page.summary(chart, lang)} {table}"


def show_alternative(chart: Chart, lang: str, key: str) -> None:
    """The text alternative, before the chart."""
    show_text(chart_alternative(chart, lang), key)


def show_slide_alternative(slide: basket.Slide, lang: str) -> None:
    """A presentation slide's alternative: its title, subtitle, key figure, mark and data."""
    parts = (slide.title, slide.subtitle, slide.key_figure, slide.mark)
    show_text(" ".join([*filter(None, parts), basket.data_summary(slide, lang)]), "present")


def show_text(text: str, key: str) -> None:
    """Read by screen readers, not drawn. With st.text, so that names from imported data in the
    caption and the columns stay text (never HTML nor Markdown)."""
    st.container(key=f"{ALT_KEY}{key}").text(text)
