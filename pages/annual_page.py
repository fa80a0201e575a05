"""Annual summary (board): a year against the previous one, targets against actuals, highlights,
the figures in detail; prints cleanly."""

import streamlit as st

from maillon.exports import report
from maillon.figures import annual, shared
from maillon.i18n import t
from maillon.web import board_report, table_view, ui

lang = ui.language()
filters = ui.current_filters()
years = list(ui.filter_options().years)

st.html(annual.PRINT_CSS)  # static CSS written here: hides the sidebar and widgets in print
st.title(t(lang, "annual.title"))
year = board_report.chosen_year(
    "annual",
    years,
    filters.year_to,
    t(lang, "annual.year"),
    lang,
    annual.YEAR_PARAM,
    annual.YEAR_KEY,
    annual.year_from_url,
    f"annual_year_{lang}",
)
st.caption(t(lang, "annual.intro", year=year, previous=year - 1))
ui.provenance_notice(lang, shared.provenance(filters, shared.MARKET_TABLES))

comparison = annual.comparison(filters, year)
if not annual.has_figures(comparison):
    st.warning(t(lang, "notices.no_data"))
    st.stop()

st.subheader(annual.figures_title(comparison, year, lang))
metrics = ui.metric_row("annual")
for row in annual.headline(comparison):
    metrics.metric(
        t(lang, f"annual.metric_{row['metric']}"),
        annual.fmt(row["metric"], row["value"], lang),
        delta=annual.change_text(
            row["metric"], row["value"], row["previous"], lang, minus=annual.METRIC_MINUS
        ),
        border=True,
        height="stretch",
    )
figures_source = annual.figures_source(filters, year, lang)
ui.source_caption(figures_source)

board_report.targets_section(
    annual.targets_view(filters, year, lang),
    annual.targets_missing(filters, year, lang),
    lang,
    key="annual_targets",
    remake=lambda other: annual.targets_view(filters, year, other),
)

st.subheader(t(lang, "annual.highlights_title"))
contracts = annual.contracts(filters, year)
lines = annual.highlights(filters, year, lang) + annual.contract_lines(contracts, lang)
# Lines name domains and operator kinds from the data: shown as text, never as Markdown.
st.markdown(
    "\n".join(f"- {ui.plain_markdown(line)}" for line in lines) or t(lang, "annual.no_highlights")
)
if contracts.height:
    details = ui.lazy_expander(t(lang, "annual.contracts_details"), "annual_contracts")
    if details.open:
        details.dataframe(annual.contracts_table(contracts, lang), hide_index=True, width="stretch")

st.subheader(t(lang, "annual.details_title", year=year, previous=year - 1))
table_view.show_static(annual.comparison_table(comparison, year, lang))
ui.source_caption(figures_source)

options = ui.filter_options()
board_report.pdf_button(
    lambda: report.build(filters, options, year, lang),
    file_name=t(lang, "annual.pdf_file", year=year),
    key="annual_pdf",
    lang=lang,
)
