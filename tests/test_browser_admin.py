"""The admin page in Chromium: reached by its address only, a login form and nothing else until
the right credentials are given; then an import from upload to the Overview, and back."""

import os

import polars as pl
import pytest

from maillon import i18n
from maillon.admin import auth
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from tests.conftest import open_db
from tests.test_browser import ARTIFACTS, browser, serve, server  # noqa: F401 (fixtures)
from tests.test_partial_data import mixed_files

pytestmark = pytest.mark.browser

PASSWORD = "a long admin password"


@pytest.fixture(scope="module")
def admin_env():
    """Admin credentials in the environment, set before this module's server starts."""
    saved = {k: os.environ.get(k) for k in ("MAILLON_ADMIN_USER", "MAILLON_ADMIN_PASSWORD_HASH")}
    os.environ["MAILLON_ADMIN_USER"] = "admin"
    os.environ["MAILLON_ADMIN_PASSWORD_HASH"] = auth.hash_password(PASSWORD)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def admin_server(admin_env, server):  # noqa: F811
    return server


@pytest.fixture(scope="module")
def import_db(tmp_path_factory):
    """A database of its own: the import test changes the data the other tests read."""
    db = tmp_path_factory.mktemp("admin") / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    return db


@pytest.fixture(scope="module")
def import_server(admin_env, import_db):
    yield from serve(import_db)


def wait_for_app(page) -> None:
    """The first page drawn by app.py: its navigation is in service. Before that, a fresh
    server is still in Streamlit's legacy pages/ mode, where a second session's deep link shows
    « Page not found » over the page (docs/architecture.md)."""
    page.locator("h1").first.wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_text("Tableaux de bord", exact=False).or_(
        page.get_by_test_id("stSidebarNav").get_by_text("Dashboards", exact=False)
    ).first.wait_for(timeout=60_000)


