"""Streamlit pieces shared by every page: language, global filters bound to the URL, notices,
charts with their source line and data table. Pages call these; they hold no SQL."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

# st.plotly_chart makes Plotly import pandas lazily; two sessions' script threads doing that
# first import at once fail ("partially initialized module 'pandas'"): import it at startup.
import pandas  # noqa: F401
import polars as pl
import streamlit as st

from maillon.charts.cache import cached
from maillon.charts.chart import Chart
from maillon.charts.readable import readable
from maillon.data import queries
from maillon.data.filters import LIST_FILTERS, FilterOptions, Filters, Notice, parse
from maillon.database import build
from maillon.database.validate import ValidationError
from maillon.exports import basket, downloads, scoped, workbook
from maillon.figures import procurement, shared
from maillon.figures.shared import Provenance
from maillon.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from maillon.plain_text import plain_markdown
from maillon.web import a11y, chart_menu, page_url, table_view

# A full collection walks the ~145,000 objects of the libraries just imported: 40-80 ms holding
# the GIL, in which no message reaches the browser (Streamlit's collection after every run, now
# off in .streamlit/config.toml, made each page's chart wait for it; Python's own full
# collections still come now and then). Those objects live as long as the process: freezing them
# leaves them out of every collection; what runs create is still collected.
gc.freeze()

# Served by the app itself: a Material icon as page icon makes every browser fetch it from
# fonts.gstatic.com (offline it fails; online it tells Google who reads which page).
FAVICON = Path(__file__).parent / "assets" / "favicon.png"
LANG_KEY = "lang"
LANG_SWITCH_KEY = "lang_switch"
NOTICES_KEY = "_url_notices"
FILTERS_KEY = "_filters"
URL_READ_KEY = "_url_read"
FILTERS_OPEN_KEY = "filters_open"


@st.cache_resource(show_spinner=False)
def _ensure_database() -> str:
    return str(build.ensure_database(progress=lambda _line: None))


def ensure_database(lang: str) -> None:
    """Build the database on the very first run (`streamlit run app.py` alone), or bring one
    written by an older Maillon to the current schema; say so plainly if that is refused."""
    try:
        _ensure_database()
    except ValidationError as error:
        first = error.problems[0].text(lang)
        st.error(
            t(
                lang,
                "app.database_refused",
                problems=len(error.problems),
                first=plain_markdown(first),
            ),
            icon=":material/database:",
        )
        st.stop()


# Cached as the charts are (one object per data version, shared): st.cache_data unpickled a
# copy on every run, 7 % of a run's time under py-spy.
@cached
def filter_options() -> FilterOptions:
    return FilterOptions.from_frame(queries.run("filter_options"))


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
    st.session_state[FILTERS_KEY] = filters
    st.session_state[NOTICES_KEY] = notices + found
    st.session_state[URL_READ_KEY] = True


def requested_language() -> str:
    """The language asked for, before the database exists (for the first-start message)."""
    lang = st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _ensure_url_read() -> None:
    """A page run without app.py reads the URL itself. It must stay: with a pages/ folder, a
    cold server runs a link to a page's file name (/markets_page) alone (docs/architecture.md)."""
    if not st.session_state.get(URL_READ_KEY):
        ensure_database(requested_language())
        read_url_once(filter_options())


def language() -> str:
    _ensure_url_read()
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def _language_chosen() -> None:
    """Keep the choice; a click on the selected option would otherwise clear it."""
    chosen = st.session_state.get(LANG_SWITCH_KEY)
    if chosen is None:
        st.session_state[LANG_SWITCH_KEY] = language()
    else:
        st.session_state[LANG_KEY] = chosen


def language_switch() -> str:
    """FR / EN toggle at the top of the sidebar."""
    st.session_state[LANG_SWITCH_KEY] = language()
    st.sidebar.segmented_control(
        t(language(), "app.language"),
        options=list(LANGUAGES),
        format_func=str.upper,
        key=LANG_SWITCH_KEY,
        on_change=_language_chosen,
    )
    return language()


def current_filters() -> Filters:
    """The filters in force (set from the URL, then by the sidebar widgets). The provenance and
    coverage of the figures in these filters start computing now, beside the page's queries."""
    filters = _filters()
    shared.prefetch(filters)
    return filters


def _filters() -> Filters:
    _ensure_url_read()
    return st.session_state[FILTERS_KEY]


def widget_key(attr: str, lang: str) -> str:
    """One widget per filter and language: Streamlit resets a widget whose label changes."""
    return f"filter_{attr}_{lang}"


