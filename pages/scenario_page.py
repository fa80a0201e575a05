"""Scenario simulator: move for-profit markets to the ESS on paper and see what goes to
reinsertion and families (calculation in maillon.figures.scenario_model, inputs in
maillon.figures.scenario_data)."""

from dataclasses import asdict, replace
from datetime import date

import streamlit as st

from maillon.exports import scenario_csv
from maillon.figures import scenario, scenario_data, scenario_model, shared
from maillon.figures.establishments import every_establishment as establishment_names
from maillon.i18n import money, number, t
from maillon.web import page_url, table_view, ui
from maillon.web.number_field import number_field

lang = ui.language()
options = ui.filter_options()
years = list(options.years)
keys = [*scenario.URL_KEYS, scenario.SAVED_PARAM]
SETTINGS_KEY, SAVED_KEY = "scenario_settings", "scenario_saved"
# The number fields start again from the settings when these change from outside them (a link,
# the reset button): their keys carry this generation.
FIELDS_KEY = "scenario_fields"

places = establishment_names(options)
known = {
    "establishments": places,
    **{f"{dimension}s": options.values[dimension] for dimension in ("disp", "region", "domain")},
}
linked = page_url.read_once("scenario", keys)
ignored: list[str] = []
if linked is not None:
    st.session_state[FIELDS_KEY] = st.session_state.get(FIELDS_KEY, 0) + 1
    default_name = t(lang, "scenario.default_name")
    st.session_state[SETTINGS_KEY], ignored = scenario.known_only(
        scenario.from_url(linked, years, default_name), known
    )
    st.session_state[SAVED_KEY] = []
    for text in linked.get(scenario.SAVED_PARAM, []):
        other, ignored_there = scenario.known_only(
            scenario.decode(text, years, default_name), known
        )
        st.session_state[SAVED_KEY].append(other)
        ignored += ignored_there
current: scenario.Settings = st.session_state[SETTINGS_KEY]
saved: list[scenario.Settings] = st.session_state.setdefault(SAVED_KEY, [])

st.title(t(lang, "scenario.title"))
st.caption(t(lang, "scenario.intro"))
if ignored:
    params = ui.plain_markdown(", ".join(ignored)[:200])
    st.warning(t(lang, "scenario.link_ignored", params=params), icon=":material/link_off:")
ui.provenance_notice(lang, shared.provenance(ui.current_filters(), shared.MARKET_TABLES))


def label(dimension: str):
    return lambda value: options.label(dimension, value, lang)


st.subheader(t(lang, "scenario.scope_heading"))
st.caption(t(lang, "scenario.scope_own"))
left, middle, right = st.columns(3)
name = left.text_input(t(lang, "scenario.name"), value=current.name, max_chars=40)
year = middle.selectbox(
    t(lang, "scenario.year"), years[::-1], index=years[::-1].index(current.year)
)
horizon = right.number_input(
    t(lang, "scenario.horizon"), min_value=1, max_value=15, value=current.horizon
)
left, middle, right = st.columns(3)
disps = left.multiselect(
    t(lang, "scenario.disps"),
    options.values["disp"],
    current.disps,  # only values the data holds (scenario.known_only)
    format_func=label("disp"),
    placeholder=t(lang, "scenario.all"),
)
regions = middle.multiselect(
    t(lang, "scenario.regions"),
    options.values["region"],
    [r for r in current.regions if r in options.values["region"]],
    format_func=label("region"),
    placeholder=t(lang, "scenario.all"),
)
domains = right.multiselect(
    t(lang, "scenario.domains"),
    options.values["domain"],
    [d for d in current.domains if d in options.values["domain"]],
    format_func=label("domain"),
    placeholder=t(lang, "scenario.all"),
)
establishments = st.multiselect(
    t(lang, "scenario.establishments"),
    list(places),
    [e for e in current.establishments if e in places],
    format_func=places.get,
    placeholder=t(lang, "scenario.all"),
)
settings = replace(
    current,
    name=name.strip() or current.name,
    year=year,
    horizon=int(horizon),
    disps=tuple(disps),
    regions=tuple(regions),
    domains=tuple(domains),
    establishments=tuple(establishments),
)

