"""Validation of input files before anything is written: one code path for `make data` and imports.

Every rule comes from the schema (types, NOT NULL, CHECK, primary and foreign keys) or from a
named business rule in sql/checks/. Files are staged as text in a `stage` schema of the database
being built, with `_row` = the spreadsheet row (the header is row 1), then typed; each broken rule
becomes a Problem that says where (file, row, column), the value, and what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from maillon.data.paths import SQL_DIR

CHECKS_DIR = SQL_DIR / "checks"
ROW_COLUMN = "_row"
FILE_COLUMN = "_file"
MAX_PROBLEMS_PER_RULE = 20

# canteen_sale has no foreign keys in the schema (load speed); its references are checked here.
SOFT_REFERENCES = {
    "canteen_sale": [
        ("establishment_id", "establishment", "establishment_id"),
        ("item_id", "canteen_item", "item_id"),
        ("source_id", "source", "source_id"),
    ]
}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    value: str
    problem: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}, column {self.column} = {self.value!r}: {self.problem}{fix}"


class ValidationError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the input files:\n{lines}{more}")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    nullable: bool


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...]
    foreign_keys: tuple[tuple[str, str, str], ...]
    checks: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def table_specs(con: duckdb.DuckDBPyConnection) -> dict[str, TableSpec]:
    """Read the entity tables' columns and constraints from a database holding the schema."""
    columns = con.sql(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND database_name = current_database() "
        "ORDER BY table_name, column_index"
    ).fetchall()
    constraints = con.sql(
        "SELECT table_name, constraint_type, expression, constraint_column_names, "
        "referenced_table, referenced_column_names FROM duckdb_constraints() "
        "WHERE schema_name = 'main' AND database_name = current_database()"
    ).fetchall()
    specs: dict[str, dict] = {}
    for table, name, data_type, nullable in columns:
        spec = specs.setdefault(
            table, {"columns": [], "pk": (), "unique": [], "fks": [], "checks": []}
        )
        spec["columns"].append(Column(name, data_type, nullable))
    for table, kind, expression, cols, ref_table, ref_cols in constraints:
        spec = specs[table]
        if kind == "PRIMARY KEY":
            spec["pk"] = tuple(cols)
        elif kind == "UNIQUE":
            spec["unique"].append(tuple(cols))
        elif kind == "FOREIGN KEY":
            spec["fks"].append((cols[0], ref_table, ref_cols[0]))
        elif kind == "CHECK":
            spec["checks"].append(expression)
    for table, refs in SOFT_REFERENCES.items():
        if table in specs:
            specs[table]["fks"].extend(refs)
    return {
        t: TableSpec(
            t,
            tuple(s["columns"]),
            s["pk"],
            tuple(s["unique"]),
            tuple(s["fks"]),
            tuple(s["checks"]),
        )
        for t, s in specs.items()
    }


def read_text_csv(path: Path) -> pl.DataFrame:
    """A CSV file as text columns plus _row; raises ValidationError if it cannot be read."""
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, UnicodeDecodeError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError(
            [Problem(path.name, None, "-", "-", f"cannot be read as UTF-8 CSV: {first_line}")]
        ) from exc
    return _numbered(frame, path.name)


def text_frame(frame: pl.DataFrame, file: str) -> pl.DataFrame:
    """A typed frame (e.g. from maillon.database.reference) as text columns plus _row, for
    staging."""
    as_text = frame.with_columns(
        [
            pl.col(c).cast(pl.String).str.to_lowercase()
            if frame.schema[c] == pl.Boolean
            else pl.col(c).cast(pl.String)
            for c in frame.columns
        ]
    )
    return _numbered(as_text, file)


def _numbered(frame: pl.DataFrame, file: str) -> pl.DataFrame:
    return frame.with_row_index(ROW_COLUMN, offset=2).with_columns(
        pl.col(ROW_COLUMN).cast(pl.Int64), pl.lit(file).alias(FILE_COLUMN)
    )


def check_columns(spec: TableSpec, frame: pl.DataFrame, file: str) -> list[Problem]:
    """The file has exactly the table's columns (any order)."""
    expected = ", ".join(spec.column_names)
    present = [c for c in frame.columns if c not in (ROW_COLUMN, FILE_COLUMN)]
    return [
        Problem(
            file,
            1,
            c,
            "",
            "required column is missing",
            f"add a column named {c} to the header row; expected columns: {expected}",
        )
        for c in spec.column_names
        if c not in present
    ] + [
        Problem(
            file,
            1,
            c,
            "",
            "unknown column",
            f"remove this column or correct its name; expected columns: {expected}",
        )
        for c in present
        if c not in spec.column_names
    ]


