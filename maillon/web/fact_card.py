"""The text of a published figure's card (« Repères publics »): one HTML element, every text
escaped, where six Markdown elements took the browser about 25 ms per page change for a tab of
cards (docs/performance.md)."""

from __future__ import annotations

from html import escape

from streamlit.delta_generator import DeltaGenerator

from maillon.figures.public_figures import PublicFigure
from maillon.i18n import t

# Streamlit's own sizes and caption colour (the text colour at 60 %: 4.5:1 on white, AA).
CSS = """<style>
.maillon-fact p {margin: 0 0 0.75rem;}
.maillon-fact .label {font-weight: 600;}
.maillon-fact .value {font-size: 1.75rem; font-weight: 600; line-height: 1.25;}
.maillon-fact .small {font-size: 0.875rem; color: rgba(20, 19, 18, 0.6);}
.maillon-fact .badge {
  display: inline-block; font-size: 0.875rem; padding: 0 0.375rem; border-radius: 0.25rem;
}
.maillon-fact .old {color: #9a3412; background: rgba(255, 140, 0, 0.12);}
.maillon-fact .dated {color: #31333f; background: rgba(49, 51, 63, 0.08);}
</style>"""


def html(figure: PublicFigure, lang: str) -> str:
    """Label, value, unit, scope, date and age (marked when old), publisher and reliability."""
    dated = t(lang, "public.date_line", date=figure.date, age=figure.age(lang))
    age = "old" if figure.is_old() else "dated"
    if figure.is_old():
        dated = f"{dated} · {t(lang, 'public.old')}"
    lines = [
        f'<p class="label">{escape(figure.label)}</p>',
        f"<p>{escape(figure.value)}</p>"
        if figure.is_text
        else f'<p class="value">{escape(figure.value)}</p>',
        f"<p>{escape(figure.unit)}</p>" if figure.unit else "",
        f'<p class="small">{escape(figure.scope)}</p>',
        f'<p><span class="badge {age}">{escape(dated)}</span></p>',
        '<p class="small">{}</p>'.format(
            escape(
                t(
                    lang,
                    "public.published_by",
                    publisher=figure.publisher,
                    reliability=figure.reliability,
                )
            )
        ),
    ]
    return f'{CSS}<div class="maillon-fact">{"".join(lines)}</div>'


def show(card: DeltaGenerator, figure: PublicFigure, lang: str) -> None:
    """The figure's text in its card (a bordered container)."""
    card.html(html(figure, lang))
