"""Two app replicas behind nginx over one folder of versions (maillon.serve, docs/deploy.md):
readers stay on their replica, and an import published once is seen by every session on both."""

import csv
import os
import shutil
import subprocess
import sys
import urllib.request

import pytest

from maillon import serve
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from tests.conftest import ROOT
from tests.test_browser import browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
SESSIONS = 4


@pytest.fixture(scope="module")
def served(built_db, tmp_path_factory):
    """Two replicas and the proxy over a database path of their own (one published version)."""
    folder = tmp_path_factory.mktemp("replicas")
    db = folder / "maillon.duckdb"
    version = build.new_version_path(db)
    shutil.copyfile(os.path.realpath(built_db), version)
    build.publish(db, version)
    with serve.running(2, env={"MAILLON_DB": str(db)}, run_dir=folder / "run") as running:
        yield running, db


def _market_value(page) -> str:
    """The Overview's first figure, once the page's run has ended."""
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    return page.get_by_test_id("stMetricValue").first.inner_text()


def _read(table: str) -> list[dict]:
    with open(DEMO_DIR / f"{table}.csv", newline="") as source:
        return list(csv.DictReader(source))


def _write(rows: list[dict], path) -> None:
    with open(path, "w", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _import_doubled_revenue(db, folder) -> None:
    """The importer's command line, as an administrator would run it: the revenue of every
    contract but the canteen's (it must equal the canteen sales) doubled, and each operator's
    revenue and costs raised by as much (they must agree; its result and reallocations stay)."""
    contracts = _read("contract")
    operator_of = {c["contract_id"]: c["operator_id"] for c in contracts}
    canteen = {c["contract_id"] for c in contracts if c["domain_id"] == "canteen"}
    added: dict[tuple[str, str], float] = {}
    revenue = _read("contract_revenue")
    for row in revenue:
        if row["contract_id"] not in canteen:
            key = (operator_of[row["contract_id"]], row["year"])
            added[key] = added.get(key, 0.0) + float(row["revenue_eur"])
            row["revenue_eur"] = f"{float(row['revenue_eur']) * 2:.2f}"
    accounts = _read("operator_result")
    for row in accounts:
        more = added.get((row["operator_id"], row["year"]), 0.0)
        for money in ("revenue_eur", "costs_eur"):
            row[money] = f"{float(row[money]) + more:.2f}"
    paths = [folder / "contract_revenue.csv", folder / "operator_result.csv"]
    _write(revenue, paths[0])
    _write(accounts, paths[1])
    done = subprocess.run(
        [sys.executable, "-m", "maillon.admin.importer", "--db", str(db), "--who", "test", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_sessions_on_both_replicas_see_one_import(served, browser, tmp_path):  # noqa: F811
    running, db = served
    contexts = [
        browser.new_context(viewport={"width": 1440, "height": 1000}) for _ in range(SESSIONS)
    ]
    pages = []
    for context in contexts:
        page = context.new_page()
        page.goto(f"{running.url}/?lang=en")
        pages.append(page)
    before = {_market_value(page) for page in pages}
    replicas = [
        {c["name"]: c["value"] for c in context.cookies()}[serve.COOKIE] for context in contexts
    ]
    # Readers are spread over both replicas and each stays on the one that holds its session.
    assert sorted({f"http://{r}" for r in replicas}) == sorted(running.replicas)
    assert len(before) == 1

    _import_doubled_revenue(db, tmp_path)

    after = set()
    for page in pages:
        # In-app navigation: the session's next runs, on its own replica, read the new version.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Markets").click()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        after.add(_market_value(page))
    fresh = browser.new_context()  # a new reader, on the replica whose turn it is
    page = fresh.new_page()
    page.goto(f"{running.url}/?lang=en")
    after.add(_market_value(page))
    assert replicas == [
        {c["name"]: c["value"] for c in context.cookies()}[serve.COOKIE] for context in contexts
    ]
    for context in [*contexts, fresh]:
        context.close()
    assert len(after) == 1 and after != before, (before, after)


def test_a_reader_cookie_cannot_send_requests_elsewhere(served):
    """Only the replicas' own addresses route; any other cookie value goes to the pool."""
    running, _db = served
    request = urllib.request.Request(
        f"{running.url}/_stcore/health", headers={"Cookie": f"{serve.COOKIE}=example.org:80"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        assert f"http://{answer.headers['X-Maillon-Replica']}" in running.replicas


@pytest.mark.parametrize("path", ["annual", "admin"])
def test_a_deep_link_works_from_a_servers_first_reader(built_db, browser, path):  # noqa: F811
    """`make run` (one process, no proxy) runs the app once before readers come: a first visit
    by a link to a page other than the Overview opens that page, with no « Page not found »
    (Streamlit serves its legacy `pages/` list until some session has called st.navigation)."""
    heading = {"annual": "Bilan annuel", "admin": "Administration"}[path]
    with serve.running(1, proxy=False, env={"MAILLON_DB": str(built_db)}) as running:
        page = browser.new_page()
        page.goto(f"{running.url}/{path}?lang=fr")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)
        page.wait_for_timeout(1_000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_test_id("stDialog").count() == 0
        page.close()
