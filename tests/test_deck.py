"""The deck basket (add, replace, order, remove) and the PowerPoint built from it, reopened with
python-pptx: slide count, titles, pictures, key figures, sources and speaker notes."""

import io
import json
from dataclasses import replace
from datetime import date

import polars as pl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from maillon.data.filters import Filters
from maillon.exports import basket, deck
from maillon.figures import outcomes, overview
from tests.page_helpers import market_value, years


@pytest.fixture(scope="module")
def slides(built_db):
    first, last = years(built_db)
    filters = Filters(first, last)
    market = overview.market_by_kind(filters)
    by_kind = outcomes.for_indicator(outcomes.by_year_kind(filters), "detainees_employed")
    return [
        basket.make_slide(chart, key=key, filters_text=f"Années : {first}–{last}", lang="fr")
        for key, chart in (
            ("market_by_kind", overview.market_chart(market, filters, "fr")),
            ("outcome_by_kind", outcomes.indicator_chart(by_kind, filters, "fr")),
        )
    ]


def test_a_slide_keeps_title_key_figure_source_and_mark(slides, built_db):
    market = slides[0]
    assert market.title.startswith("Les opérateurs de l'ESS réalisent")
    assert market.key_figure and market.key_figure in market.title
    assert market.key_figure.endswith("%")
    assert market.source.startswith("Source : ")
    assert market.mark == "DONNÉES ILLUSTRATIVES"
    # The table behind the slide sums to the market value computed from the base tables.
    first, last = years(built_db)
    total = market.table[market.table.columns[2]].sum()
    assert total == pytest.approx(market_value(built_db, first, last), rel=1e-6)


def test_basket_adds_replaces_moves_and_removes(slides):
    state: dict = {}
    first, second = slides
    assert basket.add(state, first) and basket.add(state, second)
    assert [s.key for s in basket.slides(state)] == ["market_by_kind", "outcome_by_kind"]
    basket.move(state, 1, -1)
    assert [s.key for s in basket.slides(state)] == ["outcome_by_kind", "market_by_kind"]
    basket.move(state, 0, -1)  # already first: nothing moves
    assert [s.key for s in basket.slides(state)] == ["outcome_by_kind", "market_by_kind"]
    basket.add(state, first)  # the same chart again replaces it in place
    assert len(basket.slides(state)) == 2 and basket.slides(state)[1] is first
    basket.remove(state, 0)
    assert [s.key for s in basket.slides(state)] == ["market_by_kind"]
    basket.clear(state)
    assert basket.slides(state) == []


def test_a_full_basket_refuses_more(slides, monkeypatch):
    monkeypatch.setattr(basket, "MAX_SLIDES", 1)
    state: dict = {}
    assert basket.add(state, slides[0])
    assert not basket.add(state, slides[1])
    assert len(basket.slides(state)) == 1


def test_deck_reopens_with_title_slide_then_one_slide_per_chart(slides):
    data = deck.build(slides, "fr", filters_text="Années : 2019–2025", day=date(2026, 3, 2))
    pptx = Presentation(io.BytesIO(data))
    assert len(pptx.slides) == 1 + len(slides)
    cover = " ".join(s.text_frame.text for s in pptx.slides[0].shapes if s.has_text_frame)
    assert "Maillon — présentation de réunion" in cover
    assert "2 mars 2026" in cover and "Années : 2019–2025" in cover
    for slide, item in zip(list(pptx.slides)[1:], slides, strict=True):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert texts[0] == item.title
        assert item.key_figure in texts and " ".join(item.source.splitlines()) in texts
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert pictures[0].image.content_type == "image/png"
        assert pictures[0].left + pictures[0].width <= pptx.slide_width
        notes = slide.notes_slide.notes_text_frame.text
        assert " | ".join(item.table.columns) in notes  # the data summary
        assert item.source in notes and "Filtres : Années : 2019–2025" in notes  # the method


def test_deck_in_english(slides):
    data = deck.build(slides[:1], "en", filters_text="Years: 2019–2025", day=date(2026, 3, 2))
    pptx = Presentation(io.BytesIO(data))
    cover = " ".join(s.text_frame.text for s in pptx.slides[0].shapes if s.has_text_frame)
    assert "Maillon — meeting deck" in cover and "Filters: Years: 2019–2025" in cover
    assert "Chart data:" in pptx.slides[1].notes_slide.notes_text_frame.text


def test_notes_cap_long_tables():
    table = pl.DataFrame({"a": list(range(30))})
    item = basket.Slide("k", "t", "", "{}", table, "", "", "", "", "en")
    summary = basket.data_summary(item, "en", rows=5)
    assert summary.splitlines()[:2] == ["a", "0"]
    assert "25 more rows" in summary


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_money_flow_slide_shows_what_went_to_reinsertion_and_families(built_db, lang):
    from maillon.figures import money_flow
    from maillon.i18n import money

    filters = Filters(2019, 2025)
    slide = basket.make_slide(
        money_flow.sankey_view(filters, lang), key="money_flow", filters_text="", lang=lang
    )
    # The finding, not the market value that the flow starts from.
    returned = money(money_flow.FlowTotals.of(money_flow.links(filters)).returned_eur, lang)
    assert slide.key_figure == returned and returned in slide.title


