"""Charts people can put on their own site: one chart as a web page that needs nothing else, and
`make publish` writing every dashboard chart in both languages with an index, that Chromium draws
from file:// with the network blocked."""

import re
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from maillon.charts.chart import Caption
from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters, Notice
from maillon.exports import html_page, publish
from maillon.figures import outcomes, overview
from tests.page_helpers import years
from tests.test_browser import browser  # noqa: F401  (fixture)

OUTSIDE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def filters(built_db):
    first, last = years(built_db)
    return Filters(first, last)


@pytest.fixture(scope="module")
def options(built_db):
    return FilterOptions.from_frame(queries.run("filter_options"))


@pytest.fixture(scope="module")
def published(filters, options, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("publish")
    publish.publish(folder, filters, options)
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
        # The associations' charts, and one chart per outcome indicator (the page shows one).
        assert {"associations_network.html", "joint_actions.html"} <= expected
        indicators = outcomes.indicators(filters, lang)
        assert {f"outcome_{i}.html" for i in indicators} <= expected and indicators
        for page in (published / lang).iterdir():
            text = page.read_text()
            assert '<script charset="utf-8" src="../plotly.min.js"></script>' in text
            assert not OUTSIDE.search(text)
    assert (published / "plotly.min.js").stat().st_size > 1_000_000
    index = (published / "index.html").read_text()
    assert index.count('href="fr/') == len(list((published / "fr").iterdir()))
    assert index.count('href="en/') == len(list((published / "en").iterdir()))
    # Each entry of the index names its chart apart from the others, in each language.
    for lang in ("fr", "en"):
        entries = re.findall(rf'<li><a href="{lang}/[^"]+">(.*?)</li>', index)
        assert len(set(entries)) == len(entries)


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


def test_publish_takes_the_filters_of_a_link_to_the_app(built_db, options, tmp_path, capsys):
    _first, last = years(built_db)
    link = f"http://localhost:8501/markets?lang=en&years={last - 1}-{last}&kind=scop&kind=nope"
    filters, notices = publish.filters_of(link, options)
    assert filters == Filters(last - 1, last, kind=("scop",))
    assert notices == [Notice("kind", "nope")]
    assert publish.filters_of(link.split("?")[1], options) == (filters, notices)
    # A link without filters: every year, nothing left out.
    assert publish.filters_of("http://localhost:8501/markets", options) == (
        Filters.default(options),
        [],
    )

    assert publish.main([str(tmp_path / "out"), "--filters", link]) == 0
    said = capsys.readouterr()
    assert "left out: kind=nope" in said.err and f"{last - 1}–{last}" in said.out
    index = (tmp_path / "out" / "index.html").read_text()
    assert "Scop" in index and f"{last - 1}–{last}" in index
    page = (tmp_path / "out" / "en" / "market_by_kind.html").read_text()
    chart = overview.market_view(filters, "en")
    assert chart.caption.title.replace("'", "&#x27;") in page
