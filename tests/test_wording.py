"""The field's own words (issue 19, item 5): « personnes détenues », never « détenus » used as a
noun, in the French catalogs and the French labels of the taxonomies (a quoted « title » and the
sources' titles may keep their words); abbreviated amounts as « 12,3 M€ »; dates as French writes
them (« 29 novembre 2026 », « 1er mars 2026 »); a glossary of the field's terms on the methodology
page."""

from __future__ import annotations

import csv
import re
import tomllib
from datetime import date

import pytest

from maillon.data.paths import ROOT
from maillon.figures import methodology
from maillon.i18n import LANGUAGES, catalog, date_text, money, number, percent
from tests.page_helpers import open_page

TAXONOMY_DIR = ROOT / "data" / "taxonomy"
QUOTED = re.compile(r"«[^»]*»")
TOKEN = re.compile(r"\{\w+\}|\w+")
# Words after which a feminine « détenue(s) » is a noun (« les détenues »), not an adjective
# (« les personnes détenues », « la population détenue »).
DETERMINERS = {"la", "les", "une", "des", "aux", "ces", "de", "d", "du", "leurs", "ses", "chaque"}
# Nouns that a masculine « détenu(s) » may qualify as an adjective (« les prévenus détenus »).
MASCULINE_HEADS = {"écroués", "prévenus", "condamnés", "mineurs", "hommes"}
# Wordings replaced by the field's own (the new one in the comment), never to come back.
OLD_WORDINGS = (
    "Régie publique",  # Gestion publique (régie)
    "Journées nationales des prisons",  # Journées nationales Prison
    "indicateur financier",  # proxy financier
    "journée de détention servie",  # par journée de détention
    "coopérative de travail",  # Scop (société coopérative et participative)
)


def noun_uses(text: str) -> list[str]:
    """The « détenu(s) » of a French text used as a noun (« les détenus », « Détenus employés »,
    « 12 détenus », « aux détenues »), outside « quoted titles »."""
    found = []
    previous = ""
    for match in TOKEN.finditer(QUOTED.sub("«»", text)):
        word = match.group().lower()
        masculine_noun = word in ("détenu", "détenus") and previous not in MASCULINE_HEADS
        feminine_noun = word in ("détenue", "détenues") and previous in (*DETERMINERS, "")
        if masculine_noun or feminine_noun:
            found.append(f"{previous} {match.group()}".strip())
        previous = word
    return found


@pytest.mark.parametrize(
    "text",
    [
        "les détenus",
        "Rémunérations des détenus",
        "Détenus employés en {year}",
        "{name} : {detainees} détenus pour {places} places",
        "Vente aux détenus de produits du quotidien",
        "Un détenu sur deux",
        "aux détenues de la maison d'arrêt",
        "Détenues employées",
        "« Le travail des détenus », puis les détenus",  # the quote is allowed, not what follows
    ],
)
def test_the_check_flags_detenus_used_as_a_noun(text):
    assert noun_uses(text)


@pytest.mark.parametrize(
    "text",
    [
        "personnes détenues",
        "Personnes détenues employées en {year}",
        "le travail des personnes détenues",
        "la population détenue",
        "une personne détenue reçoit sa famille",
        "Personnes écrouées détenues par établissement",
        "le rapport « Le travail des détenus en France » (Sénat)",
        "détention, détenteur, retenus",
    ],
)
def test_the_check_lets_the_field_s_words_through(text):
    assert noun_uses(text) == []


def _french_taxonomy_labels() -> dict[str, str]:
    """{file:column:id: text} of the taxonomies' French columns (*_fr, and `label` in the files
    whose label is the official French one); the sources' titles are not labels."""
    labels = {}
    for path in sorted(TAXONOMY_DIR.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                row_id = next(iter(row.values()))
                for column, text in row.items():
                    if column.endswith("_fr") or column == "label":
                        labels[f"{path.name}:{column}:{row_id}"] = text
    return labels


def _french_sql_texts() -> dict[str, str]:
    """The French descriptions the Queries page shows (`-- description:` in sql/*.sql) and the
    French column comments of the data dictionary (sql/schema_comments_fr.toml)."""
    texts = {}
    for path in sorted((ROOT / "sql").glob("*.sql")):
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("-- description:"):
                texts[f"{path.name}:{line_number}"] = line
    comments = tomllib.loads((ROOT / "sql" / "schema_comments_fr.toml").read_text("utf-8"))
    for table, columns in comments.items():
        for column, text in columns.items() if isinstance(columns, dict) else [("", columns)]:
            texts[f"schema_comments_fr:{table}.{column}"] = text
    return texts


def test_french_catalogs_and_taxonomies_say_personnes_detenues():
    texts = {**catalog("fr"), **_french_taxonomy_labels(), **_french_sql_texts()}
    assert len(texts) > 1000, "the catalogs or taxonomies were not read"
    assert sum(".sql:" in key for key in texts) >= 10, "the SQL descriptions were not read"
    flagged = {key: noun_uses(text) for key, text in texts.items() if noun_uses(text)}
    assert flagged == {}


def test_replaced_wordings_do_not_come_back():
    texts = {**catalog("fr"), **_french_taxonomy_labels()}
    found = [
        (key, old)
        for key, text in texts.items()
        for old in OLD_WORDINGS
        if old.lower() in text.lower()
    ]
    assert found == []


def test_taxonomies_name_cooperatives_and_the_regie_in_full():
    with (TAXONOMY_DIR / "operator_kind.csv").open(encoding="utf-8") as handle:
        labels = {row["kind_id"]: row["label_fr"] for row in csv.DictReader(handle)}
    assert labels["scop"] == "Scop (société coopérative et participative)"
    assert labels["scic"] == "Scic (société coopérative d'intérêt collectif)"
    assert labels["siae"] == "Structure d'insertion par l'activité économique (SIAE)"
    assert labels["public_regie"] == "Gestion publique (régie)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12_345_678, "12,3\xa0M€"), (1_400_000_000, "1,4\xa0Md€"), (45_000, "45\xa0k€")],
)
def test_abbreviated_amounts_have_no_space_before_the_euro_sign(value, expected):
    assert money(value, "fr") == expected
    assert money(-value, "fr") == "\u2212" + expected  # the minus sign, as every figure
    # A full amount keeps its space: « 1 234 € ».
    assert money(1234, "fr", compact=False).endswith("\xa0€")


