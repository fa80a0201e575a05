"""The data dictionary is complete: every table and column says what it means."""

import re

import duckdb

from maillon.data.catalog import entity_tables
from maillon.data.paths import ROOT
from maillon.database.build import DERIVED_FILE, SCHEMA_FILE


def _catalog():
    con = duckdb.connect()
    con.execute(SCHEMA_FILE.read_text())
    con.execute(DERIVED_FILE.read_text())
    return con


def test_every_table_has_a_comment():
    missing = (
        _catalog()
        .execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE NOT internal AND coalesce(comment, '') = ''"
        )
        .fetchall()
    )
    assert missing == []


def test_every_column_has_a_comment():
    missing = (
        _catalog()
        .execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE NOT internal AND coalesce(comment, '') = ''"
        )
        .fetchall()
    )
    assert missing == []


def test_data_model_doc_names_every_table():
    doc = (ROOT / "docs" / "data-model.md").read_text()
    tables = [
        t
        for (t,) in _catalog()
        .execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal")
        .fetchall()
    ]
    undocumented = [t for t in tables if not re.search(rf"`{t}`", doc)]
    assert undocumented == []


def test_entity_tables_are_in_foreign_key_order():
    tables = entity_tables()
    con = _catalog()
    refs = con.execute(
        "SELECT table_name, referenced_table FROM duckdb_constraints() "
        "WHERE constraint_type = 'FOREIGN KEY'"
    ).fetchall()
    for table, referenced in refs:
        assert tables.index(referenced) < tables.index(table), (table, referenced)


def test_every_business_rule_is_documented():
    doc = (ROOT / "docs" / "data-model.md").read_text()
    rules = sorted(p.name for p in (ROOT / "sql" / "checks").glob("*.sql"))
    assert [r for r in rules if r not in doc] == []
