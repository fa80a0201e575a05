"""Build the DuckDB database from the files in the repository (or your own), all or nothing.

    python -m maillon.database.build [--input DIR] [--db PATH]

Every file is validated (maillon.database.validate) before the new database is published. The
database path is a symbolic link to a versioned file (`<db>.versions/<stem>-<timestamp>.duckdb`): a
new build is written beside the current one and the link is swapped atomically, so readers see the
old version or the new one, never half of one, and a failed build leaves the old version in place.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from maillon.data import queries
from maillon.data.catalog import entity_tables
from maillon.data.config import database_path
from maillon.data.paths import DEMO_DIR, SQL_DIR, TAXONOMY_DIR
from maillon.database import reference
from maillon.database.problems import CURRENT_DATA, Message
from maillon.database.validate import (
    Problem,
    ValidationError,
    check_business_rules,
    check_columns,
    check_references,
    read_text_csv,
    stage,
    table_specs,
    text_frame,
)

SCHEMA_FILE = SQL_DIR / "schema.sql"
DERIVED_FILE = SQL_DIR / "derived.sql"
# A table is a taxonomy of the product when data/taxonomy holds its file (the folder also holds
# the importers' lookup files, which are no table).
TAXONOMY_TABLES = {p.stem for p in TAXONOMY_DIR.glob("*.csv")} & set(entity_tables())
REFERENCE_TABLES = {"establishment", "population_monthly", "public_fact"}
# Tables only the open-data importers fill (maillon.admin.procurement): empty in a data set that
# has no file for them, as the demo set has none (it invents no public contract).
IMPORTED_TABLES = {
    "procurement_contract",
    "procurement_holder",
    "procurement_establishment",
    "operator_register",
}
VERSIONS_KEPT = 3
CANDIDATE_MAX_AGE_S = 24 * 3600


def input_frames(table: str, input_dir: Path) -> list[pl.DataFrame]:
    """The text frames (with _file and _row) that make up one table."""
    if table in TAXONOMY_TABLES:
        return [read_text_csv(TAXONOMY_DIR / f"{table}.csv")]
    if table == "establishment":
        return [text_frame(reference.establishments(), reference.ESTABLISHMENTS_FILE.name)]
    if table == "public_fact":
        return [text_frame(reference.public_facts(), reference.PUBLIC_FACTS_FILE.name)]
    if table == "population_monthly":
        real = text_frame(reference.population(), reference.POPULATION_FILE.name)
        modeled = input_dir / "population_modeled.csv"
        return [real, read_text_csv(modeled)] if modeled.exists() else [real]
    path = input_dir / f"{table}.csv"
    if not path.exists() and table in IMPORTED_TABLES:
        columns = [name for name, _ in _schema()[0][table]]
        return [text_frame(pl.DataFrame(schema=dict.fromkeys(columns, pl.String)), path.name)]
    if not path.exists():
        raise ValidationError(
            [Problem(path.name, None, "-", "-", Message("file_missing", folder=str(input_dir)))]
        )
    return [read_text_csv(path)]


def ensure_demo_files(input_dir: Path, progress: Callable[[str], None] = print) -> None:
    """Regenerate the demo files if one is missing (the largest, canteen_sale.csv, is not in git).

    The generator is deterministic, so this gives back exactly the files it would have read.
    """
    if input_dir.resolve() != DEMO_DIR.resolve():
        return
    needed = [
        t for t in entity_tables() if t not in TAXONOMY_TABLES | REFERENCE_TABLES | IMPORTED_TABLES
    ]
    if all((input_dir / f"{t}.csv").exists() for t in needed):
        return
    from maillon.database import demo

    progress("Demo files missing: generating them (deterministic, a few seconds)")
    demo.generate(input_dir)


def versions_dir(db: Path) -> Path:
    return db.with_name(db.name + ".versions")


# What one table is made of in a new version: text frames to validate (from files), or
# KEEP_CURRENT to copy the table unchanged from the version being replaced (imports).
KEEP_CURRENT = None
TableSource = Callable[[str], list[pl.DataFrame] | None]


def build(
    db: Path | None = None,
    input_dir: Path = DEMO_DIR,
    progress: Callable[[str], None] = print,
) -> Path:
    """Validate the input files, write a new database version and publish it. Returns the version.

    Raises ValidationError (nothing published, the previous version untouched) on bad input.
    """
    db = db or database_path()
    started = time.perf_counter()
    target = new_version_path(db)
    write_version(target, lambda table: input_frames(table, input_dir), None, progress)
    publish(db, target)
    progress(f"published {db} -> {target.name} in {time.perf_counter() - started:.1f} s")
    return target


def new_version_path(db: Path) -> Path:
    versions = versions_dir(db)
    versions.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return versions / f"{db.stem}-{stamp}.duckdb"


def write_version(
    target: Path,
    source: TableSource,
    current: Path | None,
    progress: Callable[[str], None] = print,
) -> None:
    """Stage and validate every entity table, then write them and the derived tables to `target`.

    The one validation path of `make data` and of imports. The file appears at `target` only once
    complete (written as `.partial`, then renamed); on ValidationError nothing is left behind.
    `current` is the version that KEEP_CURRENT tables are copied from.
    """
    partial = target.with_name(target.name + ".partial")
    tables = entity_tables()
    steps = len(tables) + 2
    try:
        con = duckdb.connect(str(partial))
        try:
            con.execute(SCHEMA_FILE.read_text())
            specs = table_specs(con)
            if current is not None:
                con.execute("ATTACH $path AS current (READ_ONLY)", {"path": str(current)})
            con.execute("CREATE SCHEMA stage")
            problems: list[Problem] = []
            files: dict[str, str] = {}
            staged: set[str] = set()
            replaced: set[str] = set()  # tables whose rows come from files
            for step, table in enumerate(tables, start=1):
                t0 = time.perf_counter()
                frames = source(table)
                if frames is KEEP_CURRENT:
                    files[table] = CURRENT_DATA
                    rows = _copy_current(con, specs[table])
                    found = []
                else:
                    replaced.add(table)
                    files[table] = _file_name(frames[0], table)
                    rows = sum(f.height for f in frames)
                    found = [
                        p
                        for f in frames
                        for p in check_columns(specs[table], f, _file_name(f, table))
                    ]
                    if not found:
                        frame = pl.concat(
                            [f.select("_file", "_row", *specs[table].column_names) for f in frames]
                        )
                        found = stage(con, specs[table], frame)
                if not found:  # typed and staged: references can be checked, here and later
                    # Current rows were checked against current rows when they were written.
                    against = staged if table in replaced else staged & replaced
                    found = check_references(con, specs[table], against)
                    staged.add(table)
                problems += found
                progress(
                    f"[{step:>2}/{steps}] {table:<26} {rows:>10,} rows "
                    f"{time.perf_counter() - t0:6.2f} s{'  PROBLEMS' if found else ''}"
                )
            if not problems:
                problems += check_business_rules(con, files)
            if problems:
                raise ValidationError(problems)
            progress(f"[{len(tables) + 1:>2}/{steps}] business rules checked")
            t0 = time.perf_counter()
            for table in tables:
                columns = ", ".join(f'"{c}"' for c in specs[table].column_names)
                con.execute(f"INSERT INTO {table} SELECT {columns} FROM stage.{table}")
            con.execute("DROP SCHEMA stage CASCADE")
            if current is not None:
                con.execute("DETACH current")
            con.execute(DERIVED_FILE.read_text())
            con.execute("CHECKPOINT")
            progress(
                f"[{steps:>2}/{steps}] tables and derived tables written "
                f"{time.perf_counter() - t0:6.2f} s"
            )
        finally:
            con.close()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)


def _file_name(frame: pl.DataFrame, table: str) -> str:
    return frame["_file"][0] if frame.height else f"{table}.csv"


def _copy_current(con: duckdb.DuckDBPyConnection, spec) -> int:
    """Stage a table unchanged from the current version (validated when it was written): a view,
    so nothing is copied until the new version is written."""
    columns = ", ".join(f'"{c}"' for c in spec.column_names)
    try:
        con.execute(
            f"CREATE VIEW stage.{spec.name} AS SELECT '{CURRENT_DATA}' AS _file, "
            f"(row_number() OVER () + 1)::BIGINT AS _row, {columns} FROM current.{spec.name}"
        )
    except duckdb.Error as exc:
        raise ValidationError(
            [
                Problem(
                    CURRENT_DATA,
                    None,
                    "-",
                    spec.name,
                    Message("current_data_unusable", error=str(exc).splitlines()[0]),
                    Message("current_data_unusable_fix", table=spec.name),
                )
            ]
        ) from exc
    return con.execute(f"SELECT count(*) FROM stage.{spec.name}").fetchall()[0][0]


def publish(db: Path, target: Path) -> None:
    """Point the database path at `target` atomically, then prune old versions."""
    link = db.with_name(f".{db.name}.{os.getpid()}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, db.parent))
    os.replace(link, db)
    old = sorted(versions_dir(db).glob(f"{db.stem}-*.duckdb"), reverse=True)[VERSIONS_KEPT:]
    for path in old:
        if path.resolve() != target.resolve():
            path.unlink(missing_ok=True)


def remove_leftovers(db: Path, candidate_suffix: str = ".candidate") -> None:
    """Files of a build or an import check that died (kill -9, power cut), and day-old unused
    candidates. Call with the build lock held: no other writer runs, so partial files are dead."""
    folder = versions_dir(db)
    if folder.exists():
        for path in folder.glob("*.partial*"):
            path.unlink(missing_ok=True)
        for path in folder.glob(f"*{candidate_suffix}"):
            if time.time() - path.stat().st_mtime > CANDIDATE_MAX_AGE_S:
                path.unlink(missing_ok=True)
    for path in db.parent.glob(f".{db.name}.*.link"):
        path.unlink(missing_ok=True)


@contextmanager
def build_lock(db: Path):
    """One build at a time per database path, across processes."""
    lock_path = db.with_name(f".{db.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.sql(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND database_name = current_database() "
        "ORDER BY table_name, column_index"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def _macros(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """The macros of the database (sql/derived.sql's rules), each as its kind, parameters and
    definition as DuckDB prints it back."""
    rows = con.sql(
        "SELECT function_name, function_type, parameters, macro_definition FROM duckdb_functions() "
        "WHERE function_type IN ('macro', 'table_macro') AND NOT internal "
        "AND schema_name = 'main' AND database_name = current_database() "
        "ORDER BY ALL"
    ).fetchall()
    macros: dict[str, list[tuple]] = {}
    for name, kind, parameters, definition in rows:
        macros.setdefault(name, []).append((kind, parameters, definition))
    return macros


@cache
def _schema() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple]]]:
    """The tables (with their columns) and the macros the current sql/schema.sql and
    sql/derived.sql create (read once)."""
    with duckdb.connect() as con:
        con.execute(SCHEMA_FILE.read_text())
        con.execute(DERIVED_FILE.read_text())
        return _columns(con), _macros(con)


@cache
def _taxonomy_keys() -> dict[str, tuple[str, set[str]]]:
    """{table: (key column, identifiers)} of each taxonomy file of the product (read once).
    `source` is left out: imports add their own sources to it."""
    keys = {}
    for table in sorted(TAXONOMY_TABLES - {"source"}):
        key = _schema()[0][table][0][0]
        keys[table] = (key, set(read_text_csv(TAXONOMY_DIR / f"{table}.csv")[key].to_list()))
    return keys


def _missing_taxonomy_rows(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Taxonomies of the version that lack an identifier the product's files define (a kind of
    operator added since it was written): they are read again from the files."""
    missing = []
    for table, (key, keys) in _taxonomy_keys().items():
        # Table and column names come from the product's own schema, never from input.
        found = {row[0] for row in con.sql(f"SELECT {key} FROM {table}").fetchall()}
        if not keys <= found:
            missing.append(table)
    return missing


def _differences(db: Path) -> tuple[list[str], list[str]]:
    """The tables, then the macros, of the version at `db` that the current sql/schema.sql and
    sql/derived.sql define differently (missing, other columns or types, another definition),
    with the taxonomies that lack identifiers of the product's files."""
    tables, macros = _schema()
    # The app's settings: DuckDB refuses a second connection to a file with other settings.
    with duckdb.connect(str(db), read_only=True, config=queries.READ_ONLY_CONFIG) as con:
        found_tables, found_macros = _columns(con), _macros(con)
        changed = [table for table, columns in tables.items() if found_tables.get(table) != columns]
        missing = [t for t in _missing_taxonomy_rows(con) if t not in changed]
    return (
        changed + missing,
        [name for name, versions in macros.items() if found_macros.get(name) != versions],
    )


def outdated_tables(db: Path) -> list[str]:
    """Tables of the version at `db` that the current sql/schema.sql and sql/derived.sql define
    differently (missing, other columns or types): empty when its tables are up to date."""
    return _differences(db)[0]


def outdated_macros(db: Path) -> list[str]:
    """Macros of sql/derived.sql that the version at `db` lacks or defines otherwise (a version
    written before a query relied on them): the named queries would fail on it."""
    return _differences(db)[1]


def is_up_to_date(db: Path) -> bool:
    """True when the version at `db` has every table and macro as the current SQL defines them."""
    tables, macros = _differences(db)
    return not tables and not macros


def upgrade(db: Path, progress: Callable[[str], None] = print) -> Path:
    """A new version in the current schema: unchanged entity tables carried over as they are,
    new or changed ones from the demo files (marked illustrative; a changed `source` keeps the
    sources imports added), derived tables and macros written again from sql/derived.sql.

    Raises ValidationError (nothing published) when the carried-over data does not fit."""
    stale = set(outdated_tables(db)) & set(entity_tables())
    current = db.resolve()
    target = new_version_path(db)

    def source(table: str) -> list[pl.DataFrame] | None:
        frames = input_frames(table, DEMO_DIR) if table in stale else KEEP_CURRENT
        return _with_imported_sources(current, *frames) if frames and table == "source" else frames

    progress(
        f"upgrading {db}: {', '.join(sorted(stale)) or 'derived tables and macros'} from the schema"
    )
    write_version(target, source, current, progress)
    publish(db, target)
    return target


def _with_imported_sources(db: Path, file: pl.DataFrame) -> list[pl.DataFrame]:
    """The file's sources and those imports added to the version at `db`, in the file's columns."""
    with duckdb.connect(str(db), read_only=True, config=queries.READ_ONLY_CONFIG) as con:
        added = con.sql("SELECT * FROM source").pl().join(file, on="source_id", how="anti")
    added = pl.concat([file.clear(), text_frame(added, CURRENT_DATA)], how="diagonal")
    return [file, added.select(file.columns)]  # a column the version lacks: empty


def ensure_database(db: Path | None = None, progress: Callable[[str], None] = print) -> Path:
    """Build the database if it does not exist yet (first `streamlit run app.py`), or bring it
    to the current schema and macros if it was written by an older Maillon."""
    db = db or database_path()
    if db.exists() and is_up_to_date(db):
        return db
    with build_lock(db):
        remove_leftovers(db)
        if not db.exists():
            ensure_demo_files(DEMO_DIR, progress)
            build(db, progress=progress)
        elif not is_up_to_date(db):
            ensure_demo_files(DEMO_DIR, progress)
            upgrade(db, progress)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEMO_DIR, help="folder of entity CSV files")
    parser.add_argument("--db", type=Path, default=None, help="database path (default: MAILLON_DB)")
    args = parser.parse_args(argv)
    db = Path(os.path.abspath(args.db)) if args.db else database_path()
    try:
        with build_lock(db):
            remove_leftovers(db)
            ensure_demo_files(args.input)
            build(db, args.input)
    except ValidationError as error:
        print(f"Build refused; {db} was left as it was.\n{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
