"""The one query path: named SQL files, bound parameters, read-only and locked down, versioned."""

import threading

import duckdb
import polars as pl
import pytest

from maillon.data import queries
from maillon.data.filters import Filters
from maillon.data.paths import DEMO_DIR, SQL_DIR
from maillon.database import build
from tests.conftest import open_db
from tests.page_helpers import NO_FILTER

ALL = NO_FILTER


def test_a_named_query_returns_a_polars_frame(run):
    frame = run("overview_headline", year_from=2019, year_to=2025, **ALL)
    assert isinstance(frame, pl.DataFrame)
    assert frame.height == 1


def test_unknown_or_path_like_query_names_are_refused(built_db):
    for name in ("nope", "../schema", "checks/contract_overlap"):
        with pytest.raises(queries.UnknownQuery):
            queries.run(name, db=built_db)


def test_headline_matches_independent_sql(run, built_db):
    params = {**ALL, "regions": ["84"], "kinds": ["scop", "for_profit"]}
    got = run("overview_headline", year_from=2021, year_to=2024, **params).row(0, named=True)
    con = open_db(built_db)
    market, ess = con.execute(
        """SELECT sum(r.revenue_eur)::DOUBLE,
                  coalesce(sum(r.revenue_eur) FILTER (k.is_ess), 0)::DOUBLE
           FROM contract_revenue r JOIN contract c USING (contract_id)
           JOIN operator o USING (operator_id) JOIN operator_kind k USING (kind_id)
           JOIN establishment e ON e.establishment_id = r.establishment_id
           JOIN payer p USING (payer_id)
           WHERE r.year BETWEEN 2021 AND 2024 AND e.region_code = '84'
             AND o.kind_id IN ('scop', 'for_profit')
             -- the market value: what the prison administration pays, régie left out
             AND p.payer_group_id = 'administration' AND c.contract_kind_id <> 'regie'"""
    ).fetchone()
    employed = con.execute(
        """SELECT sum(value) FROM outcome JOIN operator USING (operator_id)
           JOIN establishment e USING (establishment_id)
           WHERE indicator_id = 'detainees_employed' AND year = 2024 AND e.region_code = '84'
             AND kind_id IN ('scop', 'for_profit')"""
    ).fetchone()[0]
    assert got["market_value_eur"] == pytest.approx(market)
    assert got["ess_value_eur"] == pytest.approx(ess)
    assert got["detainees_employed"] == pytest.approx(employed)
    assert got["employed_year"] == 2024


@pytest.mark.parametrize(
    ("departements", "modes"),
    [(["75", "13"], []), ([], ["delegated", "ppp"]), (["59"], ["public"])],
)
def test_the_departement_and_management_mode_filters_match_independent_sql(
    run, built_db, departements, modes
):
    params = {**ALL, "departements": departements, "modes": modes}
    got = run("overview_headline", year_from=2020, year_to=2024, **params).row(0, named=True)
    market, establishments = (
        open_db(built_db)
        .execute(
            """SELECT sum(r.revenue_eur)::DOUBLE, count(DISTINCT r.establishment_id)
               FROM contract_revenue r JOIN contract c USING (contract_id)
               JOIN payer p USING (payer_id)
               JOIN establishment e ON e.establishment_id = r.establishment_id
               JOIN establishment_management m ON m.establishment_id = r.establishment_id
               WHERE r.year BETWEEN 2020 AND 2024
                 AND p.payer_group_id = 'administration' AND c.contract_kind_id <> 'regie'
                 AND (len(?::VARCHAR[]) = 0 OR list_contains(?, e.departement_code))
                 AND (len(?::VARCHAR[]) = 0 OR list_contains(?, m.management_mode))""",
            [departements, departements, modes, modes],
        )
        .fetchone()
    )
    assert got["market_value_eur"] == pytest.approx(market)
    assert got["establishments"] == establishments > 0


