"""Establishments: where they are, how full they are, and one establishment's own view."""

import streamlit as st

from maillon.charts.readable import readable
from maillon.figures import establishment_view, establishments, shared
from maillon.i18n import t
from maillon.web import page_url, table_view, ui

CHOSEN_KEY = "establishment_chosen"

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "establishments.title"))
st.caption(t(lang, "establishments.intro", year=filters.year_to))

places = establishments.establishments(filters)
if not places.height:
    st.warning(t(lang, "notices.no_data"))
    st.stop()

points, departements, overseas = ui.lazy_tabs(
    [
        t(lang, "establishments.tab_map"),
        t(lang, "establishments.tab_departements"),
        t(lang, "establishments.overseas"),
    ],
    key="establishments_tab",
)
ui.chart_in_tab(
    points,
    establishments.map_view,
    filters,
    lang,
    key="establishments_map",
    empty="establishments.map_none",
)
ui.chart_in_tab(
    departements, establishments.choropleth_view, filters, lang, key="establishments_choropleth"
)
if overseas.open:
    with overseas:
        overseas_table = establishments.table(places, lang, overseas=True)
        if overseas_table.height:
            table_view.show(readable(overseas_table, lang))
        else:
            st.info(t(lang, "notices.no_data"))

st.subheader(t(lang, "establishments.one_title"))
names = establishments.names(places)
# The establishment chosen: the link's on the page's first run, then the session's, kept across
# the language switch (the picker's key names the language) and written back to the URL.
linked = page_url.read_once("establishments", [establishments.CHOSEN_PARAM])
if linked is not None:
    named = linked.get(establishments.CHOSEN_PARAM, [None])[0]
    if named and named not in names:
        shown = ui.plain_markdown(named[:80])
        st.warning(t(lang, "establishments.link_unknown", id=shown), icon=":material/link_off:")
    st.session_state[CHOSEN_KEY] = named if named in names else None
kept = st.session_state.get(CHOSEN_KEY)
picker = f"establishment_{lang}"
page_url.restore_widgets(
    {picker: kept if kept in names else None},
    # A choice the filters have since left out is dropped, not replaced by the first name.
    linked=linked is not None or st.session_state.get(picker) not in names,
)
chosen = st.selectbox(
    t(lang, "establishments.choose"),
    options=list(names),
    format_func=names.get,
    placeholder=t(lang, "establishments.choose_placeholder"),
    key=picker,
)
st.session_state[CHOSEN_KEY] = chosen
page_url.write(
    {establishments.CHOSEN_PARAM: chosen} if chosen else {}, [establishments.CHOSEN_PARAM]
)
if chosen:
    series = establishment_view.series(chosen)
    ui.chart_with_data(
        establishment_view.series_chart(series, names[chosen], lang),
        lang,
        key="establishment_series",
        remake=lambda other: establishment_view.series_chart(series, names[chosen], other),
    )
    market_rows = establishment_view.markets(chosen, filters)
    if market_rows.height:
        invented = establishment_view.invented_notice(market_rows, lang)
        if invented:
            st.info(invented, icon=":material/science:")
        st.markdown(establishment_view.markets_summary(market_rows, filters, lang))
        table_view.show(readable(establishment_view.markets_table(market_rows, lang), lang))
    else:
        st.info(t(lang, "establishments.no_markets", period=shared.period(filters)))
    outcome_rows = establishment_view.outcomes(chosen, filters)
    if outcome_rows.height:
        st.markdown(f"**{t(lang, 'establishments.outcomes_title')}**")
        table_view.show(readable(establishment_view.outcomes_table(outcome_rows, lang), lang))
