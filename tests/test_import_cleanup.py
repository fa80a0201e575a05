"""Checked imports never applied nor cancelled (a tab closed, a log-out, a check made again) do not
pile up: each candidate version weighs as much as the database (about 70 MB)."""

import os
import time

import polars as pl
import pytest

from maillon.admin import auth, importer
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from tests.page_helpers import open_page

PASSWORD = "correct horse battery staple"
HASH = auth.hash_password(PASSWORD, salt=b"0123456789abcdef")


def targets(value: str) -> bytes:
    frame = pl.read_csv(DEMO_DIR / "target.csv", infer_schema=False)
    first = pl.int_range(pl.len()) == 0
    values = pl.when(first).then(pl.lit(value)).otherwise(pl.col("value"))
    return frame.with_columns(values.alias("value")).write_csv().encode()


def left_candidate(db, name: str, age_s: float):
    """A candidate left by a check `age_s` seconds ago."""
    path = build.versions_dir(db) / f"maillon-{name}.duckdb{importer.CANDIDATE_SUFFIX}"
    path.write_bytes(b"candidate")
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def candidates(db) -> set[str]:
    return {p.name for p in build.versions_dir(db).glob(f"*{importer.CANDIDATE_SUFFIX}")}


def test_a_new_check_removes_abandoned_candidates_and_keeps_fresh_ones(db):
    session = auth.SESSION_SECONDS
    stale = [
        left_candidate(db, "20250101T000000000000Z", 3 * 3600),
        left_candidate(db, "20250101T010000000000Z", session + 5 * 60),
    ]
    fresh = left_candidate(db, "20250101T020000000000Z", session - 5 * 60)  # another session's
    checked = importer.check([("target.csv", targets("0.5"))], "admin", db)
    assert candidates(db) == {fresh.name, checked.path.name}
    assert not any(p.exists() for p in stale)

    # Applying or restoring removes the candidates that aged past a session meanwhile too.
    os.utime(fresh, (time.time() - session - 120,) * 2)
    importer.apply(checked, "admin", db)
    assert candidates(db) == set()
    aged = left_candidate(db, "20250101T030000000000Z", session + 120)
    kept = left_candidate(db, "20250101T040000000000Z", 60)
    assert importer.restore_previous("admin", db) is not None
    assert not aged.exists() and kept.exists()


def test_the_candidate_a_session_has_just_checked_is_never_removed(db):
    first = importer.check([("target.csv", targets("0.5"))], "a", db)
    second = importer.check([("target.csv", targets("0.6"))], "b", db)  # another session
    assert first.path.exists() and second.path.exists()
    importer.apply(first, "a", db)
    assert second.path.exists()  # refused as stale when applied, but not removed under it
    with pytest.raises(importer.StaleCheck):
        importer.apply(second, "b", db)


@pytest.fixture
def admin_db(db, monkeypatch):
    monkeypatch.setenv("MAILLON_ADMIN_USER", "admin")
    monkeypatch.setenv("MAILLON_ADMIN_PASSWORD_HASH", HASH)
    monkeypatch.setattr(auth, "_failures", {})
    return db


def test_logging_out_removes_what_the_session_checked_but_did_not_apply(admin_db):
    at = open_page("admin")
    at.text_input[0].input("admin")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    checked = importer.check([("target.csv", targets("0.5"))], "admin", admin_db)
    at.session_state["_admin_candidate"] = checked
    at.run()
    assert not at.exception and [s.value for s in at.subheader] == ["Aperçu des changements"]
    next(b for b in at.button if b.label == "Se déconnecter").click().run()
    assert not at.exception
    assert [i.label for i in at.text_input] == ["Identifiant", "Mot de passe"]
    assert not checked.path.exists()
    assert candidates(admin_db) == set()
