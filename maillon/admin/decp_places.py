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

import polars as pl

from maillon.admin.decp_rules import ACCENTED_LETTERS, LOST_LETTER, normalized, phrase_pattern

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
LOCATED_SCHEMA = {
    "contract_key": pl.String,
    "establishment_id": pl.String,
    "located_by": pl.String,
    "detail": pl.String,
}


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

    def find(self, kind: str, words: list[str]) -> tuple[dict | None, str]:
        """(the one establishment, a note when it is of an akin kind) or (None, why not): the
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
                    return found, "" if same else f"named {kind}, listed as {found['name']}"
                if len(matching) > 1:
                    names = ", ".join(e["name"] for e in matching)
                    return None, f"several establishments match {kind} {town.upper()}: {names}"
            names = ", ".join(e["name"] for e in candidates)
            return None, f"no {kind} at {town.upper()} (listed there: {names})"
        return None, f"no establishment named {kind} {' '.join(words).upper() or '(no town)'}"


def locate(contracts: pl.DataFrame, establishments: pl.DataFrame) -> pl.DataFrame:
    """One row per contract: contract_key, establishment_id (null when not located), located_by
    ('buyer', 'place' or 'not_located') and a detail: why it is not located, or the kind the
    ministry lists when the buyer or place named an akin one.

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
            found, note = index.find(*named)
            if found is not None:
                row |= {"establishment_id": found["establishment_id"], "located_by": located_by}
                row["detail"] = note or None
                break
            reasons.append(f"{located_by}: {note}")
        else:
            row |= {
                "located_by": "not_located",
                "detail": "; ".join(reasons)
                or "neither the buyer nor the place names an establishment",
            }
        rows.append(row)
    return pl.DataFrame(rows, schema=LOCATED_SCHEMA, orient="row")
