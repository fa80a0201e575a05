"""Public figures (« Repères publics »): every published figure of data/reference/public-facts.csv
on the page, in French and in English, with its date, its link and a text to cite it; figures that
compare drawn as a chart whose title states the largest; a figure put into the meeting deck with
its source; how old a figure is."""

import csv
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from maillon.data.paths import REFERENCE_DIR
from maillon.exports import basket
from maillon.figures import public_figures
from maillon.figures.public_figures import PublicFigure
from tests.page_helpers import annotations, open_page, open_tab, titled

TODAY = date(2026, 11, 30)


def _published() -> list[dict]:
    with open(REFERENCE_DIR / "public-facts.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _labels() -> dict[str, dict]:
    with open(REFERENCE_DIR / "public-facts-labels.csv", encoding="utf-8", newline="") as handle:
        return {row["fact_id"]: row for row in csv.DictReader(handle)}


class _CardReader(HTMLParser):
    """The cards of a theme as the browser gets them: how many, and their links."""

    def __init__(self) -> None:
        super().__init__()
        self.cards, self.links, self.texts = 0, [], []

    def handle_starttag(self, tag, attrs):
        self.cards += tag == "li"
        if tag == "a":
            self.links.append(dict(attrs))

    def handle_data(self, data):
        self.texts.append(data)


def _cards(at) -> _CardReader:
    reader = _CardReader()
    for element in at.get("html"):
        if "maillon-facts" in element.proto.body:
            reader.feed(element.proto.body)
    return reader


def _every_tab(lang: str):
    """The page with each theme tab opened in turn and each of its figures chosen in the cite
    panel: (cite texts, cards, links, deck keys, the cards' texts)."""
    at = open_page("public_figures", lang=lang)
    cites, cards, links, keys, texts = [], 0, [], [], []
    for label in [tab.label for tab in at.tabs]:
        open_tab(at, "public_theme", label)
        shown = _cards(at)
        cards += shown.cards
        links += shown.links
        texts += shown.texts
        (pick,) = at.selectbox
        for index in range(len(pick.options)):
            at.selectbox[0].select_index(index).run()
            (code,) = at.code
            cites.append(code.value)
            keys += [b.key for b in at.button if b.key.startswith("deck_add_public_")]
    return at, cites, cards, links, keys, texts


# What the transcription says of its publishers in English: never on a French page.
ENGLISH_QUALIFIERS = (
    "citing",
    "company site",
    "archived press",
    "trade press",
    "third-party copy",
    "court decision",
    "copy on",
    "org copy",
    "interview",
    'brochure "',
    "OIP guide",
)
YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


def _english_qualifiers(text: str) -> list[str]:
    return [words for words in ENGLISH_QUALIFIERS if words.lower() in text.lower()]


def _repeated_years(text: str) -> list[str]:
    years = YEAR.findall(text)
    return sorted({year for year in years if years.count(year) > 1})


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_published_figure_is_shown_with_its_date_link_and_value(built_db, lang):
    _, cites, cards, links, keys, texts = _every_tab(lang)
    published, labels = _published(), _labels()
    assert len(published) == 39 and len(cites) == 39 and cards == 39
    assert len(set(keys)) == 39 + 3  # a deck button for each figure and each of the 3 series
    hrefs = [link["href"] for link in links]
    assert all(link["target"] == "_blank" and "noopener" in link["rel"] for link in links)
    unused = list(cites)
    for row in published:
        fact_id = row["metric"]
        if fact_id not in labels:  # two figures of one metric: told apart by their year
            fact_id += "_" + re.search(r"\d{4}", row["reference_date"])[0]
        label = labels[fact_id]
        cite = next(
            c for c in unused if c.startswith(label[f"label_{lang}"]) and label[f"date_{lang}"] in c
        )
        unused.remove(cite)
        assert row["source_url"] in cite and label[f"publisher_label_{lang}"] in cite
        assert row["source_url"] in hrefs
        if label["unit_kind"] != "text":  # the number as published, in the language's format
            assert _digits(row["value"]).rstrip("0") in _digits(
                cite[len(label[f"label_{lang}"]) :].split("(")[0]
            )
    assert unused == []
    # the publisher in the page's language, on the cards and in the cite text (issue: the French
    # page said "GEPSA (company site)", "Bakchich citing ...")
    shown = " ".join(cites + texts)
    if lang == "fr":
        assert _english_qualifiers(shown) == []
        assert "GEPSA (site de l'entreprise)" in shown and "Bakchich, citant" in shown
    else:
        assert "GEPSA (company site)" in shown and "Bakchich citing" in shown


def test_numbers_are_written_as_each_language_writes_them(built_db):
    shown = {
        lang: {figure.fact_id: figure.value for figure in public_figures.figures(lang, TODAY)}
        for lang in ("fr", "en")
    }
    assert shown["fr"]["market_share_sodexo"] == "42,8\u202f%"
    assert shown["en"]["market_share_sodexo"] == "42.8%"
    assert shown["fr"]["operational_places"] == "56\u202f992"
    assert shown["en"]["operational_places"] == "56,992"
    assert shown["fr"]["price_coffee_250g_before"] == "1,85\xa0€"
    assert shown["en"]["price_coffee_250g_after"] == "€6.57"
    assert shown["en"]["budgeted_payments_to_private_operators_sodexo_gepsa_idex"] == "€323M"


def test_a_series_is_drawn_with_a_title_that_states_the_largest(built_db):
    at = open_page("public_figures", lang="fr")
    spec = titled(at, "En 2015, Sodexo détenait 42,8")
    bars = spec["data"][0]
    published = {r["metric"]: r["value"] for r in _published()}
    assert bars["x"] == pytest.approx(
        [
            float(published[m]) / 100
            for m in ("market_share_sodexo", "market_share_gepsa_engie", "market_share_idex")
        ]
    )
    source = next(a for a in annotations(spec) if a.startswith("Source"))
    assert source.count("ash.tm.fr") == 1  # one page read, named once
    assert bars["marker"]["color"] == ["#D55E00"] * 3  # the for-profit colour: Sodexo, Gepsa, Idex


def test_a_figure_goes_into_the_deck_with_its_source_and_no_filters(built_db):
    at = open_page("public_figures", lang="fr")
    pick = at.selectbox(key="public_pick_gestion_deleguee")
    pick.set_value("establishments_with_private_partners").run()
    at.button(key="deck_add_public_establishments_with_private_partners").click().run()
    (slide,) = basket.slides(at.session_state)
    assert slide.title == "Établissements travaillant avec des partenaires privés"
    assert slide.key_figure == "71"
    assert (
        "OIP" in slide.source and "oip.org/en-bref/existe-t-il-des-prisons-privees" in slide.source
    )
    assert slide.mark == ""  # a published figure is real
    assert slide.filters_text == "Chiffre publié : les filtres ne s'appliquent pas"
    texts = [a["text"] for a in json.loads(slide.figure_json)["layout"]["annotations"]]
    assert "71" in texts and "établissements" in texts
    # On the projector the figure stays in its own large type (it was brought down to 16 px).
    sizes = {note.text: note.font.size for note in basket.for_screen(slide).layout.annotations}
    assert sizes["71"] == 72 and sizes["établissements"] >= 24


def _figure(
    years: int | None = 1, url: str = "https://oip.org/", scope: str = "France", when: str = "2009"
) -> PublicFigure:
    return PublicFigure(
        fact_id="f",
        theme="cantine",
        label="Prix",
        value="1 €",
        unit="",
        scope=scope,
        date=when,
        age_years=years,
        publisher="OIP",
        url=url,
        reliability="secondaire",
        series_id=None,
        is_text=False,
    )


def test_a_figure_says_how_old_it_is():
    assert _figure(17).age("fr") == "il y a 17 ans" and _figure(17).age("en") == "17 years old"
    assert _figure(1).age("fr") == "il y a 1 an" and _figure(1).age("en") == "1 year old"
    assert _figure(None).age("fr") == "non daté" and not _figure(None).is_old()
    assert _figure(5).is_old() and not _figure(4).is_old()


def test_only_web_addresses_become_links():
    assert _figure(url="https://oip.org/x").web_link == "https://oip.org/x"
    assert _figure(url="javascript:alert(1)").web_link is None
    assert _figure(url="data:text/html,<b>x</b>").web_link is None


def test_the_table_holds_the_file_as_published(built_db):
    from tests.conftest import open_db

    con = open_db(built_db)
    rows = con.execute(
        "SELECT metric, value_published, value_number, unit_kind, provenance FROM public_fact"
    ).fetchall()
    assert len(rows) == 39 and {r[4] for r in rows} == {"real"}
    published = {(r["metric"], r["value"]) for r in _published()}
    assert {(r[0], r[1]) for r in rows} == published
    for _, value, number, kind, _ in rows:
        if kind != "text":
            assert number == float(value)


def test_a_cards_text_is_shown_as_itself_and_says_when_it_is_old():
    """Figures come from an imported file: their texts are escaped, never HTML, and only a web
    address becomes a link."""
    from dataclasses import replace

    from maillon.web import fact_card

    hostile = replace(_figure(17), label="<script>x</script>", publisher="<img src=x>")
    card = fact_card.html(hostile, "fr")
    assert "<script>" not in card and "<img" not in card
    assert "&lt;script&gt;x&lt;/script&gt;" in card and "&lt;img src=x&gt;" in card
    assert 'class="badge old"' in card and "ancien" in card
    assert 'class="badge dated"' in fact_card.html(_figure(1), "en")
    assert "<a " not in fact_card.html(_figure(url="javascript:alert(1)"), "fr")
    quoted = fact_card.html(_figure(url='https://oip.org/"onmouseover="x'), "fr")
    assert 'href="https://oip.org/&quot;onmouseover=&quot;x"' in quoted


def test_every_figure_names_its_publisher_in_each_language():
    """Maillon's own words for who published each figure (public-facts-labels.csv): the French
    ones say « citant », « site de l'entreprise »..., never the transcription's English; proper
    names stay as published."""
    labels = _labels()
    assert len(labels) == 39
    for fact_id, label in labels.items():
        assert label["publisher_label_fr"].strip() and label["publisher_label_en"].strip(), fact_id
        assert _english_qualifiers(label["publisher_label_fr"]) == [], fact_id
    french = {label["publisher_label_fr"] for label in labels.values()}
    assert {
        "Bakchich (presse, archive)",
        "Santé & Travail, citant le ministère de la Justice",
        "GEPSA (site de l'entreprise)",
        "CAA Paris n°23PA00606 (décision de justice, copie sur Juricaf)",
        "Restauration collective (presse professionnelle), entretien avec la DAP-MGD",
        "Guide de l'OIP (copie sur prison.eu.org)",
        "ASH (Actualités sociales hebdomadaires)",
        "OIP",
    } <= french
    assert any("(copie par un tiers)" in p for p in french)
    assert any(
        "citant le commissaire aux droits de l'homme du Conseil de l'Europe" in p for p in french
    )
    english = {label["publisher_label_en"] for label in labels.values()}
    assert {"GEPSA (company site)", "Bakchich (archived press)", "OIP"} <= english


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_publishers_and_dates_read_right_in_cites_slides_and_charts(built_db, lang):
    """Every figure's cite text, its slide (title, subtitle, source and data) and the series
    charts: the publisher in the page's language, and no date said twice ("France, année 2020,
    2020" on the card's cite and the slide)."""
    figures = public_figures.figures(lang, TODAY)
    assert len(figures) == 39
    texts = []
    for figure in figures:
        cite = figure.cite(lang)
        where_when = cite.split(figure.value_with_unit, 1)[1].rsplit(". Source", 1)[0]
        assert _repeated_years(where_when) == [], cite
        chart = public_figures.figure_chart(figure.fact_id, lang, TODAY)
        assert _repeated_years(chart.caption.subtitle) == [], chart.caption.subtitle
        texts += [cite, chart.caption.source, *chart.table.row(0)]
    for theme in public_figures.THEMES:
        for series_id in public_figures.series_ids(theme):
            chart = public_figures.series_chart(series_id, lang)
            texts += [chart.caption.source, *(v for row in chart.table.rows() for v in row)]
    shown = " ".join(str(text) for text in texts)
    if lang == "fr":
        assert _english_qualifiers(shown) == [], _english_qualifiers(shown)
        assert "Source : GEPSA (site de l'entreprise), " in shown
    else:
        assert "Source: GEPSA (company site), " in shown


def test_a_scope_that_names_its_date_is_not_followed_by_it_again():
    dated = _figure(scope="France, année 2020", when="2020")
    assert "(France, année 2020)." in dated.cite("fr")
    assert dated.cite("fr").count("2020") == 1
    assert _figure(scope="France", when="2020").cite("en").count("(France, 2020).") == 1


def test_a_card_says_undated_once():
    from dataclasses import replace

    from maillon.web import fact_card

    undated = replace(_figure(None), date="non daté (page en ligne lors de la collecte)")
    assert fact_card.html(undated, "fr").count("non daté") == 1
    rule = replace(_figure(None), date="article D344 du code de procédure pénale")
    assert "article D344 du code de procédure pénale · non daté" in fact_card.html(rule, "fr")