def _filter_changed(attr: str, lang: str) -> None:
    """Widget callback: copy the widget's value into the filters in force."""
    value = st.session_state[widget_key(attr, lang)]
    filters = _filters()
    if attr == "years":
        if not isinstance(value, tuple | list) or len(value) != 2:
            return
        filters = filters.with_years(*value)
    else:
        filters = replace(filters, **{attr: tuple(value)})
    st.session_state[FILTERS_KEY] = filters


def _reset_filters(options: FilterOptions) -> None:
    st.session_state[FILTERS_KEY] = Filters.default(options)


def sidebar_filters(options: FilterOptions, lang: str) -> Filters:
    """The global filters every page reads; their state is written back to the URL.

    The filters in force live in session state, not in the widgets: a widget's own state is
    dropped when its label changes (language switch) or when a run does not draw it.
    """
    filters = _filters()
    # What is in force stays in sight; the widgets sit in a closed expander and are built only
    # when it is opened: a reload costs about a quarter of a second less.
    st.sidebar.caption(
        "  \n".join(
            [f"**{t(lang, 'filters.in_force')}**"]
            + [plain_markdown(part) for part in basket.filter_parts(filters, options, lang)]
        )
    )
    with st.sidebar:
        sidebar = lazy_expander(
            t(lang, "filters.title"), FILTERS_OPEN_KEY, icon=":material/filter_list:"
        )
    if sidebar.open:
        _filter_widgets(sidebar, filters, options, lang)
    write_url(filters, options, lang)
    return filters


def _filter_widgets(sidebar, filters: Filters, options: FilterOptions, lang: str) -> None:
    if len(options.years) > 1:
        st.session_state[widget_key("years", lang)] = (filters.year_from, filters.year_to)
        sidebar.select_slider(
            t(lang, "filters.years"),
            options=list(options.years),
            key=widget_key("years", lang),
            on_change=_filter_changed,
            args=("years", lang),
        )
    for attr in LIST_FILTERS:
        st.session_state[widget_key(attr, lang)] = list(getattr(filters, attr))
        sidebar.multiselect(
            t(lang, f"filters.{attr}"),
            options=list(options.values[attr]),
            format_func=lambda v, a=attr: options.label(a, v, lang),
            placeholder=t(lang, "filters.all"),
            key=widget_key(attr, lang),
            on_change=_filter_changed,
            args=(attr, lang),
        )
    sidebar.button(t(lang, "filters.reset"), on_click=_reset_filters, args=(options,))
    sidebar.caption(t(lang, "filters.share_hint"))


def write_url(filters: Filters, options: FilterOptions, lang: str) -> None:
    """Global filters and language into the URL; a page's own parameters ('_' keys) are kept."""
    current = _query_params()
    wanted: dict[str, list[str]] = {
        k: v if isinstance(v, list) else [v] for k, v in filters.to_query_params(options).items()
    }
    if lang != DEFAULT_LANGUAGE:
        wanted[LANG_KEY] = [lang]
    wanted |= {k: v for k, v in current.items() if k.startswith("_")}
    if current != wanted:
        st.query_params.from_dict(wanted)


def metric_row(key: str):
    """A row of metric boxes of one width that wraps on a narrow screen (st.columns keeps every
    box in the row, however narrow). Its speed equals st.columns' (docs/performance.md)."""
    return st.container(horizontal=True, gap="medium", key=f"metric_row_{key}")


def source_caption(text: str) -> None:
    """A source line as a caption: shown as plain text, each of its lines on a line of its own
    (a source names the tables, then its sources, its coverage, its notes)."""
    st.caption(plain_markdown(text).replace("\n", "  \n"))


def url_notices(lang: str) -> None:
    """A short notice for URL parameters that were ignored (shown once)."""
    notices: list[Notice] = st.session_state.pop(NOTICES_KEY, [])
    if notices:
        params = plain_markdown(", ".join(f"{n.param}={n.value}" for n in notices))
        st.warning(t(lang, "notices.bad_params", params=params), icon=":material/link_off:")


def provenance_notice(lang: str, found: Provenance) -> None:
    """What is not real in the page's figures, from their rows (figures.shared.Provenance), and
    the real published contracts beside them; nothing when every row is real."""
    text = found.notice(lang)
    if text:
        published = procurement.real_notice(_filters(), lang)
        st.info(f"{text} {published}".strip(), icon=":material/science:")


