"""One record added or edited in a form behind the admin login, checked and published as an import.

The table's new content is its rows in service with that one row replaced (or added), as text,
the way a CSV export of the table sorted by key would read: it goes through the import's own
check (importer.check_tables, hence build.write_version and maillon.database.validate), so a
value typed in the form breaks the same rules, with the same messages, as the same value in a
CSV file (empty = no value, dates YYYY-MM-DD, decimals with a dot, true/false). Publishing is
the import's apply: a new version, every reader switched at once, the previous one kept for the
same one-click restore; the import log says it was one record (table, key, who).

The tables offered are those of EDITABLE that the schema holds at run time, with a primary key:
a table added to sql/schema.sql under one of these names is editable with no other change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from maillon.admin import import_formats, importer, listings
from maillon.admin.import_formats import ColumnFormat
from maillon.data import catalog, queries
from maillon.data.config import database_path
from maillon.database.problems import Problem
from maillon.database.validate import FILE_COLUMN, ROW_COLUMN, ValidationError, text_frame
from maillon.i18n import t

# The tables an admin keeps up to date one record at a time (the associations network and the
# institutions it works with), in no particular order: the schema's order is used.
EDITABLE = (
    "association",
    "association_intervention",
    "association_partnership",
    "association_collective",
    "collective_member",
    "joint_action",
    "joint_action_partner",
    "joint_action_establishment",
    "local_group",
    "local_group_establishment",
    "institution",
    "institution_convention",
    "operator_partnership",
    "reallocation_beneficiary",
)
LABEL_COLUMNS = ("name", "title")  # what names a record beside its key, the first there is
KEY_SEPARATOR = " / "  # as maillon.admin.changes writes a key of several columns

Key = tuple[str, ...]


class RecordGone(LookupError):
    """The record to edit is no longer in the version in service (another import removed it)."""


@dataclass(frozen=True)
class Proposal:
    """A record checked against the version in service: either `problems` (nothing written), or
    a `candidate` version written beside it, ready to publish."""

    table: str
    key: Key | None  # the record edited; None for a new one
    values: dict[str, str]
    candidate: importer.Candidate | None
    problems: tuple[Problem, ...]
    row_keys: dict[int, str]  # row of the staged table -> its key, to say where a problem is

    @property
    def new_key(self) -> Key:
        return tuple(self.values[k] for k in key_columns(self.table))

    @property
    def unchanged(self) -> bool:
        return self.candidate is not None and all(
            c.unchanged for c in self.candidate.changes.values()
        )


def editable_tables() -> list[str]:
    """The editable tables the schema holds, in its (foreign-key) order."""
    return [
        t for t in catalog.entity_tables() if t in EDITABLE and import_formats.table_format(t).key
    ]


def columns(table: str) -> tuple[ColumnFormat, ...]:
    """The table's columns with their type, rule and meaning (docs/import-formats.md)."""
    return import_formats.table_format(table).columns


def key_columns(table: str) -> tuple[str, ...]:
    return import_formats.table_format(table).key


def column_help(column: ColumnFormat) -> str:
    """The column's line of the import formats: type, required, rule, reference, meaning."""
    parts = [column.type, "required" if column.required else "optional"]
    parts += [p for p in (column.rule, column.reference and f"→ {column.reference}") if p]
    return " · ".join(parts) + (f". {column.meaning}" if column.meaning else "")


def file_name(table: str) -> str:
    """What the staged rows are called in problems: the table's CSV file."""
    return f"{table}.csv"


def key_text(key: Key) -> str:
    return KEY_SEPARATOR.join(key)


def current_rows(table: str, version: Path) -> pl.DataFrame:
    """The table's rows in `version` as text, sorted by key: a CSV export of it, read back."""
    if table not in editable_tables():
        raise ValueError(f"{table!r} cannot be edited one record at a time")
    order = ", ".join(catalog.quote(k) for k in key_columns(table))
    frame = queries.run_sql(
        f"SELECT * FROM {catalog.quote(table)} ORDER BY {order}", cached=False, db=version
    )
    return text_frame(frame, file_name(table)).drop(ROW_COLUMN, FILE_COLUMN)


def records(table: str, db: Path | None = None) -> list[tuple[Key, str]]:
    """Every record of the table in service: (key, its key and name for a list to pick from)."""
    rows = current_rows(table, (db or database_path()).resolve())
    label = next((c for c in LABEL_COLUMNS if c in rows.columns), None)
    found = []
    for row in rows.iter_rows(named=True):
        key = tuple(row[k] or "" for k in key_columns(table))
        name = row[label] if label else None
        found.append((key, key_text(key) + (f" — {name}" if name else "")))
    return found


