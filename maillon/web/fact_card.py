"""The published figures of a theme (« Repères publics »): their cards as one HTML list, every
text escaped, and one panel to cite a figure or put it in the deck. A card of Streamlit elements
with its own buttons cost the browser about 8 elements each, 160 for a theme, drawn before the
page's chart (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import streamlit as st

from maillon.charts.chart import Chart
from maillon.figures.public_figures import PublicFigure
from maillon.i18n import t
from maillon.web import chart_menu

# Streamlit's own sizes, border and caption colour (the text colour at 60 %: 4.5:1 on white, AA).
CSS = """<style>
/* important: Streamlit's own list indent is more specific than a class. */
.maillon-facts {
  list-style: none; margin: 0 !important; padding: 0 !important; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
}
.maillon-fact {
  margin: 0 !important; padding: 1rem; border: 1px solid rgba(49, 51, 63, 0.2);
  border-radius: 0.5rem; break-inside: avoid; display: flex; flex-direction: column;
}
.maillon-fact p {margin: 0 0 0.75rem;}
.maillon-fact p.link {margin: auto 0 0;}
.maillon-fact .label {font-weight: 600;}
.maillon-fact .value {font-size: 1.75rem; font-weight: 600; line-height: 1.25;}
.maillon-fact .small {font-size: 0.875rem; color: rgba(20, 19, 18, 0.6);}
.maillon-fact .badge {
  display: inline-block; font-size: 0.875rem; padding: 0 0.375rem; border-radius: 0.25rem;
}
.maillon-fact .old {color: #9a3412; background: rgba(255, 140, 0, 0.12);}
.maillon-fact .dated {color: #31333f; background: rgba(49, 51, 63, 0.08);}
.maillon-fact a {
  display: inline-block; padding: 0.25rem 0.75rem; border: 1px solid rgba(49, 51, 63, 0.2);
  border-radius: 0.5rem; color: inherit; text-decoration: none;
}
.maillon-fact a:hover {border-color: #ff4b4b; color: #ff4b4b;}
</style>"""


def html(figure: PublicFigure, lang: str) -> str:
    """One card: label, value, unit, scope, date and age (marked when old), publisher and
    reliability, and a link to the source when its address is a web address."""
    dated = t(lang, "public.date_line", date=figure.date, age=figure.age(lang))
    if figure.age(lang).casefold() in figure.date.casefold():  # 'non daté (page en ligne...)'
        dated = figure.date
    age = "old" if figure.is_old() else "dated"
    if figure.is_old():
        dated = f"{dated} · {t(lang, 'public.old')}"
    published_by = t(
        lang, "public.published_by", publisher=figure.publisher, reliability=figure.reliability
    )
    lines = [
        f'<p class="label">{escape(figure.label)}</p>',
        f"<p>{escape(figure.value)}</p>"
        if figure.is_text
        else f'<p class="value">{escape(figure.value)}</p>',
        f"<p>{escape(figure.unit)}</p>" if figure.unit else "",
        f'<p class="small">{escape(figure.scope)}</p>',
        f'<p><span class="badge {age}">{escape(dated)}</span></p>',
        f'<p class="small">{escape(published_by)}</p>',
        _link(figure, lang),
    ]
    return f'<li class="maillon-fact">{"".join(lines)}</li>'


def _link(figure: PublicFigure, lang: str) -> str:
    if not figure.web_link:
        return ""
    return (
        f'<p class="link"><a href="{escape(figure.web_link, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{escape(t(lang, "public.link"))}'
        '<span aria-hidden="true"> ↗</span></a></p>'
    )


def list_html(figures: list[PublicFigure], lang: str) -> str:
    """The cards of a theme as one list, as many to a row as the page's width holds."""
    cards = "".join(html(figure, lang) for figure in figures)
    return f'{CSS}<ul class="maillon-facts">{cards}</ul>'


def show_cards(figures: list[PublicFigure], lang: str) -> None:
    st.html(list_html(figures, lang))


def show_actions(
    figures: list[PublicFigure], lang: str, key: str, chart: Callable[[str, str], Chart]
) -> None:
    """One figure of the theme, chosen in a list: the sentence to cite it (with Streamlit's copy
    button) and a button putting it in the deck as a slide, `chart(fact_id, lang)` drawn when
    clicked."""
    by_id = {figure.fact_id: figure for figure in figures}
    with st.container(border=True):
        fact_id = st.selectbox(
            t(lang, "public.pick"),
            list(by_id),
            format_func=lambda fact_id: _option(by_id[fact_id]),
            key=f"public_pick_{key}",
        )
        chosen = by_id[fact_id]
        st.caption(t(lang, "public.cite_help"))
        st.code(chosen.cite(lang), language=None, wrap_lines=True)
        chart_menu.deck_button(lambda lang: chart(fact_id, lang), lang, key=f"public_{fact_id}")


def _option(figure: PublicFigure) -> str:
    return f"{figure.label} · {figure.value_with_unit} · {figure.date}"