def lazy_expander(label: str, key: str, icon: str | None = None):
    """An expander whose content is built and sent only once opened (check `.open` before
    filling it): the browser mounts a closed expander's tables and widgets all the same."""
    return st.expander(label, key=key, icon=icon, on_change="rerun")


def lazy_tabs(labels: list[str], key: str) -> list:
    """Tabs of which only the open one is built and sent: one question per tab keeps a page
    light (check `tab.open` before filling a tab). The open tab is in the URL (page_url)."""
    page_url.restore_tab(labels, key)
    tabs = st.tabs(labels, key=key, on_change="rerun")
    page_url.keep_tab(tabs, key)
    return tabs


def chart_in_tab(
    tab,
    build: Callable[[Filters, str], Chart | None],
    filters: Filters,
    lang: str,
    key: str,
    empty: str = "notices.no_data",
) -> None:
    """When `tab` is open: the chart `build(filters, lang)` with its data, or the notice `empty`."""
    if not tab.open:
        return
    with tab:
        chart = build(filters, lang)
        if chart:
            chart_with_data(chart, lang, key=key, remake=lambda other: build(filters, other))
        else:
            st.info(t(lang, empty))


def chart_with_data(
    chart: Chart,
    lang: str,
    key: str,
    *,
    remake: chart_menu.Remake | None,
    filtered: bool = True,
) -> None:
    """The chart, its data behind an expander (CSV), and its exports (maillon.web.chart_menu):
    images and HTML drawn only when asked for, and a button putting it in the meeting deck,
    whose slide `remake(lang)` draws again in another language (without it, the slide stays in
    the language it was added in). The chart is recorded for the page's Excel workbook. A chart
    the global filters do not apply to (`filtered` False: a published figure) says so on its
    slide.

    Streamlit's chart theme is off: the figure carries Maillon's own template (charts.draw), so
    it looks the same on the page as in its image, the deck and the report. A screen reader
    reads the chart's text alternative first (maillon.web.a11y). No Plotly toolbar: it covered
    the title's end on hover, spoke English on French pages and put eight stops in the keyboard's
    path before the page's own exports (zoom by dragging still works, a double click resets)."""
    with st.container(key=f"chart_box_{key}", gap=None):
        a11y.show_alternative(chart, lang, key)
        st.plotly_chart(
            chart.figure,
            width="stretch",
            key=f"chart_{key}",
            config={"displayModeBar": False},
            theme=None,
        )
    st.session_state.setdefault(CHARTS_DRAWN_KEY, {})[key] = chart
    scope = (_filters(), filter_options()) if filtered else None
    data = lazy_expander(t(lang, "chart.show_data"), f"data_{key}")
    if data.open:
        with data:
            table_view.show(readable(chart.table, lang))
            caption = chart.caption
            rows = downloads.with_provenance(
                chart.table,
                caption.mark,
                caption.source,
                lang,
                filters=scoped.filters_text(scope, lang),
            )
            csv_button(rows, lang, key)
    chart_menu.show(chart, lang, key, scope, remake)


def csv_button(table: pl.DataFrame, lang: str, name: str) -> None:
    """The rows behind a chart or a ranking as CSV, raw values (maillon_<name>.csv)."""
    st.download_button(
        t(lang, "chart.download_csv"),
        data=downloads.to_bytes(table, "csv"),
        file_name=f"maillon_{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
    )


# Charts drawn by the current run, for the page's workbook: {key: Chart}. Emptied before each
# page run (start_page).
CHARTS_DRAWN_KEY = "_charts_drawn"


def start_page() -> None:
    """Before the page runs: forget the charts of the previous run."""
    st.session_state[CHARTS_DRAWN_KEY] = {}


def page_exports(lang: str) -> None:
    """After the page ran: the page's charts as one Excel file, in the sidebar."""
    drawn = st.session_state.get(CHARTS_DRAWN_KEY, {})
    if not drawn:
        return
    filters_text = basket.describe_filters(_filters(), filter_options(), lang)
    charts = [
        workbook.ChartData(
            key, chart.caption.title, chart.caption.source, chart.caption.mark, chart.table
        )
        for key, chart in drawn.items()
    ]
    st.sidebar.download_button(
        t(lang, "export.page_xlsx"),
        data=lambda: workbook.build(charts, lang, filters_text),
        file_name=f"maillon_{'_'.join(list(drawn)[:3])}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="page_workbook",
        icon=":material/table_view:",
        on_click="ignore",
    )
