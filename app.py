"""Maillon: routes the pages and holds what every page shares (language, global filters)."""

import streamlit as st

from maillon import ui
from maillon.i18n import t

st.set_page_config(page_title="Maillon", page_icon=":material/link:", layout="wide")

with st.spinner(t(ui.language(), "app.building")):
    ui.ensure_database()
options = ui.filter_options()
ui.read_url_once(options)
lang = ui.language_switch()

pages = [
    st.Page(
        "pages/overview.py",
        title=t(lang, "nav.overview"),
        icon=":material/dashboard:",
        default=True,
    ),
]
page = st.navigation(pages)
ui.sidebar_filters(options, lang)
ui.url_notices(lang)
page.run()
