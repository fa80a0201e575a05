"""The associations network: directory, graph, coverage, conventions due and joint actions."""

from datetime import date

import streamlit as st

from maillon.exports import calendar, downloads, vcard
from maillon.figures import (
    associations,
    associations_conventions,
    associations_network,
    operator_links,
    shared,
)
from maillon.i18n import number, t
from maillon.web import handover_view, page_url, table_view, ui

MAX_CARDS = 30
OPERATORS_PARAM = "_operators"  # in the URL: the network graph with the operators
MONTHS_PARAM = "_months"  # in the URL: the horizon of the conventions to renew
MONTHS_KEY = "assoc_months"
SEARCH_KEY = "assoc_directory_search"  # the directory's search, kept across tabs and languages

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "associations.title"))
st.caption(t(lang, "associations.intro", period=shared.period(filters)))
found = shared.provenance(filters, shared.ASSOCIATION_TABLES)
ui.provenance_notice(lang, found)
if found.illustrative > 0:
    st.caption(t(lang, "associations.invented"))

(
    directory_tab,
    network_tab,
    coverage_tab,
    conventions_tab,
    actions_tab,
    operators_tab,
    handover_tab,
) = ui.lazy_tabs(
    [t(lang, tab) for tab in associations.TABS],
    key=associations.TABS_KEY,
)

if directory_tab.open:
    with directory_tab:
        places = associations.establishment_choices(filters)
        linked = page_url.read_once("associations_directory", associations.SEARCH_PARAMS)
        if linked is not None:
            st.session_state[SEARCH_KEY] = associations.search_from_url(linked, places)
        kept = st.session_state.get(SEARCH_KEY, associations.Search())
        page_url.restore_widgets(
            {
                "assoc_search": kept.text,
                f"assoc_fields_{lang}": list(kept.fields),
                f"assoc_settings_{lang}": list(kept.settings),
                "assoc_establishments": [e for e in kept.establishments if e in places],
            },
            linked=linked is not None,
        )
        left, middle, right = st.columns(3)
        text = left.text_input(t(lang, "associations.search"), key="assoc_search")
        fields = middle.multiselect(
            t(lang, "associations.fields"),
            associations.FIELDS,
            format_func=lambda f: associations.label(lang, "field", f),
            key=f"assoc_fields_{lang}",
            placeholder=t(lang, "associations.all"),
        )
        settings = right.multiselect(
            t(lang, "associations.settings"),
            associations.SETTINGS,
            format_func=lambda s: associations.label(lang, "setting", s),
            key=f"assoc_settings_{lang}",
            placeholder=t(lang, "associations.all"),
        )
        chosen = st.multiselect(
            t(lang, "associations.establishments_pick"),
            list(places),
            format_func=places.get,
            key="assoc_establishments",
            placeholder=t(lang, "associations.all"),
        )
        search = associations.Search(text, tuple(fields), tuple(settings), tuple(chosen))
        st.session_state[SEARCH_KEY] = search
        page_url.write(associations.search_to_url(search), associations.SEARCH_PARAMS)
        found = associations.directory(filters, search)
        st.write(t(lang, "associations.found", count=number(found.height, lang)))
        st.caption(t(lang, "associations.contact_note"))
        exports = st.container(horizontal=True)
        exports.download_button(
            t(lang, "associations.download_csv"),
            data=downloads.to_bytes(associations.directory_table(found, lang), "csv"),
            file_name="maillon_associations.csv",
            mime="text/csv",
            key="assoc_csv",
            icon=":material/download:",
        )
        exports.download_button(
            t(lang, "associations.download_vcard"),
            data=vcard.organisations(found, name="name"),
            file_name="maillon_associations.vcf",
            mime="text/vcard",
            key="assoc_vcard",
            icon=":material/contact_mail:",
        )
        for card in associations.cards(found.head(MAX_CARDS), lang):
            with st.container(border=True):
                st.markdown(card.heading)
                st.caption(card.facts)
                st.text(card.where)
                st.text(card.partners)
                st.text(card.contact)
        if found.height > MAX_CARDS:
            st.caption(t(lang, "associations.more_cards", count=MAX_CARDS))

