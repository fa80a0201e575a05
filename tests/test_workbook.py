"""The page's Excel workbook: one sheet per chart's data that reads back equal, and a sources
sheet; the app offers it in the sidebar for the charts the page drew."""

import io

import polars as pl
import pytest

from maillon.data.filters import Filters
from maillon.exports import workbook
from maillon.figures import overview
from tests.page_helpers import figures, open_page, years


def test_sheets_read_back_equal(built_db):
    first, last = years(built_db)
    market = overview.chart_table(overview.market_by_kind(Filters(first, last)), "fr")
    small = pl.DataFrame({"Nom": ["Scop « A »", "B"], "Valeur (€)": [1.5, 2.0]})
    charts = [
        workbook.ChartData(
            "market_by_kind", "Titre 1", "Source : x.", "DONNÉES ILLUSTRATIVES", market
        ),
        workbook.ChartData("a/b:c?", "Titre 2", "Source : y.", "", small),
    ]
    data = workbook.build(charts, "fr", "Années : 2019–2025")
    names = ["market_by_kind", "a_b_c_"]
    for name, chart in zip(names, charts, strict=True):
        back = pl.read_excel(io.BytesIO(data), sheet_name=name)
        assert back.columns == chart.table.columns
        for column in back.columns:
            assert (
                back[column].to_list() == pytest.approx(chart.table[column].to_list())
                if (back[column].dtype.is_numeric())
                else back[column].to_list() == chart.table[column].to_list()
            )
    sources = pl.read_excel(io.BytesIO(data), sheet_name="Sources")
    assert sources["Feuille"].to_list() == names
    assert sources["Source"].to_list() == ["Source : x.", "Source : y."]
    assert sources["Filtres"].to_list() == ["Années : 2019–2025"] * 2
    assert sources["Provenance"].to_list() == ["DONNÉES ILLUSTRATIVES", "réel"]


def test_sheet_names_are_unique_and_short():
    names = workbook.sheet_names(["x" * 40, "x" * 40, "X" * 40])
    assert len(set(n.lower() for n in names)) == 3
    assert all(len(n) <= workbook.SHEET_NAME_MAX for n in names)


def test_the_sidebar_offers_the_page_as_excel(built_db):
    at = open_page("outcomes")
    buttons = [b for b in at.get("download_button") if b.proto.id and "page_workbook" in b.proto.id]
    assert len(buttons) == 1
    drawn = at.session_state["_charts_drawn"]
    # Every chart the page drew, and only those (not the previous page's).
    assert "outcome_by_kind" in drawn and len(drawn) == len(figures(at))