def test_no_catalog_writes_an_abbreviated_amount_with_a_space():
    for lang in LANGUAGES:
        spaced = [
            k for k, v in catalog(lang).items() if re.search(r"\b(?:k|M|Md)[ \xa0\u202f]€", v)
        ]
        assert spaced == [], lang


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (date(2026, 11, 29), "fr", "29 novembre 2026"),
        (date(2026, 3, 1), "fr", "1er mars 2026"),
        (date(2026, 3, 2), "fr", "2 mars 2026"),
        (date(2026, 11, 29), "en", "29 November 2026"),
        (date(2026, 3, 1), "en", "1 March 2026"),
        ("2026-07-01", "fr", "1er juillet 2026"),
        ("2025-04 to 2026-07", "fr", "avril 2025 à juillet 2026"),
        ("2025-04 to 2026-07", "en", "April 2025 to July 2026"),
        ("2019 to 2026", "fr", "2019 à 2026"),
        ("2018", "fr", "2018"),
        (None, "fr", "–"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(day, lang, expected):
    assert date_text(day, lang) == expected


@pytest.mark.parametrize("text", ["2019 to present", "mise à jour to be done", "N/A to B"])
def test_a_text_that_is_not_a_range_of_dates_stays_as_written(text):
    assert date_text(text, "fr") == text


def test_a_month_is_written_in_words():
    assert date_text(date(2026, 7, 1), "fr", month=True) == "juillet 2026"
    assert date_text(date(2026, 7, 1), "en", month=True) == "July 2026"


def test_french_catalogs_write_no_iso_date_in_a_sentence():
    # Only the import messages show the file format itself (« AAAA-MM-JJ, par exemple 2025-01-31 »).
    dated = [
        k
        for k, v in catalog("fr").items()
        if re.search(r"\d{4}-\d{2}-\d{2}", v) and not k.startswith("problems.")
    ]
    assert dated == []


REQUIRED_TERMS = ("SPIP", "PPSMJ", "UVF", "Parloir", "Contrat d'emploi pénitentiaire", "ATIGIP")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_glossary_gives_each_term_its_expansion_and_one_sentence(lang):
    entries = methodology.glossary(lang)
    terms = [e.term for e in entries]
    assert len(entries) == len(methodology.GLOSSARY) and len(set(terms)) == len(terms)
    for term in REQUIRED_TERMS:
        assert term in terms
    for entry in entries:
        assert entry.term and entry.expansion and entry.text.endswith("."), entry
        assert ". " not in entry.text.rstrip("."), entry  # one sentence
        assert "<" not in entry.text and "<" not in entry.expansion, entry  # plain text
    orders = [methodology._dictionary_order(t) for t in terms]
    assert orders == sorted(orders)


@pytest.mark.parametrize(("lang", "heading"), [("fr", "Glossaire"), ("en", "Glossary")])
def test_the_methodology_page_shows_the_glossary(built_db, lang, heading):
    at = open_page("methodology", lang=lang)
    assert heading in [h.value for h in at.header]
    text = " ".join(m.value for m in at.markdown)
    for entry in methodology.glossary(lang):
        assert f"**{entry.term}** ({entry.expansion})" in text


def test_the_demo_proxy_bases_are_the_catalog_s_english_text():
    """The French page shows a proxy's basis from the catalog only when the stored text is the
    catalog's English one (outcomes.proxy_basis): a drift would show English on the French page."""
    with (ROOT / "data" / "demo" / "sroi_proxy.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    english = catalog("en")
    for row in rows:
        assert english[f"sroi_proxy_basis.{row['indicator_id']}"] == row["basis"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_negative_figures_take_the_minus_sign(lang):
    """One sign on every page (the annual changes already wrote U+2212), read as "minus"."""
    for text in (money(-2_500_000, lang), money(-12, lang, compact=False), number(-1234, lang)):
        assert text.startswith("\u2212") and "-" not in text
    assert percent(-0.125, lang, decimals=1).startswith("\u2212")
