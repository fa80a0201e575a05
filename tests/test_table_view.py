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
