"""Uploaded files read as text tables for maillon.database.validate: CSV, XLSX, Parquet or a
backup zip.

Each file is named after its table (`contract.csv`); an XLSX workbook holds one sheet per table,
named after it; a backup zip (maillon.admin.backup) holds `<table>.parquet` files. Every value is
kept as text so that validation, not the reader, decides what is a number or a date and says where
it is not. A file that cannot be read at all gives one Problem that says why and how to fix it.

Sizes are bounded before anything is read: a file over MAX_FILE_MB is refused, and a zip (a
backup, or an XLSX workbook, which is a zip too) whose members would inflate past
MAX_INFLATED_MB is refused from the sizes it declares and, since those can lie, while inflating.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import PurePath

import polars as pl

from maillon.database.problems import Message, Problem, ValidationError
from maillon.database.validate import FILE_COLUMN, ROW_COLUMN, more_rows, text_frame

ACCEPTED_SUFFIXES = (".csv", ".xlsx", ".parquet", ".zip")
BACKUP_EXTRAS = {"schema.sql", "derived.sql", "manifest.json"}
MAX_RAGGED_ROWS = 20
MB = 2**20
MAX_FILE_MB = 100  # also Streamlit's server.maxUploadSize in .streamlit/config.toml
MAX_INFLATED_MB = 400
CHUNK = MB
# Excel date cells come out of the reader as "2025-03-01 00:00:00": keep the date.
EXCEL_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?")
# Excel number cells are binary floats, read back with all their digits (35993893.219999999):
# the shortest decimal that is the same float is what the person typed (35993893.22).
EXCEL_FLOAT = re.compile(r"-?\d+\.\d{9,}")
SAVE_AS_CSV = Message("save_as_csv_fix")
BACKUP_ZIP = Message("backup_zip_fix")


def read_uploads(
    files: Iterable[tuple[str, bytes]], tables: list[str], origin: dict[str, str] | None = None
) -> dict[str, pl.DataFrame]:
    """{table: text frame with _file and _row} for every uploaded file; `origin`, when given,
    receives {table: the uploaded file's name} (a file of no rows has no _file to say it).

    Raises ValidationError listing every file that cannot be read, or a table given twice.
    """
    frames: dict[str, pl.DataFrame] = {}
    origin = {} if origin is None else origin
    problems: list[Problem] = []
    files = list(files)
    if not files:
        raise ValidationError(
            [Problem("-", None, "-", "", Message("no_file"), Message("no_file_fix"))]
        )
    for name, data in files:
        try:
            for table, frame in _read_file(name, data, tables):
                if table in frames:
                    problems.append(
                        Problem(
                            name,
                            None,
                            "-",
                            table,
                            Message("table_twice", table=table, other=origin[table]),
                            Message("table_twice_fix"),
                        )
                    )
                else:
                    frames[table], origin[table] = frame, name
        except ValidationError as error:
            problems += error.problems
    if problems:
        raise ValidationError(problems)
    return frames


def _read_file(name: str, data: bytes, tables: list[str]) -> list[tuple[str, pl.DataFrame]]:
    path = PurePath(name)
    suffix = path.suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        _refuse(name, Message("not_a_file_type"), Message("not_a_file_type_fix"))
    if not data:
        _refuse(name, Message("empty_file"), Message("empty_file_fix"))
    if len(data) > MAX_FILE_MB * MB:
        _refuse(
            name,
            Message("file_too_big", size=f"{len(data) / MB:.0f}", cap=MAX_FILE_MB),
            Message("file_too_big_fix"),
        )
    if suffix == ".xlsx":
        _check_inflated_size(
            name,
            data,
            lambda error: Message("unreadable_xlsx", error=error),
            Message("unreadable_xlsx_fix"),
        )
        return _read_xlsx(name, data, tables)
    if suffix == ".zip":
        return _read_backup(name, data, tables)
    table = _table_named(name, path.stem, tables)
    if suffix == ".parquet":
        return [(table, _read_parquet(name, data))]
    return [(table, read_csv_bytes(name, data))]


def _table_named(name: str, stem: str, tables: list[str]) -> str:
    table = stem.strip().lower()
    if table not in tables:
        _refuse(name, Message("not_a_table", name=stem), Message("not_a_table_fix"))
    return table


def read_csv_bytes(name: str, data: bytes) -> pl.DataFrame:
    """A CSV file (UTF-8, optional BOM, comma or semicolon) as text columns plus _file and _row.

    _row is the line of the file where the record ends (the header is line 1); blank lines are
    skipped.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _refuse(name, Message("utf16"), SAVE_AS_CSV)
    if b"\x00" in data[:65536]:
        _refuse(name, Message("binary"), SAVE_AS_CSV)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        _refuse(name, Message("not_utf8", byte=byte, line=line), SAVE_AS_CSV, row=line)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    ended, columns = 0, []  # the line where the last record read ends
    try:
        header = next(reader, None)
        ended = reader.line_num
        if not header or not any(h.strip() for h in header):
            _refuse(name, Message("no_header"), Message("no_header_fix"), row=1)
        columns = [h.strip() for h in header]
        _check_header(name, columns)
        rows: list[list[str]] = []
        lines: list[int] = []
        ragged: list[Problem] = []
        ragged_rows = 0
        for record in reader:
            ended = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != len(columns):
                ragged_rows += 1
                if len(ragged) < MAX_RAGGED_ROWS:
                    ragged.append(
                        Problem(
                            name,
                            reader.line_num,
                            "-",
                            delimiter.join(record)[:80],
                            Message("ragged", values=len(record), columns=len(columns)),
                            Message("ragged_fix", delimiter=delimiter),
                        )
                    )
                continue
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            _refuse_long_cell(name, text, ended + 1, delimiter, columns)
        _refuse(
            name,
            Message("not_csv", error=str(exc)),
            Message("not_csv_fix"),
            row=reader.line_num,
        )
    if ragged:
        if ragged_rows > MAX_RAGGED_ROWS:
            fix = Message("ragged_fix", delimiter=delimiter)
            ragged.append(more_rows(name, "-", ragged_rows, fix, MAX_RAGGED_ROWS))
        raise ValidationError(ragged)
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    frame = pl.DataFrame(
        {c: pl.Series(c, v, dtype=pl.String) for c, v in zip(columns, values, strict=True)}
    )
    return frame.with_columns(
        pl.Series(ROW_COLUMN, lines, dtype=pl.Int64), pl.lit(name).alias(FILE_COLUMN)
    )


def _refuse_long_cell(name: str, text: str, line: int, delimiter: str, columns: list[str]) -> None:
    """A record starting on `line` holds a value past the CSV reader's limit: say which one,
    or that a quote opened there never closes (the rest of the file then reads as one value)."""
    lines = io.StringIO(text, newline="").readlines()
    record = "".join(lines[line - 1 :])
    index, start, length, unclosed = _longest_cell(record, delimiter)
    column = columns[index] if index < len(columns) else f"#{index + 1}"
    value = " ".join(record[start : start + 40].split()) + "…"
    if unclosed:
        _refuse_at(name, line, column, value, Message("unclosed_quote"), Message("not_csv_fix"))
    limit = csv.field_size_limit()
    problem = Message("cell_too_long", length=length, limit=limit)
    _refuse_at(name, line, column, value, problem, Message("cell_too_long_fix", limit=limit))


def _longest_cell(record: str, delimiter: str) -> tuple[int, int, int, bool]:
    """The longest cell of the CSV record that starts `record`: its index, where its value
    starts, its length, and whether it is a quoted value that never closes."""
    longest, column, at = (0, 0, -1), 0, 0
    while True:
        if record.startswith('"', at):
            end = at + 1
            while (end := record.find('"', end)) != -1 and record.startswith('""', end):
                end += 2
            if end == -1:
                return column, at + 1, len(record) - at - 1, True
            cell, at = (column, at + 1, end - at - 1), end + 1
        else:
            stops = (record.find(c, at) for c in (delimiter, "\n", "\r"))
            end = min((s for s in stops if s != -1), default=len(record))
            cell, at = (column, at, end - at), end
        longest = max(longest, cell, key=lambda c: c[2])
        if not record.startswith(delimiter, at):
            return *longest, False
        column, at = column + 1, at + 1


def _check_header(name: str, columns: list[str]) -> None:
    problems = [
        Problem(name, 1, f"#{i}", "", Message("unnamed_column"), Message("unnamed_column_fix"))
        for i, c in enumerate(columns, start=1)
        if not c
    ] + [
        Problem(name, 1, c, "", Message("column_twice"), Message("column_twice_fix"))
        for c in sorted({c for c in columns if c and columns.count(c) > 1})
    ]
    if problems:
        raise ValidationError(problems)


def _read_xlsx(name: str, data: bytes, tables: list[str]) -> list[tuple[str, pl.DataFrame]]:
    import fastexcel

    try:
        workbook = fastexcel.read_excel(data)
        sheets = [s for s in workbook.sheet_names if s.strip().lower() != "readme"]
    except Exception as exc:  # the reader raises several error types for broken workbooks
        _refuse(
            name,
            Message("unreadable_xlsx", error=type(exc).__name__),
            Message("unreadable_xlsx_fix"),
        )
    stem = PurePath(name).stem.strip().lower()
    read: list[tuple[str, pl.DataFrame]] = []
    problems: list[Problem] = []
    for sheet in sheets:
        table = sheet.strip().lower()
        if table not in tables and len(sheets) == 1 and stem in tables:
            table = stem
        if table not in tables:
            problems.append(
                Problem(
                    name,
                    None,
                    "-",
                    sheet,
                    Message("sheet_not_a_table", sheet=sheet),
                    Message("sheet_not_a_table_fix"),
                )
            )
            continue
        where = f"{name} [{sheet}]"
        try:
            frame = workbook.load_sheet(sheet, dtypes="string").to_polars()
        except Exception as exc:
            problems.append(
                Problem(
                    where, None, "-", "", Message("sheet_unreadable", error=str(exc)), SAVE_AS_CSV
                )
            )
            continue
        if not frame.width:
            problems.append(
                Problem(where, 1, "-", "", Message("sheet_empty"), Message("sheet_empty_fix"))
            )
            continue
        frame = pl.DataFrame(
            [
                pl.Series(c, [_cell_text(v) for v in frame[c].cast(pl.String)], pl.String)
                for c in frame.columns
            ]
        )
        frame = frame.with_row_index(ROW_COLUMN, offset=2).with_columns(
            pl.col(ROW_COLUMN).cast(pl.Int64), pl.lit(where).alias(FILE_COLUMN)
        )
        data_columns = [c for c in frame.columns if c not in (ROW_COLUMN, FILE_COLUMN)]
        read.append((table, frame.filter(~pl.all_horizontal(pl.col(data_columns).is_null()))))
    if problems:
        raise ValidationError(problems)
    return read


def _cell_text(value: str | None) -> str | None:
    if value is None:
        return None
    if EXCEL_FLOAT.fullmatch(value):
        return repr(float(value))
    midnight = EXCEL_MIDNIGHT.fullmatch(value)
    return midnight.group(1) if midnight else value


def _read_parquet(name: str, data: bytes) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # Polars and Arrow raise several types for a broken file
        _refuse(
            name,
            Message("unreadable_parquet", error=type(exc).__name__),
            Message("unreadable_parquet_fix"),
        )
    return text_frame(frame, name)


def _read_backup(name: str, data: bytes, tables: list[str]) -> list[tuple[str, pl.DataFrame]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.namelist() if not m.endswith("/")]
    except (zipfile.BadZipFile, OSError) as exc:
        _refuse(name, Message("unreadable_zip", error=str(exc)), BACKUP_ZIP)
    _check_inflated_size(
        name, data, lambda error: Message("unreadable_zip", error=error), BACKUP_ZIP
    )
    read: list[tuple[str, pl.DataFrame]] = []
    problems: list[Problem] = []
    for member in members:
        if member in BACKUP_EXTRAS:
            continue
        where = f"{name}/{member}"
        if not re.fullmatch(r"\w+\.parquet", member):
            problems.append(
                Problem(
                    where,
                    None,
                    "-",
                    "",
                    Message("not_in_backup"),
                    Message("not_in_backup_fix"),
                )
            )
            continue
        try:
            table = _table_named(where, PurePath(member).stem, tables)
            read.append((table, _read_parquet(where, archive.read(member))))
        except ValidationError as error:
            problems += error.problems
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            problems.append(
                Problem(
                    where,
                    None,
                    "-",
                    "",
                    Message("not_extracted", error=str(exc)),
                    Message("not_extracted_fix"),
                )
            )
    if not read and not problems:
        problems.append(Problem(name, None, "-", "", Message("no_table"), BACKUP_ZIP))
    if problems:
        raise ValidationError(problems)
    return read


def _check_inflated_size(
    name: str, data: bytes, unreadable: Callable[[str], Message], fix: Message
) -> None:
    """Refuse a zip whose members would inflate past MAX_INFLATED_MB, from the sizes it declares,
    then by inflating it in chunks (never holding more than one chunk), since they can lie.
    `unreadable(error)` says that the zip cannot be read."""
    cap = MAX_INFLATED_MB * MB
    too_big = Message("too_big_inflated", cap=MAX_INFLATED_MB)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > cap:
            _refuse(name, too_big, fix)
        inflated = 0
        for info in archive.infolist():
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    inflated += len(chunk)
                    if inflated > cap:
                        _refuse(name, too_big, fix)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        _refuse(name, unreadable(type(exc).__name__), fix)


def _refuse(name: str, problem: Message, fix: Message, row: int | None = None) -> None:
    raise ValidationError([Problem(name, row, "-", "", problem, fix)])


def _refuse_at(name: str, row: int, column: str, value: str, problem: Message, fix: Message):
    raise ValidationError([Problem(name, row, column, value, problem, fix)])
