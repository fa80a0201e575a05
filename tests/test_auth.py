"""The admin area: hashed password compared in constant time, rate-limited logins, sessions that
expire, nothing reachable without credentials, and the full backup."""

import io
import json
import re
import zipfile

import polars as pl
import pytest

from maillon.admin import auth
from maillon.data.paths import SQL_DIR
from tests.page_helpers import open_page, sql, sql_all

DERIVED = SQL_DIR / "derived.sql"
PASSWORD = "correct horse battery staple"
HASH = auth.hash_password(PASSWORD, salt=b"0123456789abcdef")
CREDENTIALS = auth.Credentials("admin", HASH)


@pytest.fixture(autouse=True)
def no_failures_left_over(monkeypatch):
    monkeypatch.setattr(auth, "_failures", {})


def test_a_password_matches_its_hash_only():
    assert auth.password_matches(PASSWORD, HASH)
    assert not auth.password_matches(PASSWORD + " ", HASH)
    assert not auth.password_matches(PASSWORD, "not a hash")
    assert not auth.password_matches(PASSWORD, HASH.replace("scrypt", "md5"))
    assert auth.hash_password(PASSWORD) != auth.hash_password(PASSWORD)  # salted
    assert HASH.startswith("scrypt$16384$8$1$") and PASSWORD not in HASH


def test_failed_logins_lock_the_user_name_out_from_that_address_for_a_while():
    start = 1_000_000.0
    guesser = "203.0.113.7"
    for attempt in range(auth.MAX_FAILURES):
        assert auth.log_in(CREDENTIALS, "admin", "wrong", guesser, now=start + attempt) is None
    # locked: even the right password is refused from there, without being checked
    assert auth.log_in(CREDENTIALS, "admin", PASSWORD, guesser, now=start + 10) is None
    assert auth.locked_for("admin", guesser, now=start + 10) > 0
    later = start + auth.WINDOW_SECONDS + 10
    assert auth.locked_for("admin", guesser, now=later) == 0
    expires = auth.log_in(CREDENTIALS, "admin", PASSWORD, guesser, now=later)
    assert expires == later + auth.SESSION_SECONDS


def test_a_guesser_cannot_lock_the_admin_out_from_another_address():
    start = 2_000_000.0
    for attempt in range(3 * auth.MAX_FAILURES):
        auth.log_in(CREDENTIALS, "admin", "wrong", "198.51.100.1", now=start + attempt)
    assert auth.locked_for("admin", "198.51.100.1", now=start + 20) > 0
    assert auth.locked_for("admin", "192.0.2.44", now=start + 20) == 0
    expires = auth.log_in(CREDENTIALS, "admin", PASSWORD, "192.0.2.44", now=start + 20)
    assert expires == start + 20 + auth.SESSION_SECONDS


def test_failures_from_many_addresses_slow_the_answers_down_without_locking():
    start = 3_000_000.0
    assert auth.delay_for("ops", now=start) == 0
    for attempt in range(auth.FREE_FAILURES):
        auth.log_in(CREDENTIALS, "ops", "wrong", f"10.0.0.{attempt}", now=start + attempt)
    assert auth.delay_for("ops", now=start + 5) == 0
    for attempt in range(40):
        auth.log_in(CREDENTIALS, "ops", "wrong", f"10.1.0.{attempt}", now=start + 10 + attempt)
    assert auth.delay_for("ops", now=start + 60) == auth.MAX_DELAY_SECONDS
    assert auth.delay_for("someone_else", now=start + 60) == 0
    assert auth.delay_for("ops", now=start + auth.WINDOW_SECONDS + 60) == 0


def test_a_wrong_user_name_is_refused_and_sessions_expire():
    assert auth.log_in(CREDENTIALS, "root", PASSWORD, now=0.0) is None
    expires = auth.log_in(CREDENTIALS, "admin", PASSWORD, now=100.0)
    assert auth.session_valid(expires, now=100.0 + auth.SESSION_SECONDS - 1)
    assert not auth.session_valid(expires, now=100.0 + auth.SESSION_SECONDS)
    assert not auth.session_valid(None)


