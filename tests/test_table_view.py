"""Tables beside a chart show numbers as the reader's language writes them; years stay years."""

import polars as pl
import pytest

from maillon.charts.readable import readable

FRAME = pl.DataFrame(
    {
        "Année": [2024, 2025],
        "Valeur (€)": [14_479_208.33, 211_862_488.0],
        "Part (%)": [22.94, None],
        "Détenus": [23_484, 5],
        "Nom": ["a", "b"],
    }
)


@pytest.mark.parametrize(
    ("lang", "value", "share", "count"),
    [
        ("fr", ["14\u202f479\u202f208", "211\u202f862\u202f488"], ["22,9", "–"], "23\u202f484"),
        ("en", ["14,479,208", "211,862,488"], ["22.9", "–"], "23,484"),
    ],
)
def test_numbers_in_the_language_format_years_and_text_unchanged(lang, value, share, count):
    shown = readable(FRAME, lang)
    assert shown["Année"].to_list() == [2024, 2025]
    assert shown["Valeur (€)"].to_list() == value
    assert shown["Part (%)"].to_list() == share
    assert shown["Détenus"][0] == count
    assert shown["Nom"].to_list() == ["a", "b"]


def _static_table_page():
    import polars as pl

    from maillon.web import table_view

    table_view.show_static(
        pl.DataFrame({"<b>Nom</b>": ["<script>alert(1)</script>", "**gras** [a](javascript:x)"]}),
        title="<img src=x onerror=alert(1)>",
        note="<i>note</i>",
    )


def test_a_static_table_shows_its_text_as_itself():
    """Names in a table may come from imported data: never HTML, never Markdown."""
    from streamlit.testing.v1 import AppTest

    from tests.page_helpers import shown_tables

    at = AppTest.from_function(_static_table_page, default_timeout=30).run()
    body = at.get("html")[0].proto.body
    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    (table,) = shown_tables(at)
    assert table.caption == "<img src=x onerror=alert(1)>"
    assert table.header == ["<b>Nom</b>"]
    assert table.column("<b>Nom</b>") == [
        "<script>alert(1)</script>",
        "**gras** [a](javascript:x)",
    ]
    assert "&lt;i&gt;note&lt;/i&gt;" in body
