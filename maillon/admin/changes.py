"""What an import changes, table by table: rows added, removed, and changed (old -> new).

Compared in DuckDB between the validated new version and the current one, by primary key (a
table without one is compared as whole rows, so a changed row counts as removed plus added).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

SAMPLE_ROWS = 50


@dataclass(frozen=True)
class TableChanges:
    table: str
    rows_before: int
    rows_after: int
    added: int
    removed: int
    changed: int
    added_rows: pl.DataFrame  # the first SAMPLE_ROWS, all columns
    removed_rows: pl.DataFrame
    changed_cells: pl.DataFrame  # key, column, old, new (first SAMPLE_ROWS cells)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(new_version: Path, current: Path | None, tables: list[str]) -> dict[str, TableChanges]:
    """{table: TableChanges} for `tables`, from `current` (None: no data yet) to `new_version`."""
    con = duckdb.connect(str(new_version), read_only=True)
    try:
        if current is not None:
            con.execute("ATTACH $path AS current (READ_ONLY)", {"path": str(current)})
        return {table: _compare_table(con, table, current is not None) for table in tables}
    finally:
        con.close()


def _compare_table(con: duckdb.DuckDBPyConnection, table: str, has_current: bool) -> TableChanges:
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = $table ORDER BY column_index",
            {"table": table},
        ).fetchall()
    ]
    existed = has_current and bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'current' "
            "AND schema_name = 'main' AND table_name = $table",
            {"table": table},
        ).fetchall()[0][0]
    )
    new = f'main."{table}"'
    old = f'current."{table}"' if existed else f"(SELECT * FROM {new} LIMIT 0)"
    select = ", ".join(f'"{c}"' for c in columns)
    key = _primary_key(con, table)
    if key:
        on = " AND ".join(f'n."{k}" = o."{k}"' for k in key)
        added = f"SELECT n.* FROM {new} AS n ANTI JOIN {old} AS o ON {on}"
        removed = f"SELECT o.* FROM {old} AS o ANTI JOIN {new} AS n ON {on}"
    else:
        added = f"SELECT {select} FROM {new} EXCEPT ALL SELECT {select} FROM {old}"
        removed = f"SELECT {select} FROM {old} EXCEPT ALL SELECT {select} FROM {new}"
    changed_count, cells = 0, _empty_cells()
    others = [c for c in columns if c not in key]
    if key and others:
        on = " AND ".join(f'n."{k}" = o."{k}"' for k in key)
        differs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in others)
        changed_count = con.sql(
            f"SELECT count(*) FROM {new} AS n JOIN {old} AS o ON {on} WHERE {differs}"
        ).fetchall()[0][0]
        if changed_count:
            key_text = "concat_ws(' / ', " + ", ".join(f'n."{k}"' for k in key) + ")"
            per_column = " UNION ALL ".join(
                f'SELECT {key_text} AS key, \'{c}\' AS "column", o."{c}"::VARCHAR AS old, '
                f'n."{c}"::VARCHAR AS new, {i} AS position '
                f"FROM {new} AS n JOIN {old} AS o ON {on} "
                f'WHERE n."{c}" IS DISTINCT FROM o."{c}"'
                for i, c in enumerate(others)
            )
            cells = con.sql(
                f'SELECT key, "column", old, new FROM ({per_column}) '
                f"ORDER BY key, position LIMIT {SAMPLE_ROWS}"
            ).pl()
    return TableChanges(
        table=table,
        rows_before=con.execute(f"SELECT count(*) FROM {old}").fetchall()[0][0],
        rows_after=con.execute(f"SELECT count(*) FROM {new}").fetchall()[0][0],
        added=con.execute(f"SELECT count(*) FROM ({added})").fetchall()[0][0],
        removed=con.execute(f"SELECT count(*) FROM ({removed})").fetchall()[0][0],
        changed=changed_count,
        added_rows=con.sql(f"SELECT * FROM ({added}) LIMIT {SAMPLE_ROWS}").pl(),
        removed_rows=con.sql(f"SELECT * FROM ({removed}) LIMIT {SAMPLE_ROWS}").pl(),
        changed_cells=cells,
    )


def _primary_key(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    row = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = $table AND constraint_type = 'PRIMARY KEY'",
        {"table": table},
    ).fetchall()
    return list(row[0][0]) if row else []


def _empty_cells() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"key": pl.String, "column": pl.String, "old": pl.String, "new": pl.String}
    )
