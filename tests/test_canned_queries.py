"""Canned queries: the header of each file describes its parameters truly, the queries return
what independent code returns, and the page runs them from a link."""

import datetime as dt
import json
import re

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from maillon.data import queries
from maillon.data.filters import LIST_FILTERS, FilterOptions, Filters
from maillon.figures import ready_queries
from tests.test_explorer import open_page, whole_table

# What a link's filter values are checked against (the built database has these and more).
OPTIONS = FilterOptions(
    (2019, 2025), {d: () for d in LIST_FILTERS} | {"domain": ("canteen",), "kind": ("scop", "siae")}
)
MARKED = {
    "overview_headline",
    "market_value_by_year_kind",
    "contracts_ending_within",
    "operator_accounts_by_year",
    "reallocation_by_destination",
}


def test_the_queries_meant_for_people_are_marked():
    assert {q.name for q in ready_queries.all_queries()} >= MARKED


@pytest.mark.parametrize("query", ready_queries.all_queries(), ids=lambda q: q.name)
def test_headers_declare_exactly_the_parameters_used(query):
    body = "\n".join(line for line in query.sql.splitlines() if not line.startswith("--"))
    assert {p.name for p in query.params} == set(re.findall(r"\$(\w+)", body))
    assert query.title_fr and query.title_en and query.description_fr and query.description_en
    assert all(p.type in ready_queries.TYPES and p.label_fr and p.label_en for p in query.params)


@pytest.mark.parametrize("name", sorted(MARKED))
def test_every_canned_query_runs_with_its_initial_values(built_db, name):
    query = ready_queries.by_name(name)
    values, bad = ready_queries.values_from_url(query, {}, Filters(2019, 2025), OPTIONS)
    assert bad == []
    assert query.run(values).frame.width > 0


def test_a_canned_query_gives_what_the_page_shows(built_db):
    query = ready_queries.by_name("overview_headline")
    filters = Filters(2020, 2024, kind=("scop",))
    values, _ = ready_queries.values_from_url(query, {}, filters, OPTIONS)
    # The worker sums with one thread, the app with two: floating sums may differ in the last bits.
    assert_frame_equal(
        query.run(values).frame,
        queries.run("overview_headline", **filters.params()),
        check_exact=False,
        rel_tol=1e-12,
    )


def test_contracts_ending_within_matches_independent_code(built_db):
    contracts = whole_table(built_db, "contract")
    as_of = contracts["end_date"].min()
    result = (
        ready_queries.by_name("contracts_ending_within")
        .run({"as_of": as_of, "months": 36, "domains": [], "kinds": []})
        .frame
    )
    limit = dt.date(as_of.year + 3, as_of.month, as_of.day)
    expected = contracts.filter(pl.col("end_date").is_between(as_of, limit))
    assert sorted(result["contract_id"]) == sorted(expected["contract_id"])


def test_operator_accounts_add_up(built_db):
    result = (
        ready_queries.by_name("operator_accounts_by_year")
        .run({"year_from": 2019, "year_to": 2025, "kinds": []})
        .frame
    )
    accounts = whole_table(built_db, "operator_result").filter(
        pl.col("year").is_between(2019, 2025)
    )
    assert result.height == accounts.height
    assert result["revenue_eur"].sum() == accounts["revenue_eur"].sum()


def test_values_come_from_the_link_and_bad_ones_are_named():
    query = ready_queries.by_name("contracts_ending_within")
    url = {"_param": ["months:6", "as_of:2024-01-31", "kinds:scop", "kinds:siae"]}
    values, bad = ready_queries.values_from_url(query, url, Filters(2019, 2025), OPTIONS)
    assert values == {
        "as_of": dt.date(2024, 1, 31),
        "months": 6,
        "domains": [],
        "kinds": ["scop", "siae"],
    }
    assert bad == []
    link = ready_queries.to_url(query, values)
    assert link == {
        "_query": "contracts_ending_within",
        "_param": ["as_of:2024-01-31", "months:6", "kinds:scop", "kinds:siae"],
    }
    values, bad = ready_queries.values_from_url(
        query, {"_param": ["months:soon"]}, Filters(2019, 2025), OPTIONS
    )
    assert bad == ["months"] and values["months"] == 24


def test_a_filter_value_the_data_lacks_and_a_negative_count_are_named_and_left_out():
    """kinds:zzz ran the query for no kind (0 rows) while the form showed every kind."""
    query = ready_queries.by_name("contracts_ending_within")
    url = {"_param": ["months:-3", "kinds:scop", "kinds:zzz", "domains:canteen"]}
    values, bad = ready_queries.values_from_url(query, url, Filters(2019, 2025), OPTIONS)
    assert bad == ["months", "kinds:zzz"]
    assert values["months"] == 24 and values["kinds"] == ["scop"]
    assert values["domains"] == ["canteen"]


def test_the_page_names_what_it_left_out_of_a_link(built_db):
    at = open_page("queries", lang="en", _query="contracts_ending_within", _param=["kinds:zzz"])
    # The warning is plain text: its colon is escaped so that Markdown renders it as typed.
    assert any("kinds\\:zzz" in w.value and "left out" in w.value for w in at.warning)
    assert at.dataframe[0].value.shape[0] > 0


def test_queries_page_in_french_runs_a_link(built_db):
    at = open_page(
        "queries", _query="operator_accounts_by_year", _param=["year_from:2021", "year_to:2022"]
    )
    assert at.title[0].value == "Requêtes prêtes à l'emploi"
    expected = whole_table(built_db, "operator_result").filter(
        pl.col("year").is_between(2021, 2022)
    )
    assert at.dataframe[0].value.shape[0] == expected.height
    assert f"{expected.height} lignes." in [c.value for c in at.caption]
    assert at.main.expander[0].label == "Voir le SQL (sql/operator_accounts_by_year.sql)"
    assert [b.label for b in at.get("download_button")] == [
        "Télécharger en CSV",
        "Télécharger en Excel (XLSX)",
        "Télécharger en Parquet",
    ]


def test_queries_page_in_english(built_db):
    at = open_page("queries", lang="en", _query="market_value_by_year_kind")
    assert at.title[0].value == "Ready-made queries"
    assert at.selectbox(key="canned_query_en").value == "market_value_by_year_kind"
    assert any("Illustrative data" in i.value for i in at.info)
    at = open_page("queries", lang="en", _query="no_such_query")
    assert any("does not exist" in w.value for w in at.warning)


def test_a_query_without_rows_says_what_to_change(built_db):
    at = open_page(
        "queries", _query="contracts_ending_within", _param=["as_of:2099-01-01", "months:1"]
    )
    assert at.dataframe[0].value.shape[0] == 0
    assert any(i.value.startswith("Aucune ligne pour ces valeurs.") for i in at.info)


def test_a_link_left_out_is_said_under_the_title_and_dates_read_as_dates(built_db):
    """The warning sat above the page's title, and end_date read '2026-12-31 00:00:00'."""
    at = open_page("queries", _query="contracts_ending_within", _param=["kinds:zzz"])
    kinds = [type(element).__name__ for element in at.main]
    assert kinds.index("Title") < kinds.index("Warning")
    columns = json.loads(at.dataframe[0].proto.columns)
    for name in ("end_date", "start_date"):
        assert columns[name]["type_config"] == {"type": "date", "format": "YYYY-MM-DD"}
