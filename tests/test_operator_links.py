"""The link between associations and operators: the reinsertion and family money that names a
beneficiary association, per operator and per association, against independent SQL on the base
tables under several filters; the partnership graph with operators beside the associations; the
rule that a reallocation's named parts never exceed it, as an import shows it; the demo set's
plausibility; and the page in French and English."""

from __future__ import annotations

import json

import polars as pl
import pytest

from maillon.admin import importer
from maillon.data.filters import Filters
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from maillon.database.validate import ValidationError
from maillon.figures import associations_network, operator_links
from tests.page_helpers import figures, open_page, open_tab, sql_all

YEARS = (2019, 2025)
# (filters, SQL condition on the establishment e, SQL condition on the operator kind k)
SCOPES = [
    pytest.param(Filters(2021, 2024), "true", "true", id="years"),
    pytest.param(
        Filters(2019, 2025, region=("84",), kind=("scop", "association", "for_profit")),
        "e.region_code = '84'",
        "k.kind_id IN ('scop', 'association', 'for_profit')",
        id="region-and-kinds",
    ),
    pytest.param(
        Filters(2020, 2025, disp=("DISP LYON", "DISP RENNES")),
        "e.disp IN ('DISP LYON', 'DISP RENNES')",
        "true",
        id="disps",
    ),
]
# Each reinsertion or family reallocation's part in the filters: the operator's revenue in the
# establishments of the filters over its whole revenue that year, from contract_revenue.
IN_SCOPE_SQL = """
WITH revenue AS (
    SELECT c.operator_id, r.year,
           sum(r.revenue_eur::DOUBLE) FILTER (WHERE {place}) AS in_scope,
           sum(r.revenue_eur::DOUBLE) AS total
    FROM contract_revenue r
    JOIN contract c USING (contract_id)
    JOIN establishment e USING (establishment_id)
    GROUP BY ALL
),
returned AS (
    SELECT a.operator_id, a.year, a.destination_id, a.amount_eur::DOUBLE AS amount,
           coalesce(v.in_scope, 0) / v.total AS share
    FROM reallocation a
    JOIN destination d USING (destination_id)
    JOIN destination_category dc USING (category_id)
    JOIN operator o USING (operator_id)
    JOIN operator_kind k USING (kind_id)
    JOIN revenue v USING (operator_id, year)
    WHERE dc.category_id IN ('reinsertion', 'family') AND a.year BETWEEN ? AND ? AND {kind}
      AND v.total > 0
)
"""


def _demo(name: str) -> pl.DataFrame:
    return pl.read_csv(DEMO_DIR / f"{name}.csv", infer_schema_length=0)


def _in_scope(place: str, kind: str) -> str:
    return IN_SCOPE_SQL.format(place=place, kind=kind)


# ---------------------------------------------------------------- the money


@pytest.mark.parametrize(("filters", "place", "kind"), SCOPES)
def test_money_per_operator_matches_sql(built_db, run, filters, place, kind):
    frame = run("operator_links_money", **filters.params())
    expected = sql_all(
        built_db,
        _in_scope(place, kind)
        + """
        , named AS (
            SELECT operator_id, year, destination_id, sum(amount_eur::DOUBLE) AS amount
            FROM reallocation_beneficiary GROUP BY ALL
        )
        SELECT r.operator_id, sum(r.amount * r.share),
               coalesce(sum(n.amount * r.share), 0)
        FROM returned r LEFT JOIN named n USING (operator_id, year, destination_id)
        GROUP BY ALL HAVING sum(r.amount * r.share) > 0 ORDER BY 1
        """,
        [filters.year_from, filters.year_to],
    )
    got = frame.sort("operator_id").select("operator_id", "returned_eur", "named_eur").rows()
    assert [r[0] for r in got] == [r[0] for r in expected]
    for (_, returned, named), (_, returned_sql, named_sql) in zip(got, expected, strict=True):
        assert returned == pytest.approx(returned_sql, rel=1e-9)
        assert named == pytest.approx(named_sql, rel=1e-9, abs=1e-6)
        assert named <= returned + 1e-6
    assert frame["named_eur"].sum() > 0


