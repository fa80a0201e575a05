"""The rules the DECP reader applies to one value: who is a prison buyer (data/taxonomy/
prison_buyer.csv), which service domain a CPV code belongs to (data/taxonomy/cpv_domain.csv), and
what a readable date, amount, duration, CPV code and identifier are.

docs/procurement-taxonomies.md explains each table, each row and each bound chosen here.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from maillon.data.paths import TAXONOMY_DIR

PRISON_BUYER_FILE = TAXONOMY_DIR / "prison_buyer.csv"
CPV_DOMAIN_FILE = TAXONOMY_DIR / "cpv_domain.csv"
SERVICE_DOMAIN_FILE = TAXONOMY_DIR / "service_domain.csv"
BUYER_MATCHES = ("siret", "name_pattern", "exclude_name_pattern")
MULTISERVICE = "multiservice"  # one contract covering several domains: flagged, never split
EXCLUDED = "excluded"  # a longer prefix that takes codes back out of a mapped branch
# Above the yearly budget of the whole prison administration: a typing error or a placeholder.
AMOUNT_CEILING_EUR = 1e10
# Placeholders for an unknown maximum (seven nines or more): 999999999 twice in the 2019 sample.
PLACEHOLDER_AMOUNT = re.compile(r"9{7,}(?:\.9*)?")
# DECP began in 2016 (2018 for most buyers); 1990 leaves room for old concessions and catches
# year typos such as 0218.
EARLIEST_DATE = date(1990, 1, 1)
LONGEST_DURATION_MONTHS = 1200
MEAN_MONTH_DAYS = 365.2425 / 12
ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time, ignored
    r"(?:Z|[+-]\d{2}:?\d{2})?",  # a time zone (2016-03-09+01:00): the day is the day written
    re.ASCII,  # digits 0-9 only, as everywhere in an identifier or a date
)
# Letters that carry an accent in French: where a publisher's encoding lost one, the name holds
# U+FFFD ("p\ufffdnitentiaire"), which a pattern's letter may then stand for.
ACCENTED_LETTERS = "aceiouy"
LOST_LETTER = "?"


class TaxonomyError(ValueError):
    """A taxonomy table that cannot be used: `file_name` and what is wrong."""

    def __init__(self, file_name: str, detail: str):
        self.file_name = file_name
        self.detail = detail
        super().__init__(f"{file_name}: {detail}")


def normalized(text: str | None) -> str:
    """Lower case, no accents, words separated by one space; a character lost to a bad encoding
    (U+FFFD) becomes '?'. "Maison d'Arrêt de  Nantes" -> "maison d arret de nantes"."""
    if not text:
        return ""
    text = text.replace("\ufffd", LOST_LETTER).replace("œ", "oe").replace("Œ", "OE")
    ascii_text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()
    return " ".join(re.findall(r"[a-z0-9?]+", ascii_text))


def prison_buyers() -> pl.DataFrame:
    """data/taxonomy/prison_buyer.csv as text."""
    return pl.read_csv(PRISON_BUYER_FILE, infer_schema=False)


def cpv_domains() -> pl.DataFrame:
    """data/taxonomy/cpv_domain.csv as text."""
    return pl.read_csv(CPV_DOMAIN_FILE, infer_schema=False)


def _rows(table: pl.DataFrame, name: str, columns: tuple[str, ...]) -> list[dict]:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise TaxonomyError(name, f"missing column(s) {', '.join(missing)}")
    return [
        {c: (str(v).strip() if v is not None else "") for c, v in row.items()}
        for row in table.select(columns).iter_rows(named=True)
    ]


def phrase_pattern(words: str) -> re.Pattern:
    """`words` (normalised) as whole words in a normalised text, each French accentable letter
    also matching a letter lost to a bad encoding."""
    letters = (
        f"[{c}{re.escape(LOST_LETTER)}]" if c in ACCENTED_LETTERS else re.escape(c) for c in words
    )
    return re.compile(rf"(?:^| ){''.join(letters)}(?: |$)")


class BuyerRule:
    """Recognises the prison administration from a buyer's SIRET or name (prison_buyer.csv)."""

    def __init__(self, table: pl.DataFrame, name: str = PRISON_BUYER_FILE.name):
        self.sirets: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern, str]] = []
        self.exclusions: list[tuple[re.Pattern, str]] = []
        self._names: dict[str | None, bool] = {}
        for number, row in enumerate(_rows(table, name, ("match", "value", "label")), start=2):
            where = f"row {number}"
            if row["match"] not in BUYER_MATCHES:
                raise TaxonomyError(
                    name, f"{where}: match must be one of {', '.join(BUYER_MATCHES)}"
                )
            if row["match"] == "siret":
                if not re.fullmatch(r"[0-9]{14}", row["value"]):
                    raise TaxonomyError(
                        name, f"{where}: a SIRET has 14 digits, not {row['value']!r}"
                    )
                self.sirets[row["value"]] = row["label"]
                continue
            words = normalized(row["value"]).replace(LOST_LETTER, "")
            if not words:
                raise TaxonomyError(name, f"{where}: the pattern {row['value']!r} has no letters")
            kind = self.exclusions if row["match"] == "exclude_name_pattern" else self.patterns
            kind.append((phrase_pattern(words), row["label"]))

    def recognises(self, siret: str | None, name: str | None) -> bool:
        if siret and siret in self.sirets:
            return True
        if name not in self._names:  # a national file repeats each buyer's name many times
            text = normalized(name)
            self._names[name] = bool(text) and (
                not any(p.search(text) for p, _ in self.exclusions)
                and any(p.search(text) for p, _ in self.patterns)
            )
        return self._names[name]


