"""An import never half-happens: broken files of every kind are refused with a clear error and
change nothing; a killed import leaves the data whole; readers never see half of an import.

Property-based part (hypothesis, derandomized): 1,100 generated broken files go through the
upload reader and the schema validation (`uploads.read_uploads`, `validate.check_columns` and
`validate.stage`, the functions every build and import calls, on an in-memory copy of the
schema); 60 more go through the whole `importer.check` against a built database, which is then
shown untouched.
"""

import codecs
import functools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillon.admin import import_log, importer, uploads
from maillon.data import catalog, queries
from maillon.data.paths import DEMO_DIR, SQL_DIR
from maillon.database import build
from maillon.database.validate import ValidationError, check_columns, stage, table_specs
from tests.conftest import ROOT

TABLES = ["target", "operator", "contract", "reallocation", "sroi_proxy"]
SOURCES = {t: (DEMO_DIR / f"{t}.csv").read_text(encoding="utf-8") for t in TABLES}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("safety") / "maillon.duckdb"
    build.build(path, progress=lambda _line: None)
    return path


# ---------------------------------------------------------------- broken files


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


@st.composite
def broken_files(draw) -> tuple[str, bytes]:
    """One broken file: (name, bytes). Every branch breaks something a user could break."""
    table = draw(st.sampled_from(TABLES))
    lines = _lines(SOURCES[table])[: draw(st.integers(2, 12))]
    header = lines[0].split(",")
    kind = draw(
        st.sampled_from(
            [
                "latin1",
                "utf16",
                "bom_and_missing_column",
                "tab_delimiter",
                "pipe_delimiter",
                "missing_column",
                "unknown_column",
                "duplicate_header",
                "ragged_row",
                "open_quote",
                "huge_number",
                "other_date",
                "empty",
                "blank_lines_only",
                "binary",
                "garbage_named_xlsx",
                "truncated_zip",
                "garbage_parquet",
                "unknown_name",
                "empty_required",
            ]
        )
    )
    name = f"{table}.csv"
    body = "\n".join(lines) + "\n"
    if kind == "latin1":
        row = draw(st.integers(1, len(lines) - 1))
        lines[row] = lines[row].replace(",", ",é", 1)
        return name, ("\n".join(lines) + "\n").encode("latin-1", errors="replace")
    if kind == "utf16":
        return name, body.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"])))
    if kind == "bom_and_missing_column":
        drop = draw(st.integers(0, len(header) - 1))
        kept = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines]
        return name, codecs.BOM_UTF8 + ("\n".join(kept) + "\n").encode()
    if kind in ("tab_delimiter", "pipe_delimiter"):
        separator = "\t" if kind == "tab_delimiter" else "|"
        return name, body.replace(",", separator).encode()
    if kind == "missing_column":
        drop = draw(st.integers(0, len(header) - 1))
        return name, (",".join(c for i, c in enumerate(header) if i != drop) + "\n").encode()
    if kind == "unknown_column":
        extra = draw(st.text("abcdefghij_", min_size=1, max_size=12))
        return name, "\n".join(f"{line},{extra}" for line in lines).encode()
    if kind == "duplicate_header":
        lines[0] = f"{lines[0]},{header[0]}"
        return name, "\n".join(f"{line},x" if i else line for i, line in enumerate(lines)).encode()
    if kind == "ragged_row":
        row = draw(st.integers(1, len(lines) - 1))
        extra = draw(st.sampled_from([",", ",x,y", None]))
        # One value too many, or the last value (never a quoted one in these files) missing.
        lines[row] = lines[row] + extra if extra else lines[row].rsplit(",", 1)[0]
        return name, ("\n".join(lines) + "\n").encode()
    if kind == "open_quote":
        row = draw(st.integers(1, len(lines) - 1))
        lines[row] = lines[row].replace(",", ',"', 1)
        return name, ("\n".join(lines) + "\n").encode()
    frame = pl.read_csv(body.encode(), infer_schema=False)
    if kind in ("huge_number", "other_date", "empty_required"):
        row = draw(st.integers(0, frame.height - 1))
        column, value = _breakage(table, kind, draw)
        values = frame[column].to_list()
        values[row] = value
        frame = frame.with_columns(pl.Series(column, values, dtype=pl.String))
        return name, frame.write_csv().encode()
    if kind == "empty":
        return name, b""
    if kind == "blank_lines_only":
        return name, b"\n\n \n"
    if kind == "binary":
        return name, b"\x00" + draw(st.binary(min_size=1, max_size=200))
    if kind == "garbage_named_xlsx":
        return f"{table}.xlsx", draw(st.binary(min_size=1, max_size=200))
    if kind == "truncated_zip":
        return "backup.zip", b"PK\x03\x04" + draw(st.binary(max_size=100))
    if kind == "garbage_parquet":
        return f"{table}.parquet", b"PAR1" + draw(st.binary(max_size=100))
    return f"{table}s.csv", body.encode()  # unknown_name


