"""Open data through the admin page in Chromium: an admin imports DECP files, then a SIRENE file;
the Overview and the markets page show the amounts notified marked real (no illustrative mark),
with the coverage line and the DECP file named as source, equal to independent SQL on the
imported tables. Screenshots in tests/artifacts/open_data_*_fr.png."""

import math

import pytest

from maillon import i18n
from maillon.database import build
from tests.conftest import open_db
from tests.test_browser import ARTIFACTS, browser, serve  # noqa: F401 (fixture)
from tests.test_browser_admin import admin_env, log_in  # noqa: F401 (fixture)
from tests.test_procurement import DECP_FILES, FIXTURES, _register_file

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def open_data_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("open_data") / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    return db


@pytest.fixture(scope="module")
def open_data_server(admin_env, open_data_db):  # noqa: F811
    yield from serve(open_data_db)


# The uploader of each kind of files, told apart by the extensions it accepts (the previous
# kind's uploader may still be on the page while the rerun replaces it).
ACCEPTS = {
    "Marchés publiés (DECP)": ".json,.zip,.csv,.parquet",
    "Répertoire SIRENE": "streamlit,.csv,.zip,.parquet",
}


def _import(page, kind: str, files: list[tuple[str, bytes]], mime: str, shot: str) -> None:
    page.get_by_test_id("stRadio").get_by_text(kind, exact=True).click()
    uploader = page.locator(f'input[type="file"][accept$="{ACCEPTS[kind]}"]')
    uploader.wait_for(state="attached", timeout=30_000)
    uploader.set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, data in files]
    )
    page.get_by_role("button", name="Vérifier les fichiers").click()
    page.get_by_text("Ce que les fichiers contiennent").wait_for(timeout=120_000)
    page.get_by_text("Aperçu des changements").wait_for(timeout=120_000)
    page.screenshot(path=ARTIFACTS / shot, full_page=True)  # the report, before applying
    page.get_by_role("button", name="Appliquer l'import").click()
    page.get_by_text("Import appliqué").wait_for(timeout=120_000)


def test_an_admin_imports_decp_and_sirene_and_the_pages_show_real_notified_amounts(
    open_data_server,
    open_data_db,
    browser,  # noqa: F811
    tmp_path,
):
    url = open_data_server
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    log_in(page, url)
    page.get_by_text("Importer des données").first.wait_for(timeout=30_000)
    decp = [(name, (FIXTURES / name).read_bytes()) for name in DECP_FILES]
    _import(page, "Marchés publiés (DECP)", decp, "application/json", "open_data_decp_fr.png")
    register = _register_file(tmp_path)
    files = [(register.name, register.read_bytes())]
    _import(page, "Répertoire SIRENE", files, "text/csv", "open_data_sirene_fr.png")

    with open_db(open_data_db) as con:
        amount, contracts, classified = con.sql(
            "SELECT sum(c.amount_notified_eur), count(*), "
            "sum(c.amount_notified_eur) FILTER (k.kind_group <> 'unknown') "
            "/ sum(c.amount_notified_eur) "
            "FROM procurement_contract c JOIN operator o USING (operator_id) "
            "JOIN operator_kind k USING (kind_id) "
            "WHERE year(c.notified_on) BETWEEN 2019 AND 2025"
        ).fetchall()[0]
    assert 0 < classified < 1  # a holder is not in the register: partly classified

    page.goto(url)
    metric = page.get_by_test_id("stMetric").filter(has_text="Montant notifié")
    metric.wait_for(timeout=60_000)
    assert i18n.money(amount, "fr") in metric.inner_text()
    share = i18n.percent(math.floor(classified * 1000) / 1000, "fr", 1)  # rounded down
    coverage = i18n.t("fr", "procurement.coverage_classified", share=share)
    caption = page.get_by_test_id("stCaptionContainer").filter(has_text=coverage).first
    caption.wait_for(timeout=60_000)  # drawn after the figures above it
    assert "decp-2019-prison.json" in caption.inner_text()
    page.screenshot(path=ARTIFACTS / "open_data_overview_fr.png", full_page=True)

    page.get_by_test_id("stSidebarNav").get_by_text("Marchés et opérateurs", exact=True).click()
    page.get_by_role("tab", name="Marchés publiés", exact=True).click()
    title = i18n.t(
        "fr",
        "procurement.year_kind_title",
        amount=i18n.money(amount, "fr"),
        contracts=i18n.number(contracts, "fr"),
        ess="",
    ).split(" ; ")[0]
    chart = page.locator(".js-plotly-plot").filter(has_text=title)
    chart.wait_for(timeout=60_000)
    annotations = chart.locator(".annotation-text").all_text_contents()
    assert any("decp-2019-prison.json" in a for a in annotations)
    assert not any("ILLUSTRATIVES" in a for a in annotations)  # real data: no mark
    page.screenshot(path=ARTIFACTS / "open_data_markets_fr.png", full_page=True)
    page.close()
