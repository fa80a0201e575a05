"""Validation of input files before anything is written: one code path for `make data` and imports.

Every rule comes from the schema (types, NOT NULL, CHECK, primary and foreign keys) or from a
named business rule in sql/checks/. Files are staged as text in a `stage` schema of the database
being built, with `_row` = the spreadsheet row (the header is row 1), then typed; each broken rule
becomes a Problem that says where (file, row, column), the value, what is wrong and how to fix it,
as message keys worded by the locale catalogs (maillon.database.problems).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from maillon.data.paths import SQL_DIR
from maillon.database.problems import CURRENT_DATA, Message, Problem, ValidationError

CHECKS_DIR = SQL_DIR / "checks"
ROW_COLUMN = "_row"
FILE_COLUMN = "_file"
MAX_PROBLEMS_PER_RULE = 20  # rows listed per rule and column; the others are counted

# canteen_sale has no foreign keys in the schema (load speed); its references are checked here.
SOFT_REFERENCES = {
    "canteen_sale": [
        ("establishment_id", "establishment", "establishment_id"),
        ("item_id", "canteen_item", "item_id"),
        ("source_id", "source", "source_id"),
    ]
}


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
            [Problem(path.name, None, "-", "-", Message("unreadable_csv", error=first_line))]
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
            Message("missing_column"),
            Message("missing_column_fix", column=c, expected=expected),
        )
        for c in spec.column_names
        if c not in present
    ] + [
        Problem(
            file,
            1,
            c,
            "",
            Message("unknown_column"),
            Message("unknown_column_fix", expected=expected),
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
                Message("empty_value"),
                Message("empty_value_fix"),
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
            Message("duplicate_key"),
            Message("duplicate_key_fix"),
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
            Message("duplicate_combination", columns=" + ".join(unique)),
            Message("duplicate_combination_fix"),
        )
    return problems


def check_references(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: set[str]
) -> list[Problem]:
    """Every foreign key value exists in the referenced table (skipped if that one failed), and
    then no row is more real than its source (check_provenance)."""
    problems: list[Problem] = []
    file, names = _file_said(spec.name)
    for column, ref_table, ref_column in spec.foreign_keys:
        if ref_table not in staged:
            continue
        problems += _rows(
            con,
            f'SELECT {file}, s.{ROW_COLUMN}, s."{column}" FROM stage.{spec.name} AS s '
            f'LEFT JOIN stage.{ref_table} AS r ON r."{ref_column}" = s."{column}" '
            f'WHERE s."{column}" IS NOT NULL AND r."{ref_column}" IS NULL',
            column,
            Message("unknown_reference", column=ref_column, table=ref_table),
            Message("unknown_reference_fix", table=ref_table),
            params=names,
        )
    return problems or check_provenance(con, spec, staged)


# Provenance from the most real to the least: a row is never more real than the source it cites.
PROVENANCE_RANK = "CASE {} WHEN 'real' THEN 0 WHEN 'modeled' THEN 1 ELSE 2 END"


def check_provenance(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: set[str]
) -> list[Problem]:
    """A row said 'real' cites no modeled or illustrative source, nor a 'modeled' row an
    illustrative one: the shares of real figures on every page are counted from these marks."""
    cites = ("source_id", "source", "source_id") in spec.foreign_keys
    if not cites or "provenance" not in spec.column_names or "source" not in staged:
        return []
    file, names = _file_said(spec.name)
    return _rows(
        con,
        f"SELECT {file}, s.{ROW_COLUMN}, s.provenance FROM stage.{spec.name} AS s "
        "JOIN stage.source AS r ON r.source_id = s.source_id "
        f"WHERE {PROVENANCE_RANK.format('s.provenance')} "
        f"< {PROVENANCE_RANK.format('r.provenance')}",
        "provenance",
        Message("provenance_above_source"),
        Message("provenance_above_source_fix"),
        params=names,
    )


def _file_said(table: str) -> tuple[str, dict[str, str]]:
    """The SQL naming a staged row's file, and its parameters: rows kept from the version in
    service are said as that table's (current data)."""
    file = f"CASE s.{FILE_COLUMN} WHEN $current THEN $kept ELSE s.{FILE_COLUMN} END"
    return file, {"current": CURRENT_DATA, "kept": current_data_of(table)}


def current_data_of(table: str) -> str:
    """The file of a problem in rows of `table` kept from the version in service."""
    return f"{table} {CURRENT_DATA}"


def check_business_rules(con: duckdb.DuckDBPyConnection, files: dict[str, str]) -> list[Problem]:
    """Run every rule in sql/checks/ against the staged tables.

    A rule's query returns (table, row, column, value, problem, params): `problem` is a message
    key of the rule's own section of the catalogs (`<file name>.<key>`), `params` a MAP of the
    values of its placeholders."""
    problems: list[Problem] = []
    for path in sorted(CHECKS_DIR.glob("*.sql")):
        fix = rule_fix(path)
        query = con.sql(path.read_text())
        rows = query.limit(MAX_PROBLEMS_PER_RULE + 1).fetchall()
        for table, row, column, value, key, params in rows[:MAX_PROBLEMS_PER_RULE]:
            message = Message(key, **params)
            file = files.get(table, table)
            file = current_data_of(table) if file == CURRENT_DATA else file
            problems.append(Problem(file, row, column, str(value), message, fix))
        if len(rows) > MAX_PROBLEMS_PER_RULE:
            total = query.aggregate("count(*)").fetchall()[0][0]
            problems.append(more_rows(problems[-1].file, problems[-1].column, total, fix))
    return problems