def stage(con: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pl.DataFrame) -> list[Problem]:
    """Stage one table's text rows (from check_columns-clean frames) into stage.<table>, typed.

    Returns the row-level problems: empty required values, wrong types, CHECK rules, duplicates.
    """
    problems: list[Problem] = []
    raw = f"stage.raw_{spec.name}"
    con.register("_incoming", frame.select(FILE_COLUMN, ROW_COLUMN, *spec.column_names))
    con.execute(f"CREATE OR REPLACE TABLE {raw} AS SELECT * FROM _incoming")
    con.unregister("_incoming")

    for column in spec.columns:
        q = f'"{column.name}"'
        if not column.nullable:
            problems += _rows(
                con,
                f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, '' FROM {raw} "
                f"WHERE {q} IS NULL OR trim({q}) = ''",
                column.name,
                "is required but empty",
                "fill in a value",
            )
        problems += _rows(
            con,
            f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, {q} FROM {raw} WHERE trim({q}) <> '' "
            f"AND (TRY_CAST(trim({q}) AS {column.data_type}) IS NULL "
            f"OR NOT regexp_full_match(trim({q}), $pattern))",
            column.name,
            *_type_message(column.data_type),
            params={"pattern": _written_form(column.data_type)},
        )
    if problems:
        return problems

    typed = ", ".join(
        f'CAST(nullif(trim("{c.name}"), \'\') AS {c.data_type}) AS "{c.name}"' for c in spec.columns
    )
    con.execute(
        f"CREATE OR REPLACE TABLE stage.{spec.name} AS "
        f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, {typed} FROM {raw}"
    )
    con.execute(f"DROP TABLE {raw}")

    for expression in spec.checks:
        if expression in RULE_WORDS:
            column, message, fix = RULE_WORDS[expression]
        else:
            column = _first_column(expression, spec.column_names)
            message, fix = _check_message(expression)
        problems += _rows(
            con,
            f'SELECT {FILE_COLUMN}, {ROW_COLUMN}, "{column}"::VARCHAR '
            f"FROM stage.{spec.name} WHERE NOT {expression}",
            column,
            message,
            fix,
        )
    if spec.primary_key:
        keys = ", ".join(f'"{k}"' for k in spec.primary_key)
        problems += _rows(
            con,
            f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, concat_ws(' / ', {keys}) FROM ("
            f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, {keys}, "
            f"row_number() OVER (PARTITION BY {keys} ORDER BY {FILE_COLUMN}, {ROW_COLUMN}) AS k "
            f"FROM stage.{spec.name}) WHERE k > 1",
            " + ".join(spec.primary_key),
            "duplicate: the same key appears on an earlier row",
            "keep one row per key, or correct the key",
        )
    for unique in spec.unique_keys:
        keys = ", ".join(f'"{k}"' for k in unique)
        problems += _rows(
            con,
            f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, concat_ws(' / ', {keys}) FROM ("
            f"SELECT {FILE_COLUMN}, {ROW_COLUMN}, {keys}, "
            f"row_number() OVER (PARTITION BY {keys} ORDER BY {FILE_COLUMN}, {ROW_COLUMN}) AS k "
            f"FROM stage.{spec.name}) WHERE k > 1",
            " + ".join(unique),
            f"duplicate: the same {' + '.join(unique)} appears on an earlier row",
            "keep one row for each combination of these columns",
        )
    return problems


def check_references(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: set[str]
) -> list[Problem]:
    """Every foreign key value exists in the referenced table (skipped if that one failed)."""
    problems: list[Problem] = []
    for column, ref_table, ref_column in spec.foreign_keys:
        if ref_table not in staged:
            continue
        problems += _rows(
            con,
            f'SELECT s.{FILE_COLUMN}, s.{ROW_COLUMN}, s."{column}" FROM stage.{spec.name} AS s '
            f'LEFT JOIN stage.{ref_table} AS r ON r."{ref_column}" = s."{column}" '
            f'WHERE s."{column}" IS NOT NULL AND r."{ref_column}" IS NULL',
            column,
            f"unknown {ref_column}: no such row in {ref_table}",
            f"correct the identifier, or add the row to {ref_table} in the same import",
        )
    return problems


def check_business_rules(con: duckdb.DuckDBPyConnection, files: dict[str, str]) -> list[Problem]:
    """Run every rule in sql/checks/ against the staged tables."""
    problems: list[Problem] = []
    for path in sorted(CHECKS_DIR.glob("*.sql")):
        fix = rule_fix(path)
        rows = con.sql(path.read_text()).limit(MAX_PROBLEMS_PER_RULE).fetchall()
        for table, row, column, value, message in rows:
            problems.append(Problem(files.get(table, table), row, column, str(value), message, fix))
    return problems


def rule_fix(path: Path) -> str:
    """The `-- Fix:` lines at the top of a business-rule file, joined."""
    lines = re.findall(r"^-- Fix: ?(.*(?:\n--(?! Rule:)(?! Fix:) .*)*)", path.read_text(), re.M)
    return " ".join(" ".join(p.strip() for p in re.split(r"\n-- ", text)) for text in lines)


def _rows(
    con, sql: str, column: str, message: str, fix: str, params: dict | None = None
) -> list[Problem]:
    """Problems from a query returning (file, row, value), the first few in file order."""
    rows = con.sql(f"{sql} ORDER BY 1, 2 LIMIT {MAX_PROBLEMS_PER_RULE}", params=params).fetchall()
    return [
        Problem(file, row, column, "" if value is None else str(value), message, fix)
        for file, row, value in rows
    ]


def _written_form(data_type: str) -> str:
    """How a value of the type must be written. A cast alone is too lenient: it rounds "2025.5"
    to the integer 2026 and "1.239" to the amount 1.24 without a word."""
    if data_type in {"INTEGER", "BIGINT", "SMALLINT"}:
        return r"[+-]?[0-9]+"
    scale = re.fullmatch(r"DECIMAL\(\d+,\s*(\d+)\)", data_type)
    if scale:
        return rf"[+-]?[0-9]*(\.[0-9]{{0,{scale.group(1)}}})?"
    return r"(?s).*"


def _type_message(data_type: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) for a value that does not convert to the column's type."""
    scale = re.fullmatch(r"DECIMAL\(\d+,\s*(\d+)\)", data_type)
    if scale:
        return (
            f"is not a number with at most {scale.group(1)} decimals, or is too large",
            "write digits with a dot for decimals, without spaces, thousands separators or "
            "currency sign, e.g. 1234.50",
        )
    if data_type in {"DOUBLE", "FLOAT"}:
        return (
            "is not a number, or is too large",
            "write digits with a dot for decimals, without spaces, thousands separators or "
            "currency sign, e.g. 1234.50",
        )
    if data_type in {"INTEGER", "BIGINT", "SMALLINT"}:
        return (
            "is not a whole number, or is too large",
            "write digits only, without decimals, spaces or separators, e.g. 2025",
        )
    if data_type == "DATE":
        return "is not a date in the form YYYY-MM-DD", "write it as YYYY-MM-DD, e.g. 2025-01-31"
    if data_type == "BOOLEAN":
        return "is not true or false", "write true or false"
    return f"is not a valid {data_type}", "correct the value"


# Rules of the schema worded for people: expression as DuckDB prints it -> (column, problem, fix).
RULE_WORDS = {
    "(costs_eur <= revenue_eur)": (
        "costs_eur",
        "costs are greater than revenue",
        "check both amounts: costs_eur cannot exceed revenue_eur",
    ),
    "(detainee_wages_eur <= costs_eur)": (
        "detainee_wages_eur",
        "detainees' wages are greater than the costs that include them",
        "check both amounts: detainee_wages_eur is part of costs_eur",
    ),
    "(result_eur = (revenue_eur - costs_eur))": (
        "result_eur",
        "result is not revenue minus costs",
        "set result_eur to revenue_eur - costs_eur",
    ),
    "((unit != 'share') OR (\"value\" <= 1))": (
        "value",
        "a share must be between 0 and 1",
        "write a share as a fraction: 0.25 for 25 %",
    ),
    "(end_date >= start_date)": (
        "end_date",
        "ends before it starts",
        "check the dates: end_date must be on or after start_date",
    ),
    "(valid_to >= valid_from)": (
        "valid_to",
        "ends before it starts",
        "check the dates: valid_to must be on or after valid_from",
    ),
}


def _check_message(expression: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) for a row that breaks a CHECK of the schema."""
    allowed = re.fullmatch(r"\((\w+) IN \((.*)\)\)", expression, flags=re.S)
    if allowed:
        values = ", ".join(v.strip().strip("'") for v in allowed.group(2).split(","))
        return f"must be one of: {values}", "use one of the listed values, spelt exactly"
    if re.fullmatch(r"\((\w+) >= 0\)", expression):
        return "must not be negative", "enter zero or a positive value"
    rule = expression.strip("()")
    return f"breaks the rule {rule}", f"correct the row so that {rule}"


def _first_column(expression: str, columns: list[str]) -> str:
    positions = [(expression.find(c), c) for c in columns if re.search(rf"\b{c}\b", expression)]
    return min(positions)[1] if positions else "-"
