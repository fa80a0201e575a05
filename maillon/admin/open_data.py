"""Open data imports: read DECP or SIRENE files, make the new content of the tables they touch
(maillon.admin.procurement) and check it like any import (maillon.admin.importer); the command
line's `decp` and `sirene`.

    python -m maillon.admin.importer decp [--db PATH] FILE...    published contracts (DECP)
    python -m maillon.admin.importer sirene [--db PATH] FILE     their holders' register (SIRENE)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from maillon.admin import importer
from maillon.admin.decp import REASONS, DecpError, DecpRead, read_decp
from maillon.admin.decp_rules import prison_buyers
from maillon.admin.importer import Candidate
from maillon.admin.procurement import (
    DecpTables,
    SireneTables,
    current_rows,
    decp_tables,
    sirene_tables,
    wanted_sirens,
)
from maillon.admin.sirene import SireneFileError, read_sirene
from maillon.data.config import database_path
from maillon.database.validate import text_frame


class NoHolders(Exception):
    """A register file was given before any published contract: there is no holder to look up."""


def _staged(frames: dict[str, pl.DataFrame], origin: str) -> dict[str, pl.DataFrame]:
    """Typed frames as text frames to stage, each named after its table and the files it was
    made from (what a problem's 'file' says)."""
    return {table: text_frame(frame, f"{table} ({origin})") for table, frame in frames.items()}


def check_decp(
    files: list[tuple[str, bytes]],
    who: str,
    db: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[Candidate, DecpRead, DecpTables]:
    """Read DECP files, merge their contracts with the data in service and check the result.
    Raises DecpError (a file cannot be read: nothing written), ValidationError or ImportFailed."""
    db = db or database_path()
    read = read_decp(files, buyers=known_buyers(db))
    progress(f"DECP: {read.contracts.height} contracts kept, {read.dropped.height} left out")
    made: list[DecpTables] = []

    def tables(current: Path) -> dict[str, pl.DataFrame]:
        made.append(decp_tables(read, current))
        return _staged(made[0].frames, ", ".join(name for name, _ in files))

    candidate = importer.check_tables(tables, importer.described(files), who, db, progress)
    return candidate, read, made[0]


def known_buyers(db: Path) -> pl.DataFrame:
    """The prison buyers of data/taxonomy/prison_buyer.csv, and the SIRETs of the buyers of the
    contracts already imported: the 2022 format names a buyer by its SIRET only, so a buyer
    recognised by its name in an earlier file is recognised by its SIRET in a later one."""
    if not db.exists():
        return prison_buyers()
    contracts = current_rows(db, ("procurement_contract",))["procurement_contract"]
    learnt = contracts.filter(pl.col("buyer_siret").is_not_null()).unique("buyer_siret")
    rows = learnt.select(
        pl.lit("siret").alias("match"),
        pl.col("buyer_siret").alias("value"),
        pl.col("buyer_name").fill_null("").alias("label"),
        pl.lit("learnt from an earlier import, where the buyer was recognised by its name").alias(
            "note"
        ),
    )
    return pl.concat([prison_buyers(), rows.select(prison_buyers().columns)])


def check_sirene(
    path: Path,
    who: str,
    db: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
    file_date: date | None = None,
) -> tuple[Candidate, SireneTables]:
    """Classify the holders of the published contracts from a StockUniteLegale file and check
    the result. Raises SireneFileError, ValidationError or ImportFailed."""
    db = db or database_path()
    wanted = wanted_sirens(db)
    if not wanted:  # never scan a national file for nothing
        raise NoHolders(path.name)
    read = read_sirene(path, wanted)
    progress(f"SIRENE: {read.found} of {read.wanted} holders found")
    made: list[SireneTables] = []

    def tables(current: Path) -> dict[str, pl.DataFrame]:
        made.append(sirene_tables(read, path.name, file_date, current))
        return _staged(made[0].frames, path.name)

    described = (importer.UploadedFile(path.name, _sha256(path), path.stat().st_size),)
    candidate = importer.check_tables(tables, described, who, db, progress)
    return candidate, made[0]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- command line


def main(argv: list[str]) -> int:
    """`decp FILE...` or `sirene FILE`: read, check, publish, and say what was left out."""
    parser = argparse.ArgumentParser(prog="python -m maillon.admin.importer")
    parser.add_argument("kind", choices=["decp", "sirene"])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--db", type=Path, default=None, help="database path (default: MAILLON_DB)")
    parser.add_argument("--who", default=os.environ.get("USER", "command line"))
    args = parser.parse_args(argv)
    db = Path(os.path.abspath(args.db)) if args.db else database_path()
    if args.kind == "sirene" and len(args.files) != 1:
        parser.error("sirene takes one StockUniteLegale file")

    def run_check() -> Candidate:
        if args.kind == "decp":
            files = [(p.name, p.read_bytes()) for p in args.files]
            candidate, read, tables = check_decp(files, args.who, db, print)
            for reason, count in read.dropped_by_reason().items():
                print(f"  left out, {REASONS[reason]} {count}")
            print(f"  located: {tables.located}, not located: {tables.not_located.height}")
            print(f"  kept with garbled text, as published: {read.garbled()}")
            return candidate
        candidate, tables = check_sirene(args.files[0], args.who, db, print)
        print(f"  classified: {tables.classified}, not found: {len(tables.not_found)}")
        return candidate

    try:
        return importer.publish_checked(run_check, args.who, db)
    except (DecpError, SireneFileError) as error:
        print(f"Import refused; {db} was left as it was.\n{error}", file=sys.stderr)
        return 1
    except NoHolders:
        print(
            "No contract holder to look up: import the published contracts first.", file=sys.stderr
        )
        return 1
