"""Markets and operators: what the markets are worth, who holds them, at what price."""

import streamlit as st

from maillon import markets, overview, ui
from maillon.i18n import t

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "markets.title"))
st.caption(t(lang, "markets.intro", period=overview.period(filters)))
ui.illustrative_notice(lang)

headline = overview.Headline.load(filters)
if headline.market_value_eur is None:
    st.warning(t(lang, "notices.no_data"))
    st.stop()

figures = headline.formatted(lang)
columns = st.columns(2)
columns[0].metric(t(lang, "overview.market_value"), figures["market_value"], border=True)
columns[1].metric(t(lang, "overview.ess_share"), figures["ess_share"], border=True)

by_domain = markets.value_by_domain(filters)
ui.chart_with_data(
    markets.domain_chart(by_domain, filters, lang),
    markets.domain_table(by_domain, lang),
    lang,
    key="market_by_domain",
)

by_kind = overview.market_by_kind(filters)
ui.chart_with_data(
    markets.share_chart(by_kind, filters, lang),
    overview.chart_table(by_kind, lang),
    lang,
    key="market_share_by_kind",
)

per_detainee = markets.per_detainee(filters)
if per_detainee.height:
    ui.chart_with_data(
        markets.per_detainee_chart(per_detainee, filters, lang),
        markets.per_detainee_table(per_detainee, lang),
        lang,
        key="market_per_detainee",
    )

markup = markets.markup(filters)
if markup.height:
    ui.chart_with_data(
        markets.markup_chart(markup, filters, lang),
        markets.markup_table(markup, lang),
        lang,
        key="canteen_markup",
    )
else:
    st.info(t(lang, "markets.markup_none"))

st.subheader(t(lang, "markets.top_title"))
st.caption(t(lang, "markets.top_caption", period=overview.period(filters)))
tab_establishments, tab_operators = st.tabs(
    [t(lang, "markets.tab_establishments"), t(lang, "markets.tab_operators")]
)
with tab_establishments:
    table = markets.top_establishments(filters, lang)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t(lang, "chart.download_csv"),
        data=table.write_csv(),
        file_name="maillon_top_establishments.csv",
        mime="text/csv",
        key="download_top_establishments",
    )
with tab_operators:
    table = markets.top_operators(filters, lang)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t(lang, "chart.download_csv"),
        data=table.write_csv(),
        file_name="maillon_top_operators.csv",
        mime="text/csv",
        key="download_top_operators",
    )
