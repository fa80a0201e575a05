"""Outcomes: what the markets produced, the cost per person helped, and an SROI range."""

import streamlit as st

from maillon import outcomes, overview, ui
from maillon.i18n import t

lang = ui.language()
filters = ui.current_filters()

st.title(t(lang, "outcomes.title"))
st.caption(t(lang, "outcomes.intro", period=overview.period(filters)))
ui.illustrative_notice(lang)

frame = outcomes.by_year_kind(filters)
if not frame.height:
    st.warning(t(lang, "notices.no_data"))
    st.stop()

choices = outcomes.indicators(frame, lang)
indicator = st.selectbox(
    t(lang, "outcomes.indicator"),
    options=list(choices),
    format_func=choices.get,
    key=f"outcome_indicator_{lang}",
)
selected = outcomes.for_indicator(frame, indicator)
ui.chart_with_data(
    outcomes.indicator_chart(selected, filters, lang),
    outcomes.indicator_table(selected, lang),
    lang,
    key="outcome_by_kind",
)

inputs = outcomes.sroi_inputs(filters)
if outcomes.has_cost(inputs):
    ui.chart_with_data(
        outcomes.cost_chart(inputs, filters, lang),
        outcomes.cost_table(inputs, lang),
        lang,
        key="cost_per_person",
    )

st.subheader(t(lang, "outcomes.sroi_heading"))
st.caption(t(lang, "outcomes.sroi_intro"))
columns = st.columns(3)
defaults = outcomes.Assumptions()
assumptions = outcomes.Assumptions(
    deadweight=columns[0].slider(
        t(lang, "outcomes.deadweight"),
        0,
        90,
        int(defaults.deadweight * 100),
        step=5,
        format="%d %%",
        help=t(lang, "outcomes.deadweight_help"),
        key=f"deadweight_{lang}",
    )
    / 100,
    attribution=columns[1].slider(
        t(lang, "outcomes.attribution"),
        0,
        90,
        int(defaults.attribution * 100),
        step=5,
        format="%d %%",
        help=t(lang, "outcomes.attribution_help"),
        key=f"attribution_{lang}",
    )
    / 100,
    drop_off=columns[2].slider(
        t(lang, "outcomes.drop_off"),
        0,
        90,
        int(defaults.drop_off * 100),
        step=5,
        format="%d %%",
        help=t(lang, "outcomes.drop_off_help"),
        key=f"drop_off_{lang}",
    )
    / 100,
)
ratios = outcomes.sroi(inputs, assumptions)
if ratios.height:
    ui.chart_with_data(
        outcomes.sroi_chart(ratios, assumptions, filters, lang),
        outcomes.sroi_table(ratios, lang),
        lang,
        key="sroi",
    )
with st.expander(t(lang, "outcomes.proxies_title")):
    st.dataframe(outcomes.proxies_table(outcomes.proxies(), lang), hide_index=True)
