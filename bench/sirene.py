"""The SIRENE reader at national size: maillon.admin.sirene.read_sirene on a 25,000,000-row
StockUniteLegale, for 3,000 wanted SIRENs (2,900 in the file, 100 not).

    .venv/bin/python -m bench.sirene [--rows 25000000] [--zip]

1. Generates bench/data/sirene-stock-<rows>.parquet once (reused while its row count is right):
   INSEE's 34 columns, every one text as in the CSV, with synthetic values made by DuckDB from
   range() (widths like the real file's, legal forms drawn from the 260 real codes, SIRENs in no
   order, so that no row group can be skipped). The values are for timing only.
2. With --zip, also the official download's shape: the same rows as a CSV inside a zip
   (bench/data/sirene-stock-<rows>.zip, made once with the `zip` program).
3. Reads each file in a child process, which reports the read's wall time and its own peak
   resident memory (VmHWM of /proc/self/status): the whole process, Python and libraries
   included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = ROOT / "bench" / "data"
LEGAL_FORMS = ROOT / "data" / "reference" / "insee-categories-juridiques-n3.csv"

ROWS = 25_000_000
FOUND = 2_900
ABSENT = 100
# SIREN of row i: i * MULTIPLIER modulo PRIME, the largest prime under 10⁹: distinct for every i
# below PRIME, and in no order. Rows ROWS, ROWS + 1… give SIRENs the file does not hold.
PRIME = 999_999_937
MULTIPLIER = 48_271
TIME_TARGET_S = 60.0
MEMORY_TARGET_BYTES = 2 * 2**30
GENERATION_MEMORY = "2GB"


def stock_path(rows: int, suffix: str) -> Path:
    return BENCH_DATA / f"sirene-stock-{rows}.{suffix}"


def wanted_sirens(rows: int) -> list[str]:
    """FOUND SIRENs spread over the file, then ABSENT ones it does not hold."""
    step = rows // FOUND
    indexes = [k * step for k in range(FOUND)] + list(range(rows, rows + ABSENT))
    return [f"{i * MULTIPLIER % PRIME:09d}" for i in indexes]


# ---------------------------------------------------------------------------- the files


def _text_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], seed: str) -> str:
    """One of `values`, drawn by a hash of the row and `seed`."""
    return f"{_text_list(values)}[CAST(1 + hash(i, '{seed}') % {len(values)} AS BIGINT)]"


def _stock_sql(rows: int) -> str:
    """A StockUniteLegale of `rows` synthetic rows: INSEE's columns, all text."""
    codes = [line.split(",")[0] for line in LEGAL_FORMS.read_text().splitlines()[1:]]
    first_names = ["MARIE", "JEAN", "NATHALIE", "PHILIPPE", "SOPHIE", "KARIM", "LEA", "THOMAS"]
    sections = ["10.71C", "43.21A", "47.11F", "56.10A", "62.01Z", "68.20B", "85.59A", "94.99Z"]
    staff = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41"]
    day = "CAST(DATE '1950-01-01' + CAST(hash(i, '{}') % 27000 AS INTEGER) AS VARCHAR)"
    return f"""
        WITH base AS (
            SELECT i,
                   hash(i, 'kind') % 100 < 55 AS person,
                   lpad(CAST(i * {MULTIPLIER} % {PRIME} AS VARCHAR), 9, '0') AS siren,
                   upper(substr(md5(CAST(i AS VARCHAR)), 1, 6 + CAST(hash(i, 'w') % 30 AS INT)))
                       AS word
            FROM range({rows}) AS r(i)
        )
        SELECT
            siren,
            CASE WHEN person AND hash(i, 'p') % 100 < 4 THEN 'P' ELSE 'O' END
                AS statutDiffusionUniteLegale,
            CASE WHEN hash(i, 'purge') % 100 < 5 THEN 'true' END AS unitePurgeeUniteLegale,
            {day.format("created")} AS dateCreationUniteLegale,
            CASE WHEN hash(i, 'sigle') % 10 = 0 THEN substr(word, 1, 5) END AS sigleUniteLegale,
            CASE WHEN person THEN {_pick(["M", "F"], "sex")} END AS sexeUniteLegale,
            CASE WHEN person THEN {_pick(first_names, "f1")} END AS prenom1UniteLegale,
            CASE WHEN person AND hash(i, 'f2') % 2 = 0 THEN {_pick(first_names, "f2")} END
                AS prenom2UniteLegale,
            CASE WHEN person AND hash(i, 'f3') % 10 = 0 THEN {_pick(first_names, "f3")} END
                AS prenom3UniteLegale,
            CAST(NULL AS VARCHAR) AS prenom4UniteLegale,
            CASE WHEN person THEN {_pick(first_names, "f1")} END AS prenomUsuelUniteLegale,
            CAST(NULL AS VARCHAR) AS pseudonymeUniteLegale,
            CASE WHEN hash(i, 'rna') % 20 = 0
                 THEN 'W' || lpad(CAST(hash(i, 'rna') % 1000000000 AS VARCHAR), 9, '0') END
                AS identifiantAssociationUniteLegale,
            {_pick(staff, "staff")} AS trancheEffectifsUniteLegale,
            CAST(2015 + hash(i, 'ye') % 9 AS VARCHAR) AS anneeEffectifsUniteLegale,
            {day.format("treated")} || 'T12:00:00.000' AS dateDernierTraitementUniteLegale,
            CAST(1 + hash(i, 'periods') % 9 AS VARCHAR) AS nombrePeriodesUniteLegale,
            {_pick(["PME", "PME", "PME", "ETI", "GE"], "cat")} AS categorieEntreprise,
            CAST(2015 + hash(i, 'yc') % 9 AS VARCHAR) AS anneeCategorieEntreprise,
            {day.format("start")} AS dateDebut,
            CASE WHEN hash(i, 'state') % 10 < 4 THEN 'C' ELSE 'A' END
                AS etatAdministratifUniteLegale,
            CASE WHEN person THEN word END AS nomUniteLegale,
            CASE WHEN person AND hash(i, 'usage') % 10 = 0 THEN word END AS nomUsageUniteLegale,
            CASE WHEN NOT person THEN 'SOCIETE ' || word END AS denominationUniteLegale,
            CASE WHEN hash(i, 'u1') % 20 = 0 THEN substr(word, 1, 12) END
                AS denominationUsuelle1UniteLegale,
            CAST(NULL AS VARCHAR) AS denominationUsuelle2UniteLegale,
            CAST(NULL AS VARCHAR) AS denominationUsuelle3UniteLegale,
            CASE WHEN person THEN '1000' ELSE {_pick(codes, "cj")} END
                AS categorieJuridiqueUniteLegale,
            {_pick(sections, "ape")} AS activitePrincipaleUniteLegale,
            'NAFRev2' AS nomenclatureActivitePrincipaleUniteLegale,
            lpad(CAST(hash(i, 'nic') % 100000 AS VARCHAR), 5, '0') AS nicSiegeUniteLegale,
            {_pick(["N", "N", "N", "O", ""], "ess")} AS economieSocialeSolidaireUniteLegale,
            CASE WHEN hash(i, 'mission') % 100 = 0 THEN 'O' ELSE 'N' END
                AS societeMissionUniteLegale,
            {_pick(["N", "O"], "employer")} AS caractereEmployeurUniteLegale
        FROM base
    """


