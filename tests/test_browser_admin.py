"""The admin page in Chromium: reached by its address only, a login form and nothing else until
the right credentials are given, then the backup."""

import os

import pytest

from maillon import auth
from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

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


def test_log_in_to_reach_the_backup(admin_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(admin_server)
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
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
