"""Streamlit pieces shared by every page: language, global filters bound to the URL, notices,
charts with their source line and data table. Pages call these; they hold no SQL."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from maillon import build, queries
from maillon.filters import LIST_FILTERS, FilterOptions, Filters, Notice, parse
from maillon.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

LANG_KEY = "lang"
NOTICES_KEY = "_url_notices"
URL_READ_KEY = "_url_read"
WIDGET_KEYS = {"years": "f_years", **{attr: f"f_{attr}" for attr in LIST_FILTERS}}


@st.cache_resource(show_spinner=False)
def ensure_database() -> str:
    """Build the database on the very first run if it is missing (`streamlit run app.py` alone)."""
    return str(build.ensure_database(progress=lambda _line: None))


@st.cache_data(show_spinner=False, max_entries=4)
def _filter_options(version: str) -> FilterOptions:
    return FilterOptions.from_frame(queries.run("filter_options"))


def filter_options() -> FilterOptions:
    return _filter_options(queries.current_version())


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def read_url_once(options: FilterOptions) -> None:
    """On a session's first run, set language and filter widgets from the URL."""
    if st.session_state.get(URL_READ_KEY):
        return
    query = _query_params()
    lang = (query.get(LANG_KEY) or [DEFAULT_LANGUAGE])[-1]
    notices: list[Notice] = []
    if lang not in LANGUAGES:
        notices.append(Notice(LANG_KEY, lang))
        lang = DEFAULT_LANGUAGE
    st.session_state[LANG_KEY] = lang
    filters, found = parse(query, options)
    st.session_state[WIDGET_KEYS["years"]] = (filters.year_from, filters.year_to)
    for attr in LIST_FILTERS:
        st.session_state[WIDGET_KEYS[attr]] = list(getattr(filters, attr))
    st.session_state[NOTICES_KEY] = notices + found
    st.session_state[URL_READ_KEY] = True


def language() -> str:
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def language_switch() -> str:
    """FR / EN toggle at the top of the sidebar."""
    st.sidebar.segmented_control(
        t(language(), "app.language"),
        options=list(LANGUAGES),
        format_func=str.upper,
        key=LANG_KEY,
        selection_mode="single",
    )
    if st.session_state.get(LANG_KEY) is None:  # a click on the selected option clears it
        st.session_state[LANG_KEY] = DEFAULT_LANGUAGE
    return language()


def _reset_filters(options: FilterOptions) -> None:
    st.session_state[WIDGET_KEYS["years"]] = (options.years[0], options.years[-1])
    for attr in LIST_FILTERS:
        st.session_state[WIDGET_KEYS[attr]] = []


def sidebar_filters(options: FilterOptions, lang: str) -> Filters:
    """The global filters every page reads; their state is written back to the URL."""
    sidebar = st.sidebar
    sidebar.subheader(t(lang, "filters.title"))
    if len(options.years) > 1:
        years = sidebar.select_slider(
            t(lang, "filters.years"), options=list(options.years), key=WIDGET_KEYS["years"]
        )
    else:
        years = (options.years[0], options.years[0])
    chosen = {}
    for attr in LIST_FILTERS:
        chosen[attr] = tuple(
            sidebar.multiselect(
                t(lang, f"filters.{attr}"),
                options=list(options.values[attr]),
                format_func=lambda v, a=attr: options.label(a, v, lang),
                placeholder=t(lang, "filters.all"),
                key=WIDGET_KEYS[attr],
            )
        )
    sidebar.button(t(lang, "filters.reset"), on_click=_reset_filters, args=(options,))
    sidebar.caption(t(lang, "filters.share_hint"))
    filters = Filters(years[0], years[1], **chosen)
    write_url(filters, options, lang)
    return filters


def write_url(filters: Filters, options: FilterOptions, lang: str) -> None:
    wanted: dict[str, str | list[str]] = filters.to_query_params(options)
    if lang != DEFAULT_LANGUAGE:
        wanted[LANG_KEY] = lang
    if _query_params() != {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


def url_notices(lang: str) -> None:
    """A short notice for URL parameters that were ignored (shown once)."""
    notices: list[Notice] = st.session_state.pop(NOTICES_KEY, [])
    if notices:
        params = ", ".join(f"{n.param}={n.value}" for n in notices)
        st.warning(t(lang, "notices.bad_params", params=params), icon=":material/link_off:")


def illustrative_notice(lang: str) -> None:
    st.info(t(lang, "notices.illustrative"), icon=":material/science:")


def chart_with_data(fig: go.Figure, table: pl.DataFrame, lang: str, key: str) -> None:
    """The chart, then its data behind an expander, downloadable as CSV."""
    st.plotly_chart(fig, width="stretch", key=f"chart_{key}", config={"displaylogo": False})
    with st.expander(t(lang, "chart.show_data")):
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            t(lang, "chart.download_csv"),
            data=table.write_csv(),
            file_name=f"maillon_{key}.csv",
            mime="text/csv",
            key=f"download_{key}",
        )