def rule_fix(path: Path) -> Message:
    """How to fix any problem of a business-rule file: `fix` in its section of the catalogs."""
    return Message(f"{path.stem}.fix")


def _rows(
    con, sql: str, column: str, message: Message, fix: Message, params: dict | None = None
) -> list[Problem]:
    """Problems from a query returning (file, row, value), the first few in file order, then a
    line counting the others."""
    listed = MAX_PROBLEMS_PER_RULE
    rows = con.sql(f"{sql} ORDER BY 1, 2 LIMIT {listed + 1}", params=params).fetchall()
    problems = [
        Problem(file, row, column, "" if value is None else str(value), message, fix)
        for file, row, value in rows[:listed]
    ]
    if len(rows) > listed:
        total = con.sql(f"SELECT count(*) FROM ({sql})", params=params).fetchall()[0][0]
        problems.append(more_rows(rows[listed - 1][0], column, total, fix))
    return problems


def more_rows(file: str, column: str, total: int, fix: Message | None, listed: int = 0) -> Problem:
    """The line after the first `listed` problems of one rule and column (MAX_PROBLEMS_PER_RULE
    by default), when `total` rows break it: how many more there are."""
    listed = listed or MAX_PROBLEMS_PER_RULE
    message = Message("more_rows", count=total - listed, listed=listed)  # problems.MORE_ROWS
    return Problem(file, None, column, "…", message, fix)


def _written_form(data_type: str) -> str:
    """How a value of the type must be written. A cast alone is too lenient: it rounds "2025.5"
    to the integer 2026 and "1.239" to the amount 1.24 without a word."""
    if data_type in {"INTEGER", "BIGINT", "SMALLINT"}:
        return r"[+-]?[0-9]+"
    scale = re.fullmatch(r"DECIMAL\(\d+,\s*(\d+)\)", data_type)
    if scale:
        return rf"[+-]?[0-9]*(\.[0-9]{{0,{scale.group(1)}}})?"
    return r"(?s).*"


def _type_message(data_type: str) -> tuple[Message, Message]:
    """(what is wrong, how to fix it) for a value that does not convert to the column's type."""
    scale = re.fullmatch(r"DECIMAL\(\d+,\s*(\d+)\)", data_type)
    if scale:
        return Message("not_decimal", decimals=scale.group(1)), Message("number_fix")
    if data_type in {"DOUBLE", "FLOAT"}:
        return Message("not_number"), Message("number_fix")
    if data_type in {"INTEGER", "BIGINT", "SMALLINT"}:
        return Message("not_whole_number"), Message("whole_number_fix")
    if data_type == "DATE":
        return Message("not_date"), Message("date_fix")
    if data_type == "BOOLEAN":
        return Message("not_boolean"), Message("boolean_fix")
    return Message("not_type", type=data_type), Message("type_fix")


# Rules of the schema worded for people: expression as DuckDB prints it -> (column, problem, fix).
RULE_WORDS = {
    "(costs_eur <= revenue_eur)": (
        "costs_eur",
        Message("costs_over_revenue"),
        Message("costs_over_revenue_fix"),
    ),
    "(detainee_wages_eur <= costs_eur)": (
        "detainee_wages_eur",
        Message("wages_over_costs"),
        Message("wages_over_costs_fix"),
    ),
    "(result_eur = (revenue_eur - costs_eur))": (
        "result_eur",
        Message("result_not_difference"),
        Message("result_not_difference_fix"),
    ),
    "((unit != 'share') OR (\"value\" <= 1))": (
        "value",
        Message("share_over_one"),
        Message("share_over_one_fix"),
    ),
    "(end_date >= start_date)": (
        "end_date",
        Message("ends_before_start"),
        Message("ends_before_start_fix", end="end_date", start="start_date"),
    ),
    "(valid_to >= valid_from)": (
        "valid_to",
        Message("ends_before_start"),
        Message("ends_before_start_fix", end="valid_to", start="valid_from"),
    ),
    "((association_id IS NULL) != (collective_id IS NULL))": (
        "association_id",
        Message("one_signatory_party"),
        Message("one_signatory_party_fix"),
    ),
    "((establishment_id IS NULL) OR (kind = 'establishment'))": (
        "establishment_id",
        Message("establishment_of_other_kind"),
        Message("establishment_of_other_kind_fix"),
    ),
}


def _check_message(expression: str) -> tuple[Message, Message]:
    """(what is wrong, how to fix it) for a row that breaks a CHECK of the schema (the expression
    as DuckDB prints it is read here, never a message)."""
    allowed = re.fullmatch(r"\((\w+) IN \((.*)\)\)", expression, flags=re.S)
    if allowed:
        values = ", ".join(v.strip().strip("'") for v in allowed.group(2).split(","))
        return Message("not_allowed", values=values), Message("not_allowed_fix")
    if re.fullmatch(r"\((\w+) >= 0\)", expression):
        return Message("negative"), Message("negative_fix")
    rule = expression.strip("()")
    return Message("breaks_rule", rule=rule), Message("breaks_rule_fix", rule=rule)


def _first_column(expression: str, columns: list[str]) -> str:
    positions = [(expression.find(c), c) for c in columns if re.search(rf"\b{c}\b", expression)]
    return min(positions)[1] if positions else "-"
