"""What the two yearly board pages (the markets' annual summary and the network's annual report)
show the same way: targets against actuals, the print hint and the PDF button."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from maillon.charts.chart import Chart
from maillon.i18n import t
from maillon.web import ui


def targets_section(targets: Chart | None, year: int, lang: str, key: str) -> None:
    """The year's targets against actuals with their data, or a notice when none is set."""
    st.subheader(t(lang, "annual.targets_heading"))
    if targets:
        ui.chart_with_data(targets, lang, key=key)
        st.caption(t(lang, "annual.targets_note"))
    else:
        st.info(t(lang, "annual.no_targets", year=year))
    st.caption(t(lang, "annual.print_hint"))


def pdf_button(build: Callable[[], bytes], file_name: str, key: str, lang: str) -> None:
    """The report as a PDF, printed by Chromium when clicked (a few seconds), never on an
    ordinary rerun."""
    st.download_button(
        t(lang, "export.download_pdf"),
        data=build,
        file_name=file_name,
        mime="application/pdf",
        key=key,
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
