"""The annual board report as PDF: the expected pages in order, the annual page's headline
figures in its text (and the market value checked against the base tables), reproducible."""

import io
import re
from datetime import date

import pypdf
import pytest

from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.exports import report
from maillon.i18n import money
from tests.page_helpers import market_value, open_page, years

DAY = date(2026, 3, 2)


def squeeze(text: str) -> str:
    """Text without any kind of space: PDF extraction does not keep narrow no-break spaces."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def options(built_db):
    return FilterOptions.from_frame(queries.run("filter_options"))


@pytest.fixture(scope="module")
def pdf_pages(built_db, options):
    _first, last = years(built_db)
    data = report.build(Filters.default(options), options, last, "fr", DAY)
    assert data[:5] == b"%PDF-"
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_one_page_per_section_in_order(pdf_pages, built_db):
    _first, last = years(built_db)
    assert len(pdf_pages) == len(report.SECTIONS)
    starts = [
        f"Rapport annuel {last}",
        f"Chiffres clés {last}",
        "Objectifs et réalisations",
        "Valeur des marchés par type d'opérateur",
        "Méthodologie",
    ]
    for text, start in zip(pdf_pages, starts, strict=True):
        assert text.startswith(start), text[:80]
    assert "Provenance des chiffres : DONNÉES ILLUSTRATIVES" in pdf_pages[0]  # from the rows
    assert "Sources" in pdf_pages[-1]


def test_headline_figures_are_the_annual_pages(pdf_pages, built_db):
    _first, last = years(built_db)
    at = open_page("annual")
    figures_page = squeeze(pdf_pages[1])
    for metric in at.metric:
        assert squeeze(metric.value) in figures_page, metric.label
        assert squeeze(metric.delta) in figures_page, metric.label
    # And the market value agrees with the base tables, not only with the page.
    assert squeeze(money(market_value(built_db, last, last), "fr")) in figures_page


def test_english_report(built_db, options):
    _first, last = years(built_db)
    data = report.build(Filters.default(options), options, last, "en", DAY)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert pages[0].startswith(f"Annual report {last}")
    assert squeeze(money(market_value(built_db, last, last), "en")) in squeeze(pages[1])


def test_same_inputs_give_the_same_report(built_db, options, pdf_pages):
    _first, last = years(built_db)
    html = report.build_html(Filters.default(options), options, last, "fr", DAY)
    assert html == report.build_html(Filters.default(options), options, last, "fr", DAY)
    again = report.build(Filters.default(options), options, last, "fr", DAY)
    assert [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(again)).pages] == pdf_pages


def test_a_year_without_data_gives_no_report(built_db, options):
    first, _last = years(built_db)
    assert report.build(Filters.default(options), options, first - 5, "fr", DAY) is None


def test_text_from_the_data_is_escaped(built_db, options, monkeypatch):
    _first, last = years(built_db)
    monkeypatch.setattr(report.annual, "highlights", lambda *a: ("<script>alert(1)</script>",))
    html = report.build_html(Filters.default(options), options, last, "fr", DAY)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_english_report_names_its_sources_licences_in_english(built_db, options):
    """The Sources table of the English PDF read 'chiffres du ministère'."""
    _first, last = years(built_db)
    english = report.build_html(Filters.default(options), options, last, "en", DAY)
    french = report.build_html(Filters.default(options), options, last, "fr", DAY)
    assert "coordinates); the ministry&#x27;s figures</td>" in english
    assert "chiffres du ministère" not in english
    assert "coordonnées); chiffres du ministère</td>" in french
    assert "CC-BY-4.0" in english and "CC-BY-4.0" in french  # the same in both: no English given


def test_the_trend_chart_says_the_years_it_spans(built_db, options):
    """Under a cover reading 'Filters: Years: 2025', the trend chart drew five years unsaid."""
    _first, last = years(built_db)
    html = report.build_html(Filters.default(options), options, last, "en", DAY)
    assert f"<p>Filters: Years: {last}; no other filter</p>" in html  # the cover: the year
    assert f"<br>Filters: Years: {last - 4}–{last}; no other filter</p>" in html  # the trend
