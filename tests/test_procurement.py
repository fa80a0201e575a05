"""Published contracts (DECP) and their holders' register (SIRENE) into the database and onto the
pages: the importer stores the contracts, holders, groupings and sources the reader kept, a second
import of the same files changes nothing, the register classifies holders (a grouping takes its
lead's kind, holders not found stay unknown and are counted), and the markets page and the
Overview show notified amounts marked real, with their coverage and sources, equal to independent
SQL on the base tables."""

import csv
import json
import math
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from maillon import i18n
from maillon.admin import importer, open_data
from maillon.admin.decp import DecpError, read_decp
from maillon.charts import draw
from maillon.data.filters import Filters
from maillon.database import build
from maillon.figures import procurement
from tests.conftest import open_db
from tests.page_helpers import open_page, open_tab
from tests.test_provenance import use_database  # noqa: F401 (fixture)
from tests.test_sirene import FIELDS as SIRENE_FIELDS

FIXTURES = Path(__file__).parent / "fixtures" / "decp"
DECP_FILES = ("decp-2019-prison.json", "decp-2022-prison.json", "decp-flat-prison.csv")
# Holders of the DECP fixtures, as a register would list them (888888888 is left out: not found).
REGISTER = (
    ("333333333", "CUISINE OUEST SCOP", "5458", "O", "A"),  # a SCOP: lead of a grouping
    ("666666666", "SERVICES EXEMPLE", "5710", "O", "A"),  # a commercial company flagged ESS
    ("555555555", "CANTINE EXEMPLE", "5710", "N", "A"),
    ("444444445", "PROPRETE SOLIDAIRE", "9220", "", "A"),  # an association
    ("999999999", "BLANCHISSERIE EXEMPLE", "5499", "N", "C"),  # ceased
)


def _files() -> list[tuple[str, bytes]]:
    return [(name, (FIXTURES / name).read_bytes()) for name in DECP_FILES]


