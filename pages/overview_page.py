"""Overview: four headline figures and who holds the market, for the global filters."""

import streamlit as st

from maillon.figures import money_by_payer, overview, procurement, shared
from maillon.i18n import t
from maillon.web import ui

lang = ui.language()
filters = ui.current_filters()
overview.prefetch(filters)

st.title(t(lang, "overview.title"))
st.caption(t(lang, "overview.intro", period=shared.period(filters)))
ui.provenance_notice(lang, shared.provenance(filters, shared.MARKET_TABLES))

headline = overview.Headline.load(filters)
if not money_by_payer.any_money(filters):
    st.warning(t(lang, "notices.no_data"))
    st.stop()

figures = headline.formatted(lang)
metrics = ui.metric_row("overview")
metrics.metric(
    t(lang, "overview.market_value"),
    figures["market_value"],
    help=t(lang, "overview.market_value_help"),
    border=True,
    height="stretch",
)
metrics.metric(
    t(lang, "overview.ess_share"),
    figures["ess_share"],
    help=t(lang, "overview.ess_share_help"),
    border=True,
    height="stretch",
)
metrics.metric(
    t(lang, "overview.returned"),
    figures["returned"],
    help=t(lang, "overview.returned_help"),
    border=True,
    height="stretch",
)
metrics.metric(
    t(lang, "overview.employed", year=headline.employed_year),
    figures["employed"],
    help=t(lang, "overview.employed_help"),
    border=True,
    height="stretch",
)
ui.source_caption(overview.source_line(filters, lang))
beside = money_by_payer.Beside.load(filters, lang).formatted(lang)
if beside:
    with st.container(border=True):
        st.markdown(f"**{t(lang, 'overview.beside_title')}**")
        # two per row: the payers' names are long
        for start in range(0, len(beside), 2):
            pair = ui.metric_row(f"beside_{start}")
            for label, amount, meaning in beside[start : start + 2]:
                pair.metric(label, amount, help=meaning)
        ui.source_caption(money_by_payer.source_line(filters, lang))
per_hundred = overview.PerHundred.load(filters)
with st.container(border=True):
    st.markdown(f"**{t(lang, 'overview.per_100_title')}**")
    for group in ("ess", "for_profit"):
        sentence = per_hundred.sentence(group, lang)
        if sentence:
            st.markdown(f"### {sentence}")
    # the two groups hold different domains: the same figure domain by domain is one click away
    st.page_link(
        "pages/money_flow_page.py",
        label=t(lang, "overview.per_100_by_domain"),
        icon=":material/compare_arrows:",
    )
    ui.source_caption(overview.per_hundred_source(filters, lang))

market = overview.market_view(filters, lang)
if market:
    ui.chart_with_data(
        market,
        lang,
        key="market_by_kind",
        remake=lambda other: overview.market_view(filters, other),
    )
else:
    st.info(t(lang, "overview.no_market"))

published = procurement.Summary.load(filters)
if published.contracts:
    with st.container(border=True):
        st.markdown(f"**{t(lang, 'procurement.overview_title')}**")
        shown = procurement.figures(published, lang)
        metrics = ui.metric_row("procurement")
        for name in ("amount", "contracts", "ess_share"):
            metrics.metric(t(lang, f"procurement.{name}"), shown[name])
        caption = procurement.sourced(filters, published, lang)
        ui.source_caption(caption["source"])
        if caption["mark"]:
            st.caption(ui.plain_markdown(caption["mark"]))
