"""Exports in a real Chromium: a chart image downloaded, a deck built from two pages and
downloaded, presentation mode stepped through with the buttons and the keyboard; screenshots
(one at projector size, 1920x1080) in tests/artifacts/."""

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest
from pptx import Presentation

from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.exports import report
from tests.page_helpers import years
from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
TIMEOUT = 30_000
DAY = date(2026, 3, 2)


def _wait_for_chart(page, key: str):
    chart = page.locator(f".st-key-chart_{key} .js-plotly-plot")
    chart.wait_for(timeout=TIMEOUT)
    return chart


def _open_exports(page, key: str):
    """Open the chart's export menu; its buttons are then the only ones of their name."""
    page.locator(f".st-key-exports_{key}").get_by_role("button").click()


def _add_to_deck(page, key: str, label: str, toast: str):
    _open_exports(page, key)
    page.get_by_role("button", name=label).click()
    page.get_by_text(toast).first.wait_for(timeout=TIMEOUT)


def _first_chart_key(page) -> str:
    page.locator("[class*='st-key-exports_']").first.wait_for(timeout=TIMEOUT)
    classes = page.locator("[class*='st-key-exports_']").first.get_attribute("class")
    return next(c for c in classes.split() if c.startswith("st-key-exports_")).removeprefix(
        "st-key-exports_"
    )


def test_chart_downloads_as_png(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(server)
    _wait_for_chart(page, "market_by_kind")
    _open_exports(page, "market_by_kind")
    page.screenshot(path=ARTIFACTS / "export_menu_fr.png")
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Image PNG (diapositives)").click()
    assert download.value.suggested_filename == "maillon_market_by_kind.png"
    data = Path(download.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    page.close()


def test_deck_from_two_pages_then_presentation_mode(server, browser):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(server)
    _wait_for_chart(page, "market_by_kind")
    _add_to_deck(page, "market_by_kind", "Ajouter à la présentation", "graphiques : 1")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Marchés et opérateurs").click()
    key = _first_chart_key(page)
    _wait_for_chart(page, key)
    _add_to_deck(page, key, "Ajouter à la présentation", "graphiques : 2")
    page.screenshot(path=ARTIFACTS / "export_controls_fr.png")

    page.get_by_test_id("stSidebar").get_by_role("link", name="Présentation de réunion").click()
    items = page.locator("[class*='st-key-deck_item_']")
    items.nth(1).wait_for(timeout=TIMEOUT)
    assert items.count() == 2
    titles = [items.nth(i).locator("strong").first.inner_text() for i in range(2)]
    assert titles == ["1.", "2."]
    first_title = items.nth(0).inner_text()
    # Order: move the second chart up, the first becomes second.
    items.nth(1).get_by_role("button").first.click()
    page.wait_for_function(
        "t => document.querySelector('.st-key-deck_item_1').innerText.includes(t)",
        arg=first_title.split("\n")[0][3:40],
        timeout=TIMEOUT,
    )
    page.screenshot(path=ARTIFACTS / "deck_fr.png", full_page=True)

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Télécharger le PowerPoint (graphiques : 2)").click()
    pptx = Presentation(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(pptx.slides) == 3
    slide_titles = [next(s for s in sl.shapes if s.has_text_frame).text for sl in pptx.slides]
    assert slide_titles[2] in first_title  # moved down: now the last slide

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_role("link", name="Mode présentation").last.click()
    chart = _present_chart(page)
    chart.wait_for(timeout=TIMEOUT)
    controls = page.locator(".st-key-present_controls")
    controls.get_by_text("1 / 2").wait_for(timeout=TIMEOUT)
    # The page's stylesheet hides the sidebar once mounted (a moment after the chart, under load).
    page.get_by_test_id("stSidebar").wait_for(state="hidden", timeout=TIMEOUT)
    assert "_slide=1" in page.url
    page.screenshot(path=ARTIFACTS / "present_1920_fr_1.png")
    page.keyboard.press("ArrowRight")
    controls.get_by_text("2 / 2").wait_for(timeout=TIMEOUT)
    assert "_slide=2" in page.url
    _present_chart(page).wait_for(timeout=TIMEOUT)
    page.screenshot(path=ARTIFACTS / "present_1920_fr_2.png")
    controls.get_by_role("button", name="Précédent").click()
    controls.get_by_text("1 / 2").wait_for(timeout=TIMEOUT)
    page.keyboard.press("ArrowLeft")  # already on the first: stays
    controls.get_by_text("1 / 2").wait_for(timeout=TIMEOUT)
    # On smaller projectors too, the whole slide is in sight: the chart (its source line at its
    # foot) ends above the screen's bottom edge.
    for size in ({"width": 1280, "height": 800}, {"width": 1024, "height": 768}):
        page.set_viewport_size(size)
        page.wait_for_timeout(1000)  # Plotly draws again to its new box
        box = _present_chart(page).bounding_box()
        assert box["height"] > 300 and box["y"] + box["height"] <= size["height"], size
        page.screenshot(path=ARTIFACTS / f"present_{size['width']}_fr_1.png")
    page.close()


def _present_chart(page):
    # While a slide changes, the previous slide's chart can still be in the page for a moment.
    return page.locator(".st-key-present_chart .js-plotly-plot").last


def test_english_deck_and_presentation(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{server}/?lang=en")
    _wait_for_chart(page, "market_by_kind")
    _add_to_deck(page, "market_by_kind", "Add to the deck", "charts: 1")
    page.screenshot(path=ARTIFACTS / "export_controls_en.png")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Meeting deck").click()
    page.locator(".st-key-deck_item_0").wait_for(timeout=TIMEOUT)
    page.screenshot(path=ARTIFACTS / "deck_en.png", full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_role("link", name="Presentation mode").last.click()
    _present_chart(page).wait_for(timeout=TIMEOUT)
    page.locator(".st-key-present_controls").get_by_text("1 / 1").wait_for(timeout=TIMEOUT)
    page.screenshot(path=ARTIFACTS / "present_1920_en.png")
    page.close()


def test_annual_report_downloads_as_pdf(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{server}/annual?_year=2024")
    button = page.get_by_role("button", name="Télécharger le rapport annuel (PDF)")
    button.wait_for(timeout=TIMEOUT)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    assert download.value.suggested_filename == "maillon_rapport_annuel_2024.pdf"
    pages = pypdf.PdfReader(download.value.path()).pages
    assert len(pages) == len(report.SECTIONS)
    assert pages[0].extract_text().startswith("Rapport annuel 2024")
    page.close()


def test_presentation_mode_is_reachable_by_url(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/present")
    page.get_by_text("Le mode présentation montre").wait_for(timeout=TIMEOUT)
    assert "Traceback" not in page.inner_text("body")
    page.close()


def test_board_report_print_layout(built_db, browser):  # noqa: F811
    """The report's print page as Chromium lays it out, for a look (the PDF itself is tested in
    test_report.py)."""
    options = FilterOptions.from_frame(queries.run("filter_options"))
    _first, last = years(built_db)
    for lang in ("fr", "en"):
        html = report.build_html(Filters.default(options), options, last, lang, DAY)
        page = browser.new_page(viewport={"width": 794, "height": 1123})
        page.set_content(html)
        page.emulate_media(media="print")
        page.screenshot(path=ARTIFACTS / f"report_{lang}.png", full_page=True)
        assert page.locator("section").count() == len(report.SECTIONS)
        page.close()
