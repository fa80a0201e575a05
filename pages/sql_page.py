"""SQL console: one read-only SELECT, under a time limit, its result shown and downloadable.
The query is in the URL, so a link shows its result."""

import streamlit as st

from maillon.data import catalog, sandbox
from maillon.exports import downloads
from maillon.figures import shared, sql
from maillon.i18n import number, t
from maillon.web import page_url, table_view, ui

TEXT_KEY = "_sql_text"
RESULT_KEY = "_sql_result"
EXAMPLE = (
    "SELECT kind_id, sum(revenue_eur) AS revenue_eur\n"
    "FROM market_revenue\nGROUP BY ALL\nORDER BY 2 DESC"
)

lang = ui.language()
tables = catalog.load()
sandbox.warm()


def _run(text: str) -> None:
    """Run the text and keep the result (or what went wrong) for the following runs."""
    st.session_state[TEXT_KEY] = text
    try:
        st.session_state[RESULT_KEY] = sql.run(text, tables)
    except (sql.Refused, sandbox.Stopped) as error:
        st.session_state[RESULT_KEY] = error


url = page_url.read_once("sql", sql.URL_PARAMS)
if url and url.get(sql.SQL_PARAM):
    _run(url[sql.SQL_PARAM][-1])

st.title(t(lang, "sql_console.title"))
st.caption(
    t(
        lang,
        "sql_console.intro",
        rows=number(sql.SHOWN_ROWS, lang),
        seconds=f"{sandbox.timeout_seconds():g}",
    )
)
ui.provenance_notice(lang, shared.provenance(ui.current_filters(), shared.ALL_TABLES))

editor_key = f"sql_editor_{lang}"
if editor_key not in st.session_state:
    st.session_state[editor_key] = st.session_state.get(TEXT_KEY, EXAMPLE)
with st.form("sql_form", border=False):
    st.text_area(t(lang, "sql_console.query"), key=editor_key, height=180)
    submitted = st.form_submit_button(t(lang, "sql_console.run"), type="primary", key="sql_run")
if submitted:
    with st.spinner(t(lang, "sql_console.running")):
        _run(st.session_state[editor_key])

outcome = st.session_state.get(RESULT_KEY)
if isinstance(outcome, sandbox.Result):
    st.caption(
        t(
            lang,
            # Cut at the rows shown, the result has more than they: never its count.
            "sql_console.result_more" if outcome.truncated else "sql_console.result",
            rows=number(outcome.frame.height, lang),
            seconds=number(outcome.seconds, lang, decimals=2),
        )
    )
    if outcome.truncated:
        st.warning(t(lang, "sql_console.truncated", rows=number(sql.SHOWN_ROWS, lang)))
    table_view.show(outcome.frame)
    text = st.session_state[TEXT_KEY]
    cells = st.columns(len(downloads.FORMATS))
    for cell, fmt in zip(cells, downloads.FORMATS, strict=True):

        def _file(fmt=fmt, text=text) -> bytes:
            try:
                frame, _cut = sql.rows_for_download(text, tables, fmt)
            except (sql.Refused, sandbox.Stopped) as error:
                # The whole result can take longer than the part shown: say so in the file.
                return sql.message(error, lang).encode()
            return downloads.to_bytes(frame, fmt)

        cell.download_button(
            t(lang, "explorer.download_as", format=downloads.FORMATS[fmt].label),
            data=_file,
            file_name=downloads.file_name("sql", fmt),
            mime=downloads.FORMATS[fmt].mime,
            key=f"sql_download_{fmt}",
            on_click="ignore",
            width="stretch",
        )
    st.caption(t(lang, "sql_console.download_cap", cap=number(downloads.max_rows("csv"), lang)))
elif outcome is not None:
    # The message can quote the user's text: shown as itself, never read as Markdown.
    st.error(ui.plain_markdown(sql.message(outcome, lang)), icon=":material/block:")

with st.expander(t(lang, "sql_console.help_title")):
    st.markdown(t(lang, "sql_console.help"))

if TEXT_KEY in st.session_state:
    page_url.write({sql.SQL_PARAM: st.session_state[TEXT_KEY]}, sql.URL_PARAMS)
