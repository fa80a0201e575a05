"""The scenario simulator in a real Chromium, French and English: both charts drawn, no
exception, the scenario in the address; screenshots in tests/artifacts/."""

import pytest

from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def warm(server, browser):  # noqa: F811
    """A first visit of the home page: a fresh server's first session needs app.py's navigation."""
    page = browser.new_page()
    page.goto(server)
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    page.close()
    return server


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_scenario_page_draws_its_charts(warm, browser, lang):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 4600})
    query = "_sc_year=2024&_sc_domains=canteen&_sc_domains=catering" + (
        "&lang=en" if lang == "en" else ""
    )
    page.goto(f"{warm}/scenario?{query}")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    body = page.inner_text("body")
    assert "Traceback" not in body and page.get_by_test_id("stException").count() == 0
    mark = "DONNÉES ILLUSTRATIVES" if lang == "fr" else "ILLUSTRATIVE DATA"
    assert mark in page.locator(".js-plotly-plot").first.inner_text()
    title = "Confiés à l'ESS" if lang == "fr" else "Run by the ESS"
    assert title in page.locator(".js-plotly-plot").first.inner_text()
    assert "_sc_year=2024" in page.url and "_sc_domains=catering" in page.url
    page.screenshot(path=ARTIFACTS / f"scenario_{lang}.png", full_page=True)
    page.close()
