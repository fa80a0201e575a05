"""Hostile imported text in a real Chromium: an association whose name holds a Markdown link, an
HTML link, a script tag and bare addresses is shown as those characters, in its directory card
and in the partnership graph, and no link to the address is made; so is a link's bad filter
value in the notice. Screenshot in tests/artifacts/hostile_text_fr.png."""

from urllib.parse import quote

import pytest

from maillon.plain_text import WORD_JOINER
from tests.test_browser import ARTIFACTS, browser, serve  # noqa: F401 (fixture)
from tests.test_hostile_text import PAYLOAD, URL_VALUE, hostile_database

pytestmark = pytest.mark.browser

LINKS_OUT = 'a[href*="127.0.0.1:9/"], a[href*="evil.example"]'  # the server is on 127.0.0.1 too


@pytest.fixture(scope="module")
def hostile_server(built_db, tmp_path_factory):
    yield from serve(hostile_database(tmp_path_factory))


def test_a_hostile_name_is_shown_as_text_and_links_nowhere(hostile_server, browser):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    # The home page first: a server's very first deep link opens a "Page not found" dialog.
    page.goto(hostile_server)
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    page.goto(f"{hostile_server}/associations?kinds={quote(URL_VALUE)}")
    # the link's bad value, in the notice shown on the first run only
    notice = page.get_by_test_id("stAlert").filter(has_text="kinds=")
    notice.wait_for(timeout=60_000)
    assert f"kinds={URL_VALUE}" in notice.inner_text().replace(WORD_JOINER, "")
    assert page.locator(LINKS_OUT).count() == 0
    search = page.get_by_test_id("stTextInput").locator("input")
    search.fill("Session")
    search.press("Enter")
    # The search reruns the page and replaces the cards while it runs, so the card heading (the bold
    # one) is read in one step, never across two DOM states.
    cards = page.locator('[data-testid="stMarkdown"]:has(strong)')
    heading = cards.filter(has_text="Session expired").first
    heading.wait_for(timeout=30_000)
    seen = heading.evaluate(
        """el => ({
            text: el.innerText,
            bold: el.querySelectorAll("strong").length,
            markup: el.querySelectorAll("a, script, strong strong, em, code, .katex").length,
        })"""
    )
    # the characters themselves, with no backslash and no formatting (the word joiners that keep
    # addresses from being linked are invisible)
    assert seen["text"].replace(WORD_JOINER, "").strip() == f"Atelier {PAYLOAD}"
    assert seen["bold"] == 1  # the card's own bold name, nothing nested
    assert seen["markup"] == 0
    assert page.locator(LINKS_OUT).count() == 0
    page.screenshot(path=ARTIFACTS / "hostile_text_fr.png")

    page.get_by_role("tab", name="Réseau", exact=True).click()
    graph = page.locator(".js-plotly-plot").first
    label = graph.locator(".scatterlayer .textpoint", has_text="Session expired")
    label.wait_for(timeout=30_000)  # the best-connected association is always labelled
    assert label.text_content() == f"Atelier {PAYLOAD}"
    assert graph.locator("a").count() == 0
    assert page.locator(LINKS_OUT).count() == 0
    page.close()
