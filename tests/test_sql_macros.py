"""The rules the named queries share live once, as macros of sql/derived.sql stored in each
database version; a version written before a query relied on one is upgraded, not left to fail."""

import os
import re
import shutil

import duckdb
import pytest
from polars.testing import assert_frame_equal

from maillon.data import queries
from maillon.data.paths import ROOT, SQL_DIR
from maillon.database import build
from tests.conftest import open_db

SCOPE = {"disps": [], "regions": [], "departements": [], "modes": [], "types": []}
YEARS = {"year_from": 2019, "year_to": 2025}


def _macro_names() -> list[str]:
    return sorted(build._schema()[1])


def test_the_derived_layer_defines_the_shared_macros():
    assert {
        "in_scope",
        "share_of",
        "scope_region",
        "establishment_scope",
        "establishment_in_scope",
        "kind_groups",
        "scoped",
        "associations_present",
        "partnerships_present",
    } <= set(_macro_names())


def test_a_new_version_has_every_macro_and_the_app_connection_calls_them(built_db):
    assert build.outdated_macros(built_db) == []
    assert build.is_up_to_date(built_db)
    with open_db(built_db) as con:  # read-only, no external access, configuration locked

        def one(sql: str):
            return con.sql(sql).fetchall()[0][0]

        assert one("SELECT scope_region(NULL, '987')") == "987"
        assert one("SELECT count(*) FROM establishment_in_scope([], [], [], [], [])") == one(
            "SELECT count(*) FROM establishment"
        )
        assert one("SELECT count(*) FROM establishment_in_scope([], ['987'], [], [], [])") == one(
            "SELECT count(*) FROM establishment WHERE departement_code = '987'"
        )
        for fact in ("market_revenue", "reallocation_by_market", "outcome_fact"):
            assert one(
                f"SELECT count(*) FROM scoped('{fact}', 2019, 2025, [], [], [], [], [], [], [])"
            ) == (one(f"SELECT count(*) FROM {fact} WHERE year BETWEEN 2019 AND 2025")), fact
        assert one(
            "SELECT count(*) FROM associations_present(2019, 2025, [], [], [], [], [])"
        ) == one("SELECT count(DISTINCT association_id) FROM association_intervention")


def _older_version(built_db, tmp_path):
    """A copy of the demo database as a Maillon before the shared macros wrote it: the same tables,
    only the in_scope macro, and that one defined otherwise."""
    db = tmp_path / "maillon.duckdb"
    shutil.copy(built_db.resolve(), db)
    con = duckdb.connect(str(db))
    for name, kind in con.sql(
        "SELECT function_name, function_type FROM duckdb_functions() "
        "WHERE function_type IN ('macro', 'table_macro') AND NOT internal "
        "AND database_name = current_database() AND function_name <> 'in_scope'"
    ).fetchall():
        con.execute(f"DROP MACRO {'TABLE ' if kind == 'table_macro' else ''}{name}")
    con.execute(
        "CREATE OR REPLACE MACRO in_scope(disp, region_code, type_code, domain_id, kind_id, "
        "disps, regions, types, domains, kinds) AS len(disps) = 0 OR list_contains(disps, disp)"
    )
    con.close()
    return db


def test_a_version_without_the_macros_is_outdated_and_gets_upgraded(built_db, tmp_path):
    db = _older_version(built_db, tmp_path)
    assert build.outdated_tables(db) == []
    assert build.outdated_macros(db) == _macro_names()
    assert not build.is_up_to_date(db)
    with open_db(db) as con, pytest.raises(duckdb.CatalogException, match="associations_present"):
        con.sql(queries.sql_text("associations_network_nodes"), params={**YEARS, **SCOPE})

    build.ensure_database(db, progress=lambda _line: None)

    assert os.path.islink(db)  # a new version, published
    assert build.is_up_to_date(db)
    params = {**YEARS, **SCOPE, "domains": [], "kinds": []}
    for name in ("associations_network_nodes", "establishments_map", "overview_headline"):
        expected = queries.run(name, cached=False, db=built_db, **_used(name, params))
        got = queries.run(name, cached=False, db=db, **_used(name, params))
        assert_frame_equal(got, expected, check_exact=False, rel_tol=1e-9)


def _used(name: str, params: dict) -> dict:
    lines = queries.sql_text(name).splitlines()
    body = "\n".join(line for line in lines if not line.startswith("--"))
    return {k: v for k, v in params.items() if f"${k}" in body}


def test_the_shared_rules_are_written_once_in_the_derived_layer():
    scope_region = re.compile(r"coalesce\(\s*(\w+\.)?region_code\s*,\s*(\w+\.)?departement_code")
    present = re.compile(r"SELECT\s+DISTINCT\s+i\.association_id\s+FROM\s+association_intervention")
    repeated = [
        path.name
        for path in sorted(SQL_DIR.glob("*.sql"))
        if path.name != "derived.sql"
        and (scope_region.search(path.read_text()) or present.search(path.read_text()))
    ]
    assert repeated == []
    derived = (SQL_DIR / "derived.sql").read_text()
    assert len(scope_region.findall(derived)) == 1


def test_data_model_doc_names_every_macro():
    doc = (ROOT / "docs" / "data-model.md").read_text()
    assert [name for name in _macro_names() if not re.search(rf"`{name}\(", doc)] == []
