"""The associations network page in a real Chromium: every tab draws without an exception, the
partnership graph renders with the demo data and labels only the best-connected associations;
screenshots in French and English (tests/artifacts/)."""

import pytest

from maillon.figures import associations_network
from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

TABS = {
    "fr": ["Annuaire", "Réseau", "Couverture", "Conventions à renouveler", "Actions communes"],
    "en": ["Directory", "Network", "Coverage", "Conventions due", "Joint actions"],
}


@pytest.fixture(scope="module")
def warm(server, browser):  # noqa: F811
    """One visit of the home page first, as in test_browser_dashboards."""
    page = browser.new_page()
    page.goto(server)
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    page.close()
    return server


def _no_exception(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_tab_renders(warm, browser, lang):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1300})
    page.goto(f"{warm}/associations?years=2022-2025&lang={lang}")
    page.get_by_test_id("stDownloadButton").nth(1).wait_for(timeout=60_000)
    _no_exception(page)
    page.wait_for_timeout(800)
    page.screenshot(path=ARTIFACTS / f"associations_directory_{lang}.png")
    for number, label in enumerate(TABS[lang][1:], start=2):
        page.get_by_role("tab", name=label, exact=True).click()
        if number != 4:  # the conventions tab holds tables, no chart
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        else:
            page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        _no_exception(page)
        page.screenshot(path=ARTIFACTS / f"associations_tab{number}_{lang}.png", full_page=True)
    page.close()


def test_graph_renders_and_labels_only_where_it_fits(warm, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    page.goto(f"{warm}/associations")
    page.get_by_role("tab", name="Réseau", exact=True).click()
    graph = page.locator(".js-plotly-plot").first
    graph.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    points = graph.locator(".scatterlayer .point").count()
    labels = [
        text
        for text in graph.locator(".scatterlayer .textpoint").all_text_contents()
        if text.strip()
    ]
    assert points >= 90  # about a hundred associations in the demo set
    assert 0 < len(labels) <= associations_network.LABELLED_NODES
    assert "DONNÉES ILLUSTRATIVES" in graph.inner_text()
    _no_exception(page)
    graph.screenshot(path=ARTIFACTS / "associations_graph_fr.png")
    page.close()
