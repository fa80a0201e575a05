"""Public figures: published figures on prison services by theme, each as a card with its date and
age, publisher, reliability and link; small charts where figures compare; one panel to cite a
figure or put it in the meeting deck."""

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

tabs = ui.lazy_tabs([t(lang, f"public.theme_{theme}") for theme in themes], key="public_theme")
for tab, (theme, figures) in zip(tabs, themes.items(), strict=True):
    if not tab.open:
        continue
    with tab:
        for series_id in public_figures.series_ids(theme):
            chart = public_figures.series_chart(series_id, lang)
            ui.chart_with_data(
                chart,
                lang,
                key=f"public_{series_id}",
                filtered=False,
                remake=lambda other, series_id=series_id: public_figures.series_chart(
                    series_id, other
                ),
            )
        fact_card.show_actions(
            figures,
            lang,
            key=theme,
            chart=lambda fact_id, lang: public_figures.figure_chart(fact_id, lang, today),
        )
        fact_card.show_cards(figures, lang)
