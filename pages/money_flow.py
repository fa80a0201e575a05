"""Where the result goes: from market revenue to destinations, over time, and by operator kind."""

import streamlit as st

from maillon import money_flow, overview, ui
from maillon.i18n import t

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "money_flow.title"))
st.caption(t(lang, "money_flow.intro", period=overview.period(filters)))
ui.illustrative_notice(lang)

links = money_flow.links(filters)
if not links.height:
    st.warning(t(lang, "notices.no_data"))
    st.stop()

headline = overview.Headline.load(filters)
per_hundred = overview.PerHundred.load(filters)
columns = st.columns(3)
columns[0].metric(
    t(lang, "overview.market_value"), headline.formatted(lang)["market_value"], border=True
)
columns[1].metric(t(lang, "overview.returned"), headline.formatted(lang)["returned"], border=True)
with columns[2].container(border=True):
    st.markdown(f"**{t(lang, 'overview.per_100_title')}**")
    for group in ("ess", "for_profit"):
        sentence = per_hundred.sentence(group, lang)
        if sentence:
            st.markdown(sentence)

ui.chart_with_data(
    money_flow.sankey_chart(links, filters, lang),
    money_flow.sankey_table(links, lang),
    lang,
    key="money_sankey",
)

destinations = money_flow.destinations_by_year(filters)
if destinations.height:
    ui.chart_with_data(
        money_flow.destinations_chart(destinations, filters, lang),
        money_flow.destinations_table(destinations, lang),
        lang,
        key="destinations_by_year",
    )

returned = money_flow.returned_by_kind(filters)
if returned.height:
    ui.chart_with_data(
        money_flow.returned_chart(returned, filters, lang),
        money_flow.returned_table(returned, lang),
        lang,
        key="returned_by_kind",
    )
