"""The SIRENE reader: who the holders of contracts are, from INSEE's register of legal units.

`read_sirene` reads a StockUniteLegale file (a CSV, the official zip holding one CSV, or Parquet)
with DuckDB and keeps only the wanted SIRENs, the holders of contracts. Nationally the file has
about 25 million rows, so it never comes into Python: DuckDB scans it under a set memory limit and
thread count, semi-joined to a small table of the wanted SIRENs, without sorting it. Every value
is read as text (SIRENs and codes keep their leading zeros).

A zip is not extracted: a thread inflates its CSV member chunk by chunk into a pipe that DuckDB
reads as a stream (Linux and macOS name a pipe's end /dev/fd/N), so the memory used is the
pipe's chunks plus DuckDB's, whatever the size of the CSV.

Each unit is then classified. Its legal-form code (INSEE's level III, data/reference) gives a
kind through the longest matching prefix of data/taxonomy/legal_form_kind.csv; SIRENE's ESS flag
O turns a for-profit company into an ESS company (loi du 31 juillet 2014, art. 1: cooperatives,
mutuals, associations and foundations are ESS by statute, whatever the flag; a commercial company
only when the flag says O). docs/procurement-taxonomies-sirene.md gives the reasons code by code.
"""

from __future__ import annotations

import csv
import os
import shutil
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from maillon.data.paths import REFERENCE_DIR, TAXONOMY_DIR

LEGAL_FORM_KINDS_FILE = TAXONOMY_DIR / "legal_form_kind.csv"
LEGAL_FORM_LABELS_FILE = REFERENCE_DIR / "insee-categories-juridiques-n3.csv"

# The kinds SIRENE can tell. scic, siae and public_regie are kinds of Maillon too, but no SIRENE
# field says them; ess_company comes from the ESS flag, never from a legal form alone.
KINDS = frozenset(
    {
        "scop",
        "cooperative",
        "association",
        "mutual",
        "foundation",
        "public_body",
        "for_profit",
        "ess_company",
        "unknown",
    }
)
LEGAL_FORM_KINDS = KINDS - {"ess_company"}
ESS_BY_STATUTE = frozenset({"scop", "cooperative", "association", "mutual", "foundation"})

# The name shown for a unit whose publication is partial (statutDiffusionUniteLegale = P): a
# sole trader who refused it. INSEE's own placeholder is "[ND]".
NOT_DISCLOSED = "[non diffusible]"

REQUIRED_COLUMNS = (
    "siren",
    "denominationUniteLegale",
    "sigleUniteLegale",
    "categorieJuridiqueUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "etatAdministratifUniteLegale",
    "dateCreationUniteLegale",
    "statutDiffusionUniteLegale",
    "activitePrincipaleUniteLegale",
)
# A sole trader's name, when the file has it (the official one does).
OPTIONAL_COLUMNS = ("prenomUsuelUniteLegale", "nomUniteLegale")

MEMORY_LIMIT = "1GB"
THREADS = 2
PIPE_CHUNK = 1 << 20
HEADER_LIMIT = 1 << 16  # a header line longer than this is not a StockUniteLegale header
DELIMITERS = (",", ";", "\t", "|")
# What opening or inflating a zip member raises: broken data, or a method or an encryption
# Python's zipfile does not read.
UNREADABLE_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)

STATES = {"A": "active", "C": "ceased"}
UNITS_SCHEMA = {
    "siren": pl.String,
    "name": pl.String,
    "legal_form_code": pl.String,
    "legal_form_label": pl.String,
    "kind_id": pl.String,
    "is_ess": pl.Boolean,
    "ess_flag": pl.String,
    "state": pl.String,
    "created_on": pl.Date,
    "activity_code": pl.String,
}


class SireneFileError(ValueError):
    """The file is not a readable StockUniteLegale; the message names it and says why."""


@dataclass(frozen=True)
class SireneRead:
    """The wanted units found in the file (UNITS_SCHEMA, one row per SIREN, by SIREN), the wanted
    SIRENs the file does not hold (sorted), and how many were wanted and found."""

    units: pl.DataFrame
    not_found: tuple[str, ...]
    wanted: int
    found: int


def read_sirene(
    path: Path, sirens: Iterable[str], legal_forms: pl.DataFrame | None = None
) -> SireneRead:
    """The units of `sirens` in the StockUniteLegale file at `path`, classified by `legal_forms`
    (code_prefix → kind_id, data/taxonomy/legal_form_kind.csv when None).

    Raises SireneFileError when the file cannot be read or lacks columns it needs.
    """
    path = Path(path)
    wanted = sorted({siren.strip() for siren in sirens if siren and siren.strip()})
    kinds = resolve_legal_forms(legal_forms)
    units = _classify(_read_units(path, wanted), kinds)
    found = set(units["siren"])
    return SireneRead(
        units=units,
        not_found=tuple(siren for siren in wanted if siren not in found),
        wanted=len(wanted),
        found=len(found),
    )


# ---------------------------------------------------------------------------- legal forms