def test_the_cli_prints_a_hash_of_the_typed_password(monkeypatch, capsys):
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": PASSWORD)
    assert auth.main(["hash"]) == 0
    printed = capsys.readouterr().out.strip()
    assert auth.password_matches(PASSWORD, printed)
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": "short")
    assert auth.main(["hash"]) == 1


def _admin_ui(at) -> bool:
    return bool(at.get("download_button")) or any(b.label == "Se déconnecter" for b in at.button)


def test_without_credentials_configured_the_admin_is_off(built_db, monkeypatch):
    monkeypatch.delenv("MAILLON_ADMIN_USER", raising=False)
    monkeypatch.delenv("MAILLON_ADMIN_PASSWORD_HASH", raising=False)
    at = open_page("admin")
    assert "désactivée" in at.info[0].value
    assert not at.text_input and not _admin_ui(at)


@pytest.fixture
def configured(built_db, monkeypatch):
    monkeypatch.setenv("MAILLON_ADMIN_USER", "admin")
    monkeypatch.setenv("MAILLON_ADMIN_PASSWORD_HASH", HASH)
    return built_db


def test_the_admin_page_by_address_shows_only_a_login_form(configured):
    at = open_page("admin")
    assert [i.label for i in at.text_input] == ["Identifiant", "Mot de passe"]
    assert not _admin_ui(at)
    at.text_input[0].input("admin")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert at.error[0].value == "Identifiant ou mot de passe incorrect."
    assert not _admin_ui(at)


def test_after_logging_in_the_backup_holds_every_table(configured):
    at = open_page("admin")
    at.text_input[0].input("admin")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and _admin_ui(at)
    assert [h.value for h in at.header] == [
        "Importer des données",
        "Modifier une fiche",
        "Versions",
        "Sauvegarde complète",
        "Journal des imports",
    ]
    assert [b.label for b in at.button if b.disabled] == [
        "Vérifier les fichiers",  # until files are chosen
        "Restaurer la version précédente",  # a fresh build has no previous version
    ]
    from maillon.admin import backup

    archive = zipfile.ZipFile(io.BytesIO(backup.export_zip()))
    manifest = json.loads(archive.read("manifest.json"))
    assert {"schema.sql", "derived.sql"} <= set(archive.namelist())
    derived = set(re.findall(r"CREATE (?:OR REPLACE )?TABLE (\w+)", DERIVED.read_text()))
    tables = {r[0] for r in sql_all(configured, "SELECT table_name FROM duckdb_tables()")}
    assert derived and set(manifest["rows"]) == tables - derived
    for table, rows in manifest["rows"].items():
        frame = pl.read_parquet(io.BytesIO(archive.read(f"{table}.parquet")))
        assert frame.height == rows == sql(configured, f'SELECT count(*) FROM "{table}"')[0]
    assert "association" in manifest["rows"] and "contract" in manifest["rows"]


def test_the_uploader_names_the_formats_of_the_kind_of_files_chosen(configured):
    """In DECP mode it still asked for 'CSV, XLSX, or a backup zip'."""
    at = open_page("admin")
    at.text_input[0].input("admin")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    labels = {}
    for kind in ("tables", "decp", "sirene"):
        at.radio(key="_admin_import_kind").set_value(kind).run()
        (uploader,) = at.get("file_uploader")
        labels[kind] = uploader.proto.label
    assert labels == {
        "tables": "Fichiers à importer (CSV, XLSX, Parquet, ou sauvegarde zip)",
        "decp": "Fichiers DECP à importer (JSON, CSV, Parquet, ou un zip qui en contient un)",
        "sirene": "Fichier SIRENE à importer (CSV, CSV zippé ou Parquet)",
    }
