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


def test_a_french_reader_types_a_decimal_comma(warm, browser):  # noqa: F811
    """In Chromium, Streamlit's own number field read a French "7,6" as 76: the assumptions are
    typed the reader's way, "7,6" is 7.6 %, and a text that is no number says so."""
    page = browser.new_page(viewport={"width": 1280, "height": 2600})
    page.goto(f"{warm}/scenario?_sc_year=2024&_sc_domains=canteen&_sc_domains=catering")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)
    margin = page.get_by_label("Marge des opérateurs de l'ESS", exact=False)
    assert "," in margin.input_value()
    margin.fill("7,6")
    margin.press("Enter")
    page.wait_for_url("**_sc_margin=0.076*", timeout=30_000)
    share = page.get_by_label("Part du résultat affectée à la réinsertion", exact=False)
    share.fill("douze")
    share.press("Enter")
    error = page.get_by_test_id("stAlertContentError")
    error.wait_for(timeout=30_000)
    assert "«\xa0douze\xa0» n'est pas un nombre" in error.inner_text()
    assert "_sc_reinsertion_share" not in page.url
    page.screenshot(path=ARTIFACTS / "scenario_decimal_comma_fr.png", full_page=True)
    page.close()
