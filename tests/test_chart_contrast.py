"""Colour contrast of the charts at WCAG 2.1 AA, without a browser (axe-core reads the page's
text, not the marks and words Plotly draws in its SVG).

The marks (bars, Sankey nodes, points) stand out from the chart's white background by 3:1 at
least (1.4.11, non-text contrast): the operator kinds' colours from the taxonomy, one per kind,
and the fixed colours of the house style (maillon.charts.draw). The chart's words reach 4.5:1
(1.4.3): title, subtitle, axes, source line, the provenance mark on its tint."""

import plotly.io as pio
import polars as pl
import pytest

from maillon.charts import draw
from maillon.data.paths import TAXONOMY_DIR

BACKGROUND = "#ffffff"
MARKS = 3.0
TEXT = 4.5


def _luminance(color: str) -> float:
    """Relative luminance of '#rrggbb' or '#rgb' (WCAG 2.1)."""
    color = color.lstrip("#")
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    channels = [int(color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_says():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#fff", "#ffffff") == pytest.approx(1)


def test_the_charts_are_drawn_on_white():
    layout = pio.templates[draw.TEMPLATE].layout
    assert layout.plot_bgcolor == layout.paper_bgcolor == "white"


def _kinds() -> dict[str, str]:
    frame = pl.read_csv(TAXONOMY_DIR / "operator_kind.csv")
    return dict(zip(frame["kind_id"], frame["color"], strict=True))


def test_one_colour_per_operator_kind_each_standing_out_from_the_background():
    kinds = _kinds()
    assert len({color.lower() for color in kinds.values()}) == len(kinds)
    faint = {
        kind: round(contrast(color, BACKGROUND), 2)
        for kind, color in kinds.items()
        if contrast(color, BACKGROUND) < MARKS
    }
    assert faint == {}


HOUSE_MARKS = {
    **{f"destination {k}": c for k, c in draw.DESTINATION_COLORS.items()},
    **{f"cost {k}": c for k, c in draw.COST_COLORS.items()},
    **{f"domain {i}": c for i, c in enumerate(draw.DOMAIN_PALETTE)},
    "other": draw.OTHER_COLOR,
    "neutral node": draw.NEUTRAL_NODE,
}


@pytest.mark.parametrize(("name", "color"), HOUSE_MARKS.items(), ids=list(HOUSE_MARKS))
def test_house_mark_colours_stand_out_from_the_background(name, color):
    assert contrast(color, BACKGROUND) >= MARKS, (name, color)


def test_colours_that_share_a_chart_differ():
    """Destinations and costs share the Sankey; domains and 'other' share a stacked bar."""
    sankey = [*draw.DESTINATION_COLORS.values(), *draw.COST_COLORS.values(), draw.NEUTRAL_NODE]
    domains = [*draw.DOMAIN_PALETTE, draw.OTHER_COLOR]
    for colors in (sankey, domains):
        assert len({c.lower() for c in colors}) == len(colors)


def _text_colors() -> dict[str, tuple[str, str]]:
    """Each word the house style draws, with its colour and what is behind it."""
    layout = pio.templates[draw.TEMPLATE].layout
    return {
        "body": (layout.font.color, BACKGROUND),
        "subtitle": (layout.title.subtitle.font.color, BACKGROUND),
        "axis ticks": (draw.AXIS["tickfont"]["color"], BACKGROUND),
        "axis titles": (draw.AXIS["title"]["font"]["color"], BACKGROUND),
        "source line": (draw.SOURCE_LINE["font"]["color"], BACKGROUND),
        "provenance mark": (draw.PROVENANCE_MARK["font"]["color"], draw.PROVENANCE_MARK["bgcolor"]),
    }


@pytest.mark.parametrize("name", list(_text_colors()))
def test_chart_words_are_readable(name):
    color, behind = _text_colors()[name]
    assert contrast(color, behind) >= TEXT, (name, color, behind)
