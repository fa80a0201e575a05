"""Associations network: invented names and organisational contacts in the demo set, the directory
and its exports, the graph figures, coverage, conventions due and joint actions, checked against
independent SQL on the built file; the page in both languages."""

from __future__ import annotations

import json
import re
from datetime import date

import polars as pl
import pytest

from maillon.charts import network
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.data.paths import DEMO_DIR, SQL_DIR
from maillon.database import build, taxonomy
from maillon.exports import vcard
from maillon.figures import associations, associations_conventions, associations_network
from maillon.plain_text import plain_markdown
from tests.page_helpers import _connect, figures, open_page, open_tab, sql, sql_all

# Real organisations named in the source texts (and a few more): no invented figure may carry
# their name.
REAL_ASSOCIATIONS = [
    "genepi",
    "secours catholique",
    "secours populaire",
    "croix-rouge",
    "emmaüs",
    "emmaus",
    "farapej",
    "uframa",
    "auxilia",
    "ban public",
    "oip",
    "observatoire international des prisons",
    "wake up",
    "cimade",
    "courrier de bovet",
    "anvp",
    "relais enfants-parents",
    "acteurs de la solidarité",
    "armée du salut",
    "petits frères",
    "ligue des droits",
    "aumônerie",
    "fnars",
    "apcars",
]
TABS = [
    "Annuaire",
    "Réseau",
    "Couverture",
    "Conventions à renouveler",
    "Actions communes",
    "Lien avec les opérateurs",
    "Passation",
]
TABS_EN = [
    "Directory",
    "Network",
    "Coverage",
    "Conventions due",
    "Joint actions",
    "Link with operators",
    "Hand-over",
]
YEARS = (2019, 2025)
NOUVELLE_AQUITAINE = "75"


def _demo(name: str) -> pl.DataFrame:
    return pl.read_csv(DEMO_DIR / f"{name}.csv", infer_schema_length=0)


@pytest.fixture()
def db(built_db):
    return built_db


def _filters(**kw) -> Filters:
    return Filters(*YEARS, **kw)


# ---------------------------------------------------------------- the demo set


def test_no_demo_name_is_a_real_association():
    names = (
        _demo("association")["name"].to_list()
        + _demo("association_collective")["name"].to_list()
        + _demo("joint_action")["title"].to_list()
    )
    hits = [
        (n, real)
        for n in names
        for real in REAL_ASSOCIATIONS
        if re.search(rf"(?<!\w){re.escape(real)}(?!\w)", n.lower())
    ]
    assert hits == []
    assert len(set(_demo("association")["name"])) == 100


def test_contacts_are_organisational_and_fictional():
    frame = _demo("association")
    assert frame["email"].str.contains(r"^contact@[a-z0-9-]+\.example\.org$").all()
    # 01 99 00 xx xx: the range ARCEP keeps for fiction
    assert frame["phone"].str.contains(r"^\+33 1 99 00 \d\d \d\d$").all()
    assert frame["address"].is_not_null().all()


def test_a_few_national_networks_reach_many_establishments(db):
    national, local = sql(
        db,
        """SELECT median(n) FILTER (scope = 'national'), median(n) FILTER (scope = 'local')
           FROM (SELECT a.scope, count(DISTINCT i.establishment_id) AS n
                 FROM association a JOIN association_intervention i USING (association_id)
                 GROUP BY a.association_id, a.scope)""",
    )
    assert national >= 20 and local <= 4
    signed, unsigned = sql(
        db,
        "SELECT count(*) FILTER (has_convention), count(*) FILTER (NOT has_convention) "
        "FROM association_partnership",
    )
    assert signed > 0 and unsigned > 0


# ---------------------------------------------------------------- directory and exports


def test_directory_in_a_region_matches_sql(db):
    filters = _filters(region=(NOUVELLE_AQUITAINE,))
    found = associations.directory(filters, associations.Search())
    expected = sql_all(
        db,
        """SELECT DISTINCT i.association_id FROM association_intervention i
           JOIN establishment e USING (establishment_id)
           WHERE coalesce(e.region_code, e.departement_code) = ? AND i.year BETWEEN ? AND ?""",
        [NOUVELLE_AQUITAINE, *YEARS],
    )
    assert sorted(found["association_id"]) == sorted(r[0] for r in expected)
    health = associations.directory(filters, associations.Search(fields=("health",)))
    assert set(health["field_id"]) <= {"health"}
    assert (
        health.height
        == sql(
            db,
            """SELECT count(DISTINCT a.association_id) FROM association a
           JOIN association_intervention i USING (association_id)
           JOIN establishment e USING (establishment_id)
           WHERE a.field_id = 'health' AND coalesce(e.region_code, e.departement_code) = ?
             AND i.year BETWEEN ? AND ?""",
            [NOUVELLE_AQUITAINE, *YEARS],
        )[0]
    )