def _breakage(table: str, kind: str, draw) -> tuple[str, str]:
    numbers = {
        "target": "year",
        "operator": "is_grouping",
        "contract": "awarded_value_eur",
        "reallocation": "amount_eur",
        "sroi_proxy": "central_eur",
    }
    dates = {"contract": "start_date"}
    if kind == "huge_number":
        value = draw(st.sampled_from(["1e30", "9" * 40, "-" + "9" * 25, "12 345,67", "€100"]))
        return numbers[table], value
    if kind == "other_date" and table in dates:
        value = draw(st.sampled_from(["31/01/2025", "2025/01/31", "Jan 31 2025", "45678"]))
        return dates[table], value
    required = {
        "target": "metric_id",
        "operator": "name",
        "contract": "operator_id",
        "reallocation": "destination_id",
        "sroi_proxy": "central_eur",
    }
    return required[table], ""


def _validate_in_memory(frames: dict[str, pl.DataFrame]) -> list:
    """The column and row checks of build.write_version, on an in-memory copy of the schema."""
    con, specs = _schema_copy()
    con.execute("DROP SCHEMA IF EXISTS stage CASCADE; CREATE SCHEMA stage")
    found = []
    for table, frame in frames.items():
        file = frame["_file"][0] if frame.height else f"{table}.csv"  # as build.write_version
        problems = check_columns(specs[table], frame, file)
        found += problems or stage(con, specs[table], frame)
    return found


@functools.cache
def _schema_copy():
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text())
    return con, table_specs(con)


def _assert_clear(problems, name: str) -> None:
    assert problems, f"{name}: refused without a problem"
    for problem in problems:
        assert problem.file.startswith(name) or problem.file.endswith("(current data)"), problem
        assert problem.problem.strip(), problem
        assert problem.fix.strip(), problem
        assert problem.problem_text("fr") != problem.problem, problem
        assert problem.fix_text("fr") != problem.fix, problem


def test_fixture_files_are_valid():
    """The starting points are valid: the breakage, not the base, is what gets refused."""
    tables = catalog.entity_tables()
    frames = uploads.read_uploads([(f"{t}.csv", SOURCES[t].encode()) for t in TABLES], tables)
    assert _validate_in_memory(frames) == []


@settings(
    max_examples=1100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(broken_files())
def test_every_broken_file_gets_a_clear_error(broken):
    name, data = broken
    tables = catalog.entity_tables()
    try:
        frames = uploads.read_uploads([(name, data)], tables)
    except ValidationError as error:
        _assert_clear(error.problems, name)
        return
    _assert_clear(_validate_in_memory(frames), name)


def test_broken_files_through_the_whole_check_write_nothing(db):
    before = db.resolve()
    versions = sorted(p.name for p in build.versions_dir(db).iterdir())
    with duckdb.connect(str(db), read_only=True) as con:
        totals = con.sql("SELECT (SELECT sum(value) FROM target), (SELECT count(*) FROM contract)")
        totals = totals.fetchall()
    refused = 0

    @settings(max_examples=60, derandomize=True, deadline=None, database=None)
    @given(broken_files())
    def check_one(broken):
        nonlocal refused
        name, data = broken
        with pytest.raises(ValidationError) as error:
            importer.check([(name, data)], "hypothesis", db)
        _assert_clear(error.value.problems, name)
        refused += 1

    started = time.perf_counter()
    check_one()
    print(f"{refused} broken files refused in {time.perf_counter() - started:.1f} s")
    assert refused == 60
    assert db.resolve() == before
    assert sorted(p.name for p in build.versions_dir(db).iterdir()) == versions
    with duckdb.connect(str(db), read_only=True) as con:
        again = con.sql("SELECT (SELECT sum(value) FROM target), (SELECT count(*) FROM contract)")
        assert again.fetchall() == totals
    log = [e for e in import_log.read(db, limit=1000) if e["who"] == "hypothesis"]
    assert len(log) == 60
    assert {e["outcome"] for e in log} == {"refused"}


# ---------------------------------------------------------------- kill -9


def _target_with(value: str) -> bytes:
    frame = pl.read_csv(DEMO_DIR / "target.csv", infer_schema=False)
    return (
        frame.with_columns(
            pl.when(pl.col("target_id") == "t_2019_ess_share")
            .then(pl.lit(value))
            .otherwise(pl.col("value"))
            .alias("value")
        )
        .write_csv()
        .encode()
    )


def _state(db: Path) -> tuple[float, int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(
            "SELECT (SELECT sum(value) FROM target), (SELECT count(*) FROM contract), "
            "(SELECT count(*) FROM canteen_sale)"
        ).fetchall()[0]


def _app_starts(db: Path) -> None:
    from streamlit.testing.v1 import AppTest

    env = {**os.environ, "MAILLON_DB": str(db)}
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60).run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.metric, 'no headline figures'\n"
    )
    assert AppTest  # imported here so a missing Streamlit fails this test, not collection
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]


