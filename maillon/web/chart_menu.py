"""A chart's export menu on its page: its images and HTML file, drawn when clicked, and the
button putting it in the meeting deck. What leaves the app says under its source line for which
filters it was drawn. A slide keeps how to draw the chart again: the deck and the presentation
remake it in the reader's language when the language changes."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from maillon.charts.chart import Chart
from maillon.data import queries
from maillon.exports import basket, html_page, images, scoped
from maillon.i18n import t

# The chart in another language (same filters, same data), or None when it cannot be drawn.
Remake = Callable[[str], Chart | None]
Scope = scoped.Scope


def show(chart: Chart, lang: str, key: str, scope: Scope, remake: Remake | None) -> None:
    # One small menu per chart: its buttons are drawn by the browser only when it is opened.
    menu = st.popover(
        t(lang, "export.menu"), icon=":material/ios_share:", type="tertiary", key=f"exports_{key}"
    )
    for fmt in images.FORMATS:
        menu.download_button(
            t(lang, f"export.download_{fmt}"),
            # A callable: the image is drawn when clicked, never on an ordinary rerun.
            data=lambda fmt=fmt: images.render(scoped.exported(chart, scope, lang).figure, fmt),
            file_name=images.file_name(key, fmt),
            mime=images.FORMATS[fmt],
            key=f"image_{fmt}_{key}",
            icon=":material/image:",
            on_click="ignore",
            type="tertiary",
        )
    menu.download_button(
        t(lang, "export.download_html"),
        data=lambda: html_page.build(scoped.exported(chart, scope, lang), lang).encode(),
        file_name=images.file_name(key, "html"),
        mime="text/html",
        key=f"html_{key}",
        icon=":material/code:",
        on_click="ignore",
        type="tertiary",
    )
    in_deck = basket.contains(st.session_state, key)
    menu.button(
        t(lang, "export.deck_update" if in_deck else "export.deck_add"),
        key=f"deck_add_{key}",
        icon=":material/slideshow:",
        on_click=_put_in_deck,
        args=(chart, key, lang, scope, remake),
        type="tertiary",
    )


def deck_button(build: Callable[[str], Chart], lang: str, key: str) -> None:
    """A button putting a published figure in the meeting deck as a slide, `build(lang)` drawn
    when clicked (the global filters do not apply to it)."""
    st.button(
        t(lang, "export.deck_add"),
        key=f"deck_add_{key}",
        icon=":material/slideshow:",
        on_click=lambda: _put_in_deck(build(lang), key, lang, None, build),
        type="tertiary",
    )


def _put_in_deck(chart: Chart, key: str, lang: str, scope: Scope, remake: Remake | None) -> None:
    slide = _slide(chart, key, lang, scope, remake, queries.current_version())
    if basket.add(st.session_state, slide):
        st.toast(t(lang, "export.deck_added", count=len(basket.slides(st.session_state))))
    else:
        st.toast(t(lang, "export.deck_full", count=basket.MAX_SLIDES))


def _slide(
    chart: Chart, key: str, lang: str, scope: Scope, remake: Remake | None, version: str
) -> basket.Slide:
    """The chart as a slide, which can make itself again in another language while the data is
    the version it was drawn from (after an import, the same filters give other figures)."""

    def in_language(other: str) -> basket.Slide | None:
        if queries.current_version() != version:
            return None
        chart = remake(other)
        return chart and _slide(chart, key, other, scope, remake, version)

    return basket.make_slide(
        scoped.exported(chart, scope, lang),
        key=key,
        filters_text=scoped.filters_text(scope, lang),
        lang=lang,
        remake=in_language if remake else None,
    )