def test_directory_search_by_name_and_establishment(db):
    name = sql(db, "SELECT name FROM association WHERE association_id = 'as_020'")[0]
    found = associations.directory(_filters(), associations.Search(text=name[-6:].upper()))
    assert name in found["name"].to_list()
    site = sql(
        db,
        "SELECT min(establishment_id) FROM association_intervention WHERE year = 2025",
    )[0]
    at_site = associations.directory(_filters(), associations.Search(establishments=(site,)))
    expected = sql(
        db,
        "SELECT count(DISTINCT association_id) FROM association_intervention "
        "WHERE establishment_id = ? AND year BETWEEN ? AND ?",
        [site, *YEARS],
    )[0]
    assert at_site.height == expected > 0


def test_csv_export_reads_back_equal_to_the_filtered_rows(db):
    found = associations.directory(_filters(), associations.Search(fields=("housing",)))
    table = associations.directory_table(found, "fr")
    back = pl.read_csv(table.write_csv().encode(), infer_schema_length=0)
    assert back.height == found.height > 0
    assert back["Association"].to_list() == found["name"].to_list()
    assert back["Courriel"].to_list() == found["email"].to_list()
    assert back["Téléphone"].to_list() == found["phone"].to_list()


def _read_vcards(text: str) -> list[dict[str, str]]:
    """A small RFC 6350 reader: unfolded lines, property name without parameters, unescaped."""
    cards, card = [], None
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line == "BEGIN:VCARD":
            card = {}
        elif line == "END:VCARD":
            cards.append(card)
        elif line and card is not None:
            key, _, value = line.partition(":")
            card[key.split(";")[0]] = value
    return cards


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def _split(value: str, sep: str = ";") -> list[str]:
    return [_unescape(p) for p in re.split(rf"(?<!\\){sep}", value)]


def test_vcard_export_reads_back_with_organisational_contacts_only(db):
    found = associations.directory(_filters(), associations.Search(settings=("after_release",)))
    cards = _read_vcards(vcard.organisations(found, name="name"))
    assert len(cards) == found.height > 0
    for card, row in zip(cards, found.iter_rows(named=True), strict=True):
        assert set(card) == {"VERSION", "KIND", "FN", "ORG", "ADR", "EMAIL", "TEL"}
        assert card["KIND"] == "org"
        assert _unescape(card["ORG"]) == row["name"]
        assert _unescape(card["EMAIL"]) == row["email"]
        assert _unescape(card["TEL"]) == row["phone"]
        adr = _split(card["ADR"])
        assert (adr[2], adr[3], adr[5]) == (row["address"], row["city"], row["postal_code"])


HOSTILE = {
    "association_id": "as_999",
    "name": "<script>alert('x')</script> Atelier, du; Test",
    "field_id": "culture",
    "scope": "local",
    "setting": "inside",
    "address": '<img src=x onerror="alert(1)">\n2e étage',
    "postal_code": "00000",
    "city": "Nulle-Part",
    "email": "<b>contact</b>@example.org",
    "phone": "+33 1 99 00 00 00",
    "establishment_count": 1,
    "establishments": "**gras** [lien](http://example.org)",
    "partners": None,
}


def test_hostile_contact_text_is_escaped_in_cards_and_vcards():
    frame = pl.DataFrame([HOSTILE])
    card = associations.cards(frame, "fr")[0]
    # every Markdown/HTML character of the name is backslash-escaped: shown as text
    assert re.search(r"(?<!\\)[<>\[\]*]", card.heading.strip("*")) is None
    assert "<script>" in plain_markdown(HOSTILE["name"]).replace("\\", "")
    # the other fields go to st.text, which never interprets markup
    assert HOSTILE["address"] in card.contact and HOSTILE["establishments"] in card.where
    back = _read_vcards(vcard.organisations(frame, name="name"))[0]
    assert _unescape(back["ORG"]) == HOSTILE["name"]
    assert _split(back["ADR"])[2] == HOSTILE["address"]


def test_a_vcard_name_is_never_a_formula_and_long_lines_are_folded():
    frame = pl.DataFrame([HOSTILE | {"name": '=HYPERLINK("http://x") ' + "é" * 80}])
    text = vcard.organisations(frame, name="name")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    back = _read_vcards(text)[0]
    assert _unescape(back["ORG"]).startswith("'=HYPERLINK")
    assert back["TEL"] == "+33 1 99 00 00 00"  # the leading + of a phone number is kept