def legal_form_kinds(path: Path = LEGAL_FORM_KINDS_FILE) -> pl.DataFrame:
    """The prefix → kind table (code_prefix, kind_id, label, note), checked."""
    return check_legal_form_kinds(pl.read_csv(path, infer_schema=False))


def check_legal_form_kinds(table: pl.DataFrame) -> pl.DataFrame:
    """`table` itself when its prefixes are 1 to 4 digits, each once, and its kinds are kinds
    SIRENE can tell; a ValueError saying which rows are wrong otherwise."""
    missing = {"code_prefix", "kind_id"} - set(table.columns)
    if missing:
        raise ValueError(f"legal-form kinds: missing columns {', '.join(sorted(missing))}")
    bad_prefix = table.filter(~pl.col("code_prefix").str.contains(r"^\d{1,4}$"))
    twice = table.filter(pl.col("code_prefix").is_duplicated())
    bad_kind = table.filter(~pl.col("kind_id").is_in(sorted(LEGAL_FORM_KINDS)))
    problems = [
        f"{what}: {', '.join(map(str, rows['code_prefix'].unique(maintain_order=True)))}"
        for what, rows in (
            ("prefixes that are not 1 to 4 digits", bad_prefix),
            ("prefixes given twice", twice),
            ("kinds SIRENE cannot tell", bad_kind),
        )
        if rows.height
    ]
    if problems:
        raise ValueError("legal-form kinds: " + "; ".join(problems))
    return table


