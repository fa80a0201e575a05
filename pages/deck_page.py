"""Meeting deck: the charts picked on every page, in order, downloadable as PowerPoint."""

from datetime import date

import streamlit as st

from maillon.exports import basket, deck
from maillon.i18n import t, tn
from maillon.web import ui

lang = ui.language()

st.title(t(lang, "export.deck_title"))
st.caption(t(lang, "export.deck_intro"))
# Slides added in the other language are made again in this one, where they can be.
other_language = basket.translate(st.session_state, lang)
slides = basket.slides(st.session_state)
if not slides:
    st.info(t(lang, "export.deck_empty"), icon=":material/slideshow:")
    st.stop()
# Each slide was drawn for the filters of its page then, not for those in force now.
filters_text = basket.common_filters(slides, lang)
if other_language:
    numbers = ", ".join(str(number) for number in other_language)
    st.warning(
        tn(lang, "export.deck_other_language", len(other_language), slides=numbers),
        icon=":material/translate:",
    )

for index, slide in enumerate(slides):
    with st.container(border=True, key=f"deck_item_{index}"):
        text, up, down, remove = st.columns([12, 1, 1, 1], vertical_alignment="center")
        # A chart's title names domains, kinds, establishments from the data: shown as text.
        text.markdown(f"**{index + 1}.** {ui.plain_markdown(slide.title)}")
        if slide.key_figure:
            text.caption(t(lang, "export.key_figure", value=ui.plain_markdown(slide.key_figure)))
        up.button(
            "",
            icon=":material/arrow_upward:",
            key=f"deck_up_{index}",
            help=t(lang, "export.move_up"),
            disabled=index == 0,
            on_click=basket.move,
            args=(st.session_state, index, -1),
        )
        down.button(
            "",
            icon=":material/arrow_downward:",
            key=f"deck_down_{index}",
            help=t(lang, "export.move_down"),
            disabled=index == len(slides) - 1,
            on_click=basket.move,
            args=(st.session_state, index, 1),
        )
        remove.button(
            "",
            icon=":material/delete:",
            key=f"deck_remove_{index}",
            help=t(lang, "export.remove"),
            on_click=basket.remove,
            args=(st.session_state, index),
        )

actions = st.container(horizontal=True, vertical_alignment="center")
actions.download_button(
    t(lang, "export.download_pptx", count=len(slides)),
    # Built when clicked: drawing the images takes a moment per slide.
    data=lambda: deck.build(slides, lang, filters_text=filters_text, day=date.today()),
    file_name=f"maillon_{date.today().isoformat()}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    key="deck_download",
    icon=":material/download:",
    type="primary",
    on_click="ignore",
)
actions.page_link(
    "pages/present_page.py", label=t(lang, "export.present_start"), icon=":material/co_present:"
)
actions.button(
    t(lang, "export.clear"), key="deck_clear", on_click=basket.clear, args=(st.session_state,)
)
st.caption(t(lang, "export.deck_filters", filters=ui.plain_markdown(filters_text)))
