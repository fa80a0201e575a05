"""Where the result goes: from market revenue to destinations, over time, and by operator kind."""

import streamlit as st

from maillon.figures import associations, like_for_like, money_flow, overview, shared
from maillon.i18n import money, t
from maillon.web import page_url, ui

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "money_flow.title"))
st.caption(t(lang, "money_flow.intro", period=shared.period(filters)))
ui.provenance_notice(lang, shared.provenance(filters, shared.MARKET_TABLES))

sankey = money_flow.sankey_view(filters, lang)
if sankey is None:
    st.warning(t(lang, "notices.no_data"))
    st.stop()

headline = overview.Headline.load(filters)
per_hundred = overview.PerHundred.load(filters)
columns = st.columns(3)
columns[0].metric(
    t(lang, "money_flow.revenue"),
    money(money_flow.totals(filters).revenue_eur, lang),
    help=t(lang, "money_flow.revenue_help"),
    border=True,
)
columns[1].metric(t(lang, "overview.returned"), headline.formatted(lang)["returned"], border=True)
columns[1].page_link(
    "pages/associations_page.py",
    label=t(lang, "operator_links.money_flow_link"),
    icon=":material/hub:",
    query_params=page_url.tab_link(associations.TABS_KEY, associations.TABS, "operator_links.tab"),
)
with columns[2].container(border=True):
    st.markdown(f"**{t(lang, 'overview.per_100_title')}**")
    for group in ("ess", "for_profit"):
        sentence = per_hundred.sentence(group, lang)
        if sentence:
            st.markdown(sentence)

flow, detail, by_year, by_kind = ui.lazy_tabs(
    [
        t(lang, "money_flow.tab_flow"),
        t(lang, "money_flow.tab_detail"),
        t(lang, "money_flow.tab_by_year"),
        t(lang, "money_flow.tab_by_kind"),
    ],
    key="money_flow_tab",
)
ui.chart_in_tab(flow, money_flow.sankey_view, filters, lang, key="money_sankey")
ui.chart_in_tab(detail, money_flow.result_view, filters, lang, key="result_sankey")
ui.chart_in_tab(by_year, money_flow.destinations_view, filters, lang, key="destinations_by_year")
ui.chart_in_tab(by_kind, money_flow.returned_view, filters, lang, key="returned_by_kind")
ui.chart_in_tab(by_kind, like_for_like.per_hundred_view, filters, lang, key="per_hundred_by_domain")
