"""The data dictionary shows every table and column with its meaning and rules, straight from the
schema; the methodology page defines every headline figure and shows the taxonomies."""

import os

import duckdb
import pytest

from maillon.data import catalog
from maillon.data.queries import READ_ONLY_CONFIG
from maillon.figures import dictionary, explorer, methodology
from tests.conftest import open_db
from tests.test_explorer import open_page


def _independent(db, query: str) -> list[tuple]:
    con = duckdb.connect(os.path.realpath(db), read_only=True, config=READ_ONLY_CONFIG)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def columns(built_db):
    return dictionary.columns(catalog.load(), "en")


def test_every_column_is_in_the_dictionary_with_its_comment(built_db, columns):
    expected = _independent(
        built_db,
        "SELECT table_name, column_name, comment FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index",
    )
    shown = sorted(columns.select("table", "column", "meaning").iter_rows())
    assert shown == sorted(expected)
    assert all(meaning for meaning in columns["meaning"])


def test_every_table_and_column_has_its_meaning_in_french(built_db):
    """Fails when a comment is added to the schema without its French wording (or one is left
    over for a table or column that is gone)."""
    tables = catalog.load().tables
    french = dictionary.french_comments()
    assert set(french) == {table.name for table in tables}
    for table in tables:
        assert set(french[table.name]) == {"_table", *table.column_names}, table.name
        assert all(text.strip() for text in french[table.name].values()), table.name
    meanings = dictionary.columns(catalog.load(), "fr")
    contract = catalog.load().table("contract")
    assert dictionary.table_meaning(contract, "fr") == french["contract"]["_table"]
    assert dictionary.table_meaning(contract, "en") == contract.comment
    assert (
        meanings.filter(table="contract", column="provenance")["meaning"][0]
        == french["contract"]["provenance"]
    )


def test_rules_say_what_values_are_allowed(columns):
    def rules(table, column):
        return columns.filter(table=table, column=column)["rules"][0]

    assert "refers to service_domain" in rules("contract", "domain_id")
    assert "required" in rules("contract", "domain_id")
    assert "provenance IN ('real', 'modeled', 'illustrative')" in rules("contract", "provenance")
    assert "key" in rules("operator", "operator_id")
    french = dictionary.columns(catalog.load(), "fr")
    assert (
        "renvoie à service_domain"
        in french.filter(table="contract", column="domain_id")["rules"][0]
    )


def test_search_finds_tables_and_columns(built_db, columns):
    found = dictionary.search(columns, "  Quartier ")
    assert found.height > 0
    assert all("quartier" in " ".join(row).lower() for row in found.iter_rows())
    tables = [t.name for t in dictionary.matching_tables(catalog.load(), columns, "quartier")]
    assert "population_monthly" in tables and "operator_kind" not in tables
    assert dictionary.search(columns, "").height == columns.height


def test_every_table_has_a_group(built_db):
    groups = {t.name: dictionary.group(t) for t in catalog.load().tables}
    assert groups["market_revenue"] == "derived"
    assert groups["operator_kind"] == "taxonomy"
    assert groups["establishment"] == "reference"
    assert groups["contract"] == "markets"
    assert groups["association_partnership"] == "associations"
    assert groups["joint_action_partner"] == "associations"
    for name in ("institution_convention", "local_group_establishment", "operator_partnership"):
        assert groups[name] == "associations", name
    assert groups["public_fact"] == "reference"  # real, from the public sources it cites


def test_dictionary_page_in_french_lists_every_table(built_db):
    at = open_page("dictionary")
    assert at.title[0].value == "Dictionnaire des données"
    count = len(catalog.load().tables)
    assert len(at.main.expander) == count
    assert any(c.value.startswith(f"{count} tables,") for c in at.caption)
    assert "market_revenue · table dérivée" in [e.label for e in at.main.expander]
    # Meanings in French on the French page.
    assert dictionary.french_comments()["contract"]["_table"] in [x.value for x in at.text]


def test_dictionary_page_searches_in_english(built_db):
    at = open_page("dictionary", lang="en")
    assert at.title[0].value == "Data dictionary"
    at.text_input(key="dictionary_search_en").set_value("awarded_value").run()
    assert [e.label for e in at.main.expander] == ["contract · markets, illustrative in the demo"]
    assert at.dataframe[0].value["Column"].tolist() == ["awarded_value_eur"]


def test_methodology_taxonomies_are_read_from_the_tables(built_db):
    for name, table in (
        ("operator_kinds", "operator_kind"),
        ("domains", "service_domain"),
        ("payers", "payer_group"),
        ("contract_kinds", "contract_kind"),
        ("destinations", "destination"),
        ("indicators", "indicator"),
    ):
        frame = methodology.taxonomy(name, "en")
        assert frame.height == _independent(built_db, f"SELECT count(*) FROM {table}")[0][0]
        assert "label" in frame.columns and "label_fr" not in frame.columns


def test_methodology_page_in_french_and_english(built_db):
    at = open_page("methodology")
    assert at.title[0].value == "Méthodologie"
    text = " ".join(m.value for m in at.markdown)
    for figure in ("Valeur des marchés", "Part de l'ESS", "Réinsertion + familles"):
        assert f"**{figure}**" in text
    assert "`sql/overview_headline.sql`" in text
    assert "prorata" in text and "GPL-3.0" in text and "Licence Ouverte" in text
    assert "SROI" in " ".join(h.value for h in at.header)
    assert "effet d'aubaine" in text and "rapportée au chiffre d'affaires hors cantine" in text
    assert any("Données illustratives" in i.value for i in at.info)
    assert len(at.dataframe) == 8  # six taxonomies, the sources, the coverage
    assert "50 %" in text.replace("\u202f", " ") and "données insuffisantes" in text
    coverage = at.dataframe[7].value
    assert coverage["Répartition du résultat connue (%)"].tolist() == ["100"] * len(coverage)
    # Written as French writes numbers: « 4 252 525 917 », not « 4252525917.35 ».
    revenue = coverage["Chiffre d'affaires des titulaires, tous payeurs (€)"]
    assert all("\u202f" in value for value in revenue)
    # Every payer's revenue, régie aside: not the market value (the administration's part),
    # which the page defines just above and the Overview shows.
    every_payer = (
        open_db(built_db)
        .sql("SELECT sum(revenue_eur) FROM market_revenue WHERE payer_group_id <> 'regie'")
        .fetchall()[0][0]
    )
    assert int(revenue.tolist()[0].replace("\u202f", "")) == round(every_payer)

    at = open_page("methodology", lang="en")
    assert at.title[0].value == "Methodology"
    text = " ".join(m.value for m in at.markdown)
    assert "**Market value**" in text and "pro rata" in text
    # The SROI method as the Outcomes page computes it (per euro of market value).
    assert "deadweight" in text and "divided by the revenue outside canteens" in text


def test_the_dictionary_counts_rows_by_provenance(built_db):
    tables = catalog.load()
    expected = _independent(
        built_db, "SELECT provenance, count(*) FROM population_monthly GROUP BY ALL ORDER BY 2 DESC"
    )
    counts = explorer.provenance(tables.table("population_monthly"), tables)
    assert sorted(counts.iter_rows()) == sorted(expected)
    assert explorer.provenance(tables.table("operator_kind"), tables).is_empty()
