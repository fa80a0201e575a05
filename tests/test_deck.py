"""The deck basket (add, replace, order, remove) and the PowerPoint built from it, reopened with
python-pptx: slide count, titles, pictures, key figures, sources and speaker notes."""

import io
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


def test_the_deck_says_which_slides_stay_in_the_language_they_were_added_in(built_db):
    """A slide is the chart as drawn: after a switch to English, the deck says which slides are
    still in French, until they are added again."""
    from maillon.web import ui
    from tests.page_helpers import open_page

    at = open_page("overview", lang="fr")
    at.button(key="deck_add_market_by_kind").click().run()
    (slide,) = at.session_state[basket.BASKET_KEY]
    assert slide.lang == "fr" and basket.in_other_language(at.session_state, "en") == [1]
    at.switch_page("pages/deck_page.py").run()
    assert not at.warning
    # The language as the switch sets it (after a toast, AppTest no longer sees the sidebar).
    at.session_state[ui.LANG_KEY] = "en"
    at.run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("Slide 1 was added from a page in French")
    at.switch_page("pages/overview_page.py").run()
    at.button(key="deck_add_market_by_kind").click().run()
    at.switch_page("pages/deck_page.py").run()
    assert not at.warning
    assert at.session_state[basket.BASKET_KEY][0].lang == "en"


def test_the_speaker_notes_write_numbers_as_the_language_does(slides):
    market = slides[0]
    notes = basket.data_summary(market, "fr")
    year, _kind, value, share = market.table.row(0)
    first = notes.split("\n")[1]
    assert str(value) not in first and str(share) not in first  # not '10745413.2', '4.07'
    assert first.startswith(f"{year} | ") and "\u202f" in first and "," in first
