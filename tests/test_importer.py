"""The importer's promises beyond single rules: a backup imports back as it was, a check made
against older data cannot be applied, restores, the log and the command line."""

import hashlib
import io
import shutil
import zipfile

import polars as pl
import pytest

from maillon import backup, build, import_log, importer, queries
from maillon.paths import DEMO_DIR
from tests.conftest import open_db


@pytest.fixture(scope="module")
def built_version(tmp_path_factory):
    return build.build(tmp_path_factory.mktemp("built") / "maillon.duckdb", progress=lambda _: 0)


@pytest.fixture()
def db(built_version, tmp_path, monkeypatch):
    """A fresh database of one version: a copy of the module's build, published like a build."""
    path = tmp_path / "maillon.duckdb"
    version = build.new_version_path(path)
    shutil.copyfile(built_version, version)
    build.publish(path, version)
    monkeypatch.setenv("MAILLON_DB", str(path))
    queries.clear_cache()
    return path


def changed_targets(value: str) -> bytes:
    frame = pl.read_csv(DEMO_DIR / "target.csv", infer_schema=False)
    first = pl.int_range(pl.len()) == 0
    return (
        frame.with_columns(
            pl.when(first).then(pl.lit(value)).otherwise(pl.col("value")).alias("value")
        )
        .write_csv()
        .encode()
    )


def target_total(db) -> float:
    with open_db(db) as con:
        return con.sql("SELECT sum(value) FROM target").fetchall()[0][0]


def test_a_backup_imports_back_unchanged_and_restores_older_data(db):
    archive = backup.export_zip()
    tables = [t for t in build.entity_tables()]
    assert sorted(zipfile.ZipFile(io.BytesIO(archive)).namelist()) == sorted(
        [f"{t}.parquet" for t in tables] + ["schema.sql", "derived.sql", "manifest.json"]
    )
    same = importer.check([("maillon_backup.zip", archive)], "test", db)
    assert list(same.changes) == tables
    assert all(change.unchanged for change in same.changes.values())
    importer.discard(same)

    before = target_total(db)
    importer.apply(importer.check([("target.csv", changed_targets("0.5"))], "test", db), "test", db)
    assert target_total(db) != before
    restored = importer.check([("maillon_backup.zip", archive)], "test", db)
    assert restored.changes["target"].changed == 1
    importer.apply(restored, "test", db)
    assert target_total(db) == pytest.approx(before)


def test_a_check_made_before_another_import_cannot_be_applied(db):
    first = importer.check([("target.csv", changed_targets("0.5"))], "a", db)
    second = importer.check([("target.csv", changed_targets("0.6"))], "b", db)
    importer.apply(first, "a", db)
    published = db.resolve()
    with pytest.raises(importer.StaleCheck):
        importer.apply(second, "b", db)
    assert db.resolve() == published
    assert not second.path.exists()


def test_restore_previous_goes_back_and_can_itself_be_undone(db):
    original = target_total(db)
    importer.apply(importer.check([("target.csv", changed_targets("0.5"))], "t", db), "t", db)
    imported = target_total(db)
    importer.restore_previous("t", db)
    assert target_total(db) == pytest.approx(original)
    importer.restore_previous("t", db)
    assert target_total(db) == pytest.approx(imported)
    assert len(importer.versions(db)) == build.VERSIONS_KEPT


def test_no_previous_version_on_a_fresh_database(db):
    assert importer.previous_version(db) is None
    assert importer.restore_previous("t", db) is None


def test_the_log_says_when_who_which_files_how_many_rows_and_the_outcome(db):
    data = changed_targets("0.5")
    candidate = importer.check([("target.csv", data)], "alice", db)
    version = importer.apply(candidate, "alice", db)
    importer.restore_previous("bob", db)
    restore, applied = import_log.read(db)[:2]
    assert applied["action"] == "import" and applied["who"] == "alice"
    assert applied["files"] == [
        {"name": "target.csv", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    ]
    assert applied["rows"] == {"target": 32}
    assert applied["changes"] == {"target": {"added": 0, "changed": 1, "removed": 0}}
    assert applied["after"] == version.name and applied["outcome"] == "applied"
    assert applied["at"].endswith("+00:00")
    assert restore["action"] == "restore" and restore["who"] == "bob"
    assert restore["before"] == version.name


def test_the_command_line_imports_and_refuses(db, tmp_path, capsys):
    good = tmp_path / "target.csv"
    good.write_bytes(changed_targets("0.5"))
    assert importer.main(["--db", str(db), "--who", "cli", str(good)]) == 0
    assert "target: +0 ~1 -0" in capsys.readouterr().out
    bad = tmp_path / "bad" / "target.csv"
    bad.parent.mkdir()
    bad.write_bytes(changed_targets("lots"))
    published = db.resolve()
    assert importer.main(["--db", str(db), str(bad)]) == 1
    assert "target.csv, row 2, column value = 'lots'" in capsys.readouterr().err
    assert db.resolve() == published
    assert importer.main(["--db", str(db), "--restore-previous"]) == 0
