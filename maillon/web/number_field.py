"""A number field that reads and writes numbers the reader's way.

Streamlit's number_input shows "7.60" on a French page (it formats with sprintf, which knows no
locale), and in Chromium its browser field read a French "7,6" as 76, silently. This one is a
text field: the value shown in the locale's format (maillon.i18n.number), the text read back by
maillon.i18n.parse_number, and a text that is no number, or out of bounds, kept on screen with a
message saying which field and what was typed, while the figures keep the last good value.
"""

from __future__ import annotations

from streamlit.delta_generator import DeltaGenerator

from maillon.i18n import number, parse_number, t
from maillon.plain_text import plain_markdown


def number_field(
    container: DeltaGenerator,
    label: str,
    value: float,
    lang: str,
    *,
    key: str,
    decimals: int,
    min_value: float | None = None,
    max_value: float | None = None,
    help: str | None = None,
) -> float:
    """The number typed in a text field of `container` (the page, a column, an expander),
    `value` until something else is typed, shown with `decimals` places (a value with more
    keeps them while its text is not changed). `key` names the widget; put the language in it,
    as the text it starts from is in the language's format."""
    shown = number(value, lang, decimals)
    text = container.text_input(label, value=shown, key=key, help=help)
    if text == shown:
        return value  # untouched: the value itself, not its rounding for display
    try:
        typed = parse_number(text, lang)
    except ValueError:
        return _refused(container, "not_a_number", label, text, lang, value, decimals)
    if min_value is not None and typed < min_value:
        bound = number(min_value, lang, decimals)
        return _refused(container, "below", label, text, lang, value, decimals, bound=bound)
    if max_value is not None and typed > max_value:
        bound = number(max_value, lang, decimals)
        return _refused(container, "above", label, text, lang, value, decimals, bound=bound)
    return typed


def _refused(
    container: DeltaGenerator,
    reason: str,
    label: str,
    text: str,
    lang: str,
    value: float,
    decimals: int,
    **more,
) -> float:
    refusal(container, reason, label, text, lang, example=number(value, lang, decimals), **more)
    return value


def refusal(
    container: DeltaGenerator, reason: str, label: str, text: str, lang: str, **values
) -> None:
    """Why the text typed in the field `label` was not taken ('not_a_number' with an `example`,
    'below' or 'above' with a `bound`). The text is the reader's: shown as itself, never read as
    Markdown."""
    container.error(
        t(
            lang,
            f"number_field.{reason}",
            field=plain_markdown(label),
            text=plain_markdown(text),
            **values,
        ),
        icon=":material/error:",
    )
