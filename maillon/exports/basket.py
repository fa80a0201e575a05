"""The meeting deck's basket: charts picked on any page, kept for the session, in the user's order
(no Streamlit: functions take the session state, or any dict, as `state`).

A slide keeps the figure as Plotly JSON (it is drawn again for the image and the presentation),
its data table, and what the slide and its notes say, taken as they are from the chart's caption
(maillon.charts.chart): title, key figure, source line, provenance mark; and the filters. A slide
that knows how to make itself again is remade in the reader's language when it changes.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from maillon.charts.chart import Chart
from maillon.charts.readable import readable
from maillon.data.filters import LIST_FILTERS, FilterOptions, Filters
from maillon.data.url_values import whole_number
from maillon.exports import images
from maillon.figures.shared import period
from maillon.i18n import t

BASKET_KEY = "_deck_basket"
MAX_SLIDES = 40
NOTE_ROWS = 12  # rows of the data table written into the speaker notes


@dataclass(frozen=True)
class Slide:
    key: str  # the chart's key on its page; adding it again replaces the slide
    title: str
    subtitle: str
    figure_json: str
    table: pl.DataFrame
    key_figure: str
    source: str
    mark: str  # the provenance mark, empty when every row behind the chart is real
    filters_text: str
    lang: str  # the language its text was written in
    # The same slide in another language, from the same filters and data; None when it cannot
    # be made again (no way to draw it again, or the data changed since).
    remake: Callable[[str], Slide | None] | None = field(default=None, compare=False, repr=False)


def make_slide(
    chart: Chart,
    *,
    key: str,
    filters_text: str,
    lang: str,
    remake: Callable[[str], Slide | None] | None = None,
) -> Slide:
    caption = chart.caption
    return Slide(
        key=key,
        title=caption.title,
        subtitle=caption.subtitle,
        figure_json=chart.figure.to_json(),
        table=chart.table,
        key_figure=caption.key_figure,
        source=caption.source,
        mark=caption.mark,
        filters_text=filters_text,
        lang=lang,
        remake=remake,
    )


def slides(state: MutableMapping) -> list[Slide]:
    return list(state.get(BASKET_KEY, []))


def in_other_language(state: MutableMapping, lang: str) -> list[int]:
    """The numbers (from 1) of the slides whose text is in another language than `lang`: a
    slide is the chart as it was drawn, in the language of the page it was added from."""
    return [number for number, s in enumerate(slides(state), start=1) if s.lang != lang]


def translate(state: MutableMapping, lang: str) -> list[int]:
    """Remake in `lang` the slides in another language that can be made again, in place; the
    numbers (from 1) of those left in another language."""
    current = slides(state)
    remade = [s.remake(lang) if s.lang != lang and s.remake else None for s in current]
    if any(remade):
        state[BASKET_KEY] = [new or old for new, old in zip(remade, current, strict=True)]
    return in_other_language(state, lang)


def contains(state: MutableMapping, key: str) -> bool:
    return any(s.key == key for s in slides(state))


def add(state: MutableMapping, slide: Slide) -> bool:
    """Put the slide at the end, or in place of the same chart; False when the basket is full."""
    current = slides(state)
    for i, existing in enumerate(current):
        if existing.key == slide.key:
            current[i] = slide
            state[BASKET_KEY] = current
            return True
    if len(current) >= MAX_SLIDES:
        return False
    state[BASKET_KEY] = [*current, slide]
    return True


def remove(state: MutableMapping, index: int) -> None:
    current = slides(state)
    if 0 <= index < len(current):
        del current[index]
    state[BASKET_KEY] = current


def move(state: MutableMapping, index: int, step: int) -> None:
    """Move the slide at index one place up (step -1) or down (+1)."""
    current = slides(state)
    target = index + step
    if 0 <= index < len(current) and 0 <= target < len(current):
        current[index], current[target] = current[target], current[index]
    state[BASKET_KEY] = current


def clear(state: MutableMapping) -> None:
    state[BASKET_KEY] = []


def figure(slide: Slide) -> go.Figure:
    return pio.from_json(slide.figure_json)


def data_summary(slide: Slide, lang: str, rows: int = NOTE_ROWS) -> str:
    """The data table as plain text lines for the speaker notes and the slide's text
    alternative (first rows, then a count), its numbers as the language writes them."""
    table = readable(slide.table, lang)
    lines = [" | ".join(table.columns)]
    for row in table.head(rows).iter_rows():
        lines.append(" | ".join("" if v is None else str(v) for v in row))
    if table.height > rows:
        lines.append(t(lang, "export.more_rows", count=table.height - rows))
    return "\n".join(lines)


def method_text(slide: Slide, lang: str) -> str:
    """What the chart measures, for which filters, and where the figures come from."""
    parts = [
        t(lang, "export.method_measure", measure=slide.subtitle) if slide.subtitle else "",
        t(lang, "export.method_filters", filters=slide.filters_text),
        slide.source,
        t(lang, "export.method_mark", mark=slide.mark) if slide.mark else "",
        t(lang, "export.method_more"),
    ]
    return "\n".join(p for p in parts if p)


def filter_parts(filters: Filters, options: FilterOptions, lang: str) -> list[str]:
    """['Années : 2020–2025', 'Région : Bretagne, Normandie'] (only the filters that narrow)."""
    parts = [t(lang, "export.labelled", label=t(lang, "filters.years"), value=period(filters))]
    for attr in LIST_FILTERS:
        values = getattr(filters, attr)
        if values:
            labels = ", ".join(options.label(attr, v, lang) for v in values)
            parts.append(t(lang, "export.labelled", label=t(lang, f"filters.{attr}"), value=labels))
    if len(parts) == 1:
        parts.append(t(lang, "export.no_other_filter"))
    return parts


def common_filters(items: list[Slide], lang: str) -> str:
    """The filters for the title slide: the slides' own when they share them, else a word that
    each slide states its own (under its source line)."""
    texts = {s.filters_text for s in items}
    return texts.pop() if len(texts) == 1 else t(lang, "export.deck_filters_each")


def describe_filters(filters: Filters, options: FilterOptions, lang: str) -> str:
    """'Années : 2020–2025 ; Région : Bretagne, Normandie' (only the filters that narrow)."""
    return t(lang, "chart.source_separator").join(filter_parts(filters, options, lang))


# ---------------------------------------------------------------- presentation mode

SLIDE_PARAM = "_slide"
SLIDE_KEY = "present_slide"


def slide_from_url(linked: dict[str, list[str]], count: int) -> int:
    """The 0-based slide of a link's _slide (1-based), else the first."""
    values = linked.get(SLIDE_PARAM, [])
    text = values[-1] if values else ""
    number = whole_number(text)
    return number - 1 if number is not None and 1 <= number <= count else 0


