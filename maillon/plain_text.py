"""Text that comes from the data (imported files) or from a user (typed, or read from the page
address) shown as itself, never as markup (no Streamlit).

Streamlit renders Markdown in st.markdown, captions, alerts, titles and most widget labels; Plotly
renders a subset of HTML (<a href>, <b>, <br>, <span style>) in every text of a figure: titles,
annotations, legend names, tick labels, hover text, Sankey node labels, text on bars. Such text is
escaped where it is put into one of them, and nowhere else (tables and downloads keep it raw).
"""

from __future__ import annotations

import html
import re

# Every punctuation mark that Markdown, GitHub's extensions (tables, strikethrough), HTML or
# Streamlit's own syntax (:icon:, :color[text], $math$) could read.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")
# GitHub's autolink extension links a bare address ('http://…', 'www.…', 'name@host.org') even
# when its punctuation is escaped: it looks for them in the text once the escapes are read.
# A word joiner (U+2060, invisible, no line break) after 'http', 'https', 'www' and '@' keeps
# it from seeing one.
_AUTOLINK_STARTS = re.compile(r"https?(?=:)|www(?=\.)|@", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain_markdown(text: str | None) -> str:
    """Text shown as itself inside Markdown: every punctuation mark that Markdown (or
    Streamlit's :icon: and $math$ syntax) could read is backslash-escaped, and a bare address is
    not turned into a link (an invisible word joiner breaks it for the autolink extension)."""
    unlinked = _AUTOLINK_STARTS.sub(lambda found: found.group(0) + WORD_JOINER, text or "")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)


def plotly_text(text: object) -> str:
    """Text shown as itself inside a Plotly figure: '&', '<' and '>' as entities, which Plotly
    turns back into the characters (quotes are left alone: Plotly does not decode &quot;).
    The figure's own markup (<br>, <b>) is added around it, never inside it."""
    return html.escape("" if text is None else str(text), quote=False)
