"""The dashboard pages in a real Chromium: filters through the URL, charts drawn, no exception,
screenshots in French and English (tests/artifacts/)."""

import pytest

from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PAGES = [
    # one chart per tab: the tabs are walked in test_every_tab_draws_its_chart
    ("", 1),  # the Overview
    ("markets", 1),
    ("money-flow", 1),
    ("outcomes", 1),
    ("establishments", 1),
    ("annual", 1),
]


@pytest.fixture(scope="module")
def warm(server, browser):  # noqa: F811
    """One visit of the home page first: on a fresh server, Streamlit's first session resolves a
    page URL against the pages/ folder before app.py has declared its navigation."""
    page = browser.new_page()
    page.goto(server)
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    page.close()
    return server


# The width of a laptop on a 1280 x 800 projector, the narrowest the charts are drawn for.
PROJECTOR_WIDTH = 1280

# The texts of each chart drawn (title, subtitle, source line, badges, legend, labels on the
# marks) that run past its edges, where the figure cuts them (the source line is one long line,
# wrapped by maillon.charts.draw.finish), and the labels on the marks cut by the plot's own edge
# (those Plotly clips to it: the labels above the tallest bar).
TEXTS_CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
  .flatMap(plot => {
    const edge = plot.querySelector('.main-svg').getBoundingClientRect();
    const plots = [...plot.querySelectorAll('.nsewdrag')].map(d => d.getBoundingClientRect());
    const texts = '.annotation-text, .gtitle, .gtitle-subtitle, .legendtext, .textpoint text';
    return [...plot.querySelectorAll(texts)].filter(text => {
      const box = text.getBoundingClientRect();
      if (!box.width) return false;
      if (box.right > edge.right + 1 || box.left < edge.left - 2) return true;
      if (!text.closest('.textpoint')) return false;  // a title's box includes its ascent
      if (box.top < edge.top - 1 || box.bottom > edge.bottom + 1) return true;
      if (!text.closest('[clip-path]')) return false;
      const centre = (box.left + box.right) / 2;
      const area = plots.find(a => a.left <= centre && centre <= a.right);
      return area && (box.top < area.top - 1 || box.bottom > area.bottom + 1);
    }).map(text => text.textContent.slice(0, 60)); })"""

# The charts whose left margin Plotly had to widen for their tick labels, drawing them a second
# time (maillon.charts.draw gives them the room beforehand), or that were given far more room
# than their labels take: (title, margin, labels' width) of each.
LEFT_MARGIN_OFF = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
  .map(plot => {
    const layout = plot._fullLayout;
    const labels = [...plot.querySelectorAll('.yaxislayer-above text')]
      .map(text => text.getBoundingClientRect().width);
    return [plot.querySelector('.gtitle').textContent.slice(0, 40), layout.margin.l,
            layout._size.l, Math.max(0, ...labels)];
  })
  .filter(([, given, drawn, labels]) => drawn > given || (given > 70 && given > labels + 36))"""