def _register_file(folder: Path) -> Path:
    path = folder / "StockUniteLegale_test.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SIRENE_FIELDS)
        for siren, name, form, ess, state in REGISTER:
            writer.writerow(
                [siren, "O", "2001-01-01", "", "", "", name, form, "56.29A", ess, state]
            )
        writer.writerow(["123456789", "O", "", "", "", "", "NOT A HOLDER", "5710", "", "N", "A"])
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A demo database, then the DECP fixtures imported, then the register: (db, decp outcome,
    decp tables, sirene tables, candidate of a second DECP import)."""
    folder = tmp_path_factory.mktemp("procurement")
    db = folder / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    candidate, read, tables = open_data.check_decp(_files(), "test", db)
    importer.apply(candidate, "test", db)
    again, _, _ = open_data.check_decp(_files(), "test", db)
    importer.discard(again)
    checked, classified = open_data.check_sirene(_register_file(folder), "test", db)
    importer.apply(checked, "test", db)
    return db, read, tables, classified, again


def _rows(db: Path, sql: str, **params) -> list[tuple]:
    with open_db(db) as con:
        return con.sql(sql, params=params or None).fetchall()


def test_the_contracts_kept_are_stored_with_their_holders_and_sources(imported):
    db, _, tables, _, _ = imported
    independent = read_decp(_files())
    stored = _rows(db, "SELECT count(*), sum(amount_notified_eur) FROM procurement_contract")
    assert stored == [(independent.contracts.height, independent.contracts["amount_eur"].sum())]
    assert _rows(db, "SELECT DISTINCT provenance FROM procurement_contract") == [("real",)]
    holders = _rows(db, "SELECT count(*) FROM procurement_holder")[0][0]
    assert holders == independent.holders.height
    # one source per file that kept contracts, real, naming the file (in English too)
    sources = _rows(
        db,
        "SELECT s.title, s.title_en, s.provenance FROM source s WHERE s.source_id IN "
        "(SELECT source_id FROM procurement_contract) ORDER BY 1",
    )
    files_kept = sorted(n for n, kept in independent.kept_by_file.items() if kept)
    assert sources == [(f"DECP : {name}", f"DECP: {name}", "real") for name in files_kept]
    located = _rows(db, "SELECT count(DISTINCT procurement_id) FROM procurement_establishment")
    assert located[0][0] == tables.located
    assert tables.located + tables.not_located.height == independent.contracts.height


def test_several_holders_make_a_grouping_led_by_the_first(imported):
    db = imported[0]
    contracts = _rows(
        db,
        """SELECT c.procurement_id, o.is_grouping, count(DISTINCT h.operator_id),
                  any_value(h.operator_id) FILTER (h.position = 1)
           FROM procurement_contract c JOIN operator o USING (operator_id)
           JOIN procurement_holder h USING (procurement_id)
           GROUP BY ALL""",
    )
    assert any(grouping for _, grouping, _, _ in contracts)
    for procurement_id, grouping, holders, first in contracts:
        assert grouping == (holders > 1), procurement_id
        if grouping:
            lead = _rows(
                db,
                "SELECT g.member_id FROM grouping_member g JOIN procurement_contract c "
                "ON c.operator_id = g.grouping_id WHERE c.procurement_id = $id "
                "AND g.role = 'lead'",
                id=procurement_id,
            )
            assert lead == [(first,)]


def test_importing_the_same_files_again_changes_nothing(imported):
    again = imported[4]
    assert all(change.unchanged for change in again.changes.values()), again.changes


def test_the_register_classifies_holders_and_groupings_take_their_leads_kind(imported):
    db, _, _, classified, _ = imported
    kinds = dict(_rows(db, "SELECT operator_id, kind_id FROM operator WHERE provenance = 'real'"))
    assert kinds["siren_333333333"] == "scop"
    assert kinds["siren_666666666"] == "ess_company"
    assert kinds["siren_555555555"] == "for_profit"
    assert kinds["siren_444444445"] == "association"
    assert kinds["siren_888888888"] == "unknown"  # not in the register
    assert "888888888" in classified.not_found
    assert classified.classified == len(REGISTER)
    leads = _rows(
        db,
        "SELECT g.grouping_id, m.kind_id FROM grouping_member g "
        "JOIN operator m ON m.operator_id = g.member_id WHERE g.role = 'lead' "
        "AND g.grouping_id IN (SELECT operator_id FROM procurement_contract)",
    )
    assert leads and all(kinds[grouping] == kind for grouping, kind in leads)
    register = dict(_rows(db, "SELECT siren, is_active FROM operator_register"))
    assert register == {s: state == "A" for s, _, _, _, state in REGISTER}
    assert _rows(db, "SELECT count(*) FROM operator_register WHERE siren = '123456789'") == [(0,)]


def test_the_imported_sources_read_in_the_readers_language(imported, use_database):  # noqa: F811
    use_database(str(imported[0]))
    found = procurement.provenance(Filters(2019, 2025))
    english, french = (" ; ".join(found.source_texts(lang)) for lang in ("en", "fr"))
    assert "DECP: decp-2019-prison.json (data.gouv.fr, données essentielles" in english
    # Maillon's wording in English, the register's own name as it names itself
    register = "StockUniteLegale_test.csv (Insee, répertoire SIRENE (StockUniteLegale)"
    assert f"Sirene company register, legal units: {register}" in english
    assert "DECP : " not in english and "Base Sirene" not in english
    assert "DECP : decp-2019-prison.json" in french
    assert f"Base Sirene des entreprises, unités légales : {register}" in french


def test_an_unreadable_decp_file_is_refused_by_name_and_nothing_changes(imported):
    db = imported[0]
    before = db.resolve()
    with pytest.raises(DecpError, match=r"broken\.json"):
        open_data.check_decp([("broken.json", b"{not json")], "test", db)
    assert db.resolve() == before


INDEPENDENT_BY_YEAR_KIND = """
    SELECT year(c.notified_on) AS year, k.label_fr, sum(c.amount_notified_eur)
    FROM procurement_contract c JOIN operator o USING (operator_id)
    JOIN operator_kind k USING (kind_id)
    WHERE year(c.notified_on) BETWEEN 2019 AND 2025
    GROUP BY ALL ORDER BY 1, 2
