"""One record edited in the admin's form (maillon.admin.record_edit): it changes that record and
nothing else, is logged, is undone by the restore of imports, and a wrong value is refused with
the very words an import of a CSV file holding it gets."""

from pathlib import Path

import polars as pl
import pytest

from maillon.admin import import_log, importer, listings, record_edit
from maillon.data import catalog
from maillon.data.paths import DEMO_DIR
from maillon.database.validate import ValidationError
from tests.conftest import open_db

REQUIRED = {
    "association",
    "association_partnership",
    "association_intervention",
    "joint_action",
    "association_collective",
}
LATER = {"institution", "institution_convention"}  # offered once the schema has them
NO_CONVENTIONS = pytest.mark.skipif(
    "institution_convention" not in catalog.entity_tables(), reason="no institution_convention"
)


def checksums(db: Path, where: dict[str, str] | None = None) -> dict[str, str]:
    """{table: md5 of its rows, each as text, sorted} for every table of the version in service
    (entity and derived), computed here in SQL; `where` filters a table's rows first."""
    where = where or {}
    with open_db(db.resolve()) as con:
        tables = [
            r[0]
            for r in con.sql(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                "AND database_name = current_database()"
            ).fetchall()
        ]
        return {
            table: con.sql(
                f"SELECT md5(coalesce(string_agg(r::VARCHAR, chr(10) ORDER BY r::VARCHAR), '')) "
                f'FROM (SELECT * FROM "{table}" WHERE {where.get(table, "true")}) AS r'
            ).fetchall()[0][0]
            for table in tables
        }


def one(db: Path, sql: str):
    with open_db(db.resolve()) as con:
        return con.sql(sql).fetchall()


def test_the_association_network_tables_are_offered():
    assert set(record_edit.editable_tables()) >= REQUIRED | (LATER & set(catalog.entity_tables()))
    assert "canteen_sale" not in record_edit.editable_tables()


def test_editing_one_name_changes_that_record_only_is_logged_and_undone(db):
    key = record_edit.records("association", db)[0][0]
    values = record_edit.current_values("association", key, db)
    assert values["association_id"] == key[0]
    other_rows = {"association": f"association_id <> '{key[0]}'"}
    before, before_others = checksums(db), checksums(db, other_rows)

    proposal = record_edit.propose("association", key, {**values, "name": "Nom édité"}, "ada", db)
    assert proposal.problems == ()
    preview = record_edit.preview_frame(proposal, "en")
    assert preview.rows() == [("name", values["name"], "Nom édité")]
    published = record_edit.publish(proposal, "ada", db)
    assert db.resolve() == published.resolve()

    after, after_others = checksums(db), checksums(db, other_rows)
    assert {t for t in before if after[t] != before[t]} == {"association"}
    assert after_others == before_others  # the other associations too
    assert one(db, f"SELECT name FROM association WHERE association_id = '{key[0]}'") == [
        ("Nom édité",)
    ]

    event = import_log.read(db)[0]
    assert (event["action"], event["who"], event["outcome"]) == ("edit", "ada", "applied")
    assert event["record"] == {"table": "association", "key": key[0], "new": False}
    assert event["changes"] == {"association": {"added": 0, "changed": 1, "removed": 0}}
    assert event["after"] == published.name
    shown = listings.log_frame(import_log.read(db), "fr").row(0, named=True)
    assert (shown["Action"], shown["Fichiers (empreinte)"]) == (
        "modification d'une fiche",
        f"association: {key[0]}",
    )

    importer.restore_previous("ada", db)
    assert checksums(db) == before


