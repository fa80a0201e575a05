"""Nothing leaves the machine: every page, in Chromium, asks only the app's own host.

The browser's requests to any other host are blocked and recorded; one is a failure (offline it
breaks the page, online it tells a third party who reads which page)."""

from urllib.parse import urlparse

import pytest

from tests.conftest import ROOT
from tests.test_browser import browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _settle(page) -> None:
    """The page's script has run and what it drew has had time to ask for its resources."""
    page.get_by_test_id("stMainBlockContainer").wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the status widget shows only after a short delay
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.wait_for_load_state("load")
    page.wait_for_timeout(1_000)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_asks_another_host(server, browser, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    outside: list[tuple[str, str]] = []
    current = {"path": ""}

    def only_loopback(route):
        if urlparse(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            outside.append((current["path"], route.request.url))
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.goto(f"{server}/?lang={lang}")
    _settle(page)
    links = page.get_by_test_id("stSidebarNav").locator("a")
    links.first.wait_for(timeout=30_000)
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # The admin page is reached by its address only (hidden from the navigation).
    paths = sorted({urlparse(href).path for href in hrefs} | {"/admin"})
    # Every page is visited: the app's navigation lists each page once (the Overview as '/');
    # a fresh server's first sessions may still show Streamlit's legacy list of the page files
    # ('/overview_page', '/markets_page', … beside '/': docs/architecture.md), which reaches
    # every page too.
    assert len(paths) >= len(list((ROOT / "pages").glob("*.py"))), paths
    for path in paths:
        current["path"] = path
        page.goto(f"{server}{path}?lang={lang}")
        _settle(page)
    context.close()
    assert outside == [], outside
