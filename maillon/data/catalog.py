"""The database's tables and columns, read from DuckDB's own catalog (sql/catalog_columns.sql).

Table and column names cannot be bound as parameters, so this is the whitelist every piece of
dynamic SQL (maillon.figures.explorer) checks identifiers against before quoting them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from maillon.data import queries
from maillon.data.paths import SQL_DIR


def entity_tables() -> list[str]:
    """Entity tables in the order sql/schema.sql creates them, which is foreign-key order."""
    return re.findall(r"^CREATE TABLE (\w+)", (SQL_DIR / "schema.sql").read_text(), flags=re.M)


NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE")
DATE_TYPES = ("DATE", "TIMESTAMP")


class UnknownIdentifier(ValueError):
    """A table or column name that is not in the catalog."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    comment: str
    nullable: bool

    @property
    def kind(self) -> str:
        """How the explorer filters it: 'number', 'date', 'boolean' or 'text'."""
        if self.data_type in NUMERIC_TYPES or self.data_type.startswith("DECIMAL"):
            return "number"
        if self.data_type in DATE_TYPES:
            return "date"
        if self.data_type == "BOOLEAN":
            return "boolean"
        return "text"


@dataclass(frozen=True)
class Table:
    name: str
    comment: str
    columns: tuple[Column, ...]
    derived: bool

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise UnknownIdentifier(f"{self.name}.{name}")

    def has(self, name: str) -> bool:
        return any(c.name == name for c in self.columns)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class Catalog:
    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise UnknownIdentifier(name)

    def has(self, name: str) -> bool:
        return any(t.name == name for t in self.tables)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)


def quote(identifier: str) -> str:
    """A catalog identifier as a quoted SQL identifier (callers have checked it exists)."""
    return '"' + identifier.replace('"', '""') + '"'


def load(version: str | None = None) -> Catalog:
    """The catalog of a database version, by default the current one (derived tables first,
    then entity tables)."""
    return _load(version or queries.current_version())


@cache
def _load(version: str) -> Catalog:
    frame = queries.run("catalog_columns", db=Path(version))
    entities = entity_tables()
    tables = []
    for (name,), rows in frame.group_by("table_name", maintain_order=True):
        columns = tuple(
            Column(r["column_name"], r["data_type"], r["column_comment"] or "", r["is_nullable"])
            for r in rows.sort("column_index").iter_rows(named=True)
        )
        tables.append(Table(name, rows["table_comment"][0] or "", columns, name not in entities))
    # Analytical (derived) tables first: they are what researchers usually want.
    tables.sort(key=lambda t: (not t.derived, t.name))
    return Catalog(tuple(tables))
