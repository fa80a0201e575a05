"""What a screen reader needs beside a chart: its text alternative, in the page but not drawn."""

from __future__ import annotations

import streamlit as st

from maillon.charts.chart import Chart
from maillon.exports import basket, html_page
from maillon.i18n import t

ALT_KEY = "chart_alt_"
# Static CSS, no data in it: the alternative's container is visually hidden (the usual
# "sr-only" rules) and still read. Out of the flow, it takes no room beside the chart.
CSS = f"""<style>
[class*="st-key-{ALT_KEY}"] {{ position: absolute !important; width: 1px !important;
  height: 1px !important; margin: -1px; padding: 0; border: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }}
</style>"""


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
    st.html(CSS)
    st.container(key=f"{ALT_KEY}{key}").text(text)
