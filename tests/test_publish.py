"""Charts people can put on their own site: one chart as a web page that needs nothing else, and
`make publish` writing every dashboard chart in both languages with an index, that Chromium draws
from file:// with the network blocked."""

import re
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from maillon.charts.chart import Caption
from maillon.data.filters import Filters
from maillon.exports import html_page, publish
from maillon.figures import overview
from tests.page_helpers import years
from tests.test_browser import browser  # noqa: F401  (fixture)

OUTSIDE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def filters(built_db):
    first, last = years(built_db)
    return Filters(first, last)


@pytest.fixture(scope="module")
def published(filters, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("publish")
    publish.publish(folder, filters)
    return folder


def test_one_chart_is_one_file_with_plotly_inside_and_nothing_outside(filters):
    chart = overview.market_view(filters, "fr")
    page = html_page.build(chart, "fr")
    assert "<script src" not in page  # Plotly inlined, not fetched
    assert "Plotly.newPlot" in page and len(page) > 1_000_000
    # Nothing is fetched (Plotly's own code only names its website in strings).
    assert not OUTSIDE.search(html_page.build(chart, "fr", plotly_js=False))
    assert '<html lang="fr">' in page
    assert f"<title>{chart.caption.title}</title>" in page.replace("&#x27;", "'")
    assert "DONNÉES ILLUSTRATIVES" in page  # the mark, from the rows
    assert "Source : tables market_revenue" in page
    # The data table below it, numbers in the French format, one row per row of the chart.
    assert page.count("<tr>") == chart.table.height + 1
    assert "\u202f" in page.split("<table>")[1]


def test_imported_text_stays_text(filters):
    chart = overview.market_view(filters, "en")
    hostile = "<img src=x onerror=alert(1)>"
    chart = replace(
        chart,
        caption=Caption(title=hostile, subtitle="", source=f"Source: {hostile}", mark=hostile),
        table=pl.DataFrame({"Operator": [hostile], "Value": [12.5]}),
    )
    page = html_page.build(chart, "en", plotly_js=False)
    outside_figure = page.split('<div id="')[0] + page.split("</figure>")[1]
    assert "<img" not in outside_figure
    assert "&lt;img src=x onerror=alert(1)&gt;" in outside_figure


def test_publish_writes_every_chart_in_both_languages_with_one_plotly(published, filters):
    for lang in ("fr", "en"):
        expected = {f"{key}.html" for key, _chart in publish.charts(filters, lang)}
        assert {p.name for p in (published / lang).iterdir()} == expected
        assert len(expected) >= 10
        for page in (published / lang).iterdir():
            text = page.read_text()
            assert '<script charset="utf-8" src="../plotly.min.js"></script>' in text
            assert not OUTSIDE.search(text)
    assert (published / "plotly.min.js").stat().st_size > 1_000_000
    index = (published / "index.html").read_text()
    assert index.count('href="fr/') == len(list((published / "fr").iterdir()))
    assert index.count('href="en/') == len(list((published / "en").iterdir()))


@pytest.mark.browser
def test_published_charts_draw_from_file_with_the_network_blocked(published, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    asked: list[str] = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.goto((published / "index.html").as_uri())
    links = page.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == len(list((published / "fr").iterdir())) * 2
    for href in hrefs:
        page.goto((published / href).as_uri())
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
        assert page.locator("table tbody tr").count() > 0
    context.close()
    assert asked == []
