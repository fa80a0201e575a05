"""The importer's promises beyond single rules: a backup imports back as it was, a check made
against older data cannot be applied, restores, the log and the command line."""

import hashlib
import io
import zipfile

import polars as pl
import pytest

from maillon.admin import backup, import_log, importer
from maillon.data import catalog
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from tests.conftest import open_db


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
    tables = [t for t in catalog.entity_tables()]
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
    assert applied["rows"] == {"target": pl.read_csv(io.BytesIO(data)).height}
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


def _plus_fifty_million(operator_id: str = "op_001", year: int = 2019) -> list[tuple[str, bytes]]:
    """+50 M€ on one contract's revenue, and the same on its operator's revenue and costs."""
    contracts = pl.read_csv(DEMO_DIR / "contract.csv", infer_schema=False)
    revenue = pl.read_csv(DEMO_DIR / "contract_revenue.csv", infer_schema=False)
    held = contracts.filter(pl.col("operator_id") == operator_id)["contract_id"]
    row = revenue.with_row_index().filter(
        pl.col("contract_id").is_in(held.implode()) & (pl.col("year") == str(year))
    )["index"][0]
    results = pl.read_csv(DEMO_DIR / "operator_result.csv", infer_schema=False)

    def plus(frame, where, columns):
        return frame.with_columns(
            pl.when(where)
            .then((pl.col(c).cast(pl.Decimal(18, 2)) + 50_000_000).cast(pl.String))
            .otherwise(pl.col(c))
            .alias(c)
            for c in columns
        )

    revenue = plus(revenue, pl.int_range(pl.len()) == row, ["revenue_eur"])
    results = plus(
        results,
        (pl.col("operator_id") == operator_id) & (pl.col("year") == str(year)),
        ["revenue_eur", "costs_eur"],
    )
    return [
        ("contract_revenue.csv", revenue.write_csv().encode()),
        ("operator_result.csv", results.write_csv().encode()),
    ]


def test_large_realistic_amounts_import_without_overflow(db):
    """Fifty million euros more on one market: its reallocated result, a product of two
    amounts, passed 1e18 in DECIMAL(18) and crashed the derived tables."""
    candidate = importer.check(_plus_fifty_million(), "test", db)
    importer.apply(candidate, "test", db)
    with open_db(db) as con:
        spread, kept = con.sql(
            "SELECT sum(amount_eur), (SELECT sum(amount_eur) FROM reallocation "
            "WHERE operator_id = 'op_001' AND year = 2019) "
            "FROM reallocation_by_market WHERE operator_id = 'op_001' AND year = 2019"
        ).fetchall()[0]
    assert spread == pytest.approx(float(kept), rel=1e-12)


def test_an_unexpected_failure_is_a_clear_message_logged_with_nothing_changed(db, monkeypatch):
    before = db.resolve()
    versions = sorted(p.name for p in build.versions_dir(db).iterdir())

    def broken(*_args, **_kwargs):
        raise OverflowError(f"Overflow in multiplication while writing {db.resolve()}")

    monkeypatch.setattr(build, "write_version", broken)
    with pytest.raises(importer.ImportFailed) as failed:
        importer.check([("target.csv", changed_targets("0.5"))], "test", db)
    assert failed.value.detail == (
        f"OverflowError: Overflow in multiplication while writing {before.name}"
    )
    assert str(db.parent) not in failed.value.detail
    assert db.resolve() == before
    assert sorted(p.name for p in build.versions_dir(db).iterdir()) == versions
    event = import_log.read(db)[0]
    assert (event["action"], event["outcome"], event["error"]) == (
        "check",
        "failed",
        failed.value.detail,
    )


def test_a_failed_publish_keeps_the_version_in_service(db, monkeypatch):
    candidate = importer.check([("target.csv", changed_targets("0.5"))], "test", db)
    before = db.resolve()

    def full_disk(*_args):
        raise OSError(28, "No space left on device", str(db))

    monkeypatch.setattr(build, "publish", full_disk)
    with pytest.raises(importer.ImportFailed) as failed:
        importer.apply(candidate, "test", db)
    assert failed.value.detail == "OSError: [Errno 28] No space left on device: 'maillon.duckdb'"
    assert db.resolve() == before
    assert target_total(db) == target_total(before)
    assert import_log.read(db)[0]["outcome"] == "failed"