@pytest.fixture()
def hostile_db(built_db, tmp_path, monkeypatch):
    """The demo files with the first association's contact replaced by markup, built apart."""
    source = tmp_path / "demo"
    source.mkdir()
    for path in DEMO_DIR.glob("*.csv"):
        (source / path.name).symlink_to(path)
    (source / "association.csv").unlink()
    frame = _demo("association")
    first = {k: HOSTILE[k] for k in ("name", "address", "email")}
    frame = frame.with_columns(
        *[
            pl.when(pl.col("association_id") == "as_001")
            .then(pl.lit(value))
            .otherwise(pl.col(column))
            .alias(column)
            for column, value in first.items()
        ]
    )
    frame.write_csv(source / "association.csv")
    db = tmp_path / "hostile.duckdb"
    build.build(db, source, progress=lambda _line: None)
    monkeypatch.setenv("MAILLON_DB", str(db))
    queries.clear_cache()
    yield db
    queries.clear_cache()


def test_hostile_contact_is_shown_as_text_on_the_page(hostile_db):
    at = open_page("associations")
    at.text_input(key="assoc_search").input("alert").run()
    headings = [m.value for m in at.markdown if "alert" in m.value]
    assert headings == [associations.cards(pl.DataFrame([HOSTILE]), "fr")[0].heading]
    assert "<script>" not in headings[0]
    texts = [x.value for x in at.text]
    assert any(HOSTILE["address"] in x and HOSTILE["email"] in x for x in texts)


# ---------------------------------------------------------------- network


def test_connectivity_matches_sql(db):
    filters = _filters(region=(NOUVELLE_AQUITAINE,))
    figures_ = associations_network.connectivity(filters)
    present = """SELECT DISTINCT i.association_id FROM association_intervention i
                 JOIN establishment e USING (establishment_id)
                 WHERE coalesce(e.region_code, e.departement_code) = $r
                   AND i.year BETWEEN $f AND $t"""
    edges = f"""SELECT * FROM association_partnership
                WHERE association_id IN ({present}) AND partner_id IN ({present})
                  AND since_year <= $t"""
    con_params = {"r": NOUVELLE_AQUITAINE, "f": YEARS[0], "t": YEARS[1]}
    con = _connect(db)
    try:
        total = con.execute(f"SELECT count(*) FROM ({present})", con_params).fetchone()[0]
        alone = con.execute(
            f"""SELECT count(*) FROM ({present}) p WHERE NOT EXISTS (SELECT 1 FROM ({edges}) x
                WHERE p.association_id IN (x.association_id, x.partner_id))""",
            con_params,
        ).fetchone()[0]
        pairs, signed = con.execute(
            f"SELECT count(*), count(*) FILTER (has_convention) FROM ({edges})", con_params
        ).fetchone()
    finally:
        con.close()
    assert (figures_["associations"], figures_["without_partner"]) == (total, alone)
    assert (figures_["partnerships"], figures_["with_convention"]) == (pairs, signed)
    assert 0 < alone < total


