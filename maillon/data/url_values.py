"""Values read from a page address, which anyone can write: a whole number is plain ASCII
digits, a few of them. Python's own tests let through what int() then refuses: "²".isdigit() is
true, and int() refuses a string of more than 4,300 digits; a link must never stop a page."""

from __future__ import annotations

MAX_DIGITS = 9  # a year, a page, a slide or a tab: never more


def whole_number(text: str) -> int | None:
    """The number `text` writes in ASCII digits (at most MAX_DIGITS), else None."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)
    return None
