"""Network annual report: the associations in a year against the previous one, targets against
actuals, highlights, the figures in detail; prints cleanly; the report as PDF."""

import streamlit as st

from maillon.exports import network_report
from maillon.figures import annual, network_annual
from maillon.i18n import t
from maillon.web import board_report, table_view, ui

lang = ui.language()
filters = ui.current_filters()
years = list(ui.filter_options().years)

st.html(annual.PRINT_CSS)  # static CSS written here: hides the sidebar and widgets in print
st.title(t(lang, "network.title"))
year = board_report.chosen_year(
    "network-annual",
    years,
    filters.year_to,
    t(lang, "network.year"),
    lang,
    network_annual.YEAR_PARAM,
    network_annual.YEAR_KEY,
    network_annual.year_from_url,
    f"network_annual_year_{lang}",
)
st.caption(t(lang, "network.intro", year=year, previous=year - 1))
ui.provenance_notice(lang, network_annual.provenance(filters, year))

comparison = network_annual.comparison(filters, year)
if not network_annual.has_figures(comparison):
    st.warning(t(lang, "notices.no_data"))
    st.stop()

st.subheader(network_annual.figures_title(comparison, year, lang))
rows = network_annual.headline(comparison)
metrics = ui.metric_row("network_annual")
for row in rows:
    metrics.metric(
        network_annual.metric_name(row["metric"], lang),
        network_annual.fmt(row["value"], lang),
        delta=network_annual.change_text(row, lang, minus=annual.METRIC_MINUS),
        border=True,
        height="stretch",
    )
figures_source = network_annual.figures_source(filters, year, lang)
ui.source_caption(figures_source)

board_report.targets_section(
    network_annual.targets_view(filters, year, lang),
    annual.targets_missing(filters, year, lang),
    lang,
    key="network_annual_targets",
    remake=lambda other: network_annual.targets_view(filters, year, other),
)

st.subheader(t(lang, "annual.highlights_title"))
lines = network_annual.highlights(comparison, filters, year, lang)
# Lines name associations and institutions from the data: shown as text, never as Markdown.
st.markdown(
    "\n".join(f"- {ui.plain_markdown(line)}" for line in lines) or t(lang, "annual.no_highlights")
)

st.subheader(t(lang, "annual.details_title", year=year, previous=year - 1))
for name in network_annual.SECTIONS:
    table_view.show_static(
        network_annual.section_table(comparison, name, year, lang),
        title=network_annual.section_title(name, lang),
        note=network_annual.section_note(name, lang),
    )
ui.source_caption(figures_source)

options = ui.filter_options()
board_report.pdf_button(
    lambda: network_report.build(filters, options, year, lang),
    file_name=t(lang, "network.pdf_file", year=year),
    key="network_annual_pdf",
    lang=lang,
)
