"""Explorer: any table, filtered by the global filters, column facets and a search; paged;
downloadable. The whole view is in the URL."""

import streamlit as st

from maillon.data import catalog
from maillon.exports import downloads, rows_download
from maillon.figures import dictionary, explorer
from maillon.i18n import number, t
from maillon.plain_text import plain_markdown
from maillon.web import page_url, table_view, ui
from maillon.web.number_field import refusal

VIEW_KEY = "_explorer_view"
COLUMNS_KEY = "_explorer_facet_columns"
# (column, "from" or "to", text typed) of a bound that is no number
REFUSED_KEY = "_explorer_refused_bound"

lang = ui.language()
tables = catalog.load()
scope = explorer.Scope(ui.current_filters(), ui.filter_options())

url = page_url.read_once("explorer", explorer.URL_PARAMS)
stale = VIEW_KEY in st.session_state and not tables.has(st.session_state[VIEW_KEY].table)
dropped: list[str] = []  # what the link named that the catalog lacks, said under the title
if url is not None or VIEW_KEY not in st.session_state or stale:
    view, dropped = explorer.safe_view(url or {}, tables)
    st.session_state[VIEW_KEY] = view
    st.session_state[COLUMNS_KEY] = [*view.facets, *view.ranges]
view: explorer.View = st.session_state[VIEW_KEY]
table = tables.table(view.table)


def _set_view(new: explorer.View) -> None:
    st.session_state[VIEW_KEY] = new


def _table_chosen() -> None:
    _set_view(explorer.View(st.session_state[f"explorer_table_{lang}"]))
    st.session_state[COLUMNS_KEY] = []


def _search_changed() -> None:
    current = st.session_state[VIEW_KEY]
    _set_view(current.with_search(st.session_state[f"explorer_search_{lang}"]))


def _columns_chosen(key: str) -> None:
    chosen = st.session_state[key]
    st.session_state[COLUMNS_KEY] = chosen
    current = st.session_state[VIEW_KEY]
    for column in [*current.facets, *current.ranges]:
        if column not in chosen:
            current = current.with_facet(column, []).with_range(column, "", "")
    _set_view(current)


def _facet_changed(column: str, key: str) -> None:
    _set_view(st.session_state[VIEW_KEY].with_facet(column, st.session_state[key]))


def _range_changed(column: str, low_key: str, high_key: str, lang: str) -> None:
    bounds = {}
    for end, key in (("from", low_key), ("to", high_key)):
        try:
            bounds[end] = explorer.bound_text(st.session_state[key], lang)
        except ValueError as refused:  # the range stays as it was; the run says why, once
            st.session_state[REFUSED_KEY] = (column, end, refused.args[0])
            return
    _set_view(st.session_state[VIEW_KEY].with_range(column, bounds["from"], bounds["to"]))


def _page_changed(key: str) -> None:
    _set_view(st.session_state[VIEW_KEY].with_page(int(st.session_state[key])))


st.title(t(lang, "explorer.title"))
if dropped:
    st.warning(t(lang, "explorer.bad_link", items=ui.plain_markdown(", ".join(dropped))))
st.caption(t(lang, "explorer.intro"))

left, right = st.columns([2, 3])
table_key = f"explorer_table_{lang}"
st.session_state[table_key] = view.table
left.selectbox(
    t(lang, "explorer.table"),
    options=list(tables.names),
    format_func=lambda name: t(
        lang,
        "explorer.table_option",
        name=name,
        group=t(lang, f"dictionary.group_{dictionary.group(tables.table(name))}"),
    ),
    key=table_key,
    on_change=_table_chosen,
)
search_key = f"explorer_search_{lang}"
st.session_state[search_key] = view.search
right.text_input(
    t(lang, "explorer.search"),
    key=search_key,
    on_change=_search_changed,
    placeholder=t(lang, "explorer.search_placeholder"),
)
st.caption(ui.plain_markdown(dictionary.table_meaning(table, lang)))
if explorer.is_illustrative(table, tables):
    st.info(t(lang, "notices.illustrative"), icon=":material/science:")

applied = explorer.applied_scope(table, scope)
if applied:
    names = ", ".join(t(lang, f"filters.{a}") for a in applied)
    st.caption(t(lang, "explorer.filters_applied", filters=names))
else:
    st.caption(t(lang, "explorer.filters_none"))

