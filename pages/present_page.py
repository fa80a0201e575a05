"""Presentation mode: the deck's charts one at a time, full screen, for a projector.

Next/previous with the buttons or the keyboard (→ ←); the slide number is in the address
(_slide), so /present?_slide=3 opens the third one."""

import streamlit as st

from maillon.exports import basket
from maillon.i18n import t
from maillon.web import a11y, page_url, ui

lang = ui.language()
st.html(basket.PRESENTATION_CSS)  # static CSS, no user data: hides the chrome, enlarges type

basket.translate(st.session_state, lang)  # what cannot be remade, the deck page says
slides = basket.slides(st.session_state)
if not slides:
    st.info(t(lang, "export.present_empty"), icon=":material/co_present:")
    st.page_link(
        "pages/deck_page.py", label=t(lang, "export.deck_nav"), icon=":material/slideshow:"
    )
    st.stop()

linked = page_url.read_once("present", [basket.SLIDE_PARAM])
if linked is not None:
    st.session_state[basket.SLIDE_KEY] = basket.slide_from_url(linked, len(slides))
index = min(st.session_state.get(basket.SLIDE_KEY, 0), len(slides) - 1)
page_url.write({basket.SLIDE_PARAM: str(index + 1)}, [basket.SLIDE_PARAM])


def _go(step: int) -> None:
    current = st.session_state.get(basket.SLIDE_KEY, 0)
    st.session_state[basket.SLIDE_KEY] = max(0, min(len(slides) - 1, current + step))


slide = slides[index]
heading = st.container(key="present_heading")
heading.header(ui.plain_markdown(slide.title), anchor=False)
heading.text(slide.subtitle)
# The controls above the chart: on a laptop screen they stay in sight whatever the chart's height.
controls = st.container(
    horizontal=True,
    horizontal_alignment="center",
    vertical_alignment="center",
    key="present_controls",
)
controls.button(
    t(lang, "export.previous"),  # the shortcut's arrow is shown beside it, as an icon would be
    shortcut="Left",
    disabled=index == 0,
    on_click=_go,
    args=(-1,),
    key="present_previous",
)
controls.markdown(t(lang, "export.slide_count", number=index + 1, total=len(slides)))
controls.button(
    t(lang, "export.next"),
    shortcut="Right",
    disabled=index == len(slides) - 1,
    on_click=_go,
    args=(1,),
    key="present_next",
)
controls.page_link(
    "pages/deck_page.py", label=t(lang, "export.present_exit"), icon=":material/close:"
)

chart, side = st.columns([4, 1], vertical_alignment="center")
with chart:
    a11y.show_slide_alternative(slide, lang)
    # Its height is the screen's, less the title and the controls (basket.PRESENTATION_CSS).
    box = st.container(key="present_chart_box")
box.plotly_chart(
    basket.for_screen(slide),
    width="stretch",
    height="stretch",
    theme=None,  # the figure's own large type, not the page theme's smaller one
    key="present_chart",
    config={"displayModeBar": False},
)
if slide.key_figure:
    side.metric(t(lang, "export.key_figure_label"), slide.key_figure)