@dataclass(frozen=True)
class CpvMatch:
    prefix: str
    domain_id: str
    label: str


class CpvRule:
    """Maps an 8-digit CPV code to a service domain by its longest prefix in cpv_domain.csv."""

    def __init__(self, table: pl.DataFrame, name: str = CPV_DOMAIN_FILE.name):
        domains = set(pl.read_csv(SERVICE_DOMAIN_FILE, infer_schema=False)["domain_id"])
        allowed = domains | {MULTISERVICE, EXCLUDED}
        self.prefixes: dict[str, CpvMatch] = {}
        for number, row in enumerate(_rows(table, name, ("cpv_prefix", "domain_id", "label")), 2):
            prefix = row["cpv_prefix"]
            if not re.fullmatch(r"[0-9]{1,8}", prefix):
                raise TaxonomyError(
                    name, f"row {number}: cpv_prefix must be 1 to 8 digits, not {prefix!r}"
                )
            if row["domain_id"] not in allowed:
                known = ", ".join(sorted(allowed))
                raise TaxonomyError(
                    name, f"row {number}: unknown domain_id {row['domain_id']!r} (one of {known})"
                )
            if prefix in self.prefixes:
                raise TaxonomyError(name, f"row {number}: cpv_prefix {prefix} is given twice")
            self.prefixes[prefix] = CpvMatch(prefix, row["domain_id"], row["label"])

    def match(self, cpv: str) -> CpvMatch | None:
        for length in range(len(cpv), 0, -1):
            found = self.prefixes.get(cpv[:length])
            if found:
                return found
        return None


def text(value: object) -> str | None:
    """A published value as stripped text (None when empty); whole floats lose their '.0'."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def siret(value: object) -> str | None:
    """A 14-digit SIRET, spaces removed, or None."""
    digits = (text(value) or "").replace(" ", "")
    return digits if re.fullmatch(r"[0-9]{14}", digits) else None


def siren(id_type: str | None, holder_id: str | None) -> str | None:
    """The SIREN of a French holder: 9 digits of a SIRET or SIREN (never of a foreign id)."""
    if not holder_id or (id_type and id_type.upper() not in ("SIRET", "SIREN")):
        return None
    digits = holder_id.replace(" ", "")
    if not re.fullmatch(r"[0-9]{14}|[0-9]{9}", digits) or not digits.strip("0"):
        return None
    return digits[:9]


def cpv_code(value: object) -> str | None:
    """'55523100-3' or '55523100' -> '55523100'; a 7-digit code lost its leading 0 ('9310000')."""
    code = (text(value) or "").split("-")[0].strip()
    if re.fullmatch(r"[0-9]{7}", code):
        code = "0" + code
    return code if re.fullmatch(r"[0-9]{8}", code) else None


def parse_date(value: object, latest: date) -> tuple[date | None, str]:
    """(the day, "") or (None, why it is unreadable). Plausible: EARLIEST_DATE to `latest`."""
    written = text(value)
    if written is None:
        return None, "no date"
    found = ISO_DATE.fullmatch(written)
    if not found:
        return None, f"not a date: {written!r}"
    try:
        day = date(*(int(part) for part in found.groups()))
    except ValueError:
        return None, f"impossible date {written!r}"
    if day < EARLIEST_DATE:
        return None, f"implausible date {written!r} (before {EARLIEST_DATE.year})"
    if day > latest:
        return None, f"date {written!r} after the file's date {latest.isoformat()}"
    return day, ""


def number(value: object) -> float | None:
    """A published number: 12345, 12345.6, '12345.6', '12 345,6'; None for NC, text or NaN."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        result = float(value)
    else:
        written = (text(value) or "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if "," in written:
            written = written.replace(",", "") if "." in written else written.replace(",", ".")
        try:
            result = float(written)
        except ValueError:
            return None
    return result if math.isfinite(result) else None


def parse_amount(value: object) -> tuple[float | None, str]:
    """(euros, "") or (None, why the amount cannot be used)."""
    written = text(value)
    if written is None:
        return None, "no amount"
    amount = number(value)
    if amount is None:
        return None, f"amount {written!r} is not a number"
    if amount <= 0:
        return None, f"amount {written}"
    if amount > AMOUNT_CEILING_EUR:
        return None, f"amount {written} above the ceiling of {AMOUNT_CEILING_EUR:.0e} EUR"
    if PLACEHOLDER_AMOUNT.fullmatch(written):
        return None, f"amount {written} is a placeholder"
    return amount, ""


def parse_duration(value: object) -> float | None:
    """Months (1.5 is kept as published); None when missing or not in 0 < months <= 1200."""
    months = number(value)
    if months is None or not 0 < months <= LONGEST_DURATION_MONTHS:
        return None
    return months


def add_months(day: date, months: float) -> date:
    """The day `months` later: whole calendar months (the 31st becomes the month's last day),
    then the fraction in mean-month days."""
    whole = int(months)
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    moved = day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
    return moved + timedelta(days=round((months - whole) * MEAN_MONTH_DAYS))