def _parquet_rows(path: Path) -> int | None:
    try:
        with duckdb.connect() as con:
            sql = "SELECT sum(num_rows) FROM parquet_file_metadata($path)"
            return con.execute(sql, {"path": str(path)}).fetchall()[0][0]
    except duckdb.Error:
        return None


def generate(rows: int) -> tuple[Path, float | None]:
    """The synthetic Parquet file and its generation time (None when reused)."""
    path = stock_path(rows, "parquet")
    if path.exists() and _parquet_rows(path) == rows:
        return path, None
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".parquet.partial")
    started = time.perf_counter()
    config = {"memory_limit": GENERATION_MEMORY, "threads": 2, "preserve_insertion_order": False}
    with duckdb.connect(config=config) as con:
        con.execute(f"COPY ({_stock_sql(rows)}) TO '{partial}' (FORMAT parquet)")
    partial.rename(path)
    return path, time.perf_counter() - started


def generate_zip(parquet: Path, rows: int) -> tuple[Path, float | None]:
    """The same rows as the official download: one CSV in a zip (None when reused)."""
    path = stock_path(rows, "zip")
    if path.exists():
        return path, None
    started = time.perf_counter()
    csv = BENCH_DATA / "StockUniteLegale_utf8.csv"
    partial = path.with_suffix(".zip.partial")
    try:
        with duckdb.connect(config={"memory_limit": GENERATION_MEMORY, "threads": 2}) as con:
            con.execute(f"COPY (FROM read_parquet('{parquet}')) TO '{csv}' (HEADER)")
        # -b: zip's own temporary file goes beside the data, not into the working directory.
        subprocess.run(
            ["zip", "-q", "-j", "-b", str(BENCH_DATA), str(partial), str(csv)], check=True
        )
    finally:
        csv.unlink(missing_ok=True)
    partial.rename(path)
    return path, time.perf_counter() - started


