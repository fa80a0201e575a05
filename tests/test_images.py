"""Chart images: valid PNG at 2x and SVG at the figure's size, with the title, source line and
illustrative mark burnt in; one kaleido server for every image."""

import io
import json
import struct
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go
import pytest
from PIL import Image
from plotly.utils import PlotlyJSONEncoder

from maillon.charts import draw
from maillon.data.filters import Filters
from maillon.exports import images
from maillon.figures import like_for_like, money_flow, overview
from tests.page_helpers import years


@pytest.fixture(scope="module")
def chart(built_db):
    first, last = years(built_db)
    filters = Filters(first, last)
    return overview.market_chart(overview.market_by_kind(filters), filters, "fr").figure


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_is_a_valid_image_at_twice_the_size(chart):
    data = images.render(chart, "png")
    width, height = images.size(chart)
    assert (width, height) == (images.WIDTH, chart.layout.height)
    assert png_size(data) == (2 * width, 2 * height)
    assert len(data) > 20_000  # a drawn chart, not an empty canvas


def test_the_title_stands_clear_of_the_images_top_edge(chart):
    """On a slide the title (two lines here) starts some way under the top edge: Plotly centres
    a title's lines on its anchor, and the first line touched the edge."""
    image = Image.open(io.BytesIO(images.render(chart, "png"))).convert("L")
    width, height = image.size
    left_half = range(width // 2)
    first_ink = next(
        row for row in range(height) if any(image.getpixel((x, row)) < 100 for x in left_half)
    )
    assert first_ink >= 2 * 12  # 12 px at 1x


def test_svg_holds_title_source_and_illustrative_mark(chart):
    data = images.render(chart, "svg")
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert (float(root.get("width")), float(root.get("height"))) == images.size(chart)
    text = " ".join("".join(node.itertext()) for node in root.iter() if node.tag.endswith("text"))
    assert "DONNÉES ILLUSTRATIVES" in text
    # The source line wraps: its lines are text elements of their own.
    assert "Source" in text and "JeudedémonstrationMaillon" in "".join(text.split())
    assert "opérateurs de l'ESS" in text  # the title (the finding)


def test_the_figure_on_screen_is_left_as_it_is(chart):
    before = chart.to_json()
    images.render(chart, "svg")
    assert chart.to_json() == before


def test_one_server_serves_every_image(chart, monkeypatch):
    images.render(chart, "png")
    started = []
    monkeypatch.setattr(images.kaleido, "start_sync_server", lambda *a, **k: started.append(a))
    images.render(chart, "png")
    images.render(chart, "svg")
    assert started == []


def test_unknown_format_is_refused(chart):
    with pytest.raises(ValueError):
        images.render(chart, "gif")


def test_the_same_chart_gives_the_same_svg(chart):
    assert images.render(chart, "svg") == images.render(chart, "svg")


def _plain(spec: dict) -> dict:
    """Compared as JSON values: the order of keys is not part of a figure."""
    return json.loads(json.dumps(spec, cls=PlotlyJSONEncoder))


def _plotly_updates(fig: go.Figure | dict) -> dict:
    """The export layout made with Plotly's own (validating, slower) update functions."""
    figure = go.Figure(fig)
    if figure.layout.title.yref != "container":
        draw.finish(figure)
    figure.update_layout(title={"pad": {"l": 12}})
    figure.update_yaxes(automargin=True)
    for update in (figure.update_xaxes, figure.update_yaxes):
        update(tickfont=images.EXPORT_TICKS, title_font=images.EXPORT_TICKS)
    for number, trace in enumerate(figure.data):
        trace.uid = f"trace{number}"
    return figure.to_dict()


# Figures the dashboard's charts do not cover: fonts already set on an axis (merged, not
# replaced), a third axis without a second, no axes at all (a pie), a dict not yet fitted.
UNUSUAL_FIGURES = {
    "fonts set, x3 without x2": go.Figure(
        go.Bar(x=[1, 2], y=[3, 4], xaxis="x3"),
        layout={
            "title": {"text": "T", "yref": "container"},
            "xaxis": {"tickfont": {"family": "Serif", "size": 9}, "title": {"text": "Years"}},
            "xaxis3": {"anchor": "y", "domain": [0.5, 1]},
            "yaxis": {"title": {"text": "EUR", "font": {"family": "Serif"}}},
        },
    ),
    "pie": go.Figure(go.Pie(values=[1, 2]), layout={"title": {"yref": "container"}}),
    "dict not fitted": {
        "data": [{"type": "bar", "y": [1, 2]}],
        "layout": {"title": {"text": "A finding"}, "height": 700},
    },
}


@pytest.mark.parametrize("name", UNUSUAL_FIGURES)
def test_the_export_layout_of_unusual_figures_is_plotlys(name):
    fig = UNUSUAL_FIGURES[name]
    before = _plain(fig if isinstance(fig, dict) else fig.to_dict())
    spec = images.export_spec(fig)
    assert _plain(fig if isinstance(fig, dict) else fig.to_dict()) == before
    assert _plain(spec) == _plain(_plotly_updates(fig))
    assert images.size(spec) == (images.WIDTH, 700 if name == "dict not fitted" else 560)


@pytest.mark.parametrize("view", [like_for_like.per_hundred_view, money_flow.sankey_view])
def test_the_export_layout_is_what_plotly_would_make_of_every_panel(built_db, view):
    """Edited as a dict for speed, the image's layout is the one Plotly's update functions give:
    every axis of every panel (nine domains here) in the larger dark type, the figure on the
    page untouched."""
    first, last = years(built_db)
    fig = view(Filters(first, last), "fr").figure
    before = fig.to_json()
    spec = images.export_spec(fig)
    assert fig.to_json() == before
    assert _plain(spec) == _plain(_plotly_updates(fig))
    panels = [k for k in spec["layout"] if k.startswith("xaxis")]
    assert view is money_flow.sankey_view or len(panels) > 1
    assert all(spec["layout"][k]["tickfont"]["size"] == 15 for k in panels)


def test_images_asked_at_once_each_get_their_own_chart():
    """Sessions export at the same time (a lock around kaleido, whose server returned one
    caller's image to another): each gets the image of its own chart."""
    figures = [
        go.Figure(go.Bar(y=[1, 2]), layout={"title": {"text": f"Chart-{i}-of-four"}})
        for i in range(4)
    ]

    def own_images(i: int) -> bool:
        return all(
            f"Chart-{i}-of-four" in images.render(figures[i], "svg").decode() for _ in range(3)
        )

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(own_images, range(4)))


def test_kaleido_is_called_one_image_at_a_time(chart, monkeypatch):
    """The lock itself, without Chromium: however many threads ask, one call at a time."""
    images.render(chart, "svg")  # the server started
    running, most = [], []

    def slow_call(spec, opts):
        running.append(1)
        most.append(len(running))
        time.sleep(0.02)
        running.pop()
        return b"<svg></svg>"

    monkeypatch.setattr(images.kaleido, "calc_fig_sync", slow_call)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: images.render(chart, "svg"), range(12)))
    assert len(most) == 12 and max(most) == 1
