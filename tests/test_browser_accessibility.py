"""Accessible to all readers, in a real Chromium.

axe-core (WCAG 2.1 A and AA rules, vendored in tests/assets/axe-core/) finds no critical or
serious violation on any page, in French and in English, and each page declares its language;
every chart has its text alternative (title = the finding, the measure, the data) before it and
its data table one action away; and a reader with a keyboard alone goes from the Overview to a
chart's PNG and puts the chart in the meeting deck."""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
TIMEOUT = 30_000
AXE = ROOT / "tests" / "assets" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PATHS = [
    "/",
    "/markets",
    "/money-flow",
    "/outcomes",
    "/establishments",
    "/annual",
    "/public-figures",
    "/scenario",
    "/associations",
    "/deck",
    "/present",
    "/explorer",
    "/queries",
    "/sql",
    "/dictionary",
    "/methodology",
    "/admin",
]
# The charts each page draws at least, on its first tab: waited for, then checked.
CHARTS = {
    "/": 1,
    "/markets": 1,
    "/money-flow": 1,
    "/outcomes": 1,
    "/establishments": 1,
    "/annual": 1,
    "/public-figures": 1,
    "/scenario": 2,
}
# Violations from Streamlit's own markup that nothing the app passes changes: (axe rule, CSS
# selector of the only elements it is ignored on). None silences a rule anywhere else.
EXCLUDED = [
    # st.navigation's sidebar list with sections: Streamlit puts each section in a <div> in the <ul>
    ("list", '[data-testid="stSidebarNavItems"]'),
    # st.navigation's sidebar links: each <li>'s parent is that section <div>, not the <ul>
    ("listitem", '[data-testid="stSidebarNavItems"] li'),
]
RUN_AXE = """async ([tags, excluded]) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], elementRef: true});
  const found = [];
  for (const rule of result.violations) {
    for (const node of rule.nodes) {
      const impact = node.impact || rule.impact;
      if (impact !== 'critical' && impact !== 'serious') continue;
      if (excluded.some(([id, css]) => id === rule.id && node.element.matches(css))) continue;
      found.push({rule: rule.id, impact, target: JSON.stringify(node.target), help: rule.help,
                  why: (node.failureSummary || '').replace(/\\s+/g, ' ')});
    }
  }
  return found;
}"""


DATA_WORDS = r"Données du graphique : \d+|Chart data: \d+"  # chart.alt_data


def _settle(page) -> None:
    """The page's script has run and what it drew is in place (as in test_browser_offline)."""
    page.get_by_test_id("stMainBlockContainer").wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)  # the status widget shows only after a short delay
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=TIMEOUT)
    page.wait_for_load_state("load")
    page.wait_for_timeout(1_000)


def axe_violations(page, where: str) -> list[str]:
    """axe-core's critical and serious violations on the page as it is now, one line each:
    where, rule, impact, the element's selector, what is wrong."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, [TAGS, EXCLUDED])
    return [
        f"{where}: {v['rule']} ({v['impact']}) at {v['target']}: {v['help']}. {v['why']}"
        for v in found
    ]


def chart_problems(page, where: str) -> list[str]:
    """Each chart drawn on the page: its text alternative starts with the chart's title, says
    what its data holds and is what a screen reader reads first of the chart; the expander with
    its data table follows it."""
    problems = []
    main = page.get_by_test_id("stMain")
    boxes = main.locator("[class*='st-key-chart_box_']")
    for i in range(boxes.count()):
        boxes.nth(i).locator(".js-plotly-plot .gtitle").first.wait_for(timeout=TIMEOUT)
    alone = main.locator(".js-plotly-plot").evaluate_all(
        "plots => plots.filter(p => !p.closest(\"[class*='st-key-chart_box_']\")).length"
    )
    if alone:
        problems.append(f"{where}: {alone} chart(s) without a text alternative")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        key = _key(box, "st-key-chart_box_")
        alt = box.locator(f".st-key-chart_alt_{key}")
        text = alt.text_content() if alt.count() else ""
        title = box.locator(".js-plotly-plot .gtitle").first.text_content() or ""
        if not title or not re.sub(r"\s", "", text).startswith(re.sub(r"\s", "", title)):
            problems.append(f"{where}: {key}: the alternative does not start with the title")
        # Read, not drawn: the sr-only rules of app.css leave it 1 px high, clipped away.
        size = alt.bounding_box() if alt.count() else None
        if size and size["height"] > 1:
            problems.append(f"{where}: {key}: the alternative is drawn on the page")
        # What the browser gives screen readers: the alternative first, then the chart.
        read = (box.aria_snapshot().splitlines() or [""])[0]
        if not (read.startswith("- text:") and re.search(DATA_WORDS, read)):
            problems.append(f"{where}: {key}: a screen reader does not read the alternative first")
        if page.locator(f".st-key-data_{key}").count() != 1:
            problems.append(f"{where}: {key}: no data table expander after the chart")
    return problems


def _drawn(page, path: str) -> None:
    """What the page draws is there: its title (the presentation's notice), its charts."""
    heading = "h1" if path != "/present" else "[data-testid='stAlert']"
    page.get_by_test_id("stMain").locator(heading).first.wait_for(timeout=TIMEOUT)
    if path in CHARTS:
        plots = page.locator("[class*='st-key-chart_box_'] .js-plotly-plot .gtitle")
        plots.nth(CHARTS[path] - 1).wait_for(timeout=TIMEOUT)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=TIMEOUT)