# ---------------------------------------------------------------------------- the read


def _peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _read_in_this_process(path: Path, rows: int) -> dict:
    from maillon.admin.sirene import read_sirene

    wanted = wanted_sirens(rows)
    started = time.perf_counter()
    read = read_sirene(path, wanted)
    seconds = time.perf_counter() - started
    return {
        "read_s": seconds,
        "peak_rss_bytes": _peak_rss_bytes(),
        "wanted": read.wanted,
        "found": read.found,
        "not_found": len(read.not_found),
    }


def measure_read(path: Path, rows: int) -> dict:
    """read_sirene on `path` in a child process: its time, peak memory and counts."""
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "bench.sirene", "--read", str(path), "--rows", str(rows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(child.stdout)
    result["child_s"] = time.perf_counter() - started
    return result


def run(rows: int = ROWS, with_zip: bool = False) -> dict:
    """Generation (or reuse) of the synthetic file(s), then a timed read of each."""
    parquet, generation_s = generate(rows)
    result = {
        "rows": rows,
        "cpus": os.cpu_count(),
        "parquet": {
            "bytes": parquet.stat().st_size,
            "generation_s": generation_s,
            **measure_read(parquet, rows),
        },
    }
    if with_zip:
        archive, zip_generation_s = generate_zip(parquet, rows)
        result["zip"] = {
            "bytes": archive.stat().st_size,
            "generation_s": zip_generation_s,
            **measure_read(archive, rows),
        }
    return result


def markdown(result: dict) -> list[str]:
    lines = [
        "## SIRENE reader at national size",
        "",
        f"`bench/sirene.py`: `read_sirene` on a synthetic StockUniteLegale of {result['rows']:,} "
        f"rows and 34 text columns, for {FOUND + ABSENT:,} wanted SIRENs ({ABSENT} absent), in a "
        f"child process on {result['cpus']} CPUs. Peak memory is the child's whole resident set "
        f"(Python, DuckDB and Polars included). Targets: under {TIME_TARGET_S:.0f} s and "
        f"{MEMORY_TARGET_BYTES / 2**30:.0f} GiB.",
        "",
        "| file | size | generated in | read in | peak memory | found / wanted |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("parquet", "zip"):
        if name not in result:
            continue
        r = result[name]
        made = "reused" if r["generation_s"] is None else f"{r['generation_s']:.0f} s"
        lines.append(
            f"| {name} | {r['bytes'] / 2**30:.2f} GiB | {made} | {r['read_s']:.1f} s | "
            f"{r['peak_rss_bytes'] / 2**20:,.0f} MiB | {r['found']:,} / {r['wanted']:,} |"
        )
    return lines


def misses(result: dict) -> list[str]:
    return [
        f"SIRENE read of the {name} file: {r['read_s']:.1f} s, "
        f"{r['peak_rss_bytes'] / 2**20:,.0f} MiB (targets {TIME_TARGET_S:.0f} s, "
        f"{MEMORY_TARGET_BYTES / 2**20:,.0f} MiB)"
        for name in ("parquet", "zip")
        if (r := result.get(name))
        and (r["read_s"] > TIME_TARGET_S or r["peak_rss_bytes"] > MEMORY_TARGET_BYTES)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--zip", action="store_true", help="also the zipped CSV (slow to make)")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # the child's side
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps(_read_in_this_process(args.read, args.rows)))
        return 0
    result = run(args.rows, args.zip)
    print("\n".join(markdown(result)))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