facet_key = f"explorer_columns_{table.name}_{lang}"
st.session_state[facet_key] = [c for c in st.session_state[COLUMNS_KEY] if table.has(c)]
st.multiselect(
    t(lang, "explorer.facet_columns"),
    options=list(table.column_names),
    key=facet_key,
    on_change=_columns_chosen,
    args=(facet_key,),
    placeholder=t(lang, "explorer.facet_columns_placeholder"),
)
chosen_columns = st.session_state[facet_key]
if chosen_columns:
    cells = st.columns(min(3, len(chosen_columns)))
    for i, name in enumerate(chosen_columns):
        column = table.column(name)
        cell = cells[i % len(cells)]
        if column.kind in ("text", "boolean"):
            counts = explorer.value_counts(view, tables, scope, name)
            chosen = view.facets.get(name, ())
            labels = explorer.facet_labels(counts, chosen, lang)
            key = f"explorer_facet_{table.name}_{name}_{lang}"
            st.session_state[key] = list(chosen)
            cell.multiselect(
                name,
                options=list(labels),
                format_func=labels.get,
                key=key,
                on_change=_facet_changed,
                args=(name, key),
                placeholder=t(lang, "explorer.facet_all"),
            )
            if counts.height >= explorer.FACET_VALUES:
                cell.caption(t(lang, "explorer.facet_top", count=explorer.FACET_VALUES))
        else:
            low, high = explorer.column_range(view, tables, scope, name)
            chosen_low, chosen_high = view.ranges.get(name, ("", ""))
            low_key = f"explorer_low_{table.name}_{name}_{lang}"
            high_key = f"explorer_high_{table.name}_{name}_{lang}"
            inputs = cell.columns(2)
            for box, key, label, chosen, shown in (
                (inputs[0], low_key, "from", chosen_low, low),
                (inputs[1], high_key, "to", chosen_high, high),
            ):
                st.session_state[key] = explorer.bound_shown(column, chosen, lang)
                common = {
                    "label": t(lang, f"explorer.range_{label}", column=name),
                    "key": key,
                    "on_change": _range_changed,
                    "args": (name, low_key, high_key, lang),
                }
                if column.kind == "date":
                    box.date_input(**common, format="YYYY-MM-DD")
                else:
                    box.text_input(**common, placeholder=explorer.value_shown(column, shown, lang))
            low_text, high_text = (explorer.value_shown(column, v, lang) for v in (low, high))
            cell.caption(t(lang, "explorer.range_data", low=low_text, high=high_text))
            if explorer.crossed(column, chosen_low, chosen_high):
                cell.warning(t(lang, "explorer.range_crossed", column=plain_markdown(name)))
            refused = st.session_state.get(REFUSED_KEY)
            if refused and refused[0] == name:  # only a number field takes text
                del st.session_state[REFUSED_KEY]
                _, end, text = refused
                field = t(lang, f"explorer.range_{end}_field", column=name)
                refusal(cell, "not_a_number", field, text, lang, example=high_text)

rows = explorer.count(view, tables, scope)
pages = explorer.page_count(rows)
if view.page > pages:
    view = view.with_page(pages)
    _set_view(view)
info, pager = st.columns([3, 1])
info.metric(t(lang, "explorer.rows"), number(rows, lang))
if rows == 0:
    st.info(t(lang, "explorer.no_rows"), icon=":material/filter_alt_off:")
page_key = f"explorer_page_{lang}"
st.session_state[page_key] = view.page
pager.number_input(
    t(lang, "explorer.page", pages=number(pages, lang)),
    min_value=1,
    max_value=pages,
    step=1,
    key=page_key,
    on_change=_page_changed,
    args=(page_key,),
)
table_view.show(explorer.page(view, tables, scope))

st.subheader(t(lang, "explorer.download"))
whole_key = f"explorer_whole_{lang}"
whole = st.radio(
    t(lang, "explorer.download_what"),
    options=[False, True],
    format_func=lambda w: t(lang, "explorer.download_whole" if w else "explorer.download_filtered"),
    horizontal=True,
    key=whole_key,
)
total = explorer.count(explorer.View(table.name), tables, explorer.NO_SCOPE) if whole else rows
buttons = st.columns(len(downloads.FORMATS))
for cell, fmt in zip(buttons, downloads.FORMATS, strict=True):

    def _file(fmt=fmt, view=view, whole=whole) -> bytes:
        frame, _cut = explorer.rows_for_download(view, tables, scope, fmt, whole)
        described = rows_download.view_text(view, table, scope, whole, lang)
        return rows_download.file_bytes(frame, fmt, table.name, described, lang)

    cell.download_button(
        t(lang, "explorer.download_as", format=downloads.FORMATS[fmt].label),
        data=_file,
        file_name=downloads.file_name(table.name if whole else f"{table.name}_filtered", fmt),
        mime=downloads.FORMATS[fmt].mime,
        key=f"explorer_download_{fmt}",
        on_click="ignore",
        width="stretch",
    )
    if total > downloads.max_rows(fmt):
        cell.caption(
            t(
                lang,
                "explorer.download_capped",
                cap=number(downloads.max_rows(fmt), lang),
                rows=number(total, lang),
            )
        )
st.caption(t(lang, "explorer.share_hint"))
page_url.write(explorer.to_url(view), explorer.URL_PARAMS)
