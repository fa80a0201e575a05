"""The import file formats, generated from sql/schema.sql: docs/import-formats.md and templates.

python -m maillon.admin.import_formats           write docs/import-formats.md
python -m maillon.admin.import_formats --check   exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from functools import cache

import duckdb

from maillon.data.paths import DEMO_DIR, SQL_DIR, TAXONOMY_DIR
from maillon.database.validate import CHECKS_DIR, RULE_WORDS, TableSpec, rule_fix, table_specs

DOC_FILE = SQL_DIR.parent / "docs" / "import-formats.md"

GENERAL_RULES = """\
- **One file per table, named after it**: `contract.csv` (or `contract.xlsx`). An XLSX workbook
  may hold several tables, one sheet per table named after it (a sheet named `README` is ignored).
- **A file replaces the whole table.** Tables without a file keep their current rows. To add or
  change one record of the associations network (an association, an intervention, a
  partnership and its convention, a collective, a joint action…), use *Edit one record* on the
  admin page: a form with one box per column, checked by these same rules with the same
  messages, previewed, published like an import and undone the same way.
- **All or nothing.** Every file and every rule is checked before anything is written; if one
  problem is found, nothing changes, and each problem is listed with its file, row, column, value,
  what is wrong and how to fix it. Applying a checked import switches every reader to the new data
  at once; the previous version is kept and restored in two clicks (restore, confirm).
- **CSV**: UTF-8 (a BOM is accepted), columns separated by commas or semicolons, a header row
  with exactly the table's columns (any order). Excel: *Save as → CSV UTF-8*.
- **Values**: decimals with a dot and no thousands separator (`1234.50`, at most 2 decimals for
  money), whole numbers without decimals, dates as `YYYY-MM-DD`, `true`/`false`, an empty cell
  for no value. Money is in euros. Shares are fractions (`0.25` for 25 %).
- **References** point to rows of earlier tables (an operator must exist before its contracts),
  either already in the database or in the same import.
- **Provenance**: a row is never more real than the source it cites (`source_id`): a `real` row
  cites a `real` source, a `modeled` row a `real` or `modeled` one. Add your source to `source`
  in the same import rather than citing the demo's (`maillon_demo`, illustrative).