@pytest.mark.parametrize(("filters", "place", "kind"), SCOPES)
def test_money_per_association_matches_sql(built_db, run, filters, place, kind):
    frame = run("operator_links_beneficiaries", **filters.params())
    expected = sql_all(
        built_db,
        _in_scope(place, kind)
        + """
        SELECT b.operator_id, b.association_id, sum(b.amount_eur::DOUBLE * r.share)
        FROM returned r JOIN reallocation_beneficiary b USING (operator_id, year, destination_id)
        GROUP BY ALL HAVING sum(b.amount_eur::DOUBLE * r.share) > 0 ORDER BY 1, 2
        """,
        [filters.year_from, filters.year_to],
    )
    got = frame.sort("operator_id", "association_id")
    assert got.select("operator_id", "association_id").rows() == [r[:2] for r in expected]
    assert got["amount_eur"].to_list() == pytest.approx([r[2] for r in expected], rel=1e-9)
    # per association, across operators
    per_association = got.group_by("association_id").agg(pl.col("amount_eur").sum())
    totals = {}
    for _, association, amount in expected:
        totals[association] = totals.get(association, 0.0) + amount
    assert dict(per_association.rows()) == pytest.approx(totals, rel=1e-9)


def test_the_named_parts_never_exceed_their_reallocation(built_db, run):
    over = sql_all(
        built_db,
        "SELECT operator_id, year, destination_id FROM reallocation_beneficiary b "
        "LEFT JOIN reallocation a USING (operator_id, year, destination_id) "
        "GROUP BY ALL HAVING any_value(a.amount_eur) IS NULL "
        "OR sum(b.amount_eur) > any_value(a.amount_eur)",
    )
    assert over == []
    frame = run("operator_links_money", **Filters(*YEARS).params())
    assert (frame["named_eur"] <= frame["returned_eur"] + 1e-6).all()


def test_the_chart_states_the_share_and_keeps_every_operator_in_its_table(built_db):
    filters = Filters(*YEARS)
    view = operator_links.money_view(filters, "fr")
    money = operator_links.money_by_operator(filters)
    share = money["named_eur"].sum() / money["returned_eur"].sum()
    assert view.caption.key_figure == f"{round(share * 100)}\u202f%"
    assert view.caption.title.startswith(view.caption.key_figure)
    assert view.caption.mark == "DONNÉES ILLUSTRATIVES"
    assert "reallocation_beneficiary" in view.caption.source
    table = view.table
    assert set(table["Opérateur"]) == set(money["name"])
    named = table.filter(pl.col("Association").is_not_null())
    assert named["Montant à l'association (€)"].sum() == pytest.approx(
        money["named_eur"].sum(), rel=1e-6
    )
    spec = json.loads(view.figure.to_json())
    bars = [trace for trace in spec["data"] if trace["type"] == "bar"]
    shown = money.head(operator_links.SHOWN_OPERATORS)
    assert sum(sum(trace["x"]) for trace in bars) == pytest.approx(
        shown["returned_eur"].sum(), rel=1e-9
    )
    colours = dict(sql_all(built_db, "SELECT kind_id, color FROM operator_kind"))
    solid = {
        trace["legendgroup"]: trace["marker"]["color"] for trace in bars if trace["showlegend"]
    }
    assert solid == {kind: colours[kind] for kind in set(shown["kind_id"])}


# ---------------------------------------------------------------- the graph

GRAPH_SCOPES = [
    pytest.param(Filters(*YEARS), "true", id="all"),
    pytest.param(
        Filters(2022, 2024, region=("84", "75")), "e.region_code IN ('84', '75')", id="regions"
    ),
]


def _graph_sql(db, filters: Filters, place: str) -> list[tuple]:
    """The operator partnerships the graph must show, from the base tables."""
    return sql_all(
        db,
        f"""
        WITH places AS (SELECT establishment_id FROM establishment e WHERE {place}),
        present AS (
            SELECT DISTINCT association_id FROM association_intervention
            WHERE year BETWEEN $1 AND $2 AND establishment_id IN (SELECT * FROM places)
        ),
        holding AS (
            SELECT DISTINCT c.operator_id
            FROM contract_revenue r JOIN contract c USING (contract_id)
            WHERE r.year BETWEEN $1 AND $2 AND r.establishment_id IN (SELECT * FROM places)
        )
        SELECT association_id, operator_id FROM operator_partnership
        WHERE since_year <= $2 AND coalesce(ended_year, $1) >= $1
          AND association_id IN (SELECT * FROM present)
          AND operator_id IN (SELECT * FROM holding)
          AND (establishment_id IS NULL OR establishment_id IN (SELECT * FROM places))
        ORDER BY 1, 2
        """,
        [filters.year_from, filters.year_to],
    )


