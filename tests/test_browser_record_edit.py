"""One record edited through the admin page in Chromium: picked, changed in the form, checked,
published; that record alone changes (every other table's checksum is the same), the import log
says so, and the restore of imports undoes it."""

import pytest

from maillon.admin import import_log
from maillon.database import build
from tests.test_browser import ARTIFACTS, browser, serve  # noqa: F401 (fixtures)
from tests.test_browser_admin import admin_env, log_in  # noqa: F401 (fixture)
from tests.test_record_edit import checksums, one

pytestmark = pytest.mark.browser

NEW_NAME = "Association renommée dans le formulaire"


@pytest.fixture(scope="module")
def edit_db(tmp_path_factory):
    """A database of its own: the test changes the data."""
    db = tmp_path_factory.mktemp("record_edit") / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    return db


@pytest.fixture(scope="module")
def edit_server(admin_env, edit_db):  # noqa: F811
    yield from serve(edit_db)


def _settled(page) -> None:
    """The app finished its run (the running indicator is gone)."""
    page.wait_for_timeout(400)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)


def test_edit_one_association_publish_and_undo(edit_server, edit_db, browser):  # noqa: F811
    url, db = edit_server, edit_db
    (key, old_name) = one(db, "SELECT association_id, name FROM association ORDER BY 1 LIMIT 1")[0]
    others = {"association": f"association_id <> '{key}'"}  # and the other associations
    before, before_others = checksums(db), checksums(db, others)
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    log_in(page, url)
    page.get_by_text("Modifier une fiche").first.wait_for(timeout=60_000)
    _settled(page)

    # The table is the associations (the first offered); pick the record by its key.
    record = page.get_by_test_id("stSelectbox").filter(has_text="Fiche")
    record.locator("input").click()
    page.keyboard.type(key)
    page.get_by_role("option", name=f"{key} — {old_name}").click(timeout=10_000)
    _settled(page)
    name = page.get_by_role("textbox", name="name", exact=True)
    name.wait_for(timeout=30_000)
    assert name.input_value() == old_name
    assert page.get_by_role("textbox", name="association_id", exact=True).is_disabled()

    name.fill(NEW_NAME)
    page.get_by_role("button", name="Vérifier", exact=True).click()
    page.get_by_text("Aperçu du changement de association").wait_for(timeout=120_000)
    page.screenshot(path=ARTIFACTS / "admin_record_preview_fr.png")
    assert checksums(db) == before  # nothing published yet
    page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_text("Fiche publiée").wait_for(timeout=120_000)
    page.screenshot(path=ARTIFACTS / "admin_record_published_fr.png")

    after = checksums(db)
    assert {t for t in before if after[t] != before[t]} == {"association"}
    assert checksums(db, others) == before_others
    assert one(db, f"SELECT name FROM association WHERE association_id = '{key}'") == [(NEW_NAME,)]
    event = import_log.read(db)[0]
    assert (event["action"], event["who"], event["outcome"]) == ("edit", "admin", "applied")
    assert event["record"] == {"table": "association", "key": key, "new": False}

    # The restore of imports undoes it.
    page.get_by_role("button", name="Restaurer la version précédente").click()
    page.get_by_role("button", name="Confirmer la restauration").click()
    page.get_by_text("Version précédente restaurée").wait_for(timeout=60_000)
    assert checksums(db) == before
    page.close()