"""


def _notified_amounts_chart() -> tuple[AppTest, dict]:
    """The markets page on its published contracts' tab (French), and the figure JSON of its
    chart of notified amounts."""
    at = open_tab(open_page("markets"), "markets_tab", i18n.t("fr", "procurement.tab"))
    (spec,) = [
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "notifiés" in json.loads(c.proto.spec)["layout"]["title"]["text"]
    ]
    return at, spec


def test_the_markets_page_shows_notified_amounts_real_with_coverage(imported, use_database):  # noqa: F811
    db = imported[0]
    use_database(str(db))
    at, spec = _notified_amounts_chart()
    drawn = sorted(
        (int(x), bar["name"], y)
        for bar in spec["data"]
        if bar["type"] == "bar"
        for x, y in zip(bar["x"], bar["y"], strict=True)
    )
    # The legend names a kind in short (its acronym, or its label without the brackets).
    expected = sorted(
        (y, draw.short_label(k), v) for y, k, v in _rows(db, INDEPENDENT_BY_YEAR_KIND)
    )
    assert [(y, k) for y, k, _ in drawn] == [(y, k) for y, k, _ in expected]
    assert [v for _, _, v in drawn] == pytest.approx([v for _, _, v in expected])
    source = next(a["text"] for a in spec["layout"]["annotations"] if "DECP" in a["text"])
    assert "decp-2019-prison.json" in source and "Montants notifiés" in source
    assert "Titulaires classés par le répertoire SIRENE" in source
    assert not any("ILLUSTRATIVES" in a["text"] for a in spec["layout"]["annotations"])
    total = sum(v for _, _, v in expected)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Marchés publiés"] == str(len(_rows(db, "SELECT 1 FROM procurement_contract")))
    assert metrics["Montant notifié"].startswith(f"{total / 1e6:.1f}".replace(".", ","))


def test_the_overview_and_the_markets_page_show_the_same_notified_amount(imported, use_database):  # noqa: F811
    db = imported[0]
    use_database(str(db))
    amount, classified = _rows(
        db,
        "SELECT sum(c.amount_notified_eur), sum(c.amount_notified_eur) FILTER "
        "(k.kind_group <> 'unknown') / sum(c.amount_notified_eur) FROM procurement_contract c "
        "JOIN operator o USING (operator_id) JOIN operator_kind k USING (kind_id) "
        "WHERE year(c.notified_on) BETWEEN 2019 AND 2025",
    )[0]
    overview = open_page("overview", lang="en")
    markets = open_tab(
        open_page("markets", lang="en"), "markets_tab", i18n.t("en", "procurement.tab")
    )
    shown = [{m.label: m.value for m in at.metric} for at in (overview, markets)]
    assert shown[0]["Amount notified"] == shown[1]["Amount notified"] == i18n.money(amount, "en")
    share = i18n.percent(math.floor(classified * 1000) / 1000, "en", 1)
    line = i18n.t("en", "procurement.coverage_classified", share=share)
    assert any(line in c.value.replace("\\", "") for c in overview.caption)


def test_the_demo_has_no_published_contract_and_says_how_to_load_them(built_db):
    at = open_tab(open_page("markets"), "markets_tab", i18n.t("fr", "procurement.tab"))
    assert any("docs/real-data.md" in i.value for i in at.info)
    assert "Montant notifié" not in {m.label for m in open_page("overview").metric}


def test_published_contracts_ending_soon_are_scenario_opportunities(imported, use_database):  # noqa: F811
    import datetime as dt

    from maillon.figures import scenario_data

    db = imported[0]
    use_database(str(db))
    ends = _rows(
        db,
        "SELECT c.procurement_id, c.end_on FROM procurement_contract c "
        "JOIN operator o USING (operator_id) JOIN operator_kind k USING (kind_id) "
        "WHERE k.kind_group = 'for_profit' AND c.end_on IS NOT NULL AND c.domain_id IS NOT NULL "
        "AND c.procurement_id IN (SELECT procurement_id FROM procurement_establishment)",
    )
    unplaced = {
        p
        for (p,) in _rows(
            db,
            "SELECT procurement_id FROM procurement_contract WHERE domain_id IS NULL OR "
            "procurement_id NOT IN (SELECT procurement_id FROM procurement_establishment)",
        )
    }
    assert ends, "the fixtures hold a for-profit holder's contract with an end"
    first = min(end for _, end in ends)
    found = scenario_data.opportunities(first, 12)
    expected = {p for p, end in ends if first <= end <= dt.date(first.year + 1, first.month, 28)}
    assert expected <= set(found["contract_id"])
    # a national or multiservice contract would make the scenario's scope everything
    assert not unplaced & set(found["contract_id"])


def test_a_buyer_recognised_by_name_is_recognised_by_siret_in_a_2022_file(imported):
    """The 2022 format names the buyer by its SIRET only: the SIRET of a buyer an earlier file
    named is enough, and the contract keeps the buyer's name and establishment it had."""
    db = imported[0]
    name = "decp-2022-prison.json"
    alone = read_decp([(name, (FIXTURES / name).read_bytes())])
    assert alone.contracts.height == 0  # no SIRET in data/taxonomy/prison_buyer.csv
    candidate, read, tables = open_data.check_decp(
        [(name, (FIXTURES / name).read_bytes())], "test", db
    )
    importer.discard(candidate)
    known = {s for (s,) in _rows(db, "SELECT DISTINCT buyer_siret FROM procurement_contract")}
    assert read.contracts.height > 0
    assert set(read.contracts["buyer_siret"]) <= known
    kept = tables.frames["procurement_contract"].filter(
        pl.col("procurement_id").is_in(read.contracts["contract_key"].to_list())
    )
    assert kept["buyer_name"].null_count() == 0
    before = dict(
        _rows(db, "SELECT procurement_id, establishment_id FROM procurement_establishment")
    )
    links = tables.frames["procurement_establishment"]
    for procurement_id in kept["procurement_id"]:
        if procurement_id in before:
            assert links.filter(pl.col("procurement_id") == procurement_id)[
                "establishment_id"
            ].to_list() == [before[procurement_id]]