def test_returned_equals_direct_reallocation_when_unfiltered(run, built_db):
    got = run("overview_headline", year_from=2019, year_to=2025, **ALL)["returned_eur"][0]
    direct = (
        open_db(built_db)
        .execute(
            """SELECT sum(amount_eur)::DOUBLE FROM reallocation
           JOIN destination USING (destination_id)
           JOIN destination_category USING (category_id) WHERE is_returned"""
        )
        .fetchone()[0]
    )
    assert got == pytest.approx(direct, rel=1e-9)


def test_a_query_that_takes_the_place_filters_takes_them_all():
    # A filter a query forgot would be silently ignored: a query binding $regions binds the
    # other place filters too (the scenario has its own scope: DISP and région only).
    partial = [
        path.name
        for path in sorted(SQL_DIR.glob("*.sql"))
        if "$regions" in path.read_text()
        and not path.name.startswith("scenario_")
        and not all(
            f"${p}" in path.read_text() for p in ("disps", "departements", "modes", "types")
        )
    ]
    assert partial == []


def test_values_are_bound_not_pasted(run):
    hostile = ["84') OR 1=1 --"]
    frame = run("overview_headline", year_from=2019, year_to=2025, **{**ALL, "regions": hostile})
    assert frame["market_value_eur"][0] is None


def test_every_query_file_binds_parameters_with_dollar_names():
    for path in SQL_DIR.glob("*.sql"):
        text = path.read_text()
        assert "{" not in text and "%s" not in text, path.name


def test_connection_is_read_only_and_cannot_reach_files(built_db):
    version = queries.current_version(built_db)
    cursor = queries._cursor(version)
    with pytest.raises(duckdb.Error):
        cursor.execute("CREATE TABLE x (a INTEGER)")
    with pytest.raises(duckdb.Error):
        cursor.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        cursor.execute("SET enable_external_access = true")


def test_results_are_cached_by_parameters(built_db):
    queries.clear_cache()
    a = queries.run("filter_options", db=built_db)
    b = queries.run("filter_options", db=built_db)
    assert a is b
    f1 = Filters(2019, 2025).params()
    f2 = Filters(2020, 2025).params()
    assert queries.run("overview_headline", db=built_db, **f1) is not queries.run(
        "overview_headline", db=built_db, **f2
    )


def test_a_prefetched_query_runs_once_on_another_thread_and_serves_the_page(built_db, monkeypatch):
    queries.clear_cache()
    threads = []
    cursor = queries._cursor

    def spied(version):
        threads.append(threading.current_thread().name)
        return cursor(version)

    monkeypatch.setattr(queries, "_cursor", spied)
    params = Filters(2019, 2025).params()
    queries.prefetch("figure_provenance", db=built_db, **params)
    (started,) = queries._prefetched.values()
    started.result()  # done before the page asks (a queued one would be run by the page)
    frame = queries.run("figure_provenance", db=built_db, **params)
    assert len(threads) == 1 and threads[0].startswith("maillon-prefetch")
    assert frame.equals(queries.run("figure_provenance", db=built_db, cached=False, **params))
    assert queries.run("figure_provenance", db=built_db, **params) is frame  # cached as usual


def test_the_error_of_a_prefetched_query_reaches_the_callers_run(built_db):
    queries.clear_cache()
    params = {**Filters(2019, 2025).params(), "year_from": "not a year"}
    queries.prefetch("figure_provenance", db=built_db, **params)
    with pytest.raises(duckdb.ConversionException):
        queries.run("figure_provenance", db=built_db, **params)


def test_each_thread_gets_its_own_cursor(built_db):
    version = queries.current_version(built_db)
    seen = []

    def work():
        seen.append(queries._cursor(version))  # keep the object: ids are reused once freed

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(cursor) for cursor in seen}) == 4


def test_a_new_version_is_read_after_the_swap(tmp_path):
    db = tmp_path / "swap.duckdb"
    first = build.build(db, DEMO_DIR, progress=lambda _line: None)
    before = queries.run("filter_options", db=db)
    assert queries.current_version(db) == str(first)
    second = build.build(db, DEMO_DIR, progress=lambda _line: None)
    assert queries.current_version(db) == str(second) != str(first)
    after = queries.run("filter_options", db=db)
    assert after is not before and after.equals(before)