- **Backups**: the backup zip of the admin page (one Parquet file per table) imports the same way.
"""


# The schema's cross-column rules, worded as rules (validate.RULE_WORDS words their breach).
DOC_WORDS = {
    "(costs_eur <= revenue_eur)": "at most revenue_eur",
    "(detainee_wages_eur <= costs_eur)": "at most costs_eur (wages are part of the costs)",
    "(result_eur = (revenue_eur - costs_eur))": "equals revenue_eur - costs_eur",
    "((unit != 'share') OR (\"value\" <= 1))": "at most 1 when unit is share (0.25 for 25 %)",
    "(end_date >= start_date)": "on or after start_date",
    "(valid_to >= valid_from)": "on or after valid_from",
    "((association_id IS NULL) != (collective_id IS NULL))": (
        "exactly one of association_id and collective_id is filled in"
    ),
    "((establishment_id IS NULL) OR (kind = 'establishment'))": (
        "filled in only when kind is establishment"
    ),
}


@dataclass(frozen=True)
class ColumnFormat:
    name: str
    type: str
    required: bool
    rule: str
    reference: str
    meaning: str


@dataclass(frozen=True)
class TableFormat:
    table: str
    description: str
    columns: tuple[ColumnFormat, ...]
    key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...]
    rules: tuple[str, ...]


@cache
def formats() -> tuple[TableFormat, ...]:
    """Every importable table, in import (foreign-key) order."""
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text())
    specs = table_specs(con)
    comments = dict(
        con.sql(
            "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
        ).fetchall()
    )
    column_comments = {
        (t, c): comment
        for t, c, comment in con.sql(
            "SELECT table_name, column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = 'main'"
        ).fetchall()
    }
    order = re.findall(r"^CREATE TABLE (\w+)", (SQL_DIR / "schema.sql").read_text(), re.M)
    rules = _business_rules()
    return tuple(
        TableFormat(
            table=table,
            description=comments[table] or "",
            columns=tuple(_column(specs[table], c, column_comments) for c in specs[table].columns),
            key=specs[table].primary_key,
            unique=specs[table].unique_keys,
            rules=tuple(rules.get(table, ())),
        )
        for table in order
    )


def table_format(table: str) -> TableFormat:
    for found in formats():
        if found.table == table:
            return found
    raise ValueError(f"{table!r} is not a table of Maillon")


def _column(spec: TableSpec, column, comments) -> ColumnFormat:
    rules = []
    for expression in spec.checks:
        # a column named in the rule, not a quoted value ('disp' in kind's allowed values)
        if not re.search(rf"\b{column.name}\b", re.sub(r"'[^']*'", "''", expression)):
            continue
        allowed = re.fullmatch(rf"\({column.name} IN \((.*)\)\)", expression, re.S)
        if allowed:
            rules.append(
                "one of: " + ", ".join(v.strip().strip("'") for v in allowed[1].split(","))
            )
        elif re.fullmatch(rf"\({column.name} >= 0\)", expression):
            rules.append("zero or more")
        elif re.fullmatch(rf"\({column.name} > 0\)", expression):
            rules.append("more than zero")
        elif expression in RULE_WORDS and RULE_WORDS[expression][0] == column.name:
            rules.append(DOC_WORDS[expression])
        elif expression not in RULE_WORDS:
            rules.append(expression.strip("()"))
    reference = next((f"{t}.{c}" for col, t, c in spec.foreign_keys if col == column.name), "")
    return ColumnFormat(
        name=column.name,
        type=_type_words(column.data_type),
        required=not column.nullable,
        rule="; ".join(rules),
        reference=reference,
        meaning=comments.get((spec.name, column.name)) or "",
    )


def _type_words(data_type: str) -> str:
    scale = re.fullmatch(r"DECIMAL\(\d+,\s*(\d+)\)", data_type)
    if scale:
        return f"number, {scale[1]} decimals at most"
    return {
        "VARCHAR": "text",
        "INTEGER": "whole number",
        "BIGINT": "whole number",
        "SMALLINT": "whole number",
        "DOUBLE": "number",
        "DATE": "date YYYY-MM-DD",
        "BOOLEAN": "true or false",
    }.get(data_type, data_type.lower())


def _business_rules() -> dict[str, list[str]]:
    """{table: [rule text (how to fix)]} from the headers of sql/checks/*.sql and the English
    wording of their fix."""
    found: dict[str, list[str]] = {}
    for path in sorted(CHECKS_DIR.glob("*.sql")):
        text = path.read_text()
        header = re.match(r"(?:--.*\n)+", text)[0]
        rule = re.search(r"-- Rules?: (.*?)(?=\n[^-]|$)", header, re.S)[1]
        rule = " ".join(part.strip() for part in rule.split("\n-- "))
        line = f"{rule} *Fix: {rule_fix(path).text('en')}*"
        for table in dict.fromkeys(re.findall(r"'(\w+)'(?: AS table_name)?,", text)):
            if table in _tables():
                found.setdefault(table, []).append(f"{line} (`{path.name}`)")
    return found


@cache
def _tables() -> frozenset[str]:
    text = (SQL_DIR / "schema.sql").read_text()
    return frozenset(re.findall(r"^CREATE TABLE (\w+)", text, re.M))


def _example(table: str) -> str | None:
    for folder in (DEMO_DIR, TAXONOMY_DIR):
        path = folder / f"{table}.csv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                return handle.readline() + handle.readline()
    return None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    lines = [
        "# Import file formats",
        "",
        "<!-- Generated from sql/schema.sql and sql/checks/ by "
        "`python -m maillon.admin.import_formats`; do not edit by hand. -->",
        "",
        "Administrators import their own data on the admin page (`/admin`, after logging in) or",
        "with `python -m maillon.admin.importer FILE...`. Templates (CSV per table, one XLSX",
        "workbook for all) are downloadable there. The files in `data/demo/` are valid examples.",
        "",
        "## General rules",
        "",
        GENERAL_RULES,
        "## Tables, in import order",
        "",
        *[f"{i}. [{f.table}](#{f.table})" for i, f in enumerate(formats(), start=1)],
        "",
    ]
    for found in formats():
        lines += [f"## {found.table}", "", found.description, ""]
        lines += [
            "| column | type | required | allowed values / rule | references | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for c in found.columns:
            lines.append(
                f"| `{c.name}` | {c.type} | {'yes' if c.required else 'no'} | {_cell(c.rule)} | "
                f"{f'`{c.reference}`' if c.reference else ''} | {_cell(c.meaning)} |"
            )
        lines.append("")
        if found.key:
            lines.append(f"Key: {' + '.join(found.key)} (one row per key).")
        for unique in found.unique:
            lines.append(f"Unique: {' + '.join(unique)} (one row per combination).")
        if found.rules:
            lines += ["", "Rules across rows and tables:", ""]
            lines += [f"- {_cell(rule)}" for rule in found.rules]
        example = _example(found.table)
        if example:
            lines += ["", "Example:", "", "```csv", example.rstrip("\n"), "```"]
        lines.append("")
    return "\n".join(lines)


def template_csv(table: str) -> bytes:
    """The header row of the table's CSV file."""
    return (",".join(c.name for c in table_format(table).columns) + "\n").encode()


def template_xlsx(tables: list[str] | None = None) -> bytes:
    """A workbook with one sheet per table (header row, each header noting type and meaning)."""
    import xlsxwriter

    chosen = [table_format(t) for t in tables] if tables else list(formats())
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"strings_to_formulas": False}) as workbook:
        bold = workbook.add_format({"bold": True, "bg_color": "#E8E8E8"})
        text = workbook.add_format({"num_format": "@"})
        for found in chosen:
            sheet = workbook.add_worksheet(found.table)
            for i, c in enumerate(found.columns):
                sheet.write_string(0, i, c.name, bold)
                note = f"{c.type}{', required' if c.required else ''}. {c.meaning}"
                sheet.write_comment(0, i, note, {"x_scale": 2, "y_scale": 1.5})
                sheet.set_column(i, i, max(12, len(c.name) + 2), text)
            sheet.freeze_panes(1, 0)
        about = workbook.add_worksheet("README")
        about.set_column(0, 0, 110)
        for i, line in enumerate(GENERAL_RULES.replace("**", "").split("\n- ")):
            about.write_string(i, 0, line.strip("- \n").replace("\n  ", " "))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the doc is out of date")
    args = parser.parse_args(argv)
    text = markdown()
    if args.check:
        if not DOC_FILE.exists() or DOC_FILE.read_text() != text:
            print(
                f"{DOC_FILE} is out of date: run python -m maillon.admin.import_formats",
                file=sys.stderr,
            )
            return 1
        return 0
    DOC_FILE.write_text(text)
    print(f"wrote {DOC_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