def test_by_buyer_and_by_domain_add_up_to_the_amount_notified(imported, use_database):  # noqa: F811
    from maillon.data.filters import Filters
    from maillon.figures import procurement

    db = imported[0]
    use_database(str(db))
    filters = Filters(2019, 2025)
    total = _rows(
        db,
        "SELECT sum(amount_notified_eur) FROM procurement_contract "
        "WHERE year(notified_on) BETWEEN 2019 AND 2025",
    )[0][0]
    column = i18n.t("fr", "procurement.col_amount")
    for table in (procurement.buyers(filters, "fr"), procurement.domains(filters, "fr")):
        assert table[column].sum() == pytest.approx(total)
    multiservice = _rows(
        db,
        "SELECT count(*) FROM procurement_contract WHERE is_multiservice "
        "AND year(notified_on) BETWEEN 2019 AND 2025",
    )[0][0]
    by_domain = procurement.domains(filters, "fr")
    assert multiservice and "Multiservice" in by_domain[i18n.t("fr", "procurement.col_domain")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "Les marchés publiés importés (DECP) sont réels, pour 100"),
        ("en", "The published contracts imported (DECP) are real, for 100"),
    ],
)
def test_the_demo_notice_names_the_real_published_contracts_beside_it(
    imported,
    use_database,  # noqa: F811
    lang,
    words,
):
    """After a DECP import, the Overview's notice said that only the establishments and the
    population were real."""
    db = imported[0]
    use_database(str(db))
    at = open_page("overview", lang=lang)
    (notice,) = [i.value for i in at.info if i.icon == ":material/science:"]
    assert words in notice
    assert "Seuls" not in notice and "Only" not in notice


def test_the_demo_notice_says_nothing_of_published_contracts_when_there_are_none(built_db):
    at = open_page("overview", lang="fr")
    (notice,) = [i.value for i in at.info if i.icon == ":material/science:"]
    assert notice.startswith("**Données illustratives.**") and "DECP" not in notice


def test_contracts_imported_before_the_register_say_no_holder_is_classified_yet(
    tmp_path,
    use_database,  # noqa: F811
):
    """Before a SIRENE import, the title read « l'ESS tient – des montants dont le titulaire est
    classé », the one grey stack had no legend and the source line no « Source : »."""
    db = tmp_path / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    candidate, _, _ = open_data.check_decp(_files(), "test", db)
    importer.apply(candidate, "test", db)
    use_database(str(db))
    _at, spec = _notified_amounts_chart()
    title = spec["layout"]["title"]["text"].replace("<br>", " ")
    assert "aucun titulaire n'est encore classé par le répertoire SIRENE" in title
    assert "–" not in title
    assert spec["layout"]["showlegend"]
    assert {bar["name"] for bar in spec["data"] if bar["type"] == "bar"} == {"Nature non connue"}
    years = spec["layout"]["xaxis"]["categoryarray"]
    assert years == list(range(min(years), max(years) + 1))
    source = next(a["text"] for a in spec["layout"]["annotations"] if "DECP" in a["text"])
    assert source.startswith("Source : tables procurement_contract ; DECP : ")
