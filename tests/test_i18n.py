"""Every UI string exists in both languages; numbers follow the locale."""

import re

import pytest

from maillon.data.paths import ROOT
from maillon.i18n import LANGUAGES, catalog, money, number, parse_number, percent


def test_catalogs_have_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["fr"] - keys["en"] == set()
    assert keys["en"] - keys["fr"] == set()


def test_catalogs_use_the_same_placeholders():
    for key, text in catalog("fr").items():
        english = catalog("en")[key]
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", english)), key


def test_every_key_used_in_code_exists():
    used = set()
    for path in [*ROOT.glob("maillon/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*\w+,\s*f?["']([\w.]+)["']""", path.read_text()))
    static = {k for k in used if "{" not in k}
    assert static, "no keys found: the pattern is wrong"
    assert static - set(catalog("fr")) == set()


def _spaces(text: str) -> str:
    """Babel uses narrow and non-breaking spaces; compare with plain ones."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_money_and_numbers_in_french_and_english():
    assert _spaces(money(1234.5, "fr", compact=False)) == "1 234 €"
    assert money(1234.5, "en", compact=False) == "€1,234"
    assert _spaces(money(4_200_000, "fr")) == "4,2 M€"
    assert money(4_200_000, "en") == "€4.2M"
    assert _spaces(percent(0.123, "fr", 1)) == "12,3 %"
    assert percent(0.123, "en", 1) == "12.3%"
    assert _spaces(number(89163, "fr")) == "89 163"
    assert number(89163, "en") == "89,163"


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("fr", "7,6", 7.6),
        ("fr", "7.6", 7.6),  # a figure copied from an English source
        ("fr", "1 234,5", 1234.5),
        ("fr", "1\xa0234,5", 1234.5),
        ("fr", " 12000 ", 12000.0),
        ("fr", "1,234", 1.234),  # the comma is the decimal sign in French
        ("fr", "-3,5", -3.5),
        ("fr", "\u22123,5", -3.5),  # the minus sign the app writes
        ("en", "7.6", 7.6),
        ("en", "1,234.5", 1234.5),
        ("en", "1,234", 1234.0),
        ("en", "1 234.5", 1234.5),
    ],
)
def test_a_number_typed_the_readers_way_is_read(lang, typed, expected):
    assert parse_number(typed, lang) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("en", "7,6"),  # never 76
        ("en", "-3,5"),
        ("fr", "1,234.5"),
        ("fr", "7,6,1"),
        ("fr", "1 23"),
        ("fr", ""),
        ("fr", "abc"),
        ("fr", "NaN"),
        ("en", "inf"),
        ("en", "1e5"),
        ("fr", "=1+2"),
        ("fr", "6.000"),  # six thousand, or six? Neither is guessed.
        ("fr", "1.234.567"),
        ("en", "1 2 3"),
        ("fr", "9" * 400),  # no float holds it
    ],
)
def test_a_text_that_is_no_number_is_refused(lang, typed):
    with pytest.raises(ValueError):
        parse_number(typed, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("value", [0.0, 7.6, -1234.5, 89163.0, 0.067])
def test_a_number_as_the_app_writes_it_reads_back(lang, value):
    assert parse_number(number(value, lang, 3), lang) == pytest.approx(value)


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("fr", 0, "0 ligne."),  # French says "one" for 0 and 1
        ("fr", 1, "1 ligne."),
        ("fr", 2, "2 lignes."),
        ("en", 0, "0 rows."),
        ("en", 1, "1 row."),
        ("en", 2, "2 rows."),
    ],
)
def test_a_count_takes_the_singular_or_plural_of_its_language(lang, count, expected):
    from maillon.i18n import tn

    assert tn(lang, "canned.rows", count, rows=count) == expected
