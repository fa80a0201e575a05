"""The data dictionary, generated from the schema's comments and rules (no Streamlit).

Meanings come from the COMMENTs of sql/schema.sql and sql/derived.sql, read back from DuckDB's
catalog (sql/catalog_columns.sql); allowed values from the schema's constraints
(sql/catalog_constraints.sql). French readers get the same meanings from
sql/schema_comments_fr.toml, which a test keeps in step with the schema.
"""

from __future__ import annotations

import tomllib
from functools import cache

import polars as pl

from maillon.data import queries
from maillon.data.catalog import Catalog, Column, Table
from maillon.data.paths import SQL_DIR
from maillon.database.build import REFERENCE_TABLES, TAXONOMY_TABLES
from maillon.i18n import t

FRENCH_COMMENTS = SQL_DIR / "schema_comments_fr.toml"

GROUPS = ("derived", "markets", "associations", "reference", "taxonomy")
# The associations network's tables (by name prefix): its associations, groups, actions, the
# institutions they sign conventions with and their partnerships with operators.
ASSOCIATION_TABLES = (
    "association",
    "collective_member",
    "joint_action",
    "institution",
    "local_group",
    "operator_partnership",
)


@cache
def french_comments() -> dict[str, dict[str, str]]:
    """{table: {"_table": meaning, column: meaning}} in French."""
    with open(FRENCH_COMMENTS, "rb") as handle:
        return tomllib.load(handle)


def table_meaning(table: Table, lang: str) -> str:
    """The table's comment in the reader's language (English: the schema's own)."""
    if lang == "fr":
        return french_comments().get(table.name, {}).get("_table", table.comment)
    return table.comment


def column_meaning(table: Table, column: Column, lang: str) -> str:
    if lang == "fr":
        return french_comments().get(table.name, {}).get(column.name, column.comment)
    return column.comment


def group(table: Table) -> str:
    """Where a table's rows come from: derived, markets or associations (illustrative in the demo
    set), reference (real) or taxonomy (hand-written)."""
    if table.derived:
        return "derived"
    if table.name in TAXONOMY_TABLES:
        return "taxonomy"
    if table.name in REFERENCE_TABLES:
        return "reference"
    if table.name.startswith(ASSOCIATION_TABLES):
        return "associations"
    return "markets"


def rules(lang: str) -> dict[tuple[str, str], str]:
    """(table, column) -> its rules in words: required, key, reference, CHECK expression."""
    frame = queries.run("catalog_constraints")
    words: dict[tuple[str, str], list[str]] = {}
    for row in frame.iter_rows(named=True):
        kind = row["constraint_type"]
        if kind == "NOT NULL":
            text = t(lang, "dictionary.required")
        elif kind in ("PRIMARY KEY", "UNIQUE"):
            text = t(lang, "dictionary.key")
        elif kind == "FOREIGN KEY":
            text = t(lang, "dictionary.references", table=row["referenced_table"])
        elif kind == "CHECK":
            text = row["expression"]
        else:
            continue
        words.setdefault((row["table_name"], row["column_name"]), []).append(text)
    return {key: " · ".join(values) for key, values in words.items()}


def columns(catalog: Catalog, lang: str) -> pl.DataFrame:
    """One row per column of every table, with its meaning and rules, in the catalog's order."""
    found = rules(lang)
    rows = [
        {
            "table": table.name,
            "column": column.name,
            "type": column.data_type,
            "meaning": column_meaning(table, column, lang),
            "rules": found.get((table.name, column.name), ""),
        }
        for table in catalog.tables
        for column in table.columns
    ]
    return pl.DataFrame(
        rows,
        schema={
            "table": pl.String,
            "column": pl.String,
            "type": pl.String,
            "meaning": pl.String,
            "rules": pl.String,
        },
    )


def search(frame: pl.DataFrame, text: str) -> pl.DataFrame:
    """Rows where any field contains the text (case-insensitive)."""
    needle = text.strip().lower()
    if not needle:
        return frame
    hit = pl.any_horizontal(
        pl.col(c).str.to_lowercase().str.contains(needle, literal=True) for c in frame.columns
    )
    return frame.filter(hit)


def matching_tables(
    catalog: Catalog, frame: pl.DataFrame, text: str, lang: str = "en"
) -> list[Table]:
    """Tables whose name or description matches, or that have a matching column."""
    needle = text.strip().lower()
    if not needle:
        return list(catalog.tables)
    with_columns = set(search(frame, text)["table"].to_list())
    return [
        table
        for table in catalog.tables
        if table.name in with_columns
        or needle in table.name.lower()
        or needle in table_meaning(table, lang).lower()
    ]
