"""Message catalogs and locale-aware formats of numbers, money and dates (babel).

Catalogs are TOML files in maillon/locales/<lang>/, one per area of the app (core.toml,
overview.toml, ...), merged into one flat {section.key: text} per language; a key defined
twice is an error.
"""

from __future__ import annotations

import math
import re
import tomllib
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberFormatError,
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    get_group_symbol,
    parse_decimal,
)

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
CATALOG_DIR = Path(__file__).parent / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    """Flat {dotted.key: text} for one language."""
    merged: dict[str, str] = {}
    for path in sorted((CATALOG_DIR / lang).glob("*.toml")):
        with open(path, "rb") as handle:
            entries = _flatten(tomllib.load(handle))
        twice = merged.keys() & entries.keys()
        if twice:
            raise ValueError(f"{path}: keys already defined in another file: {sorted(twice)}")
        merged |= entries
    return merged


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def t(lang: str, key: str, **values) -> str:
    """The text of `key` in `lang`, with {placeholders} filled. A missing key raises KeyError."""
    text = catalog(lang)[key]
    return text.format(**values) if values else text


def tn(lang: str, key: str, count: float, **values) -> str:
    """`t` for a sentence about `count` things: `key_one` where the language says "one" for that
    count (French: 0 and 1; English: 1), else `key`. `count` is also a placeholder."""
    one = f"{key}_one"
    if Locale.parse(LOCALES[lang]).plural_form(count) == "one" and one in catalog(lang):
        key = one
    return t(lang, key, count=count, **values)


# A negative figure is written with the minus sign (U+2212), not babel's hyphen: one sign on every
# page, read as "minus" by screen readers, and never the start of a spreadsheet formula.
MINUS = "\u2212"


def _minus(text: str) -> str:
    return text.replace("-", MINUS, 1)


# Babel formats a number in tens of microseconds, and a page run shows dozens: the same
# figures come back on every run, so their texts are kept (4 % of a run's time under py-spy).
FORMATTED = 8192


# What a typed number may hold before babel reads it: a sign, digits, the locale's separators.
_TYPED_NUMBER = re.compile(r"[+-]?[0-9][0-9.,\u202f]*|[+-]?[.,][0-9]+")


# '6.000' in French: six thousand written the German way, or six copied from English? Refused.
_POINT_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+")


def parse_number(text: str, lang: str) -> float:
    """A number typed the reader's way, the inverse of `number`: '7,6' or '1 234,5' in French
    (a point is read as the decimal sign too, but for '6.000', which could be six thousand),
    '7.6' or '1,234.5' in English. A space between digit groups (any kind), and the minus sign
    `number` writes, are accepted. ValueError for anything else, '7,6' in English among them
    (babel's strict reading: never 76), and for a number too large to compute with."""
    group = get_group_symbol(LOCALES[lang])
    # Spaces stand for the locale's group symbol, whose grouping babel then checks (1 2 3 is no
    # number in either language).
    typed = re.sub(r"\s+", group, text.strip()).replace(MINUS, "-")
    if not _TYPED_NUMBER.fullmatch(typed.replace(group, "\u202f")):
        raise ValueError(text)
    if lang == "fr" and _POINT_THOUSANDS.fullmatch(typed):
        raise ValueError(text)
    try:
        value = float(parse_decimal(typed, locale=LOCALES[lang], strict=True))
    except NumberFormatError as error:
        raise ValueError(text) from error
    if not math.isfinite(value):
        raise ValueError(text)
    return value


@lru_cache(maxsize=FORMATTED)
def number(value: float | None, lang: str, decimals: int = 0, grouped: bool = True) -> str:
    """A number in the locale's format; `grouped` False for one a reader types or reads as a
    code (a year in a range field: 2021, not 2 021)."""
    if value is None:
        return "–"
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    return _minus(format_decimal(value, format=pattern, locale=LOCALES[lang]))


@lru_cache(maxsize=FORMATTED)
def money(value: float | None, lang: str, compact: bool = True, cents: bool = False) -> str:
    """Money in the locale's format: '4,2 M€' / '€4.2M' (compact) or '1 234 €' / '€1,234'; with
    `cents`, a price: '1,85 €' / '€1.85'."""
    if value is None:
        return "–"
    locale = LOCALES[lang]
    if compact and abs(value) >= 10_000:
        text = format_compact_currency(value, "EUR", locale=locale, fraction_digits=1)
        # French writes an abbreviated amount with no space before €: '12,3 M€', '1,4 Md€', '45 k€'
        # (babel gives '12,3 M €').
        return _minus(text.replace("\xa0€", "€") if lang == "fr" else text)
    digits = ".00" if cents else ""
    pattern = f"#,##0{digits}\xa0¤" if lang == "fr" else f"¤#,##0{digits}"
    return _minus(
        format_currency(value, "EUR", format=pattern, locale=locale, currency_digits=False)
    )


@lru_cache(maxsize=FORMATTED)
def percent(value: float | None, lang: str, decimals: int = 0) -> str:
    """A share (0.123) as '12 %' / '12%'."""
    if value is None:
        return "–"
    digits = "." + "0" * decimals if decimals else ""
    pattern = f"#,##0{digits}\u202f%" if lang == "fr" else f"#,##0{digits}%"
    return _minus(format_percent(value, format=pattern, locale=LOCALES[lang]))


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-\d{2}")
_ISO_PART = re.compile(r"\d{4}(-\d{2}){0,2}")  # a year, a month or a day: a range's ends


def date_text(value: date | str | None, lang: str, month: bool = False) -> str:
    """A date as a sentence writes it: '29 novembre 2026', '1er mars 2026' / '29 November 2026',
    '1 March 2026'; with `month`, only its month: 'juillet 2026' / 'July 2026'.

    Also reads the ISO texts that sources give as their date: '2026-07-01' (a day), '2025-04' (a
    month), 'A to B' where A and B are such dates or years (a range: '2025-04 to 2026-07' as
    'avril 2025 à juillet 2026', '2019 to 2026' as '2019 à 2026'); any other text, a year for
    one, is kept as written."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "–"
    if isinstance(value, str):
        text = value.strip()
        start, to, end = text.partition(" to ")
        if to and all(_ISO_PART.fullmatch(part.strip()) for part in (start, end)):
            return t(lang, "dates.range", start=date_text(start, lang), end=date_text(end, lang))
        try:
            if _ISO_DAY.fullmatch(text):
                value = date.fromisoformat(text)
            elif _ISO_MONTH.fullmatch(text):
                value, month = date.fromisoformat(f"{text}-01"), True
            else:
                return text
        except ValueError:  # '2026-13-01': not a date, shown as written
            return text
    if isinstance(value, datetime):
        value = value.date()
    locale = LOCALES[lang]
    if month:
        return format_date(value, "MMMM y", locale=locale)
    if lang == "fr" and value.day == 1:
        return format_date(value, "'1er' MMMM y", locale=locale)  # French says 'le 1er mars'
    return format_date(value, "d MMMM y", locale=locale)
