"""Shared fixtures: one database built from the committed demo files, used by every test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from maillon.data import queries
from maillon.data.paths import DEMO_DIR
from maillon.database import build

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A database built from data/demo, and MAILLON_DB pointing at it for the whole session."""
    db = tmp_path_factory.mktemp("db") / "maillon.duckdb"
    build.ensure_demo_files(DEMO_DIR)
    build.build(db, DEMO_DIR, progress=lambda _line: None)
    os.environ["MAILLON_DB"] = str(db)
    queries.clear_cache()
    return db


def open_db(db: Path) -> duckdb.DuckDBPyConnection:
    """An independent read-only connection for checks, configured like the app's (DuckDB refuses
    two connections to one file with different settings in one process)."""
    return duckdb.connect(str(db), read_only=True, config=queries.READ_ONLY_CONFIG)


@pytest.fixture()
def run(built_db):
    """queries.run bound to the test database, uncached so each test sees fresh results."""

    def _run(name: str, **params):
        return queries.run(name, cached=False, db=built_db, **params)

    return _run


# A fresh published database per test, copied from one build per module (imports and one-record
# edits publish new versions into it).
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