scope = scenario_data.ScenarioScope(
    **{f: getattr(settings, f) for f in ("year", *scenario.LIST_FIELDS)}
)
figures, counts = scenario_data.scope_figures(scope, dict(settings.overrides))
inputs = scenario_data.inputs_provenance(scope)
if figures.market_value_eur:
    st.info(
        t(
            lang,
            "scenario.scope_summary",
            value=money(figures.market_value_eur, lang),
            contracts=number(counts["contracts"], lang),
            establishments=number(counts["establishments"], lang),
            canteen=money(figures.canteen_sales_eur, lang),
            reinsertion=money(figures.current_reinsertion_eur, lang),
            family=money(figures.current_family_eur, lang),
        )
    )
else:
    st.warning(t(lang, "scenario.empty_scope"))

st.subheader(t(lang, "scenario.assumptions_heading"))
st.caption(t(lang, "scenario.assumptions_help"))
observed = scenario_data.observed_assumptions(settings.year)
observed_band = scenario_data.band_from(observed)
overrides = dict(settings.overrides)
columns = st.columns(2)
generation = st.session_state.get(FIELDS_KEY, 0)
for index, key in enumerate(scenario_model.ASSUMPTIONS):
    share = key in scenario.SHARE_ASSUMPTIONS
    scale = 100 if share else 1000
    # Fewer decimals read better: "7.600" looked like seven thousand to a French reader. The
    # observed value is shown rounded, and kept whole while the reader leaves it as shown.
    decimals = 1 if share else 2
    observed_shown = round(getattr(observed_band.central, key) * scale, decimals)
    ceiling = scenario.ceiling(key)
    value = number_field(
        columns[index % 2],
        t(
            lang,
            "scenario.input_share" if share else "scenario.input_per_thousand",
            label=t(lang, f"scenario.a_{key}"),
        ),
        overrides[key] * scale if key in overrides else observed_shown,
        lang,
        min_value=0.0,
        max_value=None if ceiling is None else ceiling * scale,
        decimals=decimals,
        key=f"scenario_{key}_{settings.year}_{generation}_{lang}",
    )
    if abs(value - observed_shown) > 1e-9:
        overrides[key] = value / scale
    else:
        overrides.pop(key, None)
band = scenario_data.band_from(observed, overrides)
spread = ui.lazy_expander(t(lang, "scenario.col_assumption") + " · p10 / p50 / p90", "spread")
if spread.open:
    spread.dataframe(scenario.assumptions_table(observed, band, lang), hide_index=True)

# The population the outcomes are bounded by: two assumptions, changeable, and the headcount.
st.subheader(t(lang, "scenario.population_heading"))
st.caption(t(lang, "scenario.population_help"))
columns = st.columns(2)
for index, key in enumerate(scenario_model.BOUNDS):
    default = scenario_model.BOUNDS[key]
    value = number_field(
        columns[index],
        t(lang, f"scenario.b_{key}"),
        float(overrides.get(key, default)),
        lang,
        min_value=0.0,
        decimals=2,
        help=t(lang, f"scenario.b_{key}_help"),
        key=f"scenario_{key}_{generation}_{lang}",
    )
    if abs(value - default) > 1e-9:
        overrides[key] = value
    else:
        overrides.pop(key, None)
settings = replace(settings, overrides=tuple(sorted(overrides.items())))
st.session_state[SETTINGS_KEY] = settings
figures, counts = scenario_data.scope_figures(scope, overrides)
if counts["population_months"]:
    population_sources = {
        "population": scenario_data.population_provenance(scope),
        "outcomes": scenario_data.outcomes_provenance(scope),
    }
    # A static table: its sources wrap (escaped: source titles may be imported text).
    st.table(
        shared.plain_cells(
            scenario.population_table(
                figures, counts["population"], settings, population_sources, lang
            )
        )
    )
else:
    st.warning(t(lang, "scenario.no_population", year=settings.year))
