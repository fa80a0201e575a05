"""The process that runs one visitor's query for maillon.data.sandbox, and then exits.

Run as `python -m maillon.data.sandbox_worker BUDGET_BYTES DUCKDB_MEMORY DATABASE`. It imports
DuckDB and Arrow, opens the database version read-only, caps its own address space so that its
resident memory can never pass BUDGET_BYTES (what it already holds plus what it may still map),
lowers its priority, says "ready", then reads one pickled request from its parent on stdin: the
SQL, the bound parameters, a row limit and a byte limit. It answers on stdout with one JSON header
line, then the rows as an Arrow IPC stream.

Everything it prints comes from here; nothing from the query is executed by the parent.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import resource
import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.ipc

BATCH_ROWS = 2_048


def status_bytes(field: str, pid: int | str = "self") -> int:
    """A memory field of /proc/<pid>/status (VmRSS, VmHWM, VmSize) in bytes; 0 when the process
    is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cap_memory(budget: int) -> None:
    """Resident memory stays within `budget`: what is resident now plus every new mapping."""
    room = budget - status_bytes("VmRSS")
    limit = status_bytes("VmSize") + max(room, 0)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def answer(out, header: dict, payload: bytes = b"") -> None:
    header["peak_bytes"] = status_bytes("VmHWM")
    out.write(json.dumps(header).encode() + b"\n")
    out.write(payload)
    out.flush()


def connect(db: str, duckdb_memory: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        db,
        read_only=True,
        config={
            "enable_external_access": False,
            "memory_limit": duckdb_memory,
            "threads": 1,
            "temp_directory": "",  # nothing spills to disk
            "lock_configuration": True,
        },
    )


def run(con: duckdb.DuckDBPyConnection, request: dict) -> tuple[dict, bytes]:
    started = time.perf_counter()
    relation = con.sql(request["sql"], params=request["params"] or None)
    reader = relation.to_arrow_reader(BATCH_ROWS)
    batches, rows, size = [], 0, 0
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if size > request["max_bytes"]:
            return {"status": "too_large", "bytes": size}, b""
        if rows > request["limit"]:
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    truncated = table.num_rows > request["limit"]
    table = table.slice(0, request["limit"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    seconds = time.perf_counter() - started
    header = {"status": "ok", "truncated": truncated, "seconds": seconds}
    return header, sink.getvalue().to_pybytes()


def main() -> int:
    budget, duckdb_memory, db = sys.argv[1:4]
    con = connect(db, duckdb_memory)
    cap_memory(int(budget))
    os.nice(10)  # the app's own sessions come first
    out = sys.stdout.buffer
    out.write(b"ready\n")
    out.flush()
    try:
        request = pickle.load(sys.stdin.buffer)
    except EOFError:  # the parent let the spare go
        return 0
    try:
        header, payload = run(con, request)
    except MemoryError:
        header, payload = {"status": "memory"}, b""
    except Exception as error:  # DuckDB's own words for a query it cannot run
        detail = _without_set_advice(_first_line(error))
        # DuckDB reports Arrow's failed allocations under other exception types.
        status = "memory" if detail.startswith("Out of Memory Error") else "failed"
        header, payload = {"status": status, "detail": detail}, b""
    answer(out, header, payload)
    return 0


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


# DuckDB's advice to change a setting ("..., or SET error_on_division_by_zero=false to ...") points
# at a statement the console refuses: the advice goes, the rest of its words stay.
_SET_ADVICE = re.compile(r",? or SET \w+\s*=[^.]*\.")


def _without_set_advice(detail: str) -> str:
    return _SET_ADVICE.sub(".", detail)


if __name__ == "__main__":
    sys.exit(main())
