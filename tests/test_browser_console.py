"""The SQL console under attack, in a real Chromium: a shared link cannot put a live link in the
app's own error box, and a query that would eat the server's memory is stopped, with a clear
message, while the server and its worker stay within their budgets."""

import time
import urllib.parse
from pathlib import Path

import pytest

from maillon.data import sandbox
from tests.proc_memory import PeakWatcher, status_bytes
from tests.test_browser import browser, serve_process  # noqa: F401

pytestmark = pytest.mark.browser
LIMIT = 3
PHISH = 'SELECT * FROM "[Session expired: log in again](http://127.0.0.1:9/phish)"'


@pytest.fixture(scope="module")
def console(built_db):
    yield from serve_process(built_db, sql_timeout_seconds=str(LIMIT))


def _open(browser, url: str):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    page.get_by_test_id("stAlertContentError").first.wait_for(timeout=30_000)
    return page


def test_a_link_in_a_shared_query_is_shown_as_text(console, browser):  # noqa: F811
    url, _server = console
    page = _open(browser, f"{url}/sql?lang=en&_sql={urllib.parse.quote(PHISH)}")
    error = page.get_by_test_id("stAlertContentError").first
    shown = error.inner_text().replace("\u2060", "")  # a word joiner keeps addresses unlinked
    assert "[Session expired: log in again](http://127.0.0.1:9/phish)" in shown
    assert error.locator("a").count() == 0
    assert page.locator('a[href*="127.0.0.1:9"]').count() == 0
    page.close()


def test_a_query_that_would_take_the_memory_is_stopped_in_time(console, browser):  # noqa: F811
    url, server = console
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{url}/sql?lang=en")
    page.get_by_test_id("stTextArea").locator("textarea").wait_for(timeout=30_000)
    time.sleep(2)  # the page has started its spare worker
    before = status_bytes(server.pid)
    editor = page.get_by_test_id("stTextArea").locator("textarea")
    editor.fill("SELECT unnest(range(3000000000))")
    started = time.perf_counter()
    with PeakWatcher(server.pid) as peak:
        page.get_by_role("button", name="Run").click()
        error = page.get_by_test_id("stAlertContentError").first
        error.wait_for(timeout=(LIMIT + 10) * 1000)
        elapsed = time.perf_counter() - started
    text = error.inner_text()
    assert "The query was stopped" in text or "The result is larger" in text, text
    # The page's round trip adds to the limit; the query itself stops within it (unit tests).
    assert elapsed < LIMIT + 3, f"{elapsed:.1f} s"
    assert peak.child < sandbox.memory_budget(), f"worker {peak.child >> 20} MB"
    grown = peak.own - before
    assert grown < 100 * sandbox.MB, f"server grew by {grown >> 20} MB"
    page.screenshot(path=str(Path(__file__).parent / "artifacts" / "console_stopped_en.png"))
    page.close()
