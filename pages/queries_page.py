"""Canned queries: the named queries of sql/ meant for people, with their parameters as a form,
their result downloadable and their SQL shown. The query and its values are in the URL."""

import streamlit as st

from maillon.data import sandbox
from maillon.exports import downloads
from maillon.figures import ready_queries, shared
from maillon.i18n import number, t, tn
from maillon.web import page_url, table_view, ui

NAME_KEY = "_canned_name"
VALUES_KEY = "_canned_values"

lang = ui.language()
filters = ui.current_filters()
options = ui.filter_options()
available = ready_queries.all_queries()
sandbox.warm()

url = page_url.read_once("queries", ready_queries.URL_PARAMS)
notices = []  # what the link held that could not be used, said under the title
if url is not None or NAME_KEY not in st.session_state:
    url = url or {}
    chosen = ready_queries.by_name((url.get(ready_queries.QUERY_PARAM) or [available[0].name])[-1])
    if chosen is None:
        name = ui.plain_markdown(url[ready_queries.QUERY_PARAM][-1])
        notices.append(t(lang, "canned.unknown", name=name))
        chosen = available[0]
    values, bad = ready_queries.values_from_url(chosen, url, filters, options)
    if bad:
        notices.append(t(lang, "canned.bad_values", names=ui.plain_markdown(", ".join(bad))))
    st.session_state[NAME_KEY] = chosen.name
    st.session_state[VALUES_KEY] = values


def _query_chosen(key: str) -> None:
    query = ready_queries.by_name(st.session_state[key])
    st.session_state[NAME_KEY] = query.name
    st.session_state[VALUES_KEY] = ready_queries.values_from_url(query, {}, filters, options)[0]


query = ready_queries.by_name(st.session_state[NAME_KEY])
values = st.session_state[VALUES_KEY]

st.title(t(lang, "canned.title"))
for notice in notices:
    st.warning(notice)
st.caption(t(lang, "canned.intro"))
ui.provenance_notice(lang, shared.provenance(filters, shared.ALL_TABLES))

select_key = f"canned_query_{lang}"
st.session_state[select_key] = query.name
st.selectbox(
    t(lang, "canned.query"),
    options=[q.name for q in available],
    format_func=lambda name: ready_queries.by_name(name).title(lang),
    key=select_key,
    on_change=_query_chosen,
    args=(select_key,),
)
st.markdown(query.description(lang))

with st.form(f"canned_form_{query.name}_{lang}"):
    fields = st.columns(3)
    entered = {}
    for i, param in enumerate(query.params):
        cell = fields[i % 3]
        label = param.label(lang)
        current = values.get(param.name)
        if param.type == "integer":
            entered[param.name] = cell.number_input(label, value=current, min_value=0, step=1)
        elif param.type == "number":
            entered[param.name] = cell.number_input(label, value=current)
        elif param.type == "date":
            entered[param.name] = cell.date_input(label, value=current, format="YYYY-MM-DD")
        elif param.type == "text[]" and param.name in ready_queries.FILTER_PARAMS:
            dimension = ready_queries.FILTER_PARAMS[param.name]
            entered[param.name] = cell.multiselect(
                label,
                options=list(options.values[dimension]),
                default=[v for v in current if v in options.values[dimension]],
                format_func=lambda v, d=dimension: options.label(d, v, lang),
                placeholder=t(lang, "filters.all"),
            )
        elif param.type == "text[]":
            text = cell.text_input(label, value=",".join(current), help=t(lang, "canned.list_help"))
            entered[param.name] = ready_queries.parse_value(param, text)
        else:
            entered[param.name] = cell.text_input(label, value=current or "")
    if st.form_submit_button(t(lang, "canned.run"), type="primary"):
        st.session_state[VALUES_KEY] = values = entered

missing = [p.label(lang) for p in query.params if values.get(p.name) is None]
if missing:
    st.warning(t(lang, "canned.missing", names=", ".join(missing)))
    st.stop()

try:
    outcome = query.run(values)
except sandbox.Stopped as stopped:
    st.error(ui.plain_markdown(sandbox.message(stopped, lang)), icon=":material/block:")
    st.stop()
result = outcome.frame
st.caption(tn(lang, "canned.rows", result.height, rows=number(result.height, lang)))
if result.is_empty():
    st.info(t(lang, "canned.no_rows"), icon=":material/filter_alt_off:")
table_view.show_sortable(result)  # figures grouped in the reader's locale; the files keep them raw
cells = st.columns(len(downloads.FORMATS))
for cell, fmt in zip(cells, downloads.FORMATS, strict=True):
    cell.download_button(
        t(lang, "explorer.download_as", format=downloads.FORMATS[fmt].label),
        data=lambda fmt=fmt, frame=result: downloads.to_bytes(frame, fmt),
        file_name=downloads.file_name(query.name, fmt),
        mime=downloads.FORMATS[fmt].mime,
        key=f"canned_download_{fmt}",
        on_click="ignore",
        width="stretch",
    )
with st.expander(t(lang, "canned.show_sql", file=f"sql/{query.name}.sql")):
    st.code(query.sql, language="sql")
page_url.write(ready_queries.to_url(query, values), ready_queries.URL_PARAMS)
