"""What people see: the app in a real Chromium, through Playwright."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from maillon.serve import free_port, wait_until_healthy
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(built_db):
    yield from serve(built_db)


def serve(db: Path):
    """Run the app on a free port over `db` until the generator is closed; yields its URL."""
    for url, _process in serve_process(db):
        yield url


def serve_process(db: Path, **settings: str):
    """`serve`, with MAILLON_<NAME> settings, yielding the URL and the server's process."""
    port = free_port()
    env = {**os.environ, "MAILLON_DB": str(db)}
    env |= {f"MAILLON_{name.upper()}": value for name, value in settings.items()}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless=true",
            f"--server.port={port}",
            "--browser.gatherUsageStats=false",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, seconds=30)
    except TimeoutError:
        process.kill()
        pytest.fail("streamlit did not start")
    yield url, process
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it with apt-get")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def _wait_for_overview(page):
    page.get_by_test_id("stMetric").nth(3).wait_for(timeout=30_000)
    page.locator(".js-plotly-plot .bars path").first.wait_for(timeout=30_000)


def test_overview_in_chromium_french_then_english(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(server)
    _wait_for_overview(page)
    metrics = page.get_by_test_id("stMetric")
    assert metrics.count() == 8  # the four figures, the money beside the market value
    assert "Valeur des marchés" in metrics.nth(0).inner_text()
    assert page.evaluate("document.documentElement.lang") == "fr"  # read with a French voice
    assert page.locator(".js-plotly-plot .bars path").count() > 10
    assert (
        "DONNÉES ILLUSTRATIVES"
        in page.locator(".st-key-chart_market_by_kind .js-plotly-plot").inner_text()
    )
    page.screenshot(path=ARTIFACTS / "overview_fr.png")

    page.get_by_role("radio", name="EN", exact=True).click()
    page.get_by_text("Market value", exact=True).wait_for(timeout=30_000)
    _wait_for_overview(page)
    chart = page.locator(".st-key-chart_market_by_kind .js-plotly-plot")
    chart.get_by_text("ILLUSTRATIVE DATA").wait_for(timeout=30_000)
    assert "lang=en" in page.url
    assert page.evaluate("document.documentElement.lang") == "en"
    assert (
        "ILLUSTRATIVE DATA"
        in page.locator(".st-key-chart_market_by_kind .js-plotly-plot").inner_text()
    )
    page.screenshot(path=ARTIFACTS / "overview_en.png")
    page.close()


def test_a_shared_link_reproduces_the_filtered_view(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{server}/?years=2023-2025&kind=scop&kind=association&lang=en")
    _wait_for_overview(page)
    main = page.get_by_test_id("stMain")
    assert "2023–2025" in main.get_by_test_id("stCaptionContainer").first.inner_text()
    employed = page.get_by_test_id("stMetric").nth(3).inner_text()
    assert "People in prison employed in 2025" in employed
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    assert "Worker cooperative (SCOP)" in sidebar and "Association" in sidebar
    page.close()


# Whether any part of a label (each element `selector` finds) is cut: its text wider than its
# box (inline elements have no box of their own to cut them).
LABELS_CUT = """(selector) => [...document.querySelectorAll(selector)].map(label => [
  label.innerText, [label, ...label.querySelectorAll('*')].some(e =>
    getComputedStyle(e).display !== 'inline' && e.scrollWidth > e.clientWidth + 1)])"""
METRIC_LABELS = '[data-testid="stMain"] [data-testid="stMetricLabel"]'
PAGE_LINKS = '[data-testid="stMain"] [data-testid="stPageLink-NavLink"]'


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_headline_labels_are_whole_on_a_projector_screen(server, browser, lang):
    """At 1280 pixels wide, a label too long for its box wraps: none ends in an ellipsis."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/?lang={lang}")
    _wait_for_overview(page)
    labels = page.evaluate(LABELS_CUT, METRIC_LABELS)
    assert len(labels) >= 4 and any(len(text) > 30 for text, _ in labels)
    assert [text for text, cut in labels if cut] == []
    page.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_links_to_other_pages_are_whole_on_a_projector_screen(server, browser, lang):
    """The link under the money-flow headline (to the associations that carry the money) is a
    sentence in a third of the page: it wraps rather than being cut mid-word."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/money-flow?lang={lang}")
    page.locator(PAGE_LINKS).first.wait_for(timeout=30_000)
    links = page.evaluate(LABELS_CUT, PAGE_LINKS)
    assert any(len(text) > 60 for text, _ in links)
    assert [text for text, cut in links if cut] == []
    page.close()


def test_a_garbage_link_shows_a_notice_not_a_traceback(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/?years=banana&region=%3Cscript%3E")
    page.get_by_test_id("stAlert").first.wait_for(timeout=30_000)
    text = page.inner_text("body")
    assert "ignorés" in text and "Traceback" not in text
    page.close()
