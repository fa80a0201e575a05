"""Public figures: published figures on prison services by theme, each as a card with its date and
age, publisher, reliability, link and a text to cite it; small charts where figures compare."""

from datetime import date

import streamlit as st

from maillon.figures import public_figures
from maillon.i18n import t
from maillon.web import fact_card, ui

lang = ui.language()
today = date.today()

st.title(t(lang, "public.title"))
st.caption(t(lang, "public.intro"))
themes = public_figures.by_theme(lang, today)
summary = public_figures.summary()
st.caption(t(lang, "public.count_line", **summary))

CARDS_PER_ROW = 3
tabs = ui.lazy_tabs([t(lang, f"public.theme_{theme}") for theme in themes], key="public_theme")
for tab, (theme, figures) in zip(tabs, themes.items(), strict=True):
    if not tab.open:
        continue
    with tab:
        for series_id in public_figures.series_ids(theme):
            chart = public_figures.series_chart(series_id, lang)
            ui.chart_with_data(chart, lang, key=f"public_{series_id}", filtered=False)
        for start in range(0, len(figures), CARDS_PER_ROW):
            columns = st.columns(CARDS_PER_ROW)
            for column, figure in zip(
                columns, figures[start : start + CARDS_PER_ROW], strict=False
            ):
                card = column.container(border=True)
                fact_card.show(card, figure, lang)
                buttons = card.container(horizontal=True, gap="small")
                if figure.web_link:
                    buttons.link_button(
                        t(lang, "public.link"), figure.web_link, icon=":material/open_in_new:"
                    )
                cite = buttons.popover(t(lang, "public.cite"), icon=":material/format_quote:")
                cite.caption(t(lang, "public.cite_help"))
                cite.code(figure.cite(lang), language=None, wrap_lines=True)
                with buttons:
                    ui.deck_button(
                        lambda fact_id=figure.fact_id: public_figures.figure_chart(
                            fact_id, lang, today
                        ),
                        lang,
                        key=f"public_{figure.fact_id}",
                    )