if network_tab.open:
    with network_tab:
        figures = associations_network.connectivity(filters)
        shown = associations_network.connectivity_text(figures, lang)
        metrics = ui.metric_row("associations_network")
        for key, value in shown.items():
            metrics.metric(t(lang, f"associations.kpi_{key}"), value)
        page_url.restore_flag("assoc_with_operators", OPERATORS_PARAM)
        with_operators = st.toggle(
            t(lang, "operator_links.show_operators"),
            key="assoc_with_operators",
            help=t(lang, "operator_links.show_operators_help"),
        )
        page_url.keep_flag(with_operators, OPERATORS_PARAM)
        view = associations_network.network_view(filters, lang, with_operators=with_operators)
        if view:
            ui.chart_with_data(
                view,
                lang,
                key="associations_network",
                remake=lambda other: associations_network.network_view(
                    filters, other, with_operators=with_operators
                ),
            )
        else:
            st.info(t(lang, "notices.no_data"))
else:
    page_url.keep_flag(False, OPERATORS_PARAM)
if not directory_tab.open:
    page_url.write({}, associations.SEARCH_PARAMS)

if coverage_tab.open:
    with coverage_tab:
        view = associations.coverage_view(filters, lang)
        if view:
            ui.chart_with_data(
                view,
                lang,
                key="associations_coverage",
                remake=lambda other: associations.coverage_view(filters, other),
            )
            table_view.show(view.table)
        continuity = associations.continuity_view(filters, lang)
        if continuity:
            ui.chart_with_data(
                continuity,
                lang,
                key="associations_continuity",
                remake=lambda other: associations.continuity_view(filters, other),
            )
        if not (view or continuity):
            st.info(t(lang, "notices.no_data"))

if conventions_tab.open:
    with conventions_tab:
        horizons = associations_conventions.HORIZONS
        default_horizon = associations_conventions.DEFAULT_HORIZON
        page_url.restore_choice(MONTHS_KEY, MONTHS_PARAM, horizons, default_horizon)
        months = st.radio(
            t(lang, "associations.horizon"),
            horizons,
            format_func=lambda m: associations_conventions.horizon_label(m, lang),
            horizontal=True,
            key=MONTHS_KEY,
        )
        page_url.keep_choice(months, MONTHS_KEY, MONTHS_PARAM, default_horizon)
        due = associations_conventions.to_renew(filters, date.today(), months)
        st.subheader(t(lang, "associations.renew_heading", months=months))
        if due.height:
            st.write(associations_conventions.summary_text(due, lang))
            st.caption(t(lang, "associations.renew_note"))
            due_table = associations_conventions.to_renew_table(due, lang)
            table_view.show(due_table)
            due_files = st.container(horizontal=True)
            due_files.download_button(
                t(lang, "associations.download_renew_csv"),
                data=downloads.to_bytes(due_table, "csv"),
                file_name="maillon_conventions_due.csv",
                mime="text/csv",
                key="assoc_due_csv",
                icon=":material/download:",
            )
            due_files.download_button(
                t(lang, "associations.download_renew_ics"),
                data=calendar.conventions_calendar(due, lang),
                file_name="maillon_conventions_due.ics",
                mime=calendar.MIME,
                key="assoc_due_ics",
                icon=":material/event:",
            )
        else:
            st.info(t(lang, "associations.due_none"))
        missing = associations.without_convention(filters)
        st.subheader(t(lang, "associations.without_heading"))
        st.write(t(lang, "associations.without_count", count=number(missing.height, lang)))
        missing_table = associations.without_convention_table(missing, lang)
        table_view.show(missing_table)
        st.download_button(
            t(lang, "associations.download_without"),
            data=downloads.to_bytes(missing_table, "csv"),
            file_name="maillon_partnerships_without_convention.csv",
            mime="text/csv",
            key="assoc_without_csv",
            icon=":material/download:",
        )
else:
    page_url.write({}, [MONTHS_PARAM])

if actions_tab.open:
    with actions_tab:
        view = associations_network.actions_view(filters, lang)
        if view:
            ui.chart_with_data(
                view,
                lang,
                key="associations_actions",
                remake=lambda other: associations_network.actions_view(filters, other),
            )
            table_view.show(view.table)
        else:
            st.info(t(lang, "notices.no_data"))

if operators_tab.open:
    operators_tab.caption(t(lang, "operator_links.intro", period=shared.period(filters)))
ui.chart_in_tab(operators_tab, operator_links.money_view, filters, lang, key="operator_links_money")

if handover_tab.open:
    with handover_tab:
        handover_view.show(lang)