@pytest.mark.parametrize(("filters", "place"), GRAPH_SCOPES)
def test_the_graph_with_operators_shows_the_operator_partnerships(built_db, filters, place):
    expected = _graph_sql(built_db, filters, place)
    assert expected
    view = associations_network.network_view(filters, "fr", with_operators=True)
    spec = json.loads(view.figure.to_json())
    squares = [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "square"]
    assert sorted(i for t in squares for i in t["ids"]) == sorted({o for _, o in expected})
    (dashed,) = [t for t in spec["data"] if t.get("line", {}).get("dash") == "dash"]
    segments = [
        (dashed["x"][i], dashed["y"][i], dashed["x"][i + 1], dashed["y"][i + 1])
        for i in range(0, len(dashed["x"]), 3)
    ]
    assert len(segments) == len(expected)
    rows = view.table.select("Association", "Opérateur").rows()
    names = dict(sql_all(built_db, "SELECT association_id, name FROM association"))
    operators = dict(sql_all(built_db, "SELECT operator_id, name FROM operator"))
    assert sorted(rows) == sorted((names[a], operators[o]) for a, o in expected)
    # every association end of an operator partnership is an association node of the graph
    circles = {
        i
        for t in spec["data"]
        if t["mode"] == "markers+text"
        for i in zip(t["x"], t["y"], strict=True)
    }
    assert {(s[0], s[1]) for s in segments} <= circles
    assert "operator_partnership" in view.caption.source


def test_the_graph_without_the_option_is_unchanged(built_db):
    filters = Filters(*YEARS)
    default = associations_network.network_view(filters, "en")
    off = associations_network.network_view(filters, "en", with_operators=False)
    assert default.figure.to_json() == off.figure.to_json()
    spec = json.loads(default.figure.to_json())
    assert not [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "square"]
    assert [t["line"]["dash"] for t in spec["data"] if t["mode"] == "lines"] == ["solid", "dot"]
    assert list(default.table.columns) == ["Association", "Field of action", "Number of partners"]
    assert "operator_partnership" not in default.caption.source


# ---------------------------------------------------------------- the rule on import


@pytest.fixture(scope="module")
def rules_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("links") / "maillon.duckdb"
    build.build(path, progress=lambda _line: None)
    return path


def test_an_import_naming_more_than_the_reallocation_is_refused(rules_db):
    frame = _demo("reallocation_beneficiary")
    first = frame.row(0, named=True)
    key = (first["operator_id"], first["year"], first["destination_id"])
    reallocated = (
        _demo("reallocation")
        .filter(
            (pl.col("operator_id") == key[0])
            & (pl.col("year") == key[1])
            & (pl.col("destination_id") == key[2])
        )["amount_eur"]
        .item()
    )
    others = frame.filter(
        (pl.col("operator_id") == key[0])
        & (pl.col("year") == key[1])
        & (pl.col("destination_id") == key[2])
    )["amount_eur"].cast(pl.Decimal(16, 2))
    # the first row alone raised so that the parts add up to 1 euro more than the reallocation
    raised = float(reallocated) - float(others.sum()) + float(first["amount_eur"]) + 1
    amounts = frame["amount_eur"].to_list()
    amounts[0] = f"{raised:.2f}"
    edited = frame.with_columns(pl.Series("amount_eur", amounts)).write_csv().encode()
    before = rules_db.resolve()
    with pytest.raises(ValidationError) as refused:
        importer.check([("reallocation_beneficiary.csv", edited)], "test", rules_db)
    assert rules_db.resolve() == before
    (problem,) = refused.value.problems
    total = f"{float(reallocated) + 1:.2f}"
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "reallocation_beneficiary.csv",
        2,
        "amount_eur",
        total,
    )
    assert problem.problem == (
        f"the named parts of the {key[2]} reallocation of {key[0]} in {key[1]} add up to "
        f"{total}, more than its amount ({reallocated})"
    )
    assert problem.problem_text("fr").startswith("les parts nommées de la réaffectation")
    assert "reallocation_beneficiary" in problem.fix


