"""Outcomes: what the markets produced, the cost per person helped, and an SROI range whose
parameters and financial proxies the reader may change (kept in the URL)."""

import streamlit as st

from maillon.figures import like_for_like, outcomes, outcomes_sroi, shared
from maillon.i18n import t
from maillon.web import page_url, ui
from maillon.web.number_field import number_field

lang = ui.language()
filters = ui.current_filters()

# The SROI's parameters: the link's on the page's first run, then the session's.
SROI_KEY, GENERATION_KEY = "sroi_parameters", "sroi_generation"
proxy_frame = outcomes_sroi.proxies()
proxy_ids = proxy_frame["indicator_id"].to_list()
url_keys = outcomes_sroi.url_keys(proxy_ids)
linked = page_url.read_once("outcomes", url_keys)
if linked is not None:
    st.session_state[SROI_KEY] = outcomes_sroi.from_url(linked, proxy_ids)
parameters: outcomes_sroi.Parameters = st.session_state.setdefault(
    SROI_KEY, outcomes_sroi.Parameters()
)

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
        choices = outcomes.indicators(filters, lang)
        indicator = st.selectbox(
            t(lang, "outcomes.indicator"),
            options=list(choices),
            format_func=choices.get,
            key=f"outcome_indicator_{lang}",
        )
        view = outcomes.indicator_view(filters, indicator, lang)
        ui.chart_with_data(
            view,
            lang,
            key="outcome_by_kind",
            remake=lambda other: outcomes.indicator_view(filters, indicator, other),
        )

ui.chart_in_tab(cost, outcomes.cost_view, filters, lang, key="cost_per_person")
ui.chart_in_tab(
    cost, like_for_like.cost_per_person_view, filters, lang, key="cost_per_person_by_domain"
)

if sroi.open:
    with sroi:
        st.caption(t(lang, "outcomes.sroi_intro"))
        # A reset starts new widgets (their keys carry the generation) at the default values.
        generation = st.session_state.get(GENERATION_KEY, 0)
        columns = st.columns(3)
        shares = {
            name: columns[index % 3].slider(
                t(lang, f"outcomes.{name}"),
                0,
                int(outcomes_sroi.MAX_SHARE * 100),
                round(getattr(parameters, name) * 100),
                step=5,
                format="%d %%",
                help=t(lang, f"outcomes.{name}_help"),
                key=f"{name}_{lang}_{generation}",
            )
            / 100
            for index, name in enumerate(outcomes_sroi.SHARES)
        }
        years = columns[len(outcomes_sroi.SHARES) % 3].number_input(
            t(lang, "outcomes.years"),
            min_value=1,
            max_value=outcomes_sroi.MAX_YEARS,
            value=parameters.years,
            step=1,
            help=t(lang, "outcomes.years_help"),
            key=f"sroi_years_{lang}_{generation}",
        )
        changed = dict(parameters.proxies)
        editor = ui.lazy_expander(t(lang, "outcomes.proxies_edit"), "sroi_proxy_inputs")
        if editor.open:
            editor.caption(t(lang, "outcomes.proxies_edit_help"))
            cells = editor.columns(3)
            for index, row in enumerate(proxy_frame.iter_rows(named=True)):
                indicator, documented = row["indicator_id"], row["central_eur"]
                value = number_field(
                    cells[index % 3],
                    row[f"label_{lang}"],
                    float(changed.get(indicator, documented)),
                    lang,
                    min_value=0.0,
                    decimals=0,
                    key=f"sroi_proxy_{indicator}_{lang}_{generation}",
                )
                if abs(value - documented) > 1e-9:
                    changed[indicator] = value
                else:
                    changed.pop(indicator, None)
        parameters = outcomes_sroi.Parameters(
            **shares, years=int(years), proxies=tuple(sorted(changed.items()))
        )
        st.session_state[SROI_KEY] = parameters
        if parameters != outcomes_sroi.DEFAULTS and st.button(t(lang, "outcomes.reset")):
            st.session_state[SROI_KEY] = parameters = outcomes_sroi.DEFAULTS
            st.session_state[GENERATION_KEY] = generation + 1
            page_url.write(outcomes_sroi.to_url(parameters), url_keys)
            st.rerun()
        view = outcomes_sroi.sroi_view(filters, parameters, lang)
        if view:
            ui.chart_with_data(
                view,
                lang,
                key="sroi",
                remake=lambda other: outcomes_sroi.sroi_view(filters, parameters, other),
            )
        by_domain = like_for_like.sroi_view(filters, parameters, lang)
        if by_domain:
            ui.chart_with_data(
                by_domain,
                lang,
                key="sroi_by_domain",
                remake=lambda other: like_for_like.sroi_view(filters, parameters, other),
            )
        st.subheader(t(lang, "outcomes.proxies_title"))
        used = outcomes_sroi.proxies_used(proxy_frame, parameters)
        # A static table: its long texts wrap (escaped: sources and bases may be imported text).
        st.table(shared.plain_cells(outcomes_sroi.inputs_table(used, parameters, lang)))

page_url.write(outcomes_sroi.to_url(parameters), url_keys)
