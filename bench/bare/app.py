"""The baseline of bench/page_load.py: a bare Streamlit app, two pages with one chart each."""

import plotly.graph_objects as go
import streamlit as st


def chart_page(title: str) -> None:
    st.title(title)
    st.plotly_chart(go.Figure(go.Bar(x=[2019, 2020, 2021], y=[3, 1, 2])), key=title)


pages = [
    st.Page(lambda: chart_page("One"), title="One", url_path="one", default=True),
    st.Page(lambda: chart_page("Two"), title="Two", url_path="two"),
]
st.navigation(pages).run()
