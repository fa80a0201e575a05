"""Importing files into the database: check (validate and preview), apply, restore, all logged.

    python -m maillon.admin.importer [--db PATH] [--who NAME] FILE...     check, then apply
    python -m maillon.admin.importer decp [--db PATH] FILE...    published contracts (DECP)
    python -m maillon.admin.importer sirene [--db PATH] FILE     their holders' register (SIRENE)
    python -m maillon.admin.importer --restore-previous [--db PATH]

An uploaded file replaces the whole content of its table; tables without a file keep their rows.
`check` writes a complete new version beside the current one (maillon.database.build.write_version,
the same validation as `make data`) without publishing it, and lists what would change; `apply`
publishes it with the same atomic link swap as a build, provided nothing was published in between.
Restoring the previous version publishes it again under a new name (a hard link, no copy), so the
versions stay in time order and a restore can itself be undone.

A candidate checked but never applied nor cancelled (a tab closed, a log-out, a check made again
in another session) is removed by the next check, apply or restore once it is older than an admin
session lasts (maillon.admin.auth.SESSION_SECONDS, plus a minute): the session that checked it has
expired by then, so no one can still apply it, while a fresh candidate of another session is kept.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from maillon.admin import auth, import_log, uploads
from maillon.admin.changes import TableChanges, compare
from maillon.data import catalog
from maillon.data.config import database_path
from maillon.database import build
from maillon.database.problems import Message, Problem, ValidationError, problem_count

CANDIDATE_SUFFIX = ".candidate"
# A candidate this old was checked in a session that has expired since (sessions do not extend).
ABANDONED_AFTER_S = auth.SESSION_SECONDS + 60


class StaleCheck(Exception):
    """The data changed (another import or restore) since the files were checked."""


class ImportFailed(Exception):
    """Something other than a broken rule stopped a check or an apply (a full disk, an
    arithmetic error, a bug): nothing was published, and the attempt is in the import log.
    `detail` is the error's first line with no server path in it."""

    def __init__(self, step: str, detail: str):
        super().__init__(step, detail)
        self.step = step
        self.detail = detail


def _plain_detail(error: Exception) -> str:
    """The error's kind and first line, each path shortened to its file name."""
    lines = str(error).strip().splitlines()
    line = re.sub(r"(?:/[^\s'\"/]+)+/?", lambda m: Path(m[0]).name, lines[0] if lines else "")
    return f"{type(error).__name__}: {line}"[:500]


@dataclass(frozen=True)
class UploadedFile:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Candidate:
    """A validated new version, written but not published."""

    path: Path
    base: str  # file name of the version it was checked against
    files: tuple[UploadedFile, ...]
    rows: dict[str, int]  # rows per imported table
    changes: dict[str, TableChanges]
    action: str = "import"  # as the import log names it when applied ("edit": one record)
    details: dict = field(default_factory=dict)  # more for the log (an edit: which record)