@pytest.mark.timeout(600)
def test_killing_an_import_leaves_the_data_whole(tmp_path):
    db = tmp_path / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    old = _state(db)
    upload = tmp_path / "target.csv"
    upload.write_bytes(_target_with("0.5"))
    command = [
        sys.executable,
        "-m",
        "maillon.admin.importer",
        "--db",
        str(db),
        "--who",
        "kill",
        str(upload),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    duration = time.perf_counter() - started
    new = _state(db)
    assert new != old
    importer.restore_previous("kill", db)
    assert _state(db) == old

    rng = random.Random(20261123)
    seen = {"old": 0, "new": 0, "killed while writing a version": 0}
    for attempt in range(20):
        before = db.resolve()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0, duration))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert db.resolve().exists()
        if list(build.versions_dir(db).glob("*.partial")):
            seen["killed while writing a version"] += 1
        state = _state(db)
        assert state in (old, new), (attempt, state)
        seen["old" if state == old else "new"] += 1
        if db.resolve() != before or attempt in (0, 19):
            _app_starts(db)
        if state == new:
            importer.restore_previous("kill", db)
            assert _state(db) == old
    print(f"kill -9 during an import of {duration:.2f} s: {seen}")
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    assert _state(db) == new
    assert not list(build.versions_dir(db).glob("*.partial*"))
    assert not list(db.parent.glob(f".{db.name}.*.link"))


# ---------------------------------------------------------------- readers during an import


@pytest.mark.timeout(300)
def test_readers_see_the_old_or_the_new_data_never_a_mix(tmp_path):
    db = tmp_path / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    both = (
        "SELECT (SELECT sum(value) FROM target) AS targets, "
        "(SELECT sum(central_eur) FROM sroi_proxy) AS proxies"
    )
    old = tuple(queries.run_sql(both, cached=False, db=db).row(0))
    proxies = pl.read_csv(DEMO_DIR / "sroi_proxy.csv", infer_schema=False)
    changed_proxies = proxies.with_columns(
        (pl.col("central_eur").cast(pl.Float64) + 1).round(2).cast(pl.String),
        (pl.col("high_eur").cast(pl.Float64) + 1).round(2).cast(pl.String),
    )
    files = [
        ("target.csv", _target_with("0.5")),
        ("sroi_proxy.csv", changed_proxies.write_csv().encode()),
    ]
    observed: list[tuple] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                observed.append(tuple(queries.run_sql(both, cached=False, db=db).row(0)))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    time.sleep(0.3)
    candidate = importer.check(files, "threads", db)
    importer.apply(candidate, "threads", db)
    time.sleep(0.5)
    new = tuple(queries.run_sql(both, cached=False, db=db).row(0))
    importer.restore_previous("threads", db)
    time.sleep(0.5)
    stop.set()
    for reader in readers:
        reader.join()
    assert not errors, errors
    assert new[0] != old[0] and new[1] != old[1]
    assert set(observed) <= {old, new}, set(observed) - {old, new}
    assert observed.count(new) > 0 and observed.count(old) > 0
    first_new = observed.index(new)
    assert old in observed[:first_new]
    print(f"{len(observed)} reads: {observed.count(old)} old, {observed.count(new)} new")