def _key(element, prefix: str) -> str:
    classes = element.get_attribute("class").split()
    return next(c for c in classes if c.startswith(prefix)).removeprefix(prefix)


def _warm(server, browser):  # noqa: F811
    """The Overview once, drawn in full: on a fresh server Streamlit resolves a first session's
    page URL against the pages/ folder before app.py has declared its navigation."""
    page = browser.new_page()
    page.goto(server)
    page.get_by_test_id("stMetric").nth(3).wait_for(timeout=60_000)
    page.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.timeout(900)
def test_every_page_passes_axe_and_every_chart_has_its_alternative(server, browser, lang):  # noqa: F811
    _warm(server, browser)
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    charts = 0
    for path in PATHS:
        page.goto(f"{server}{path}?lang={lang}")
        _settle(page)
        _drawn(page, path)
        where = f"{path}?lang={lang}"
        assert "Traceback" not in page.inner_text("body"), where
        # The document says the page's language: a screen reader picks its voice from it.
        assert page.evaluate("document.documentElement.lang") == lang, where
        problems += chart_problems(page, where)
        problems += axe_violations(page, where)
        charts += page.get_by_test_id("stMain").locator(".js-plotly-plot").count()
    context.close()
    assert charts >= sum(CHARTS.values())  # the chart checks ran
    assert problems == [], "\n".join(problems)


def _focused(page, test: str) -> bool:
    return page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({test}); }}")


def _tab_to(page, test: str, key: str = "Tab", limit: int = 150) -> None:
    """Press `key` (Tab or Shift+Tab) until the focused element passes the JavaScript `test`
    (on `e`, the focused element)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if _focused(page, test):
            return
    pytest.fail(f"{test!r} not reached with {key} in {limit} presses")


def _named(name: str) -> str:
    """A test on the focused element's text (after its icon's name, if it has one)."""
    return f"(e.innerText || '').trim().endsWith({name!r})"


def test_keyboard_alone_downloads_a_png_and_fills_the_deck(server, browser):  # noqa: F811
    _warm(server, browser)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    page.locator(".st-key-chart_market_by_kind .js-plotly-plot").wait_for(timeout=TIMEOUT)
    _settle(page)
    problems: list[str] = []

    # The way through the pages shows where the keyboard is: a clear ring on a page link.
    _tab_to(page, "e.dataset.testid === 'stSidebarNavLink'")
    style, width = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style != "none" and float(width.removesuffix("px")) >= 2, (style, width)

    # The data table, one action away: the expander right after the chart, opened with Enter.
    _tab_to(page, "e.closest('.st-key-data_market_by_kind') !== null")
    page.keyboard.press("Enter")
    table = page.locator(".st-key-data_market_by_kind").get_by_test_id("stDataFrame")
    table.wait_for(timeout=TIMEOUT)
    _settle(page)
    problems += axe_violations(page, "/ (data table open)")

    # The export menu: its button, then the PNG.
    menu = "e.closest('.st-key-exports_market_by_kind') !== null"
    if not _focused(page, menu):
        _tab_to(page, menu)
    page.keyboard.press("Enter")
    _tab_to(page, _named("Image PNG (diapositives)"))
    page.wait_for_timeout(300)
    problems += axe_violations(page, "/ (export menu open)")
    page.screenshot(path=ARTIFACTS / "keyboard_export_menu_fr.png")
    with page.expect_download(timeout=120_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "maillon_market_by_kind.png"
    data = Path(download.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000

    # Into the deck, from the menu, still open. Streamlit disables a download button while it
    # fetches the file drawn on demand, which drops the focus; Shift+Tab goes back to the menu.
    _tab_to(page, menu, "Shift+Tab", limit=3)
    _tab_to(page, _named("Ajouter à la présentation"), limit=6)
    page.keyboard.press("Enter")
    page.get_by_text("graphiques : 1").first.wait_for(timeout=TIMEOUT)

    # To the deck page by its link in the navigation, with the keyboard.
    _tab_to(page, f"e.tagName === 'A' && {_named('Présentation de réunion')}", "Shift+Tab", 300)
    page.keyboard.press("Enter")
    item = page.locator(".st-key-deck_item_0")
    item.wait_for(timeout=TIMEOUT)
    _settle(page)
    assert "de la valeur des marchés" in item.inner_text()
    problems += axe_violations(page, "/deck (one chart)")

    # The presentation of that deck, by the deck page's own link.
    _tab_to(page, f"e.tagName === 'A' && {_named('Mode présentation')}", limit=300)
    page.keyboard.press("Enter")
    page.locator(".st-key-present_chart .js-plotly-plot").last.wait_for(timeout=TIMEOUT)
    _settle(page)
    problems += axe_violations(page, "/present (one slide)")
    context.close()
    assert problems == [], "\n".join(problems)