def test_adding_a_record(db):
    values = {
        "action_id": "ja_999",
        "action_date": "2026-11-14",
        "theme": "family",
        "title": "Journée des familles",
        "provenance": "illustrative",
        "source_id": "maillon_demo",
    }
    before = checksums(db)
    (count,) = one(db, "SELECT count(*) FROM joint_action")[0]
    proposal = record_edit.propose("joint_action", None, values, "ada", db)
    assert proposal.problems == ()
    assert dict(record_edit.preview_frame(proposal, "en").select("Column", "New value").rows()) == (
        values
    )
    record_edit.publish(proposal, "ada", db)
    after = checksums(db)
    # Derived tables that count rows by provenance count one more; no other table changes.
    changed = {t for t in catalog.entity_tables() if after[t] != before[t]}
    assert changed == {"joint_action"}
    assert one(db, "SELECT count(*) FROM joint_action")[0][0] == count + 1
    assert one(
        db, "SELECT action_date::VARCHAR, title FROM joint_action WHERE action_id = 'ja_999'"
    ) == [("2026-11-14", "Journée des familles")]
    assert import_log.read(db)[0]["record"] == {
        "table": "joint_action",
        "key": "ja_999",
        "new": True,
    }
    assert ("ja_999",) in dict(record_edit.records("joint_action", db))


def csv_with(table: str, key: tuple[str, ...], column: str, value: str) -> bytes:
    """The table's demo CSV file with `value` in `column` of the row `key`, built here."""
    frame = pl.read_csv(DEMO_DIR / f"{table}.csv", infer_schema=False)
    is_row = pl.all_horizontal(
        pl.col(k) == v for k, v in zip(record_edit.key_columns(table), key, strict=True)
    )
    assert frame.filter(is_row).height == 1
    changed = pl.when(is_row).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    return frame.with_columns(changed).write_csv().encode()


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("joint_action", "action_date", "2026-13-45"),  # not a date
        ("joint_action", "action_date", "14/11/2026"),  # not written YYYY-MM-DD
        ("association_partnership", "partner_id", "as_999"),  # no such association
        ("association_intervention", "hours", "-5"),  # negative where forbidden
        ("association", "scope", "regional"),  # not an allowed value
        ("association", "city", ""),  # a required value left empty
        pytest.param("institution_convention", "amount_eur", "-100", marks=NO_CONVENTIONS),
        pytest.param("institution_convention", "amount_eur", "12.345", marks=NO_CONVENTIONS),
    ],
)
def test_a_wrong_value_gets_the_words_of_an_import(db, table, column, value):
    key, _ = record_edit.records(table, db)[0]
    values = record_edit.current_values(table, key, db)
    published = db.resolve()
    proposal = record_edit.propose(table, key, {**values, column: value}, "ada", db)
    assert proposal.candidate is None and proposal.problems
    assert db.resolve() == published
    refused = import_log.read(db)[0]
    assert (refused["action"], refused["outcome"]) == ("check", "refused")
    assert refused["record"]["table"] == table

    data = csv_with(table, key, column, value)
    with pytest.raises(ValidationError) as imported:
        importer.check([(f"{table}.csv", data)], "ada", db)

    def words(problems, lang):
        return [(p.column, p.value, p.problem_text(lang), p.fix_text(lang)) for p in problems]

    for lang in ("fr", "en"):
        assert words(proposal.problems, lang) == words(imported.value.problems, lang)
    shown = record_edit.problems_frame(proposal, "fr")
    assert shown.row(0) == (
        table,
        record_edit.key_text(key),
        column,
        imported.value.problems[0].value,  # as the import says it (-100.00 for -100)
        imported.value.problems[0].problem_text("fr"),
        imported.value.problems[0].fix_text("fr"),
    )


def test_a_record_checked_before_another_import_cannot_be_published(db):
    key = record_edit.records("association", db)[0][0]
    values = record_edit.current_values("association", key, db)
    first = record_edit.propose("association", key, {**values, "name": "Un"}, "a", db)
    second = record_edit.propose("association", key, {**values, "name": "Deux"}, "b", db)
    record_edit.publish(first, "a", db)
    with pytest.raises(importer.StaleCheck):
        record_edit.publish(second, "b", db)


def test_a_missing_record_or_a_wrong_set_of_columns_is_refused(db):
    values = record_edit.current_values("association", None, db)
    assert set(values.values()) == {""}
    with pytest.raises(record_edit.RecordGone):
        record_edit.propose("association", ("as_none",), values, "a", db)
    with pytest.raises(ValueError):
        record_edit.propose("association", None, {"name": "x"}, "a", db)
    with pytest.raises(ValueError):
        record_edit.current_values("canteen_sale", ("x",), db)
