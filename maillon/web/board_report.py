"""What the two yearly board pages (the markets' annual summary and the network's annual report)
do the same way: the year picked (in the URL), targets against actuals, the print hint and the
PDF button."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from maillon.charts.chart import Chart
from maillon.data.url_values import whole_number
from maillon.i18n import t
from maillon.plain_text import plain_markdown
from maillon.web import chart_menu, page_url, ui

MAX_SHOWN = 40  # characters of a link's year shown back when it is refused


def chosen_year(
    page: str,
    years: list[int],
    default: int,
    label: str,
    lang: str,
    url_param: str,
    state_key: str,
    from_url: Callable[[dict, list[int], int], int],
    widget_key: str,
) -> int:
    """The year of the report: from a link once (a year the data lacks is said, and replaced),
    then from the picker (latest first), written back to the URL so that the link reproduces
    the report."""
    linked = page_url.read_once(page, [url_param])
    if linked is not None:
        st.session_state[state_key] = year = from_url(linked, years, default)
        asked = linked.get(url_param, [])
        if asked and whole_number(asked[-1]) != year:
            shown = plain_markdown(asked[-1][:MAX_SHOWN])
            notice = t(lang, "annual.year_ignored", value=shown, year=year)
            st.warning(notice + " " + t(lang, "annual.years", first=years[0], last=years[-1]))
    year = st.selectbox(
        label,
        options=years[::-1],
        index=years[::-1].index(st.session_state.get(state_key, default)),
        key=widget_key,
    )
    st.session_state[state_key] = year
    page_url.write({url_param: str(year)}, [url_param])
    return year


def targets_section(
    targets: Chart | None, missing: str, lang: str, key: str, remake: chart_menu.Remake
) -> None:
    """The year's targets against actuals with their data, or a notice when none is set. It
    comes right after the headline figures: what a board reads first, and the page's first
    chart, drawn before the tables and highlights below it."""
    st.subheader(t(lang, "annual.targets_heading"))
    if targets:
        ui.chart_with_data(targets, lang, key=key, remake=remake)
        st.caption(t(lang, "annual.targets_note"))
    else:
        st.info(missing)


def pdf_button(build: Callable[[], bytes], file_name: str, key: str, lang: str) -> None:
    """How to print the page, and the report as a PDF, printed by Chromium when clicked (a few
    seconds), never on an ordinary rerun."""
    st.caption(t(lang, "annual.print_hint"))
    st.download_button(
        t(lang, "export.download_pdf"),
        data=build,
        file_name=file_name,
        mime="application/pdf",
        key=key,
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