def for_screen(slide: Slide) -> go.Figure:
    """The slide's chart, laid out as in the images, taller and in larger type for a projector.
    The page writes the title and subtitle above it in larger type than a figure title allows."""
    fig = go.Figure(images.export_spec(figure(slide)))
    fig.update_layout(
        height=None,  # the screen's height less the title and controls (PRESENTATION_CSS)
        autosize=True,
        font={"size": 20},
        title={"text": "", "subtitle": {"text": ""}},
        legend={"font": {"size": 18}},
        margin={"t": 50, "b": (fig.layout.margin.b or 120) + 10},
    )
    # Notes and labels to 16 px at least; a published figure's value keeps its own large type.
    fig.for_each_annotation(lambda note: note.update(font_size=max(note.font.size or 0, 16)))
    # Axis labels read from the back of a room: the template's 12 px would override the 20 px.
    for update in (fig.update_xaxes, fig.update_yaxes):
        update(tickfont={"size": 18, "color": "#222"}, title_font={"size": 18, "color": "#222"})
    return fig


PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] {
  display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important;
  padding: 1rem 2rem 0.5rem 2rem !important; }
.st-key-present_heading h2 { font-size: 2.6rem !important; padding: 0 0 0.3rem 0 !important; }
.st-key-present_heading [data-testid="stText"] { font-size: 1.5rem !important; color: #444; }
[data-testid="stMetricValue"] { font-size: 4.5rem !important; color: #1b5e20; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; white-space: normal !important; }
.st-key-present_controls p, .st-key-present_controls button p { font-size: 1.4rem !important; }
/* The chart takes the screen's height left under the title and the controls (19rem: a title and
   a subtitle of two lines each), whatever the projector (768 lines as well as 1080): the whole
   slide in sight, nothing to scroll. Its flex basis would otherwise set its height. */
.st-key-present_chart_box { flex: 0 0 auto !important; height: calc(100vh - 19rem) !important;
  min-height: 22rem; }
</style>
"""