if settings.overrides and st.button(t(lang, "scenario.reset")):
    settings = replace(settings, overrides=())
    st.session_state[SETTINGS_KEY] = settings
    st.session_state[FIELDS_KEY] = generation + 1
    st.rerun()

st.subheader(t(lang, "scenario.results_heading"))
per_year = scenario_model.banded(figures, band)
columns = st.columns(3)
for index, key in enumerate(scenario_model.RESULTS):
    is_money = key.endswith("_eur")
    show = (lambda v: money(v, lang)) if is_money else (lambda v: number(v, lang))
    columns[index % 3].metric(
        t(lang, f"scenario.r_{key}"),
        show(getattr(per_year["central"], key)),
        border=True,
        help=" ".join(
            [
                t(
                    lang,
                    "scenario.metric_range",
                    low=show(getattr(per_year["low"], key)),
                    high=show(getattr(per_year["high"], key)),
                ),
                scenario.bound_note(figures, band, key, lang),
                t(lang, "scenario.savings_note") if key == "price_savings_eur" else "",
            ]
        ).strip(),
    )
ceilings = scenario.ceilings_text(figures, lang)
if ceilings:
    st.caption(ceilings)
colours = scenario_data.group_colours()
ui.chart_with_data(
    scenario.band_figure(figures, band, settings, colours, inputs, lang),
    lang,
    key="scenario_band",
    remake=lambda other: scenario.band_figure(figures, band, settings, colours, inputs, other),
)
st.subheader(t(lang, "scenario.sensitivity_heading"))
ui.chart_with_data(
    scenario.sensitivity_figure(figures, band, colours, inputs, lang),
    lang,
    remake=lambda other: scenario.sensitivity_figure(figures, band, colours, inputs, other),
    key="scenario_sensitivity",
)

st.subheader(t(lang, "scenario.years_heading"))
st.caption(t(lang, "scenario.years_caption"))
results = scenario.results_table(figures, band, settings, lang)
# Static: a few rows of formatted figures, every column in sight at 1280 px and in print.
table_view.show_static(scenario.shown_results(results, lang))
st.download_button(
    t(lang, "scenario.download_csv"),
    data=scenario_csv.csv_file(
        results, scenario.years_table(figures, band, settings, lang), inputs, lang
    ),
    file_name="maillon_scenario.csv",
    mime="text/csv",
    key="scenario_csv",
)

st.subheader(t(lang, "scenario.compare_heading"))
if st.button(t(lang, "scenario.save")):
    saved = [s for s in saved if s.name != settings.name] + [settings]
    st.session_state[SAVED_KEY] = saved
    st.success(t(lang, "scenario.saved", name=ui.plain_markdown(settings.name)))
if saved:
    rows = scenario.compared(settings, asdict(per_year["central"]), saved)
    table_view.show_static(scenario.comparison_table(rows, lang))
else:
    st.caption(t(lang, "scenario.compare_empty"))

st.subheader(t(lang, "scenario.opportunities_heading"))
st.caption(t(lang, "scenario.opportunities_caption"))
months = st.slider(t(lang, "scenario.opportunities_months"), 6, 60, 24, step=6)
contracts = scenario_data.opportunities(date.today(), months)
table_view.show(scenario.opportunities_table(contracts, lang))
picked = st.multiselect(
    t(lang, "scenario.opportunities_pick"),
    contracts["contract_id"].to_list(),
    placeholder=t(lang, "scenario.choose"),
)
if picked and st.button(t(lang, "scenario.opportunities_use")):
    establishments, domains = scenario_data.contracts_scope(picked)
    st.session_state[SETTINGS_KEY] = replace(
        settings, establishments=establishments, domains=domains, disps=(), regions=()
    )
    page_url.write(scenario.to_url(st.session_state[SETTINGS_KEY]), keys)
    st.rerun()

page_url.write(
    {
        **scenario.to_url(settings),
        scenario.SAVED_PARAM: [scenario.encode(s) for s in saved],
    },
    keys,
)
