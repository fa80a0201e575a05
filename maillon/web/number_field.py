"""A number field that reads and writes numbers the reader's way.

Streamlit's number_input shows "7.60" on a French page (it formats with sprintf, which knows no
locale), and in Chromium its browser field read a French "7,6" as 76, silently. This one is a
text field: the value shown in the locale's format (maillon.i18n.number), the text read back by
maillon.i18n.parse_number, and a text that is no number, or out of bounds, kept on screen with a
message saying which field and what was typed, while the figures keep the last good value.
"""

from __future__ import annotations

import re

from streamlit.delta_generator import DeltaGenerator

from maillon.i18n import number, parse_number, t
from maillon.plain_text import plain_markdown

# A unit typed with the number ("7,6 %", "6 000 €", "€6,000"): the field's label gives it.
_UNIT = re.compile(r"^\s*€|[%€]\s*$")
MORE_PLACES = 3


def _places(value: float, decimals: int) -> int:
    """`decimals`, or more when the value has them (a reader's 7,65 is not shown as 7,7), up to
    three more."""
    return next(
        # Within a float's error: 0.0765 × 100 is 7.6499999999999995.
        (d for d in range(decimals, decimals + MORE_PLACES) if abs(round(value, d) - value) < 1e-9),
        decimals + MORE_PLACES,
    )


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
    `value` until something else is typed, shown with `decimals` places or more if it has them
    (pass a value rounded to `decimals` where more would be noise). `key` names the widget, and
    a new key starts it again from `value`: put the language in it, as the text is in the
    language's format, but not the value, or the next text typed would be dropped."""
    shown = number(value, lang, _places(value, decimals))
    text = container.text_input(label, value=shown, key=key, help=help)
    if text == shown:
        return value  # untouched
    try:
        typed = parse_number(_UNIT.sub("", text), lang)
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