# Pairs of Sankey node labels drawn over one another (the labels of a middle column, right of
# its nodes, and those of the last, left of its nodes, share a gap).
LABELS_OVERLAP = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
  .flatMap(plot => {
    const labels = [...plot.querySelectorAll('.sankey-node .node-label')]
      .map(text => [text.textContent, text.getBoundingClientRect()])
      .filter(([, box]) => box.width);
    return labels.flatMap(([a, one], i) => labels.slice(i + 1)
      .filter(([, two]) => one.left < two.right - 1 && two.left < one.right - 1
                           && one.top < two.bottom - 1 && two.top < one.bottom - 1)
      .map(([b]) => [a, b])); })"""


# Tab bars wider than the page: their last tabs sit behind a scroll arrow, unseen on a projector.
TABS_HIDDEN = """() => [...document.querySelectorAll('[data-testid="stMain"] [role="tablist"]')]
  .filter(list => list.scrollWidth > list.clientWidth + 1).map(list => list.innerText)"""


def _open(browser, url: str, height: int = 1000, width: int = PROJECTOR_WIDTH):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    return page


@pytest.mark.parametrize(("path", "charts"), PAGES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_page_renders(warm, browser, path, charts, lang):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    query = "years=2022-2025" + ("&lang=en" if lang == "en" else "")
    page = _open(browser, f"{warm}/{path}?{query}", height=4200)
    assert page.locator(".js-plotly-plot").count() >= charts
    body = page.inner_text("body")
    assert "Traceback" not in body and page.get_by_test_id("stException").count() == 0
    mark = "DONNÉES ILLUSTRATIVES" if lang == "fr" else "ILLUSTRATIVE DATA"
    if path != "establishments":  # real data: no mark
        assert mark in page.locator(".js-plotly-plot").first.inner_text()
    if path not in ("annual", "establishments"):
        assert "2022–2025" in body
    page.locator(".js-plotly-plot").nth(charts - 1).wait_for(timeout=30_000)
    assert page.evaluate(TEXTS_CUT) == []
    assert page.evaluate(LEFT_MARGIN_OFF) == []
    assert page.evaluate(TABS_HIDDEN) == []
    page.screenshot(path=ARTIFACTS / f"{path or 'overview'}_{lang}.png", full_page=True)
    page.close()


TABS = {
    "markets": {
        "fr": [
            "Valeur par domaine",
            "Parts par type d'opérateur",
            "Par journée et par place",
            "Prix en cantine",
        ],
        "en": [
            "Value by domain",
            "Share by operator kind",
            "Per detention day and place",
            "Canteen prices",
        ],
    },
    "outcomes": {
        "fr": [
            "Ce que les marchés ont produit",
            "Coût par personne aidée",
            "Valeur sociale créée (SROI)",
        ],
        "en": [
            "What the markets produced",
            "Cost per person helped",
            "Social value created (SROI)",
        ],
    },
    "establishments": {
        "fr": ["Carte des établissements", "Par département"],
        "en": ["Map of establishments", "By département"],
    },
    "money-flow": {
        "fr": [
            "Du marché au résultat",
            "Le résultat en détail",
            "Affectations par année",
            "Par type d'opérateur",
        ],
        "en": [
            "From markets to result",
            "The result in detail",
            "Destinations by year",
            "By operator kind",
        ],
    },
}


@pytest.mark.parametrize("path", TABS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_tab_draws_its_chart(warm, browser, path, lang):  # noqa: F811
    page = _open(browser, f"{warm}/{path}?years=2022-2025&lang={lang}", height=1400)
    titles = []
    for number, label in enumerate(TABS[path][lang]):
        page.get_by_role("tab", name=label, exact=True).click()
        title = page.locator(".js-plotly-plot .gtitle").first
        if number:  # a new chart replaces the previous tab's
            page.wait_for_function(
                "(old) => { const t = document.querySelector('.js-plotly-plot .gtitle');"
                " return t && t.textContent !== old; }",
                arg=titles[-1],
                timeout=30_000,
            )
        titles.append(title.text_content())
        assert page.get_by_test_id("stException").count() == 0
        page.wait_for_timeout(500)
        assert page.evaluate(TEXTS_CUT) == [], label
        assert page.evaluate(LEFT_MARGIN_OFF) == [], label
        assert page.evaluate(LABELS_OVERLAP) == [], label
        page.screenshot(path=ARTIFACTS / f"{path}_tab{number + 1}_{lang}.png")
    assert len(set(titles)) == len(titles)
    page.close()


def test_a_filtered_markets_link(warm, browser):  # noqa: F811
    page = _open(browser, f"{warm}/markets?kind=for_profit&region=84&lang=en")
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    assert "For-profit company" in sidebar
    assert page.locator(".js-plotly-plot .bars path").count() > 3
    page.close()


def test_annual_prints_without_sidebar_or_widgets(warm, browser):  # noqa: F811
    page = _open(browser, f"{warm}/annual", height=3000)
    page.emulate_media(media="print")
    assert not page.get_by_test_id("stSidebar").is_visible()
    assert not page.get_by_test_id("stSelectbox").first.is_visible()
    assert page.get_by_test_id("stMetric").first.is_visible()
    page.screenshot(path=ARTIFACTS / "annual_print_fr.png", full_page=True)
    page.close()


# The width each chart is drawn at (Chromium prints a sheet laid out at the sheet's width, but a
# chart keeps the width Plotly drew it at on screen).
CHART_WIDTHS = """[...document.querySelectorAll('.js-plotly-plot')].map(
  (plot) => plot.querySelector('.main-svg').getBoundingClientRect().width)"""
SHEET_PX = 640  # an A4 or Letter sheet's text at 96 px an inch (maillon/web/assets/print_fit.js)


@pytest.mark.parametrize("path", ["annual", "network-annual"])
def test_a_printed_board_page_shows_its_charts_whole(warm, browser, path):  # noqa: F811
    """Printed on A4 from a wide screen, the targets chart kept its screen width and lost its
    right part (the labels past 100 %), and the export menu was printed: before printing, the
    charts are scaled to the sheet, and the menus are hidden; after, back to the screen."""
    page = _open(browser, f"{warm}/{path}", height=3000, width=1600)
    on_screen = page.evaluate(CHART_WIDTHS)
    assert on_screen and max(on_screen) > SHEET_PX
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert all(width <= SHEET_PX + 1 for width in page.evaluate(CHART_WIDTHS))
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(CHART_WIDTHS) == on_screen
    page.emulate_media(media="print")
    assert not page.get_by_test_id("stPopover").first.is_visible()
    # Printed as Chromium prints (its own beforeprint and afterprint), for a look.
    (ARTIFACTS / f"{path}_print_fr.pdf").write_bytes(page.pdf(format="A4"))
    page.close()
