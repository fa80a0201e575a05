"""Methodology: what each headline figure means and which SQL file computes it, the pro-rata
attribution of reallocations, how operator groups are compared like for like, the taxonomies,
the sources, what is illustrative and a glossary of the field's words."""

import streamlit as st

from maillon.charts.readable import readable
from maillon.figures import like_for_like, methodology, shared
from maillon.i18n import percent, t
from maillon.web import table_view, ui

lang = ui.language()

st.title(t(lang, "methodology.title"))
st.caption(t(lang, "methodology.intro"))

st.header(t(lang, "methodology.figures"))
for figure in methodology.HEADLINE_FIGURES:
    st.markdown(
        t(
            lang,
            "methodology.figure_line",
            figure=t(lang, f"methodology.figure_{figure.key}"),
            definition=t(lang, f"methodology.figure_{figure.key}_definition"),
            file=f"sql/{figure.query}.sql",
        )
    )
with st.expander(t(lang, "methodology.show_sql", file="sql/overview_headline.sql")):
    st.code(methodology.sql_of("overview_headline"), language="sql")

st.header(t(lang, "methodology.attribution"))
st.markdown(t(lang, "methodology.attribution_text"))

st.header(t(lang, "methodology.like_for_like"))
st.markdown(t(lang, "methodology.like_for_like_text", n=like_for_like.MIN_OPERATORS))

st.header(t(lang, "methodology.taxonomies"))
for name in ("operator_kinds", "domains", "payers", "contract_kinds", "destinations", "indicators"):
    st.subheader(t(lang, f"methodology.taxonomy_{name}"))
    st.dataframe(methodology.taxonomy(name, lang), hide_index=True, width="stretch")

st.header(t(lang, "methodology.sources"))
st.markdown(t(lang, "methodology.sources_text"))
st.dataframe(methodology.sources(lang), hide_index=True, width="stretch")

st.header(t(lang, "methodology.illustrative"))
ui.provenance_notice(lang, shared.provenance(ui.current_filters(), shared.ALL_TABLES))
st.markdown(t(lang, "methodology.illustrative_text"))

st.header(t(lang, "methodology.coverage"))
st.markdown(t(lang, "methodology.coverage_text", threshold=percent(shared.SUFFICIENT, lang)))
table_view.show(readable(methodology.coverage_table(ui.current_filters(), lang), lang))

st.header(t(lang, "methodology.sroi"))
st.markdown(t(lang, "methodology.sroi_text"))

st.header(t(lang, "scenario.method_heading"))
st.markdown(t(lang, "scenario.method_text"))

st.header(t(lang, "methodology.glossary"))
st.caption(t(lang, "methodology.glossary_intro"))
st.markdown(
    "\n".join(
        "- " + t(lang, "methodology.glossary_line", term=e.term, expansion=e.expansion, text=e.text)
        for e in methodology.glossary(lang)
    )
)
