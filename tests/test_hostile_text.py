"""Imported and typed text is shown as itself, never as Markdown or HTML.

A database is built from the demo files with hostile text in what an admin can import: an
operator, an association (name, city), a joint action, taxonomy labels (operator kind, service
domain, destinations, destination category, indicator, establishment type, source) and, through
the reference file's reader, an establishment, its région and the départements. Every page is then
opened through AppTest in French and English, every tab in turn: no Markdown element (text,
caption, alert, title, label, tooltip) holds a link, a tag or Streamlit markup coming from that
text, and no Plotly figure holds a tag (Plotly draws <a href>, <b>, <span style> in any text).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from maillon.charts import draw
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.data.paths import DEMO_DIR, TAXONOMY_DIR
from maillon.database import build, reference
from maillon.exports import basket
from maillon.figures import associations
from maillon.i18n import t
from maillon.plain_text import WORD_JOINER, plain_markdown, plotly_text
from tests.conftest import APP
from tests.page_helpers import is_app_head, page_file

PAYLOAD = (
    "[Session expired: log in again](http://127.0.0.1:9/phish) "
    '<a href="http://127.0.0.1:9/x">x</a> <script>alert(1)</script> '
    "**bold** :red[x] $x$ www.evil.example phish@evil.example"
)
MARK = "Session expired"  # how a test finds the hostile text once escaped
URL_VALUE = "[x](http://127.0.0.1:9/p)"
SCENARIO_NAME = "[x](http://127.0.0.1:9/p) <script> $x$"  # a name has at most 40 characters

# What must never reach a Markdown body raw: a link, a tag, Markdown emphasis, Streamlit's colour
# and math syntax. Escaped, each of them has a backslash before its punctuation.
RAW_IN_MARKDOWN = re.compile(r"\]\(http|(?<!\\)<(a|script)\b|\*\*bold\*\*|:red\[x\]|\$x\$")
# A bare address that GitHub's autolink extension would link: it looks for them once the
# backslash escapes are read (ESCAPE), so escaping its punctuation is not enough.
AUTOLINKED = re.compile(r"https?://127\.0\.0\.1|www\.evil\.example|\w@evil\.example", re.I)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# What must never reach a Plotly text raw: the tags Plotly would draw (a link) or that a browser
# would run.
RAW_IN_PLOTLY = re.compile(r"<\s*(a|script|span|img)\b", re.IGNORECASE)

# What must never reach an st.html body raw (escaped static tables, cards): a tag a browser would
# run, or a link to the hostile address. Markdown's syntax is only text there.
RAW_IN_HTML = re.compile(r"<\s*script\b|href=[\"']?https?://127\.0\.0\.1:9", re.IGNORECASE)

# Element types whose text is never read as Markdown (st.text, code, tables) or is checked apart.
PLAIN_TYPES = {"text", "code", "arrow_data_frame", "dataframe", "table", "plotly_chart", "json"}
MARKDOWN_FIELDS = {"body", "label", "help"}


def hostile(text: str) -> str:
    return f"{text} {PAYLOAD}"


# ---------------------------------------------------------------- the hostile database


def _replace_rows(frame: pl.DataFrame, key: str, changes: dict[str, dict[str, str]]):
    """The frame with, for each key value in `changes`, its columns set to the new values."""
    for value, columns in changes.items():
        assert value in frame[key].to_list(), value
        frame = frame.with_columns(
            pl.when(pl.col(key) == value).then(pl.lit(v)).otherwise(pl.col(c)).alias(c)
            for c, v in columns.items()
        )
    return frame


def _rewrite(path: Path, key: str, changes: dict[str, dict[str, str]]) -> None:
    frame = pl.read_csv(path, infer_schema=False)
    if path.is_symlink():
        path.unlink()
    _replace_rows(frame, key, changes).write_csv(path)


def best_connected_association() -> str:
    """The association with the most partners: the network graph always labels it."""
    everything = associations.scope_params(Filters(0, 9999))
    nodes = queries.run("associations_network_nodes", **everything)
    return nodes.sort(["partners", "association_id"], descending=[True, False])[0, 0]


def hostile_establishment() -> dict:
    """The largest metropolitan establishment: the one whose names turn hostile."""
    frame = reference.establishments().filter(~pl.col("is_overseas"))
    return frame.sort("operational_capacity", descending=True, nulls_last=True).row(0, named=True)


def build_hostile(folder: Path) -> Path:
    """A database built from the demo files with hostile imported text (see the module doc)."""
    demo = folder / "demo"
    demo.mkdir()
    for path in DEMO_DIR.glob("*.csv"):
        (demo / path.name).symlink_to(path)
    _rewrite(demo / "operator.csv", "operator_id", {"op_001": {"name": hostile("Groupe")}})
    _rewrite(
        demo / "association.csv",
        "association_id",
        {best_connected_association(): {"name": hostile("Atelier"), "city": hostile("Ville")}},
    )
    _rewrite(demo / "joint_action.csv", "action_id", {"ja_015": {"title": hostile("Forum")}})

    taxonomy = folder / "taxonomy"
    shutil.copytree(TAXONOMY_DIR, taxonomy)
    for table, key, value, fr, en in (
        ("operator_kind", "kind_id", "for_profit", "Lucratif", "For-profit"),
        ("service_domain", "domain_id", "maintenance", "Maintenance", "Maintenance"),
        ("destination_category", "category_id", "family", "Familles", "Families"),
        ("indicator", "indicator_id", "detainees_employed", "Employés", "Employed"),
        ("establishment_type", "type_code", "MA", "Maison d'arrêt", "Remand prison"),
    ):
        changes = {value: {"label_fr": hostile(fr), "label_en": hostile(en)}}
        _rewrite(taxonomy / f"{table}.csv", key, changes)
    demo_source = {"title": hostile("Démo"), "title_en": hostile("Demo")}
    _rewrite(taxonomy / "source.csv", "source_id", {"maillon_demo": demo_source})
    # Every destination: a chart title names the largest one.
    destinations = pl.read_csv(taxonomy / "destination.csv", infer_schema=False)
    destinations.with_columns(
        pl.col("label_fr", "label_en").map_elements(hostile, return_dtype=pl.String)
    ).write_csv(taxonomy / "destination.csv")

    chosen = hostile_establishment()
    original = reference.establishments

    def establishments() -> pl.DataFrame:
        frame = original()
        return frame.with_columns(
            pl.when(pl.col("establishment_id") == chosen["establishment_id"])
            .then(pl.lit(hostile("CP")))
            .otherwise(pl.col("name"))
            .alias("name"),
            pl.when(pl.col("region_code") == chosen["region_code"])
            .then(pl.lit(hostile("Région")))
            .otherwise(pl.col("region_name"))
            .alias("region_name"),
            # every département: a chart title names the most crowded one
            pl.col("departement_name").map_elements(hostile, return_dtype=pl.String),
        )

    db = folder / "maillon.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "TAXONOMY_DIR", taxonomy)
        patch.setattr(reference, "establishments", establishments)
        build.build(db, demo, progress=lambda _line: None)
    return db


def hostile_database(tmp_path_factory) -> Path:
    """The hostile database, built once per test session in its temporary folder (it is only
    read: the browser test serves the same file)."""
    folder = tmp_path_factory.getbasetemp() / "hostile_text"
    db = folder / "maillon.duckdb"
    if not db.exists():  # published (a link to the version) once complete
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        build_hostile(folder)
    return db


@pytest.fixture(scope="module")
def hostile_db(built_db, tmp_path_factory):
    """The hostile database, and MAILLON_DB pointing at it for this module's tests only."""
    db = hostile_database(tmp_path_factory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAILLON_DB", str(db))
        queries.clear_cache()
        yield db
    queries.clear_cache()


# ---------------------------------------------------------------- reading what a page shows


def _strings(message, names: set[str]) -> list[str]:
    """The string fields called one of `names` in a protobuf message, at any depth."""
    found = []
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        for item in items:
            if hasattr(item, "ListFields"):
                found += _strings(item, names)
            elif field.name in names and isinstance(item, str):
                found.append(item)
    return found


class Seen:
    """Every Markdown text and every Plotly text of the runs of one page."""

    def __init__(self) -> None:
        self.markdown: list[str] = []
        self.plotly: list[str] = []
        self.html: list[str] = []

    def read(self, at: AppTest) -> None:
        assert not at.exception, [e.message for e in at.exception]
        for node in at._tree:
            proto = getattr(node, "proto", None)
            if proto is None:
                continue
            if node.type == "plotly_chart":
                self.plotly += list(_json_strings(json.loads(proto.spec)))
            elif node.type == "html":
                if not is_app_head(node):  # the app's own script, not imported text
                    self.html.append(proto.body)
            elif node.type not in PLAIN_TYPES:
                self.markdown += _strings(proto, MARKDOWN_FIELDS)

    def check(self, expect_hostile: bool = True) -> None:
        for text in self.markdown:
            assert not is_markup(text), text
        for text in self.plotly:
            assert not RAW_IN_PLOTLY.search(text), text
        for body in self.html:
            assert not RAW_IN_HTML.search(body), body
        if expect_hostile:
            assert any(MARK in text for text in self.markdown + self.plotly + self.html)


def is_markup(text: str) -> bool:
    """Whether Streamlit's Markdown would read some of the hostile text as markup or a link."""
    return bool(RAW_IN_MARKDOWN.search(text) or AUTOLINKED.search(ESCAPE.sub(r"\1", text)))


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _run(at: AppTest, seen: Seen) -> AppTest:
    at.run()
    seen.read(at)
    return at


def _open(page: str, lang: str, seen: Seen, **query) -> AppTest:
    """The app opened (Overview), then switched to the page `page` (its URL name)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    _run(at, seen)
    if page != "overview":
        at.switch_page(page_file(page))
        _run(at, seen)
    return at


def _every_tab(at: AppTest, seen: Seen, key: str, inner: str | None = None) -> None:
    """Open each tab of the lazy tabs `key` in turn (and of the tabs `inner` nested in one)."""
    outer = [tab.label for tab in at.tabs]
    for label in outer:
        at.session_state[key] = label
        _run(at, seen)
        if inner:
            for nested in [tab.label for tab in at.tabs if tab.label not in outer]:
                at.session_state[inner] = nested
                _run(at, seen)


# ---------------------------------------------------------------- every page

TABBED = {
    "markets": ("markets_tab", "markets_top_tab"),
    "money_flow": ("money_flow_tab", None),
    "outcomes": ("outcomes_tab", None),
    "associations": ("associations_tab", None),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", ["overview", *TABBED, "annual"])
def test_dashboards_show_imported_names_as_text(hostile_db, page, lang):
    seen = Seen()
    at = _open(page, lang, seen)
    if page in TABBED:
        _every_tab(at, seen, *TABBED[page])
    if page == "associations":
        at.session_state["associations_tab"] = at.tabs[0].label
        _run(at, seen)
        at.text_input(key="assoc_search").input("Session")
        _run(at, seen)
        heading = f"**{plain_markdown(hostile('Atelier'))}**"
        assert heading in [m.value for m in at.markdown]
    seen.check()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_establishments_show_imported_names_as_text(hostile_db, lang):
    seen = Seen()
    at = _open("establishments", lang, seen)
    _every_tab(at, seen, "establishments_tab")
    at.selectbox(key=f"establishment_{lang}").set_value(hostile_establishment()["establishment_id"])
    _run(at, seen)
    series = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert series["layout"]["title"]["text"].startswith(plotly_text(hostile("CP"))[:40])
    seen.check()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_filter_on_imported_labels_is_stated_as_text(hostile_db, lang):
    """The sidebar states the filters in force with their labels, which come from the data."""
    seen = Seen()
    chosen = hostile_establishment()
    at = _open("markets", lang, seen, kind="for_profit", region=chosen["region_code"])
    caption = at.sidebar.caption[0].value
    assert plain_markdown(hostile("Lucratif" if lang == "fr" else "For-profit")) in caption
    assert plain_markdown(hostile("Région")) in caption
    seen.check()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_deck_and_presentation_show_chart_titles_as_text(hostile_db, lang):
    """A chart whose title names a hostile domain (the largest), put in the deck: its title is
    plain text in the slide (for PowerPoint), and escaped on the deck and presentation pages."""
    seen = Seen()
    at = _open("markets", lang, seen)
    at.button(key="deck_add_market_by_domain").click()
    _run(at, seen)
    slide = at.session_state[basket.BASKET_KEY][0]
    assert slide.title.startswith(hostile("Maintenance"))
    at.switch_page("pages/deck_page.py")
    _run(at, seen)
    assert any(plain_markdown(slide.title) in m.value for m in at.markdown)
    at.switch_page("pages/present_page.py")
    _run(at, seen)
    assert at.header[0].value == plain_markdown(slide.title)
    seen.check()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_scenario_name_is_shown_as_text(hostile_db, lang):
    seen = Seen()
    at = _open("scenario", lang, seen)
    at.text_input[0].input(SCENARIO_NAME)
    _run(at, seen)
    [save] = [b for b in at.button if b.label == t(lang, "scenario.save")]
    save.click()
    _run(at, seen)
    assert [s.value for s in at.success] == [
        t(lang, "scenario.saved", name=plain_markdown(SCENARIO_NAME))
    ]
    seen.check(expect_hostile=False)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_pages_show_link_values_as_text(hostile_db, lang):
    """The explorer names what a link asked for and it does not know, as text; the other data
    pages show imported text in tables only."""
    seen = Seen()
    at = _open("explorer", lang, seen, _table=URL_VALUE)
    assert [w.value for w in at.warning] == [
        t(lang, "explorer.bad_link", items=plain_markdown(URL_VALUE))
    ]
    seen.check(expect_hostile=False)
    for page in ("dictionary", "methodology", "queries", "sql"):
        seen = Seen()
        _open(page, lang, seen)
        seen.check(expect_hostile=False)


def test_a_url_filter_value_gives_an_escaped_notice(hostile_db):
    seen = Seen()
    at = _open("overview", "fr", seen, kinds=URL_VALUE, kind=URL_VALUE)
    [notice] = at.warning
    assert plain_markdown(f"kind={URL_VALUE}") in notice.value
    assert plain_markdown(f"kinds={URL_VALUE}") in notice.value
    seen.check()


# ---------------------------------------------------------------- the helpers


def test_plain_markdown_escapes_links_addresses_and_streamlit_syntax():
    assert len(list(RAW_IN_MARKDOWN.finditer(PAYLOAD))) == 6  # each thing the check looks for
    assert len(list(AUTOLINKED.finditer(PAYLOAD))) == 4
    text = plain_markdown(PAYLOAD)
    assert not is_markup(text)
    assert ESCAPE.sub(r"\1", text).replace(WORD_JOINER, "") == PAYLOAD
    assert plain_markdown(None) == ""


def test_plotly_text_escapes_tags_and_keeps_the_text():
    text = plotly_text(PAYLOAD)
    assert not RAW_IN_PLOTLY.search(text) and "<" not in text and ">" not in text
    assert '"' in text  # Plotly does not decode &quot;: quotes stay as they are
    assert html.unescape(text) == PAYLOAD
    assert plotly_text("Scop & Scic") == "Scop &amp; Scic"


def test_a_caption_is_escaped_in_the_figure_and_kept_as_itself_for_the_deck():
    caption = Caption(title=PAYLOAD, subtitle=PAYLOAD, source=f"{PAYLOAD}\n{PAYLOAD}")
    fig = draw.style(go.Figure(), caption, "fr")
    assert fig.layout.title.text == plotly_text(PAYLOAD)
    assert fig.layout.annotations[0].text == f"{plotly_text(PAYLOAD)}<br>{plotly_text(PAYLOAD)}"
    chart = Chart(fig, pl.DataFrame(), caption)
    slide = basket.make_slide(chart, key="k", filters_text="", lang="fr")
    assert slide.title == PAYLOAD and slide.source == caption.source