def log_in(page, url, lang="fr"):
    page.goto(f"{url}/?lang={lang}")  # a deep link as first visit meets Streamlit issue 9624
    wait_for_app(page)
    page.goto(f"{url}/admin?lang={lang}")
    user, password, button = {
        "fr": ("Identifiant", "Mot de passe", "Se connecter"),
        "en": ("User name", "Password", "Log in"),
    }[lang]
    page.get_by_role("textbox", name=password).wait_for(timeout=60_000)
    page.get_by_role("textbox", name=user).fill("admin")
    page.get_by_role("textbox", name=password).fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def upload(page, name: str, data: bytes) -> None:
    page.locator('input[type="file"]').set_input_files(
        [{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def test_log_in_to_reach_the_backup(admin_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(admin_server)
    wait_for_app(page)
    assert "Administration" not in page.get_by_test_id("stSidebarNav").inner_text()  # unlisted
    page.goto(f"{admin_server}/admin")
    page.get_by_label("Mot de passe").wait_for(timeout=60_000)
    assert page.get_by_text("Télécharger la sauvegarde").count() == 0
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill("not the password")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Identifiant ou mot de passe incorrect.").wait_for(timeout=30_000)
    assert page.get_by_text("Télécharger la sauvegarde").count() == 0
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Télécharger la sauvegarde (zip)").wait_for(timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin_fr.png")
    with page.expect_download() as download:
        page.get_by_text("Télécharger la sauvegarde (zip)").click()
    assert download.value.suggested_filename == "maillon_backup.zip"
    page.close()


def employed_now(db) -> tuple[float, int]:
    """Independent SQL: detainees employed in the latest year, the Overview's fourth figure."""
    with open_db(db) as con:
        return con.sql(
            "SELECT sum(value), max(year) FROM outcome WHERE indicator_id = 'detainees_employed' "
            "AND year = (SELECT max(year) FROM outcome)"
        ).fetchall()[0]


def overview_employed(page, url) -> str:
    page.goto(url)
    metric = page.get_by_test_id("stMetric").filter(has_text="Personnes détenues employées")
    metric.wait_for(timeout=60_000)
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_import_from_upload_to_overview_and_back(import_server, import_db, browser):  # noqa: F811
    url = import_server
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    employed, year = employed_now(import_db)
    before = overview_employed(page, url)
    assert before == i18n.number(employed, "fr")

    log_in(page, url)
    page.get_by_text("Importer des données").first.wait_for(timeout=30_000)
    outcomes = pl.read_csv(DEMO_DIR / "outcome.csv", infer_schema=False)
    target = outcomes.with_row_index("i").filter(
        (pl.col("indicator_id") == "detainees_employed") & (pl.col("year") == str(year))
    )["i"][0]

    # A broken file: the errors, where they are and how to fix them; nothing changes.
    broken = outcomes.with_columns(
        pl.when(pl.int_range(pl.len()) == target)
        .then(pl.lit("douze"))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    upload(page, "outcome.csv", broken.write_csv().encode())
    page.get_by_role("button", name="Vérifier les fichiers").click()
    page.get_by_text("1 problème(s) : rien n'a été importé").wait_for(timeout=60_000)
    errors = page.get_by_test_id("stDataFrame").first
    errors.wait_for()
    page.screenshot(path=ARTIFACTS / "admin_import_errors_fr.png")

    # A good file: the preview shows the one changed value, old -> new; apply.
    new_value = float(outcomes["value"][target]) + 1000
    good = outcomes.with_columns(
        pl.when(pl.int_range(pl.len()) == target)
        .then(pl.lit(str(new_value)))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    page.get_by_role("button", name="Remove outcome.csv").click()  # replace the broken file
    upload(page, "outcome.csv", good.write_csv().encode())
    page.get_by_role("button", name="Vérifier les fichiers").click()
    page.get_by_text("Aperçu des changements").wait_for(timeout=60_000)
    page.get_by_text("Valeurs modifiées (ancienne → nouvelle)").wait_for(timeout=30_000)
    page.get_by_test_id("stExpander").get_by_test_id("stDataFrame").wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "admin_import_preview_fr.png")
    page.get_by_role("button", name="Appliquer l'import").click()
    page.get_by_text("Import appliqué").wait_for(timeout=60_000)
    page.screenshot(path=ARTIFACTS / "admin_import_applied_fr.png")

    assert employed_now(import_db)[0] == employed + 1000
    assert overview_employed(page, url) == i18n.number(employed + 1000, "fr")

    # Restoring asks first, naming both versions; confirmed, the Overview shows the old figure.
    log_in(page, url)  # a new page load is a new session
    page.get_by_role("button", name="Restaurer la version précédente").click()
    page.get_by_text("Restaurer remet en service").wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "admin_restore_confirm_fr.png")
    assert employed_now(import_db)[0] == employed + 1000  # nothing restored before the confirmation
    page.get_by_role("button", name="Confirmer la restauration").click()
    page.get_by_text("Version précédente restaurée").wait_for(timeout=60_000)
    page.get_by_text("Journal des imports").wait_for()
    page.screenshot(path=ARTIFACTS / "admin_import_restored_fr.png")
    assert overview_employed(page, url) == before
    page.close()


def test_admin_import_page_in_english(import_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    log_in(page, import_server, "en")
    page.get_by_text("Import data").first.wait_for(timeout=30_000)
    upload(page, "operator.csv", "operator_id,name\nop_x,Société\n".encode("cp1252"))
    page.get_by_role("button", name="Check the files").click()
    page.get_by_text("1 problem(s): nothing was imported").wait_for(timeout=60_000)
    page.screenshot(path=ARTIFACTS / "admin_import_errors_en.png")
    page.close()


def test_a_partial_real_import_shows_its_coverage_and_marks(
    import_server,
    import_db,
    browser,  # noqa: F811
    tmp_path,
):
    """Real contracts for the ESS and for four for-profit groups whose accounts are not known, and
    one operator of unknown kind (tests/test_partial_data.py's files), imported through the page:
    the Overview states the coverage of the split of the result and marks its chart partly
    illustrative, with the shares independent SQL gives on the imported tables."""
    url = import_server
    files = tmp_path / "files"
    mixed_files(files)
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    log_in(page, url)
    page.get_by_text("Importer des données").first.wait_for(timeout=30_000)
    names = [
        "operator",
        "contract",
        "contract_revenue",
        "operator_result",
        "reallocation",
        "reallocation_beneficiary",
        "outcome",
    ]
    page.locator('input[type="file"]').set_input_files(
        [
            {
                "name": f"{n}.csv",
                "mimeType": "text/csv",
                "buffer": (files / f"{n}.csv").read_bytes(),
            }
            for n in names
        ]
    )
    page.get_by_role("button", name="Vérifier les fichiers").click()
    page.get_by_text("Aperçu des changements").wait_for(timeout=120_000)
    page.get_by_role("button", name="Appliquer l'import").click()
    page.get_by_text("Import appliqué").wait_for(timeout=120_000)

    with open_db(import_db) as con:
        # the split's coverage over what the holders earn (régie, with no result, left out);
        # the chart's mark over the market value (what the prison administration pays)
        split, illustrative = con.sql(
            "SELECT sum(r.revenue_eur) FILTER (EXISTS (SELECT 1 FROM reallocation AS a "
            "           WHERE a.operator_id = c.operator_id AND a.year = r.year)) "
            "       / sum(r.revenue_eur), "
            "       sum(r.revenue_eur) FILTER (r.provenance = 'illustrative' "
            "                                  AND p.payer_group_id = 'administration') "
            "       / sum(r.revenue_eur) FILTER (p.payer_group_id = 'administration') "
            "FROM contract_revenue AS r JOIN contract AS c USING (contract_id) "
            "JOIN payer AS p USING (payer_id) WHERE c.contract_kind_id <> 'regie'"
        ).fetchall()[0]
    assert 0 < split < 1 and 0 < illustrative < 1
    page.goto(url)
    coverage = i18n.t("fr", "coverage.split", share=i18n.percent(split, "fr"))
    page.get_by_test_id("stCaptionContainer").filter(has_text=coverage[:40]).first.wait_for(
        timeout=60_000
    )
    assert any(
        coverage in text for text in page.get_by_test_id("stCaptionContainer").all_inner_texts()
    )
    mark = i18n.t("fr", "chart.illustrative_mark_part", share=i18n.percent(illustrative, "fr"))
    page.locator(".js-plotly-plot .annotation-text", has_text=mark).first.wait_for(timeout=60_000)
    page.screenshot(path=ARTIFACTS / "overview_partial_import_fr.png", full_page=True)

    log_in(page, url)  # back to the demo for the other tests
    page.get_by_role("button", name="Restaurer la version précédente").click()
    page.get_by_role("button", name="Confirmer la restauration").click()
    page.get_by_text("Version précédente restaurée").wait_for(timeout=60_000)
    page.close()