def test_an_import_naming_a_reallocation_that_does_not_exist_is_refused(rules_db):
    frame = _demo("reallocation_beneficiary")
    first = frame.row(0, named=True)
    years = frame["year"].to_list()
    years[0] = "2099"  # no operator has a result, so no reallocation, that year
    edited = frame.with_columns(pl.Series("year", years)).write_csv().encode()
    with pytest.raises(ValidationError) as refused:
        importer.check([("reallocation_beneficiary.csv", edited)], "test", rules_db)
    (problem,) = refused.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "reallocation_beneficiary.csv",
        2,
        "destination_id",
        first["destination_id"],
    )
    assert problem.problem == (
        f"no {first['destination_id']} reallocation of {first['operator_id']} in 2099 "
        "in reallocation"
    )


# ---------------------------------------------------------------- the demo set


def test_the_demo_ess_operators_have_more_partners_and_name_more_of_their_money():
    kinds = dict(
        pl.read_csv(DEMO_DIR.parent / "taxonomy" / "operator_kind.csv")
        .select("kind_id", "kind_group")
        .rows()
    )
    operators = _demo("operator").with_columns(
        pl.col("kind_id").replace_strict(kinds).alias("group")
    )
    partners = _demo("operator_partnership").group_by("operator_id").len()
    per_operator = (
        operators.join(partners, on="operator_id", how="left")
        .group_by("group")
        .agg(pl.col("len").fill_null(0).mean())
    )
    rate = dict(per_operator.rows())
    assert rate["ess"] > 1.5 * rate["for_profit"] > 0
    named = (
        _demo("reallocation_beneficiary")
        .with_columns(pl.col("amount_eur").cast(pl.Float64))
        .join(operators.select("operator_id", "group"), on="operator_id")
        .group_by("group")
        .agg(pl.col("amount_eur").sum())
    )
    returned = (
        _demo("reallocation")
        .filter(pl.col("destination_id").str.contains("^(reinsertion|family)_"))
        .with_columns(pl.col("amount_eur").cast(pl.Float64))
        .join(operators.select("operator_id", "group"), on="operator_id")
        .group_by("group")
        .agg(pl.col("amount_eur").sum())
    )
    share = {g: dict(named.rows())[g] / dict(returned.rows())[g] for g in ("ess", "for_profit")}
    assert share["ess"] > share["for_profit"] > 0
    assert 0.1 < sum(dict(named.rows()).values()) / sum(dict(returned.rows()).values()) < 0.6


def test_the_demo_beneficiaries_work_where_their_operator_holds_markets():
    sites = (
        _demo("contract")
        .join(_demo("contract_establishment"), on="contract_id")
        .select("operator_id", "establishment_id")
    )
    present = _demo("association_intervention").select("association_id", "establishment_id", "year")
    named = _demo("reallocation_beneficiary")
    working = named.join(present, on=["association_id", "year"]).join(
        sites, on=["operator_id", "establishment_id"]
    )
    assert working.select("operator_id", "year", "destination_id", "association_id").n_unique() == (
        named.height
    )
    partnerships = _demo("operator_partnership")
    shared = (
        partnerships.drop("establishment_id")
        .join(present, on="association_id")
        .join(sites, on=["operator_id", "establishment_id"])
    )
    assert shared["partnership_id"].n_unique() == partnerships.height
    local = partnerships.filter(pl.col("establishment_id").is_not_null())
    assert local.join(shared, on=["partnership_id", "establishment_id"]).select(
        "partnership_id"
    ).n_unique() == (local.height)


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("lang", "tab", "network", "start", "mark"),
    [
        ("fr", "Lien avec les opérateurs", "Réseau", "de l'argent de réinsertion", "DONNÉES"),
        ("en", "Link with operators", "Network", "of the operators' reinsertion", "ILLUSTRATIVE"),
    ],
)
def test_the_page_shows_the_money_and_the_graph_with_operators(
    built_db, lang, tab, network, start, mark
):
    at = open_page("associations", lang=lang)
    at = open_tab(at, "associations_tab", tab)
    (spec,) = figures(at)
    assert start in spec["layout"]["title"]["text"]
    assert any(mark in a["text"] for a in spec["layout"]["annotations"])
    assert any(trace["type"] == "bar" for trace in spec["data"])
    at = open_tab(at, "associations_tab", network)
    (before,) = figures(at)
    assert not [t for t in before["data"] if t.get("marker", {}).get("symbol") == "square"]
    at.session_state["assoc_with_operators"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    (after,) = figures(at)
    assert [t for t in after["data"] if t.get("marker", {}).get("symbol") == "square"]