def resolve_legal_forms(legal_forms: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every INSEE legal-form code (legal_form_code, legal_form_label, kind_id): its kind is that
    of its longest prefix in `legal_forms` (data/taxonomy/legal_form_kind.csv when None), or
    unknown when no prefix matches."""
    table = legal_form_kinds() if legal_forms is None else check_legal_form_kinds(legal_forms)
    by_prefix = dict(table.select("code_prefix", "kind_id").iter_rows())
    labels = pl.read_csv(LEGAL_FORM_LABELS_FILE, infer_schema=False)

    def kind_of(code: str) -> str:
        prefixes = (code[:length] for length in range(len(code), 0, -1))
        return next((by_prefix[p] for p in prefixes if p in by_prefix), "unknown")

    return pl.DataFrame(
        {
            "legal_form_code": labels["code_cj"],
            "legal_form_label": labels["libelle"],
            "kind_id": [kind_of(code) for code in labels["code_cj"]],
        }
    )


def _classify(raw: pl.DataFrame, kinds: pl.DataFrame) -> pl.DataFrame:
    """Kind and ESS of each unit. A code missing from INSEE's list is an unknown legal form; a
    for-profit kind flagged O is an ESS company; a statute family is ESS whatever its flag (an
    association flagged N stays an ESS association); public bodies and unknown kinds never are."""
    kind = pl.col("kind_id").fill_null("unknown")
    kind = (
        pl.when((kind == "for_profit") & (pl.col("ess_flag") == "O"))
        .then(pl.lit("ess_company"))
        .otherwise(kind)
    )
    return (
        raw.join(kinds, on="legal_form_code", how="left")
        .with_columns(kind_id=kind)
        .with_columns(is_ess=pl.col("kind_id").is_in(sorted(ESS_BY_STATUTE | {"ess_company"})))
        .select(list(UNITS_SCHEMA))
        .cast(UNITS_SCHEMA)
        .sort("siren")
    )


# ---------------------------------------------------------------------------- reading the file


def _read_units(path: Path, wanted: list[str]) -> pl.DataFrame:
    """The wanted rows of the file: siren, name, legal_form_code, ess_flag, state, created_on,
    activity_code; empty texts as nulls."""
    if not path.is_file():
        raise SireneFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".zip", ".parquet"):
        raise SireneFileError(
            f"{path}: a StockUniteLegale file is a .csv, a .zip holding one CSV or a .parquet, "
            f"not {suffix or 'a file without extension'}"
        )
    config = {"memory_limit": MEMORY_LIMIT, "threads": THREADS, "preserve_insertion_order": False}
    con = duckdb.connect(config=config)
    try:
        con.execute(
            "CREATE TABLE wanted AS SELECT unnest($sirens::VARCHAR[]) AS siren", {"sirens": wanted}
        )
        if suffix == ".parquet":
            return _select(con, path, *_parquet_source(con, path))
        if suffix == ".csv":
            with path.open("rb") as handle:
                header = handle.readline(HEADER_LIMIT)
            return _select(con, path, *_csv_source(str(path), header))
        with _zip_member_pipe(path) as (pipe, header):
            return _select(con, path, *_csv_source(pipe, header))
    except OSError as error:
        raise SireneFileError(f"{path}: cannot be opened ({error.strerror or error})") from error
    except duckdb.Error as error:
        reason = str(error).strip().splitlines()[0]
        raise SireneFileError(
            f"{path}: cannot be read as a StockUniteLegale file ({reason})"
        ) from error
    finally:
        con.close()


def _parquet_source(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[str, dict[str, str]]:
    """The Parquet scan and its columns with their types."""
    source = f"read_parquet({_literal(str(path))})"
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    return source, {name: column_type for name, column_type, *_ in described}


def _csv_source(file: str, header: bytes) -> tuple[str, dict[str, str]]:
    """The CSV scan, every column as text, from its header line: given, not sniffed, so that a
    pipe is read once, from the start."""
    line = header.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    delimiter = max(DELIMITERS, key=line.count)
    names = next(csv.reader([line], delimiter=delimiter), [])
    types = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in names)
    source = (
        f"read_csv({_literal(file)}, columns = {{{types}}}, header = true, auto_detect = false, "
        f"delim = {_literal(delimiter)}, quote = '\"', escape = '\"')"
    )
    return source, dict.fromkeys(names, "VARCHAR")


def _select(
    con: duckdb.DuckDBPyConnection, path: Path, source: str, columns: dict[str, str]
) -> pl.DataFrame:
    """The wanted rows of `source`, after checking it has the columns needed."""
    by_lower = {name.lower(): name for name in columns}
    missing = [name for name in REQUIRED_COLUMNS if name.lower() not in by_lower]
    if missing:
        raise SireneFileError(
            f"{path}: not a StockUniteLegale file, columns missing: {', '.join(missing)}"
        )

    def text(name: str) -> str:
        if name.lower() not in by_lower:
            return "NULL"
        return f"nullif(trim(CAST({_identifier(by_lower[name.lower()])} AS VARCHAR)), '')"

    siren = _identifier(by_lower["siren"])
    if columns[by_lower["siren"]] != "VARCHAR":  # a Parquet written with SIRENs as numbers
        siren = f"lpad(CAST({siren} AS VARCHAR), 9, '0')"
    sql = f"""
        WITH picked AS (
            SELECT {siren} AS siren,
                   {text("denominationUniteLegale")} AS denomination,
                   {text("prenomUsuelUniteLegale")} AS first_name,
                   {text("nomUniteLegale")} AS last_name,
                   {text("sigleUniteLegale")} AS acronym,
                   {text("statutDiffusionUniteLegale")} AS diffusion,
                   {text("categorieJuridiqueUniteLegale")} AS legal_form_code,
                   {text("economieSocialeSolidaireUniteLegale")} AS ess_flag,
                   {text("etatAdministratifUniteLegale")} AS state,
                   {text("dateCreationUniteLegale")} AS created_on,
                   {text("activitePrincipaleUniteLegale")} AS activity_code
            FROM {source}
            WHERE {siren} IN (SELECT siren FROM wanted)
        )
        SELECT siren,
               CASE WHEN diffusion = 'P' THEN {_literal(NOT_DISCLOSED)}
                    ELSE coalesce(denomination,
                                  nullif(concat_ws(' ', first_name, last_name), ''),
                                  acronym)
               END AS name,
               legal_form_code,
               ess_flag,
               CASE state {" ".join(f"WHEN '{k}' THEN '{v}'" for k, v in STATES.items())} END
                   AS state,
               TRY_CAST(created_on AS DATE) AS created_on,
               activity_code
        FROM picked
    """
    return con.sql(sql).pl()


@contextmanager
def _zip_member_pipe(path: Path) -> Iterator[tuple[str, bytes]]:
    """The path of a pipe streaming the zip's one CSV member, and the member's header line."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise SireneFileError(f"{path}: not a readable zip ({error})") from error
    with archive:
        member = _csv_member(archive, path)
        try:
            with archive.open(member) as source:
                header = source.readline(HEADER_LIMIT)
        except UNREADABLE_MEMBER as error:
            raise SireneFileError(f"{path}: {member} cannot be inflated ({error})") from error
        read_end, write_end = os.pipe()
        pump = _Pump(archive, member, write_end)
        pump.start()
        try:
            yield f"/dev/fd/{read_end}", header
        finally:
            os.close(read_end)  # a pump still writing now stops on a broken pipe
            pump.join()
            if pump.error is not None:  # the cause of any error DuckDB saw in the stream too
                raise SireneFileError(f"{path}: {member} cannot be inflated ({pump.error})")


def _csv_member(archive: zipfile.ZipFile, path: Path) -> str:
    """The name of the zip's one CSV member."""
    members = [
        info.filename
        for info in archive.infolist()
        if not info.is_dir() and info.filename.lower().endswith(".csv")
    ]
    if len(members) != 1:
        found = ", ".join(members) if members else "none"
        raise SireneFileError(f"{path}: the zip must hold exactly one CSV file (found: {found})")
    return members[0]


class _Pump(threading.Thread):
    """Inflates a zip member into a pipe's write end, one chunk at a time, and closes it."""

    def __init__(self, archive: zipfile.ZipFile, member: str, write_end: int):
        super().__init__(daemon=True)
        self.archive, self.member, self.write_end = archive, member, write_end
        self.error: Exception | None = None

    def run(self) -> None:
        # The write end is closed whatever happens, or DuckDB would wait for the rest forever.
        try:
            with open(self.write_end, "wb") as sink, self.archive.open(self.member) as source:
                shutil.copyfileobj(source, sink, PIPE_CHUNK)
        except BrokenPipeError:
            pass  # the reader closed first: its query failed, and says why
        except Exception as error:  # kept for the reader: a cut stream must not pass for whole
            self.error = error


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
