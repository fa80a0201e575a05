"""What the admin page shows, as plain tables: import problems, the preview of changes, the
versions and the import log, with headers in the reader's language."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl

from maillon.admin.changes import TableChanges
from maillon.admin.decp_places import why_text
from maillon.database.problems import CURRENT_DATA, MORE_ROWS, Problem, problem_count
from maillon.i18n import number, t

PROBLEM_COLUMNS = ("file", "row", "column", "value", "problem", "fix")


def problems_frame(problems: list[Problem], lang: str) -> pl.DataFrame:
    """One row per problem, in the order found, in the reader's language."""
    frame = pl.DataFrame(
        {
            "file": [file_text(p, lang) for p in problems],
            "row": [p.row for p in problems],
            "column": [p.column for p in problems],
            "value": [p.value for p in problems],
            "problem": [p.problem_text(lang) for p in problems],
            "fix": [p.fix_text(lang) for p in problems],
        },
        schema={c: pl.Int64 if c == "row" else pl.String for c in PROBLEM_COLUMNS},
    )
    return frame.rename({c: t(lang, f"admin.problem_{c}") for c in PROBLEM_COLUMNS})


def file_text(problem: Problem, lang: str) -> str:
    """Where a problem is, in the reader's language: the file, or the table of the data in
    service ("grouping_member (données en service)")."""
    kept = f" {CURRENT_DATA}"
    if problem.file.endswith(kept) and problem.file != CURRENT_DATA:
        return f"{problem.file.removesuffix(kept)} {t(lang, 'problems.current_data')}"
    return problem.file_text(lang)


def refused_text(problems: list[Problem], lang: str, key: str = "admin.refused") -> str:
    """The message over a refused check: how many problems were found, all counted, and when
    only the first of each column and rule are listed, that it is so."""
    text = t(lang, key, count=number(problem_count(problems), lang))
    cut = [dict(p.message.params)["listed"] for p in problems if p.message.key == MORE_ROWS]
    return f"{text} {t(lang, 'admin.problems_cut', listed=max(cut))}" if cut else text


def changes_frame(changes: dict[str, TableChanges], lang: str) -> pl.DataFrame:
    """Per imported table: rows before and after, added, changed, removed."""
    names = ("table", "rows_before", "rows_after", "added", "changed", "removed")
    frame = pl.DataFrame(
        [
            (c.table, c.rows_before, c.rows_after, c.added, c.changed, c.removed)
            for c in changes.values()
        ],
        schema={n: pl.String if n == "table" else pl.Int64 for n in names},
        orient="row",
    )
    return frame.rename({n: t(lang, f"admin.change_{n}") for n in names})


def changed_cells_frame(change: TableChanges, lang: str) -> pl.DataFrame:
    return change.changed_cells.rename(
        {n: t(lang, f"admin.cell_{n}") for n in ("key", "column", "old", "new")}
    )


def versions_frame(versions: list[Path], current: Path, lang: str) -> pl.DataFrame:
    """The kept versions, newest first, with when they were published and which is in service."""
    rows = []
    for path in reversed(versions):
        stamp = path.stem.rsplit("-", 1)[-1]
        made = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").strftime("%Y-%m-%d %H:%M:%S UTC")
        rows.append((path.name, made, t(lang, "admin.in_service") if path == current else ""))
    names = ("version", "published", "status")
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    return frame.rename({n: t(lang, f"admin.version_{n}") for n in names})


def log_frame(events: list[dict], lang: str) -> pl.DataFrame:
    """The import log, newest first: when, who, what, which files, rows, outcome."""
    rows = []
    for event in events:
        files = ", ".join(
            f"{f['name']} (sha256 {f['sha256'][:12]}…)" for f in event.get("files", [])
        )
        if event.get("action") == "restore":
            files = event.get("restored", "")
        if record := event.get("record"):  # one record edited in the form
            files = f"{record.get('table', '')}: {record.get('key', '')}"
        counts = ", ".join(f"{k}: {v}" for k, v in (event.get("rows") or {}).items())
        rows.append(
            (
                event.get("at", ""),
                event.get("who", ""),
                t(lang, f"admin.action_{event.get('action', 'import')}"),
                files,
                counts,
                t(lang, f"admin.outcome_{event.get('outcome', 'applied')}")
                + (f" ({number(event['problems'], lang)})" if event.get("problems") else ""),
            )
        )
    names = ("at", "who", "action", "files", "rows", "outcome")
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    return frame.rename({n: t(lang, f"admin.log_{n}") for n in names})


def decp_report_frame(
    dropped_by_reason: dict[str, int], kept: int, garbled: int, lang: str
) -> pl.DataFrame:
    """What a DECP import kept (and how much of it has garbled text) and left out, one line per
    reason, in the reader's language."""
    rows = [(t(lang, "admin.decp_kept"), kept), (t(lang, "admin.decp_garbled"), garbled)] + [
        (t(lang, f"admin.decp_reason_{reason}"), count)
        for reason, count in dropped_by_reason.items()
    ]
    return pl.DataFrame(
        rows, schema=[t(lang, "admin.decp_records"), t(lang, "admin.decp_count")], orient="row"
    )


def not_located_frame(not_located: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The published contracts tied to no establishment, with why (the reader's words)."""
    return not_located.select(
        pl.col("buyer_name").alias(t(lang, "admin.decp_buyer")),
        pl.col("object").alias(t(lang, "admin.decp_object")),
        pl.Series(
            t(lang, "admin.decp_why"),
            [why_text(why, lang) for why in not_located["why"].to_list()],
            pl.String,
        ),
    )


def not_found_frame(sirens: tuple[str, ...]) -> pl.DataFrame:
    """The SIRENs of holders the register file does not hold, one per row."""
    return pl.DataFrame({"SIREN": list(sirens)}, schema={"SIREN": pl.String})
