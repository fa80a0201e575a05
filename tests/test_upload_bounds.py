"""Uploads are bounded before and while they are read: an oversized file is refused unread, and
a zip or XLSX workbook that would inflate past the cap is refused without the server holding
more than a chunk of it."""

import io
import os
import zipfile
from pathlib import Path

import pytest

from maillon.admin import uploads
from maillon.data import catalog
from maillon.database.validate import ValidationError
from tests.proc_memory import status_bytes

MB = 2**20


def _zip_of_zeros(member: str, megabytes: int) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(member, "w") as handle,
    ):
        chunk = bytes(MB)
        for _ in range(megabytes):
            handle.write(chunk)
    return out.getvalue()


def _peak_growth(read) -> int:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = status_bytes(os.getpid(), "VmRSS")
    with pytest.raises(ValidationError) as refused:
        read()
    return status_bytes(os.getpid(), "VmHWM") - before, refused.value.problems


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """500 MB of zeros in a backup zip of about half a megabyte."""
    return _zip_of_zeros("contract.parquet", uploads.MAX_INFLATED_MB + 100)


def test_a_zip_bomb_is_refused_while_the_server_stays_small(bomb):
    assert len(bomb) < MB
    growth, problems = _peak_growth(
        lambda: uploads.read_uploads([("backup.zip", bomb)], catalog.entity_tables())
    )
    assert [(p.file, p.problem) for p in problems] == [
        ("backup.zip", f"would inflate to more than {uploads.MAX_INFLATED_MB} MB")
    ]
    assert growth < 50 * MB, f"grew by {growth >> 20} MB"
    assert problems[0].problem_text("fr") == (
        f"dépasserait {uploads.MAX_INFLATED_MB} Mo une fois décompressé"
    )


def test_a_zip_that_lies_about_its_size_is_stopped_while_inflating(bomb):
    lying = _declare_one_kilobyte(bomb)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(lying)).infolist()) == 1024
    growth, problems = _peak_growth(
        lambda: uploads.read_uploads([("backup.zip", lying)], catalog.entity_tables())
    )
    assert [(p.file, p.problem) for p in problems] == [
        ("backup.zip", "is not a readable zip file (BadZipFile)")
    ]
    assert growth < 50 * MB, f"grew by {growth >> 20} MB"


def _declare_one_kilobyte(data: bytes) -> bytes:
    """The zip with its one member's uncompressed size written as 1 kB, in the local header
    (offset 22) and in the central directory (offset 24)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.index(signature) + offset
        out[at : at + 4] = (1024).to_bytes(4, "little")
    return bytes(out)


def test_an_xlsx_bomb_is_refused_before_the_reader_sees_it():
    workbook = _zip_of_zeros("xl/worksheets/sheet1.xml", uploads.MAX_INFLATED_MB + 100)
    growth, problems = _peak_growth(
        lambda: uploads.read_uploads([("contract.xlsx", workbook)], catalog.entity_tables())
    )
    assert [(p.file, p.problem) for p in problems] == [
        ("contract.xlsx", f"would inflate to more than {uploads.MAX_INFLATED_MB} MB")
    ]
    assert growth < 50 * MB


def test_a_file_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_MB", 1)
    data = b"contract_id\n" + b"x\n" * MB
    with pytest.raises(ValidationError) as refused:
        uploads.read_uploads([("contract.csv", data)], catalog.entity_tables())
    (problem,) = refused.value.problems
    assert problem.problem == "is 2 MB, over the 1 MB a file may have"
    assert problem.problem_text("fr") == "pèse 2 Mo, plus que les 1 Mo permis pour un fichier"


def test_the_upload_limit_is_the_same_in_streamlit_and_on_the_server():
    config = (Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text()
    assert f"maxUploadSize = {uploads.MAX_FILE_MB}" in config
