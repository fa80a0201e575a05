"""A page run reads one version of the data from start to end: an import published while a page
is being drawn shows on the next run, never half on this one (queries.one_version in app.py)."""

import os
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from maillon.charts import cache
from maillon.data import queries
from maillon.database import build
from tests.conftest import APP
from tests.page_helpers import figures


@pytest.fixture()
def two_versions(built_db, tmp_path, monkeypatch):
    """A database path in service on version A; version B, with every market worth double,
    ready to be published."""
    db = tmp_path / "maillon.duckdb"
    old = build.new_version_path(db)
    shutil.copyfile(os.path.realpath(built_db), old)
    build.publish(db, old)
    new = build.new_version_path(db)
    shutil.copyfile(old, new)
    with duckdb.connect(str(new)) as con:
        con.execute("UPDATE market_revenue SET revenue_eur = revenue_eur * 2")
    monkeypatch.setenv("MAILLON_DB", str(db))
    queries.clear_cache()
    return db, old, new


def _overview() -> AppTest:
    """A new session's first run: app.py itself runs (AppTest reruns a page script alone, as
    Streamlit's pages/ fallback does), on its default page, the overview."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _market_value(at: AppTest) -> str:
    return at.metric[0].value


def _chart_total(at: AppTest) -> float:
    """The market value drawn by the overview's bar chart (its traces added up)."""
    (figure,) = figures(at)[:1]
    return sum(sum(v for v in trace.get("y", []) if v is not None) for trace in figure["data"])


def test_an_import_landing_mid_page_shows_on_the_next_run_only(two_versions, monkeypatch):
    db, old, new = two_versions
    before = _overview()
    read: list[str] = []
    execute = queries._execute

    def import_lands_after_the_first_query(text, params, cached, db_arg):
        read.append(queries.current_version(db_arg))
        if len(read) == 1:
            build.publish(db, new)  # what importer.apply does, between two queries
        return execute(text, params, cached, db_arg)

    monkeypatch.setattr(queries, "_execute", import_lands_after_the_first_query)
    queries.clear_cache()
    cache.clear()
    during = _overview()
    assert len(read) >= 3, "the page ran too few queries to show anything"
    assert os.path.realpath(db) == str(new), "the import landed during the run"
    assert set(read) == {str(old)}, "one page run read two versions"
    assert _market_value(during) == _market_value(before)
    assert _chart_total(during) == pytest.approx(_chart_total(before))

    monkeypatch.setattr(queries, "_execute", execute)
    after = _overview()
    assert _market_value(after) != _market_value(before)
    assert _chart_total(after) == pytest.approx(2 * _chart_total(before))


def test_outside_a_page_run_each_query_reads_the_version_in_service(two_versions):
    db, old, new = two_versions
    assert queries.current_version() == str(old)
    with queries.one_version() as version:
        build.publish(db, new)
        assert version == str(old)
        assert queries.current_version() == str(old)
    assert queries.current_version() == str(new)
