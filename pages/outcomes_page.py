"""Outcomes: what the markets produced, the cost per person helped, and an SROI range."""

import streamlit as st

from maillon.figures import outcomes, shared
from maillon.i18n import t
from maillon.web import ui

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "outcomes.title"))
st.caption(t(lang, "outcomes.intro", period=shared.period(filters)))
ui.provenance_notice(lang, shared.provenance(filters, shared.MARKET_TABLES))

frame = outcomes.by_year_kind(filters)
if not frame.height:
    st.warning(t(lang, "notices.no_data"))
    st.stop()

produced, cost, sroi = ui.lazy_tabs(
    [
        t(lang, "outcomes.tab_indicators"),
        t(lang, "outcomes.tab_cost"),
        t(lang, "outcomes.sroi_heading"),
    ],
    key="outcomes_tab",
)
if produced.open:
    with produced:
        choices = outcomes.indicators(frame, lang)
        indicator = st.selectbox(
            t(lang, "outcomes.indicator"),
            options=list(choices),
            format_func=choices.get,
            key=f"outcome_indicator_{lang}",
        )
        view = outcomes.indicator_view(filters, indicator, lang)
        ui.chart_with_data(view, lang, key="outcome_by_kind")

ui.chart_in_tab(cost, outcomes.cost_view, filters, lang, key="cost_per_person")

if sroi.open:
    with sroi:
        st.caption(t(lang, "outcomes.sroi_intro"))
        columns = st.columns(3)
        defaults = outcomes.Assumptions()
        assumptions = outcomes.Assumptions(
            **{
                name: column.slider(
                    t(lang, f"outcomes.{name}"),
                    0,
                    90,
                    int(getattr(defaults, name) * 100),
                    step=5,
                    format="%d %%",
                    help=t(lang, f"outcomes.{name}_help"),
                    key=f"{name}_{lang}",
                )
                / 100
                for name, column in zip(
                    ("deadweight", "attribution", "drop_off"), columns, strict=True
                )
            }
        )
        view = outcomes.sroi_view(filters, assumptions, lang)
        if view:
            ui.chart_with_data(view, lang, key="sroi")
        proxies = ui.lazy_expander(t(lang, "outcomes.proxies_title"), "sroi_proxies")
        if proxies.open:
            proxies.dataframe(outcomes.proxies_table(outcomes.proxies(), lang), hide_index=True)