def check(
    files: list[tuple[str, bytes]],
    who: str,
    db: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Candidate:
    """Validate the files against the current data and write the candidate version.

    Raises ValidationError (logged as refused; nothing written) when any rule is broken, and
    ImportFailed (logged as failed; nothing written) when anything else goes wrong.
    """
    origin: dict[str, str] = {}
    return check_tables(
        lambda _current: uploads.read_uploads(files, catalog.entity_tables(), origin),
        described(files),
        who,
        db,
        progress,
        named=origin,
    )


def described(files: list[tuple[str, bytes]]) -> tuple[UploadedFile, ...]:
    return tuple(
        UploadedFile(name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in files
    )


def check_tables(
    new_tables: Callable[[Path], dict[str, pl.DataFrame]],
    files: tuple[UploadedFile, ...],
    who: str,
    db: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
    action: str = "import",
    details: dict | None = None,
    named: dict[str, str] | None = None,
) -> Candidate:
    """`check` for tables made from the files by code (open-data imports, which merge with the
    version in service; one record edited in a form, maillon.admin.record_edit):
    `new_tables(current version)` gives {table: text frame to stage}. `action` and `details` say
    in the import log what it was. `named` is {table: uploaded file} once `new_tables` has run:
    a refused check says first which of these files hold no data rows (what the other tables'
    problems then come from)."""
    db = db or database_path()
    build.ensure_database(db)
    with build.build_lock(db):
        build.remove_leftovers(db, CANDIDATE_SUFFIX)
        remove_abandoned(db)
        current = db.resolve()
        target = build.new_version_path(db)
        candidate = target.with_name(target.name + CANDIDATE_SUFFIX)
        details = details or {}
        logged = {
            "db": db,
            "action": "check",
            "who": who,
            "files": [f.__dict__ for f in files],
            **details,
        }
        frames: dict[str, pl.DataFrame] = {}
        try:
            frames = new_tables(current)
            build.write_version(candidate, lambda t: _frames_or_keep(frames, t), current, progress)
            tables = [t for t in catalog.entity_tables() if t in frames]
            changes = compare(candidate, current, tables)
        except ValidationError as error:
            found = _empty_files(frames, named or {}) + error.problems
            import_log.write(**logged, outcome="refused", problems=problem_count(found))
            if len(found) > len(error.problems):
                raise ValidationError(found) from error
            raise
        except Exception as error:
            candidate.unlink(missing_ok=True)
            build.remove_leftovers(db, CANDIDATE_SUFFIX)
            detail = _plain_detail(error)
            import_log.write(**logged, outcome="failed", error=detail)
            raise ImportFailed("check", detail) from error
        os.utime(candidate)  # its age counts from the end of the check
    return Candidate(
        path=candidate,
        base=current.name,
        files=files,
        rows={t: frames[t].height for t in tables},
        changes=changes,
        action=action,
        details=details,
    )


def _empty_files(frames: dict[str, pl.DataFrame], named: dict[str, str]) -> list[Problem]:
    """A problem for each uploaded file that holds its table's header and no data row."""
    return [
        Problem(
            named[table],
            None,
            "-",
            table,
            Message("no_data_rows", table=table),
            Message("no_data_rows_fix", table=table),
        )
        for table, frame in frames.items()
        if table in named and frame.height == 0
    ]


def _frames_or_keep(frames, table):
    return [frames[table]] if table in frames else build.KEEP_CURRENT


def apply(candidate: Candidate, who: str, db: Path | None = None) -> Path:
    """Publish a checked candidate at once for every reader. Returns the new version.

    Raises StaleCheck (nothing changed) if another version was published since the check, and
    ImportFailed (logged; the version in service unchanged) if publishing fails.
    """
    db = db or database_path()
    with build.build_lock(db):
        current = db.resolve().name if db.exists() else ""
        if current != candidate.base or not candidate.path.exists():
            candidate.path.unlink(missing_ok=True)
            raise StaleCheck(current)
        target = build.new_version_path(db)
        try:
            os.replace(candidate.path, target)
            build.publish(db, target)
        except Exception as error:
            if db.resolve() != target.resolve():
                target.unlink(missing_ok=True)
            candidate.path.unlink(missing_ok=True)
            detail = _plain_detail(error)
            files = [f.__dict__ for f in candidate.files]
            import_log.write(
                db,
                action=candidate.action,
                who=who,
                files=files,
                **candidate.details,
                outcome="failed",
                error=detail,
            )
            raise ImportFailed("apply", detail) from error
        import_log.write(
            db,
            action=candidate.action,
            who=who,
            files=[f.__dict__ for f in candidate.files],
            **candidate.details,
            rows=candidate.rows,
            changes={
                t: {"added": c.added, "changed": c.changed, "removed": c.removed}
                for t, c in candidate.changes.items()
            },
            before=candidate.base,
            after=target.name,
            outcome="applied",
        )
        remove_abandoned(db)
    return target


def discard(candidate: Candidate) -> None:
    candidate.path.unlink(missing_ok=True)


def remove_abandoned(db: Path, now: float | None = None) -> list[Path]:
    """Remove the candidates older than ABANDONED_AFTER_S (see the module's docstring); returns
    them. Called with the build lock held, so no check is writing one meanwhile."""
    cutoff = (time.time() if now is None else now) - ABANDONED_AFTER_S
    removed = []
    for path in build.versions_dir(db).glob(f"*{CANDIDATE_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # discarded meanwhile by its own session
            continue
    return removed


def previous_version(db: Path | None = None) -> Path | None:
    """The version published before the current one, if it is still kept."""
    db = db or database_path()
    if not db.exists():
        return None
    current = db.resolve()
    older = [v for v in versions(db) if v.name < current.name]
    return older[-1] if older else None


def versions(db: Path) -> list[Path]:
    """The kept versions, oldest first."""
    return sorted(build.versions_dir(db).glob(f"{db.stem}-*.duckdb"))


def restore_previous(who: str, db: Path | None = None) -> Path | None:
    """Publish the previous version again, as the newest. Returns it, or None if there is none."""
    db = db or database_path()
    with build.build_lock(db):
        previous = previous_version(db)
        if previous is None:
            return None
        before = db.resolve().name
        target = build.new_version_path(db)
        try:
            os.link(previous, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(previous, target)
        build.publish(db, target)
        remove_abandoned(db)
        import_log.write(
            db,
            action="restore",
            who=who,
            restored=previous.name,
            before=before,
            after=target.name,
            outcome="applied",
        )
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["decp"], ["sirene"]):
        # imported here: maillon.admin.open_data builds on this module's check
        from maillon.admin import open_data

        return open_data.main(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help=".csv, .xlsx or backup .zip files")
    parser.add_argument("--db", type=Path, default=None, help="database path (default: MAILLON_DB)")
    parser.add_argument("--who", default=os.environ.get("USER", "command line"))
    parser.add_argument("--restore-previous", action="store_true")
    args = parser.parse_args(argv)
    db = Path(os.path.abspath(args.db)) if args.db else database_path()
    if args.restore_previous:
        restored = restore_previous(args.who, db)
        print(f"Restored {restored.name}" if restored else "No previous version is kept.")
        return 0 if restored else 1
    if not args.files:
        parser.error("give the files to import, or --restore-previous")
    return publish_checked(
        lambda: check([(p.name, p.read_bytes()) for p in args.files], args.who, db, print),
        args.who,
        db,
    )


def publish_checked(run_check: Callable[[], Candidate], who: str, db: Path) -> int:
    """The command line's check then apply, each refusal said in one line."""
    try:
        candidate = run_check()
        for table, change in candidate.changes.items():
            print(f"{table}: +{change.added} ~{change.changed} -{change.removed}")
        target = apply(candidate, who, db)
    except ValidationError as error:
        lines = "".join(f"\n  - {p}" for p in error.problems)
        count = problem_count(error.problems)
        print(
            f"Import refused; {db} was left as it was. {count} problem(s):{lines}", file=sys.stderr
        )
        return 1
    except StaleCheck:
        print("Import refused: the data changed during the check; run it again.", file=sys.stderr)
        return 1
    print(f"Imported: {db} -> {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