def current_values(table: str, key: Key | None, db: Path | None = None) -> dict[str, str]:
    """{column: text} of the record in service ("" for no value), or all empty for a new one."""
    if key is None:
        return {c.name: "" for c in columns(table)}
    row = _find(current_rows(table, (db or database_path()).resolve()), table, key)
    return {c: "" if v is None else v for c, v in row.row(0, named=True).items()}


def _find(rows: pl.DataFrame, table: str, key: Key) -> pl.DataFrame:
    match = pl.all_horizontal(pl.col(k) == v for k, v in zip(key_columns(table), key, strict=True))
    found = rows.with_row_index("_at").filter(match)
    if found.height != 1:
        raise RecordGone(f"{table}: {key_text(key)}")
    return found.drop("_at")


def propose(
    table: str, key: Key | None, values: dict[str, str], who: str, db: Path | None = None
) -> Proposal:
    """Check the table with the record `key` replaced by `values` (a new record when `key` is
    None), exactly as an import of the whole table would be checked, and write the version it
    would make. Raises RecordGone if the record is no longer there, ImportFailed as an import."""
    names = [c.name for c in columns(table)]
    if sorted(values) != sorted(names):
        raise ValueError(f"{table} has the columns {names}, not {sorted(values)}")
    values = {c: values[c] for c in names}
    if key is not None:
        _find(current_rows(table, (db or database_path()).resolve()), table, key)
    row_keys: dict[int, str] = {}

    def new_tables(current: Path) -> dict[str, pl.DataFrame]:
        rows = current_rows(table, current)
        new = pl.DataFrame(
            {c: [v] for c, v in values.items()}, schema=dict.fromkeys(names, pl.String)
        )
        if key is None:
            rows = pl.concat([rows, new])
        else:
            at = _find(rows.with_row_index("_i"), table, key)["_i"][0]
            rows = pl.concat([rows.slice(0, at), new, rows.slice(at + 1)])
        staged = text_frame(rows, file_name(table))
        keys = staged.select(ROW_COLUMN, *key_columns(table)).iter_rows()
        row_keys.update({row: key_text(tuple(v or "" for v in k)) for row, *k in keys})
        return {table: staged}

    shown = key_text(key if key is not None else tuple(values[k] for k in key_columns(table)))
    details = {"record": {"table": table, "key": shown, "new": key is None}}
    try:
        candidate = importer.check_tables(new_tables, (), who, db, action="edit", details=details)
    except ValidationError as error:
        return Proposal(table, key, values, None, tuple(error.problems), row_keys)
    return Proposal(table, key, values, candidate, (), row_keys)


def publish(proposal: Proposal, who: str, db: Path | None = None) -> Path:
    """Publish a checked record for every reader at once (importer.apply: StaleCheck if anything
    was published since the check); undone like an import, by importer.restore_previous."""
    if proposal.candidate is None:
        raise ValueError("a record with problems cannot be published")
    return importer.apply(proposal.candidate, who, db)


def discard(proposal: Proposal) -> None:
    if proposal.candidate is not None:
        importer.discard(proposal.candidate)


def preview_frame(proposal: Proposal, lang: str) -> pl.DataFrame:
    """What publishing changes: one line per changed column, old value -> new (for a new record,
    every column with its value), as the database holds them."""
    names = ("column", "old", "new")
    schema = dict.fromkeys(names, pl.String)
    frame = pl.DataFrame(schema=schema)
    change = proposal.candidate.changes[proposal.table] if proposal.candidate else None
    if change is not None and change.changed:
        frame = change.changed_cells.select(names)
    if change is not None and change.added:
        added = change.added_rows.row(0, named=True)
        rows = [(c, "", None if v is None else str(v)) for c, v in added.items()]
        frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.rename({n: t(lang, f"admin.cell_{n}") for n in names})


def problems_frame(proposal: Proposal, lang: str) -> pl.DataFrame:
    """The problems as the import words them, said by table and key instead of file and row."""
    own = file_name(proposal.table)
    rows = []
    for p in proposal.problems:
        mine = p.file == own
        where = proposal.row_keys.get(p.row, "") if mine and p.row is not None else ""
        if not mine and p.row is not None:
            where = t(lang, "admin.record_row", row=p.row)
        table = proposal.table if mine else listings.file_text(p, lang)
        rows.append((table, where, p.column, p.value, p.problem_text(lang), p.fix_text(lang)))
    names = ("table", "key", "column", "value", "problem", "fix")
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    return frame.rename(
        {
            n: t(lang, f"admin.record_{n}" if n in ("table", "key") else f"admin.problem_{n}")
            for n in names
        }
    )
