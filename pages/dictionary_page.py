"""Data dictionary: every table and column with its meaning and rules, from the schema itself."""

import streamlit as st

from maillon.data import catalog
from maillon.figures import dictionary, explorer
from maillon.i18n import number, t
from maillon.web import ui

lang = ui.language()
tables = catalog.load()
columns = dictionary.columns(tables, lang)

st.title(t(lang, "dictionary.title"))
st.caption(t(lang, "dictionary.intro"))
search = st.text_input(
    t(lang, "dictionary.search"),
    key=f"dictionary_search_{lang}",
    placeholder=t(lang, "dictionary.search_placeholder"),
)
found = dictionary.search(columns, search)
matching = dictionary.matching_tables(tables, columns, search, lang)
st.caption(t(lang, "dictionary.count", tables=len(matching), columns=found.height))
labels = {
    "table": t(lang, "dictionary.column_table"),
    "column": t(lang, "dictionary.column_column"),
    "type": t(lang, "dictionary.column_type"),
    "meaning": t(lang, "dictionary.column_meaning"),
    "rules": t(lang, "dictionary.column_rules"),
}
for table in matching:
    group = t(lang, f"dictionary.group_{dictionary.group(table)}")
    with st.expander(f"{table.name} · {group}", expanded=bool(search.strip())):
        st.text(dictionary.table_meaning(table, lang))
        counts = explorer.provenance(table, tables)
        if counts.height:
            shares = ", ".join(
                f"{value} ({number(rows, lang)})" for value, rows in counts.iter_rows()
            )
            st.caption(t(lang, "dictionary.provenance", values=ui.plain_markdown(shares)))
        rows = found.filter(found["table"] == table.name)
        if rows.is_empty():
            rows = columns.filter(columns["table"] == table.name)
        st.dataframe(
            rows.drop("table").rename({k: v for k, v in labels.items() if k != "table"}),
            hide_index=True,
            width="stretch",
        )
