"""No file Maillon exports hands a spreadsheet a live formula: imported text that starts like one
(=, +, -, @, tab, carriage return) leaves the app with an apostrophe in front, in every CSV and
XLSX export, while numbers stay numbers."""

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest

from maillon.data import catalog, queries
from maillon.data.filters import Filters
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from maillon.exports import downloads, rows_download
from maillon.exports.workbook import ChartData
from maillon.exports.workbook import build as build_workbook
from maillon.figures import associations, explorer, sql

ROOT = Path(__file__).resolve().parent.parent
FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]
LIVE = re.compile(r"^(?:[=@\t\r]|[+\-][\s\S])")


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory, built_db):
    """The demo database, built again with formula-like operator and association names."""
    folder = tmp_path_factory.mktemp("demo")
    build.ensure_demo_files(DEMO_DIR, progress=lambda _: None)
    for path in DEMO_DIR.glob("*.csv"):
        shutil.copyfile(path, folder / path.name)
    for table in ("operator", "association"):
        frame = pl.read_csv(folder / f"{table}.csv", infer_schema=False)
        names = [FORMULAS[i % len(FORMULAS)] + f" {i}" for i in range(frame.height)]
        frame.with_columns(pl.Series("name", names)).write_csv(folder / f"{table}.csv")
    db = tmp_path_factory.mktemp("formula_db") / "maillon.duckdb"
    build.build(db, folder, progress=lambda _: None)
    return db


@pytest.fixture()
def on_formula_db(formula_db, monkeypatch):
    monkeypatch.setenv("MAILLON_DB", str(formula_db))
    queries.clear_cache()
    yield formula_db
    queries.clear_cache()


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]


def xlsx_cells(data: bytes) -> tuple[list[str], int]:
    """Every text cell of the workbook (shared and inline strings), and its number of formulas."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    texts, formulas = [], 0
    for name in archive.namelist():
        if name.startswith("xl/") and name.endswith(".xml"):
            xml = archive.read(name).decode()
            formulas += len(re.findall(r"<f[ >]", xml))
            texts += [_unescape(t) for t in re.findall(r"<t[^>]*>([^<]*)</t>", xml)]
    return texts, formulas


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def assert_inert(texts: list[str]) -> None:
    live = [t for t in texts if LIVE.match(t) and not _is_number(t)]
    assert live == []


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_formula_text_gets_an_apostrophe_and_numbers_stay_numbers():
    frame = pl.DataFrame({"name": [*FORMULAS, "plain", None], "value": [-1.5] * 9})
    cells = csv_cells(downloads.to_bytes(frame, "csv"))
    assert cells[2::2][: len(FORMULAS)] == ["'" + f for f in FORMULAS]
    assert cells[3::2] == ["-1.5"] * 9
    assert_inert(cells)
    texts, formulas = xlsx_cells(downloads.to_bytes(frame, "xlsx"))
    assert formulas == 0
    assert_inert(texts)
    assert "'=cmd|' /C calc'!A0" in texts


def test_a_lone_dash_is_no_formula_and_keeps_no_apostrophe():
    """The problems CSV wrote a blank shown as '-' as "'-"."""
    frame = pl.DataFrame({"value": ["-", "+", "-1", "- note", "-\n=1+1"]})
    cells = csv_cells(downloads.to_bytes(frame, "csv"))
    assert cells[1:] == ["-", "+", "'-1", "'- note", "'-\n=1+1"]


def test_explorer_and_console_downloads_are_inert(on_formula_db):
    tables = catalog.load()
    for fmt in ("csv", "xlsx"):
        whole, _cut = explorer.rows_for_download(
            explorer.View("operator"), tables, None, fmt, whole=True
        )
        console, _cut = sql.rows_for_download("SELECT name, operator_id FROM operator", tables, fmt)
        # The explorer's files as its page writes them (an Excel one with its sources sheet).
        explorer_file = rows_download.file_bytes(whole, fmt, "operator", FORMULAS[0], "fr")
        for frame, data in ((whole, explorer_file), (console, downloads.to_bytes(console, fmt))):
            assert frame["name"].str.contains(r"^[=+\-@\t\r]").sum() > 0  # the data is hostile
            if fmt == "csv":
                assert_inert(csv_cells(data))
            else:
                texts, formulas = xlsx_cells(data)
                assert formulas == 0
                assert_inert(texts)


def test_directory_and_workbook_exports_are_inert(on_formula_db):
    found = associations.directory(Filters(2019, 2025), associations.Search())
    table = associations.directory_table(found, "fr")
    assert_inert(csv_cells(downloads.to_bytes(table, "csv")))
    workbook = build_workbook(
        [ChartData("annuaire", FORMULAS[0], FORMULAS[1], "", table)], "fr", FORMULAS[2]
    )
    texts, formulas = xlsx_cells(workbook)
    assert formulas == 0
    assert_inert(texts)
    assert "'" + FORMULAS[0] in texts


def test_every_export_goes_through_the_neutralising_writer():
    """CSV and XLSX are written in maillon.exports.downloads and maillon.exports.workbook only (the
    demo
    generator writes the demo's own files)."""
    writers = re.compile(r"\.write_(csv|excel)\(|xlsxwriter\.Workbook\(")
    allowed = {
        "maillon/exports/downloads.py",
        "maillon/exports/workbook.py",
        "maillon/database/demo.py",
        "maillon/admin/import_formats.py",
    }
    found = [
        str(path.relative_to(ROOT))
        for folder in ("maillon", "pages")
        for path in (ROOT / folder).rglob("*.py")
        if writers.search(path.read_text()) and str(path.relative_to(ROOT)) not in allowed
    ]
    assert found == []


def test_a_csv_opens_in_excel_with_its_accents():
    """Without a byte order mark, Excel read « Nettoyage et blanchisserie, café » as « cafÃ© »."""
    data = downloads.to_bytes(pl.DataFrame({"libellé": ["café"], "n": [1]}), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "libellé,n\ncafé,1\n"
    assert pl.read_csv(io.BytesIO(data)).columns == ["libellé", "n"]  # readers drop the mark


def test_a_csv_writes_whole_numbers_without_a_decimal_point():
    """Chart data said 147234000.0 for euros rounded to the unit."""
    frame = pl.DataFrame(
        {"euros": [147234000.0, None], "share": [12.5, 3.0], "nan": [float("nan"), 1.0]}
    )
    cells = csv_cells(downloads.to_bytes(frame, "csv"))
    assert cells[3:] == ["147234000", "12.5", "NaN", "", "3.0", "1.0"]
