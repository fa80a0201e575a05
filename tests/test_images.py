"""Chart images: valid PNG at 2x and SVG at the figure's size, with the title, source line and
illustrative mark burnt in; one kaleido server for every image."""

import struct
import xml.etree.ElementTree as ET

import pytest

from maillon.data.filters import Filters
from maillon.exports import images
from maillon.figures import overview
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


def test_svg_holds_title_source_and_illustrative_mark(chart):
    data = images.render(chart, "svg")
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert (float(root.get("width")), float(root.get("height"))) == images.size(chart)
    text = " ".join("".join(node.itertext()) for node in root.iter() if node.tag.endswith("text"))
    assert "DONNÉES ILLUSTRATIVES" in text
    assert "Source" in text and "Jeu de démonstration Maillon" in text
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
