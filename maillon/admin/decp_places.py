"""Which establishment a DECP contract concerns, when its buyer's name or its place of execution
names one: a kind of establishment ("maison d'arrêt", "CP"...) followed by a town that matches
exactly one establishment of the ministry's list. Anything else is left "not located": a DISP,
the DAP or a national contract covers no single establishment, and no guess is made.

The kind must agree: the one named, or, for a town whose only establishment is of the other kind,
a centre pénitentiaire named as one of the quartiers it holds (MA, CD, MC), or the reverse (a
buyer still registered as "centre pénitentiaire" where the ministry lists a maison d'arrêt).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import polars as pl

from maillon.admin.decp_rules import ACCENTED_LETTERS, LOST_LETTER, normalized, phrase_pattern
from maillon.i18n import t

KIND_PHRASES = (
    ("etablissement penitentiaire pour mineurs", "EPM"),
    ("centre de semi liberte", "CSL"),
    ("centre penitentiaire", "CP"),
    ("maison d arret", "MA"),
    ("maison centrale", "MC"),
    ("centre de detention", "CD"),
)
KIND_PATTERNS = [(phrase_pattern(phrase), code) for phrase, code in KIND_PHRASES]
KIND_CODES = {"ma": "MA", "cp": "CP", "cd": "CD", "mc": "MC", "csl": "CSL", "epm": "EPM"}
# A CP holds quartiers of these kinds; an establishment can be named by one of them.
AKIN = {
    "MA": {"CP"},
    "CD": {"CP"},
    "MC": {"CP"},
    "CP": {"MA", "CD", "MC"},
    "CSL": set(),
    "EPM": set(),
}
# "du Havre" is "de le Havre": the article stays, the preposition goes.
ARTICLES = {"du": ["le"], "des": ["les"], "de": [], "d": []}


class Why(NamedTuple):
    """Why a name located no establishment, or located one of an akin kind: a code of the
    admin.decp_why_* messages and what they name ('by' the buyer or the place, or None)."""

    code: str  # akin, several, none_of_kind, no_town, not_named
    by: str | None = None
    kind: str = ""
    town: str = ""
    names: str = ""


WHY_SCHEMA = pl.List(pl.Struct(dict.fromkeys(Why._fields, pl.String)))
LOCATED_SCHEMA = {
    "contract_key": pl.String,
    "establishment_id": pl.String,
    "located_by": pl.String,
    "why": WHY_SCHEMA,  # empty when the establishment named is of the kind listed
}


def why_text(why: list[dict], lang: str) -> str:
    """The reasons of a locate row in the reader's language ('acheteur : aucun MA à MELUN...')."""
    said = []
    for reason in why:
        values = {name: reason[name] or "" for name in ("kind", "town", "names")}
        text = t(lang, f"admin.decp_why_{reason['code']}", **values)
        if reason["by"]:
            text = t(lang, "admin.decp_by", by=t(lang, f"admin.decp_by_{reason['by']}"), why=text)
        said.append(text)
    return t(lang, "chart.source_separator").join(said)


def town_words(text: str) -> list[str]:
    """Normalised words, 'saint' written 'st' as in the ministry's list."""
    return [{"saint": "st", "sainte": "ste"}.get(w, w) for w in normalized(text).split()]


def named_establishment(text: str | None) -> tuple[str, list[str]] | None:
    """(kind code, the words that follow it) when `text` names a kind of establishment."""
    words = town_words(text or "")
    joined = " ".join(words)
    found = sorted(
        (match.start(), match.end(), code)
        for pattern, code in KIND_PATTERNS
        if (match := pattern.search(joined))
    )
    if found:
        _, end, code = found[0]
        rest = joined[end:].split()
    elif words and words[0] in KIND_CODES:  # the ministry's own labels: "CP AIX LUYNES"
        code, rest = KIND_CODES[words[0]], words[1:]
    else:
        return None
    if rest and rest[0] in ARTICLES:
        rest = ARTICLES[rest[0]] + rest[1:]
    return code, rest


class _Index:
    """Establishments by town: the words of their label after the kind, and their city."""

    def __init__(self, establishments: pl.DataFrame):
        self.by_town: dict[str, list[dict]] = {}
        for row in establishments.iter_rows(named=True):
            label = town_words(row["name"])
            for town in {" ".join(label[1:]), " ".join(town_words(row["city"]))}:
                if town and row not in self.by_town.setdefault(town, []):
                    self.by_town[town].append(row)

    def _with_lost_letters(self, town: str) -> list[dict]:
        """The establishments of a town written with letters lost to a bad encoding (ch?teaudun)."""
        if LOST_LETTER not in town:
            return []
        pattern = re.compile(
            re.escape(town).replace(re.escape(LOST_LETTER), f"[{ACCENTED_LETTERS}]")
        )
        return [e for key, found in self.by_town.items() if pattern.fullmatch(key) for e in found]

    def find(self, kind: str, words: list[str]) -> tuple[dict | None, Why | None]:
        """(the one establishment, why when it is of an akin kind) or (None, why not): the
        longest run of words after the kind that names a town decides."""
        for length in range(len(words), 0, -1):
            town = " ".join(words[:length])
            candidates = self.by_town.get(town) or self._with_lost_letters(town)
            if not candidates:
                continue
            for kinds in ({kind}, AKIN[kind]):
                matching = [e for e in candidates if e["type_code"] in kinds]
                if len(matching) == 1:
                    (found,) = matching
                    same = found["type_code"] == kind
                    return found, None if same else Why("akin", kind=kind, names=found["name"])
                if len(matching) > 1:
                    names = ", ".join(e["name"] for e in matching)
                    return None, Why("several", kind=kind, town=town.upper(), names=names)
            names = ", ".join(e["name"] for e in candidates)
            return None, Why("none_of_kind", kind=kind, town=town.upper(), names=names)
        if not words:
            return None, Why("no_town_named", kind=kind)
        return None, Why("no_town", kind=kind, town=" ".join(words).upper())


def locate(contracts: pl.DataFrame, establishments: pl.DataFrame) -> pl.DataFrame:
    """One row per contract: contract_key, establishment_id (null when not located), located_by
    ('buyer', 'place' or 'not_located') and why (Why as dicts): why it is not located, or that
    the ministry lists the establishment under an akin kind (why_text says it).

    establishments needs establishment_id, name (the ministry's label: "MA NANTES"), type_code
    and city; contracts needs contract_key, buyer_name and place_name."""
    index = _Index(establishments)
    rows = []
    for contract in contracts.select("contract_key", "buyer_name", "place_name").iter_rows(
        named=True
    ):
        row = {"contract_key": contract["contract_key"], "establishment_id": None}
        reasons = []
        for located_by, text in (
            ("buyer", contract["buyer_name"]),
            ("place", contract["place_name"]),
        ):
            named = named_establishment(text)
            if named is None:
                continue
            found, why = index.find(*named)
            if found is not None:
                row |= {"establishment_id": found["establishment_id"], "located_by": located_by}
                row["why"] = [why._asdict()] if why else []
                break
            reasons.append(why._replace(by=located_by)._asdict())
        else:
            row |= {
                "located_by": "not_located",
                "why": reasons or [Why("not_named")._asdict()],
            }
        rows.append(row)
    return pl.DataFrame(rows, schema=LOCATED_SCHEMA, orient="row")
