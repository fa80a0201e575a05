"""Maillon: routes the pages and holds what every page shares (language, global filters)."""

import streamlit as st

from maillon.data import queries
from maillon.i18n import t
from maillon.web import a11y, ui

st.set_page_config(page_title="Maillon", page_icon=str(ui.FAVICON), layout="wide")
a11y.page_head(ui.requested_language())

with st.spinner(t(ui.requested_language(), "app.building")):
    ui.ensure_database(ui.requested_language())


def routes(lang: str) -> dict[str, list]:
    """The pages by navigation section, in the reader's language."""
    # Grouped by what people come to do; every page listed (expanded), no "View more" link.
    return {
        t(lang, "nav.section_dashboards"): [
            st.Page(
                "pages/overview_page.py",
                title=t(lang, "nav.overview"),
                icon=":material/dashboard:",
                default=True,
            ),
            st.Page(
                "pages/markets_page.py",
                title=t(lang, "nav.markets"),
                icon=":material/storefront:",
                url_path="markets",
            ),
            st.Page(
                "pages/money_flow_page.py",
                title=t(lang, "nav.money_flow"),
                icon=":material/account_tree:",
                url_path="money-flow",
            ),
            st.Page(
                "pages/outcomes_page.py",
                title=t(lang, "outcomes.nav"),
                icon=":material/diversity_3:",
                url_path="outcomes",
            ),
            st.Page(
                "pages/establishments_page.py",
                title=t(lang, "establishments.nav"),
                icon=":material/map:",
                url_path="establishments",
            ),
            st.Page(
                "pages/annual_page.py",
                title=t(lang, "nav.annual"),
                icon=":material/summarize:",
                url_path="annual",
            ),
            st.Page(
                "pages/network_annual_page.py",
                title=t(lang, "network.nav"),
                icon=":material/volunteer_activism:",
                url_path="network-annual",
            ),
            st.Page(
                "pages/public_figures_page.py",
                title=t(lang, "public.nav"),
                icon=":material/format_quote:",
                url_path="public-figures",
            ),
        ],
        t(lang, "nav.section_action"): [
            st.Page(
                "pages/scenario_page.py",
                title=t(lang, "scenario.nav"),
                icon=":material/model_training:",
                url_path="scenario",
            ),
            st.Page(
                "pages/associations_page.py",
                title=t(lang, "associations.nav"),
                icon=":material/groups:",
                url_path="associations",
            ),
        ],
        t(lang, "nav.section_meetings"): [
            st.Page(
                "pages/deck_page.py",
                title=t(lang, "export.deck_nav"),
                icon=":material/slideshow:",
                url_path="deck",
            ),
            st.Page(
                "pages/present_page.py",
                title=t(lang, "export.present_nav"),
                icon=":material/co_present:",
                url_path="present",
            ),
        ],
        t(lang, "nav.section_data"): [
            st.Page(
                "pages/explorer_page.py",
                title=t(lang, "explorer.nav"),
                icon=":material/table_view:",
                url_path="explorer",
            ),
            st.Page(
                "pages/queries_page.py",
                title=t(lang, "canned.nav"),
                icon=":material/list_alt:",
                url_path="queries",
            ),
            st.Page(
                "pages/sql_page.py",
                title=t(lang, "sql_console.nav"),
                icon=":material/terminal:",
                url_path="sql",
            ),
            st.Page(
                "pages/dictionary_page.py",
                title=t(lang, "dictionary.nav"),
                icon=":material/menu_book:",
                url_path="dictionary",
            ),
            st.Page(
                "pages/methodology_page.py",
                title=t(lang, "methodology.nav"),
                icon=":material/science:",
                url_path="methodology",
            ),
            # Reached by its address only; it shows nothing but a login form until logged in.
            st.Page(
                "pages/admin_page.py",
                title=t(lang, "admin.nav"),
                icon=":material/admin_panel_settings:",
                url_path="admin",
                visibility="hidden",
            ),
        ],
    }


# One version of the data for the whole run: an import landing meanwhile shows on the next run.
with queries.one_version():
    options = ui.filter_options()
    lang = ui.language_switch()
    page = st.navigation(routes(lang), expanded=True)
    ui.sidebar_filters(options, lang)
    ui.url_notices(lang)
    ui.start_page()
    page.run()
    ui.page_exports(lang)