def test_graph_draws_every_association_and_partnership(db):
    filters = _filters()
    view = associations_network.network_view(filters, "fr")
    spec = json.loads(view.figure.to_json())
    nodes = [tr for tr in spec["data"] if tr["mode"] == "markers+text"]
    assert sum(len(tr["x"]) for tr in nodes) == sql(db, "SELECT count(*) FROM association")[0]
    solid, dotted = spec["data"][0], spec["data"][1]
    signed, unsigned = sql(
        db,
        "SELECT count(*) FILTER (has_convention), count(*) FILTER (NOT has_convention) "
        "FROM association_partnership",
    )
    assert (solid["line"]["dash"], dotted["line"]["dash"]) == ("solid", "dot")
    assert (len(solid["x"]) // 3, len(dotted["x"]) // 3) == (signed, unsigned)
    labelled = [txt for tr in nodes for txt in tr["text"] if txt]
    assert 0 < len(labelled) <= associations_network.LABELLED_NODES  # names only where they fit
    assert "DONNÉES ILLUSTRATIVES" in [a["text"] for a in spec["layout"]["annotations"]]


def test_graph_labels_do_not_overlap(db):
    nodes = queries.run("associations_network_nodes", **associations.scope_params(_filters()))
    edges = queries.run("associations_network_edges", **associations.scope_params(_filters()))
    where = network.layout(
        nodes["association_id"].to_list(),
        list(edges.select("association_id", "partner_id").iter_rows()),
    )
    chosen = sorted(associations_network.labels_that_fit(nodes, where))
    assert len(chosen) >= 6
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            (ax, ay), (bx, by) = where[a], where[b]
            assert (
                abs(ax - bx) > associations_network.LABEL_WIDTH
                or abs(ay - by) > associations_network.LABEL_HEIGHT
            )


def test_layout_is_deterministic_and_bounded():
    nodes = [f"n{i}" for i in range(30)]
    edges = [(f"n{i}", f"n{(i * 7) % 25}") for i in range(25) if i != (i * 7) % 25]
    first, second = network.layout(nodes, edges), network.layout(nodes, edges)
    assert first == second and set(first) == set(nodes)
    assert all(abs(x) <= 1.2 and abs(y) <= 1.2 for x, y in first.values())
    points = sorted(first.values())
    assert len(set(points)) == len(points)


# ---------------------------------------------------------------- coverage, conventions, actions


def test_coverage_counts_establishments_without_association(db):
    frame = associations.coverage(_filters())
    expected = sql(
        db,
        """SELECT count(*) FROM establishment e WHERE NOT EXISTS (
               SELECT 1 FROM association_intervention i
               WHERE i.establishment_id = e.establishment_id AND i.year = ?)""",
        [YEARS[1]],
    )[0]
    assert frame.height == 186
    assert frame.filter(pl.col("fields_covered") == 0).height == expected > 0
    per_region = associations.continuity(_filters())
    assert per_region["establishments"].sum() == 186
    assert (per_region["with_both"] <= per_region["with_inside"]).all()


def test_conventions_due_and_missing_match_sql(db):
    as_of = date(2026, 11, 23)
    due = associations_conventions.to_renew(_filters(), as_of, 12).filter(
        pl.col("convention_kind") == "partnership"
    )
    expected, overdue = sql(
        db,
        "SELECT count(*), count(*) FILTER (convention_renewal_on < ?) FROM association_partnership"
        " WHERE has_convention AND convention_renewal_on < ? + INTERVAL 12 MONTH",
        [as_of, as_of],
    )
    assert (due.height, int(due["overdue"].sum())) == (expected, overdue)
    missing = associations.without_convention(_filters())
    assert (
        missing.height
        == sql(db, "SELECT count(*) FROM association_partnership WHERE NOT has_convention")[0]
    )


def test_joint_actions_in_the_period_match_sql(db):
    frame = associations_network.joint_actions(_filters())
    assert (
        frame.height
        == sql(
            db,
            "SELECT count(*) FROM joint_action WHERE year(action_date) BETWEEN ? AND ?",
            [*YEARS],
        )[0]
    )
    assert (frame["partner_count"] >= 2).all()


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize(("lang", "tabs"), [("fr", TABS), ("en", TABS_EN)])
def test_every_tab_renders(built_db, lang, tabs):
    at = open_page("associations", lang=lang)
    assert [tab.label for tab in at.tabs] == tabs
    assert len(at.get("download_button")) >= 2  # CSV and vCard of the directory
    drawn = []
    for label in tabs[1:]:
        drawn += figures(open_tab(at, "associations_tab", label))
    assert len(drawn) == 5  # network, coverage map, continuity, joint actions, operators' money
    illustrative = "DONNÉES ILLUSTRATIVES" if lang == "fr" else "ILLUSTRATIVE DATA"
    assert all(illustrative in [a["text"] for a in spec["layout"]["annotations"]] for spec in drawn)


@pytest.mark.parametrize(
    ("column", "codes"),
    [("field_id", taxonomy.FIELDS), ("setting", taxonomy.SETTINGS), ("theme", taxonomy.THEMES)],
)
def test_the_association_codes_are_the_schemas(column, codes):
    schema = (SQL_DIR / "schema.sql").read_text()
    allowed = re.search(rf"{column}\s+VARCHAR NOT NULL CHECK \({column} IN \(([^)]*)\)\)", schema)
    assert tuple(re.findall(r"'(\w+)'", allowed[1])) == codes


@pytest.mark.parametrize(
    "typed", ["boussole-etoile", "BOUSSOLE ÉTOILE", "reseau boussole etoile", " boussole  étoile "]
)
def test_directory_search_sets_accents_case_and_punctuation_aside(db, typed):
    """A name is found as people type it: without its accents, hyphens or apostrophes."""
    found = associations.directory(_filters(), associations.Search(text=typed))
    assert "Réseau Boussole-Étoile" in found["name"].to_list()
    assert all("Boussole" in name for name in found["name"])


def test_directory_search_finds_a_name_typed_without_its_apostrophe(db):
    found = associations.directory(_filters(), associations.Search(text="ancre d orvane"))
    assert found["name"].to_list() == ["Ancre d'Orvane"]