@pytest.mark.parametrize(
    ("page", "button", "english_title"),
    [
        ("overview", "deck_add_market_by_kind", "ESS operators earned"),
        ("markets", "deck_add_market_by_domain", "of markets in 2024"),
        ("annual", "deck_add_annual_targets", "targets met"),
    ],
)
def test_slides_added_in_french_are_remade_in_english_after_the_switch(
    built_db, page, button, english_title
):
    """A slide is remade in the reader's language from the filters it was drawn for: after a
    switch to English, the deck and the presentation show it in English, filters included."""
    from maillon.web import ui
    from tests.page_helpers import open_page

    at = open_page(page, lang="fr", years="2021-2024")
    at.button(key=button).click().run()
    (french,) = basket.slides(at.session_state)
    assert french.lang == "fr" and french.filters_text.startswith("Années : 2021–2024")
    # The language as the switch sets it (after a toast, AppTest no longer sees the sidebar).
    at.session_state[ui.LANG_KEY] = "en"
    at.switch_page("pages/deck_page.py").run()
    assert not at.exception and not at.warning
    (english,) = basket.slides(at.session_state)
    assert english.lang == "en" and english.key == french.key
    assert english_title in english.title and english.title != french.title
    assert english.filters_text.startswith("Years: 2021–2024")
    # The slide's image says for which filters it was drawn, under its source line.
    for slide, line in (
        (french, "Filtres : Années : 2021–2024"),
        (english, "Filters: Years: 2021–2024"),
    ):
        notes = [a["text"] for a in json.loads(slide.figure_json)["layout"]["annotations"]]
        assert any(n.startswith("Source") and line in n for n in notes), notes
    assert english.source.startswith("Source: ")
    # The same figures, in English: the table has as many rows and the same totals.
    assert english.table.height == french.table.height
    numbers = [c for c, d in english.table.schema.items() if d.is_numeric()]
    assert [english.table[c].sum() for c in numbers] == [
        french.table[c].sum() for c in french.table.columns if french.table[c].dtype.is_numeric()
    ]
    assert english_title in " ".join(md.value for md in at.markdown)
    at.switch_page("pages/present_page.py").run()
    assert not at.exception and english_title in at.header[0].value


def _remakeable_slide(built_db, version: str | None = None) -> basket.Slide:
    """The Overview's chart as its page puts it in the deck, drawn from `version` of the data
    (by default the one in service)."""
    from maillon.data import queries
    from maillon.web import chart_menu

    filters = Filters(*years(built_db))
    return chart_menu._slide(
        overview.market_view(filters, "fr"),
        "market_by_kind",
        "fr",
        None,
        lambda lang: overview.market_view(filters, lang),
        version or queries.current_version(),
    )


def test_a_slide_is_remade_while_the_data_is_the_same(built_db):
    state: dict = {}
    basket.add(state, _remakeable_slide(built_db))
    assert basket.translate(state, "en") == []
    english = basket.slides(state)[0]
    assert english.lang == "en" and english.title.startswith("ESS operators earned")
    assert basket.translate(state, "fr") == []
    assert basket.slides(state)[0].title.startswith("Les opérateurs de l'ESS réalisent")


def test_a_slide_is_not_remade_once_the_data_has_changed(built_db):
    """After an import the same filters give other figures: such a slide stays as it was."""
    state: dict = {}
    stale = _remakeable_slide(built_db, version="/a/version/replaced/since")
    basket.add(state, stale)
    assert basket.translate(state, "en") == [1]
    assert basket.slides(state) == [stale]


def test_translate_leaves_slides_that_cannot_be_remade(slides):
    state: dict = {}
    basket.add(state, slides[0])  # no way to draw it again
    assert basket.translate(state, "en") == [1]
    assert basket.slides(state) == [slides[0]]
    assert basket.translate(state, "fr") == []


def test_the_deck_says_which_slides_could_not_be_remade(built_db):
    from maillon.web import ui
    from tests.page_helpers import open_page

    at = open_page("deck", lang="fr")
    at.session_state[basket.BASKET_KEY] = [_remakeable_slide(built_db, version="/replaced")]
    at.session_state[ui.LANG_KEY] = "en"
    at.run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("Slide 1 was added from a page in French and cannot be made again")
    assert basket.slides(at.session_state)[0].lang == "fr"


def test_the_speaker_notes_write_numbers_as_the_language_does(slides):
    market = slides[0]
    notes = basket.data_summary(market, "fr")
    year, _kind, value, share = market.table.row(0)
    first = notes.split("\n")[1]
    assert str(value) not in first and str(share) not in first  # not '10745413.2', '4.07'
    assert first.startswith(f"{year} | ") and "\u202f" in first and "," in first


def test_the_title_slide_gives_the_filters_the_slides_share_or_says_each_has_its_own(slides):
    assert basket.common_filters(slides, "fr") == slides[0].filters_text
    other = replace(slides[1], filters_text="Années : 2021–2024 ; DISP : PARIS")
    mixed = basket.common_filters([slides[0], other], "fr")
    assert mixed == "propres à chaque diapositive, sous sa source"
    data = deck.build([slides[0], other], "fr", filters_text=mixed, day=date(2026, 3, 2))
    cover = " ".join(
        s.text_frame.text
        for s in Presentation(io.BytesIO(data)).slides[0].shapes
        if s.has_text_frame
    )
    assert "Filtres : propres à chaque diapositive" in cover
