"""A full backup of the current database version: every entity table as Parquet, with the
schema that defines them and a manifest (row counts), in one zip. The derived tables are left
out: the build recomputes them from the entity tables (sql/derived.sql)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from maillon.data import catalog, queries
from maillon.data.paths import SQL_DIR


def export_zip() -> bytes:
    """The zip's bytes: <table>.parquet for each entity table, schema.sql, derived.sql and
    manifest.json. Read through the app's read-only connection, all from one version."""
    version = queries.current_version()
    tables = [t for t in catalog.load(version).tables if not t.derived]
    manifest = {"version": Path(version).name, "made_at": datetime.now(UTC).isoformat()}
    rows = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            frame = queries.run_sql(
                f"SELECT * FROM {catalog.quote(table.name)}", cached=False, db=Path(version)
            )
            parquet = io.BytesIO()
            frame.write_parquet(parquet)
            archive.writestr(f"{table.name}.parquet", parquet.getvalue())
            rows[table.name] = frame.height
        for name in ("schema.sql", "derived.sql"):
            archive.write(SQL_DIR / name, name)
        archive.writestr("manifest.json", json.dumps({**manifest, "rows": rows}, indent=2))
    return buffer.getvalue()
