"""What a screen reader needs: the page's language, and beside a chart its text alternative, in
the page but not drawn."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from maillon.charts.chart import Chart
from maillon.exports import basket, html_page
from maillon.i18n import t

# Its container is visually hidden and still read (the sr-only rules on "st-key-chart_alt_" in
# maillon/web/assets/app.css, loaded once a run by app.py rather than once a chart).
ALT_KEY = "chart_alt_"
# The app's few style rules (labels that wrap on a projector, metric rows, the alternatives
# hidden, focus rings), in one file.
ASSETS = Path(__file__).parent / "assets"
APP_CSS = f"<style>{(ASSETS / 'app.css').read_text()}</style>"
# Charts scaled to the sheet when the page is printed (Ctrl+P): the board pages are printed.
PRINT_FIT = f"<script>{(ASSETS / 'print_fit.js').read_text()}</script>"


def head_html(lang: str) -> str:
    """The app's style rules, the print fit of the charts, and a script setting the page's
    language on the document: Streamlit serves every page as <html lang="en">, so a screen reader
    read the French pages with an English voice (WCAG 3.1.1). The scripts are the app's own;
    `lang` is one of LANGUAGES."""
    language = f"<script>document.documentElement.lang = {json.dumps(lang)};</script>"
    return APP_CSS + PRINT_FIT + language


def page_head(lang: str) -> None:
    """First in every run: `head_html`, the only HTML of the app that runs a script."""
    st.html(head_html(lang), unsafe_allow_javascript=True)


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
