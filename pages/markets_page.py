"""Markets and operators: what the markets are worth, who holds them, at what price."""

import streamlit as st

from maillon.figures import (
    like_for_like,
    markets,
    money_by_payer,
    overview,
    procurement,
    shared,
)
from maillon.i18n import t
from maillon.web import table_view, ui

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "markets.title"))
st.caption(t(lang, "markets.intro", period=shared.period(filters)))
ui.provenance_notice(lang, shared.provenance(filters, shared.MARKET_TABLES))

headline = overview.Headline.load(filters)
if not money_by_payer.any_money(filters):
    st.warning(t(lang, "notices.no_data"))
    st.stop()

figures = headline.formatted(lang)
metrics = ui.metric_row("markets")
metrics.metric(t(lang, "overview.market_value"), figures["market_value"], border=True)
metrics.metric(t(lang, "overview.ess_share"), figures["ess_share"], border=True)

value, share, per_detainee, canteen, payers, rankings, published = ui.lazy_tabs(
    [
        t(lang, "markets.tab_value"),
        t(lang, "markets.tab_share"),
        t(lang, "markets.tab_per_detainee"),
        t(lang, "markets.tab_markup"),
        t(lang, "money_by_payer.tab"),
        t(lang, "markets.tab_rankings"),
        t(lang, "procurement.tab"),
    ],
    key="markets_tab",
)
ui.chart_in_tab(value, markets.domain_view, filters, lang, key="market_by_domain")
ui.chart_in_tab(share, markets.share_view, filters, lang, key="market_share_by_kind")
ui.chart_in_tab(per_detainee, markets.per_detainee_view, filters, lang, key="market_per_detainee")
ui.chart_in_tab(
    per_detainee,
    like_for_like.per_detainee_day_view,
    filters,
    lang,
    key="market_per_detainee_by_domain",
)
ui.chart_in_tab(
    canteen, markets.markup_view, filters, lang, key="canteen_markup", empty="markets.markup_none"
)
ui.chart_in_tab(payers, money_by_payer.view, filters, lang, key="money_by_payer")
if rankings.open:
    with rankings:
        st.caption(t(lang, "markets.top_caption", period=shared.period(filters)))
        tab_establishments, tab_operators = ui.lazy_tabs(
            [t(lang, "markets.tab_establishments"), t(lang, "markets.tab_operators")],
            key="markets_top_tab",
        )
        for tab, name, build in (
            (tab_establishments, "establishments", markets.top_establishments),
            (tab_operators, "operators", markets.top_operators),
        ):
            if tab.open:
                with tab:
                    invented = name == "establishments" and markets.invented_on_real_places(
                        filters, lang
                    )
                    if invented:
                        st.info(invented, icon=":material/science:")
                    table = build(filters, lang)
                    table_view.show_sortable(table)
                    ui.csv_button(table, lang, f"top_{name}")
if published.open:
    with published:
        st.caption(t(lang, "procurement.intro"))
        summary = procurement.Summary.load(filters)
        if not summary.contracts:
            st.info(t(lang, "procurement.none"), icon=":material/info:")
        else:
            shown = procurement.figures(summary, lang)
            metrics = ui.metric_row("procurement")
            for name in ("amount", "contracts", "ess_share", "classified"):
                metrics.metric(t(lang, f"procurement.{name}"), shown[name], border=True)
            chart = procurement.year_kind_view(filters, lang)
            ui.chart_with_data(
                chart,
                lang,
                key="procurement_by_year_kind",
                remake=lambda other: procurement.year_kind_view(filters, other),
            )
            for name, build in (("buyers", procurement.buyers), ("domains", procurement.domains)):
                section = ui.lazy_expander(t(lang, f"procurement.{name}"), f"procurement_{name}")
                if section.open:
                    with section:
                        table_view.show(build(filters, lang))
            rows = ui.lazy_expander(t(lang, "procurement.rows"), "procurement_rows")
            if rows.open:
                with rows:
                    table_view.show(procurement.contracts(filters, lang))
                    rows = procurement.contracts_download(filters, lang)
                    ui.csv_button(rows, lang, "procurement_contracts")
