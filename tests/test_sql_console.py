"""The SQL console refuses everything but one read-only SELECT, says why in plain words, and
cannot hurt the server: whatever a visitor types runs in a worker process that is stopped at the
time limit, kept within the memory budget and capped in bytes, while other sessions are served."""

import os
import threading
import time

import pytest

from maillon.data import catalog, queries, sandbox
from maillon.figures import ready_queries, sql
from maillon.web import ui
from tests.proc_memory import PeakWatcher, status_bytes
from tests.test_explorer import open_page

ONLY_SELECT = "Only SELECT queries are accepted, not {}."
FUNCTION = (
    "The table function {} is not allowed in the console "
    "(only range, generate_series and unnest are)."
)
TABLE = (
    "“{}” is not a table of Maillon: the console reads only the database's tables "
    "(see the data dictionary)."
)
SEVERAL = "One query at a time: the text holds {}."

SETTING = "The function {} is not allowed in the console: it reads the server's configuration."

HOSTILE = [
    # Settings that reveal paths on the server.
    ("SELECT current_setting('temp_directory')", SETTING.format("current_setting")),
    # Files read through table functions, also hidden in a subquery or an expression.
    ("SELECT * FROM read_csv('/etc/passwd')", FUNCTION.format("read_csv")),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", FUNCTION.format("read_csv_auto")),
    ("SELECT * FROM read_text('/etc/passwd')", FUNCTION.format("read_text")),
    ("SELECT content FROM read_blob('/etc/shadow')", FUNCTION.format("read_blob")),
    ("SELECT * FROM read_json('/etc/passwd')", FUNCTION.format("read_json")),
    ("SELECT * FROM read_parquet('data/x.parquet')", FUNCTION.format("read_parquet")),
    ("SELECT * FROM parquet_metadata('data/x.parquet')", FUNCTION.format("parquet_metadata")),
    ("SELECT * FROM sniff_csv('/etc/passwd')", FUNCTION.format("sniff_csv")),
    ("SELECT * FROM glob('/*')", FUNCTION.format("glob")),
    ("SELECT (SELECT count(*) FROM glob('/etc/*')) AS n", FUNCTION.format("glob")),
    (
        "SELECT * FROM operator WHERE name IN (SELECT * FROM read_text('/etc/hosts'))",
        FUNCTION.format("read_text"),
    ),
    ("SELECT * FROM '/etc/passwd'", TABLE.format("/etc/passwd")),
    ("FROM 'data/maillon.duckdb'", TABLE.format("data/maillon.duckdb")),
    # The system's catalog and settings, and queries run from a string.
    ("SELECT * FROM duckdb_settings()", FUNCTION.format("duckdb_settings")),
    ("SELECT * FROM duckdb_secrets()", FUNCTION.format("duckdb_secrets")),
    ("SELECT * FROM pragma_database_size()", FUNCTION.format("pragma_database_size")),
    ("SELECT * FROM query('SELECT 1')", FUNCTION.format("query")),
    ("SELECT * FROM query_table('operator')", FUNCTION.format("query_table")),
    ("SELECT * FROM system.main.operator", TABLE.format("system.main.operator")),
    # Statements that are not SELECT.
    ("COPY operator TO '/tmp/operators.csv'", ONLY_SELECT.format("COPY")),
    ("COPY (SELECT * FROM operator) TO '/tmp/operators.parquet'", ONLY_SELECT.format("COPY")),
    ("ATTACH '/tmp/other.duckdb' AS other", ONLY_SELECT.format("ATTACH")),
    ("DETACH other", ONLY_SELECT.format("DETACH")),
    ("INSTALL httpfs", ONLY_SELECT.format("INSTALL")),
    ("LOAD httpfs", ONLY_SELECT.format("LOAD")),
    ("SET enable_external_access = true", ONLY_SELECT.format("SET")),
    ("RESET enable_external_access", ONLY_SELECT.format("RESET")),
    ("PRAGMA database_list", ONLY_SELECT.format("PRAGMA")),
    ("CREATE TABLE stolen AS SELECT * FROM operator", ONLY_SELECT.format("CREATE")),
    (
        "INSERT INTO operator VALUES ('x', 'x', 'scop', false, 'real', 'maillon_demo')",
        ONLY_SELECT.format("INSERT"),
    ),
    ("UPDATE operator SET name = 'pwned'", ONLY_SELECT.format("UPDATE")),
    ("DELETE FROM operator", ONLY_SELECT.format("DELETE")),
    ("DROP TABLE operator", ONLY_SELECT.format("DROP")),
    ("ALTER TABLE operator ADD COLUMN x INTEGER", ONLY_SELECT.format("ALTER")),
    ("EXPORT DATABASE '/tmp/dump'", ONLY_SELECT.format("EXPORT")),
    ("IMPORT DATABASE '/tmp/dump'", ONLY_SELECT.format("IMPORT")),
    ("CALL pragma_version()", ONLY_SELECT.format("CALL")),
    ("CHECKPOINT", ONLY_SELECT.format("CHECKPOINT")),
    ("EXPLAIN SELECT * FROM operator", ONLY_SELECT.format("EXPLAIN")),
    ("BEGIN TRANSACTION", ONLY_SELECT.format("BEGIN")),
    ("SET VARIABLE x = 1", ONLY_SELECT.format("SET")),
    # Several statements, including a second one hidden after or inside a comment.
    ("SELECT 1; DROP TABLE operator", SEVERAL.format(2)),
    ("SELECT 1 /* harmless */; DELETE FROM operator", SEVERAL.format(2)),
    ("SELECT 1 -- just one\n; COPY operator TO '/tmp/x.csv'", SEVERAL.format(2)),
    ("/* SELECT 1; */ DROP TABLE operator", ONLY_SELECT.format("DROP")),
    # A write wrapped in a CTE.
    (
        "WITH gone AS (DELETE FROM operator RETURNING *) SELECT * FROM gone",
        ONLY_SELECT.format("DELETE"),
    ),
    (
        "WITH x AS (UPDATE operator SET name = 'a' RETURNING *) SELECT count(*) FROM x",
        ONLY_SELECT.format("UPDATE"),
    ),
    ("", "The query is empty: write a SELECT query."),
    # Statement kinds that DuckDB files under another type are named as written.
    ("FORCE CHECKPOINT", ONLY_SELECT.format("FORCE")),
    ("TRUNCATE operator", ONLY_SELECT.format("TRUNCATE")),
    ("USE memory", ONLY_SELECT.format("USE")),
    ("VACUUM", ONLY_SELECT.format("VACUUM")),
    ("  /* hidden */ create macro m() AS 1", ONLY_SELECT.format("CREATE")),
    ("UPDATE EXTENSIONS", ONLY_SELECT.format("UPDATE")),
    ("DETACH DATABASE IF EXISTS x", ONLY_SELECT.format("DETACH")),
    # A CTE's name is known only inside the query that defines it.
    (
        'SELECT * FROM (WITH "/etc/passwd" AS (SELECT 1) SELECT 1) t, "/etc/passwd"',
        TABLE.format("/etc/passwd"),
    ),
    (
        'SELECT (WITH "data.csv" AS (SELECT 1 AS a) SELECT a FROM "data.csv") AS a FROM "data.csv"',
        TABLE.format("data.csv"),
    ),
    (
        "WITH a AS (SELECT 1) SELECT * FROM (SELECT * FROM '/etc/hosts') x, a",
        TABLE.format("/etc/hosts"),
    ),
    # A refusal quotes the user's text: a link in it is shown as text (see the page tests).
    (
        'SELECT * FROM "[Session expired: log in again](http://127.0.0.1:9/phish)"',
        TABLE.format("[Session expired: log in again](http://127.0.0.1:9/phish)"),
    ),
    # Configuration and files through scalar functions and other table functions.
    ("SELECT getvariable('x')", SETTING.format("getvariable")),
    ("SELECT * FROM read_ndjson_objects('/etc/passwd')", FUNCTION.format("read_ndjson_objects")),
    ("SELECT * FROM duckdb_databases()", FUNCTION.format("duckdb_databases")),
    ("SELECT * FROM duckdb_extensions()", FUNCTION.format("duckdb_extensions")),
    ("SELECT * FROM which_secret('s3://x', 's3')", FUNCTION.format("which_secret")),
    ("SELECT * FROM pragma_table_info('operator')", FUNCTION.format("pragma_table_info")),
    (
        "SELECT 1 " + "-- padding\n" * 2_000,
        "The query is 22,009 characters long; the console takes at most 20,000.",
    ),
]

# Statements that are allowed but would take the server's memory, time or bandwidth: each must
# stop with a clear message, within the time limit + 1 s and the memory budget.
# Runs for hours on little memory (a cross join whose inner side is small).
CPU_BOUND = "SELECT sum(hash(a.range * b.range)) FROM range(100000) a, range(100000) b"
BOUNDED = [
    "SELECT unnest(range(3000000000))",
    "SELECT unnest(range(100000000))",
    "SELECT repeat('x', 100000000) AS s FROM range(15)",
    "SELECT repeat('x', 10000000) AS s FROM range(30)",
    "SELECT count(*) FROM range(1e9::BIGINT) a, range(1e9::BIGINT) b",
    CPU_BOUND,
    "SELECT list(range) FROM range(400000000)",
    "SELECT string_agg(repeat('x', 1000), ',') FROM range(3000000)",
    "SELECT * FROM range(300000000) ORDER BY random()",
    "SELECT range % 1000 AS k, list(range) FROM range(300000000) GROUP BY k",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r",
    "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r) SELECT length(s) FROM r",
    "SELECT count(DISTINCT range) FROM range(2000000000)",
    "SELECT range(100000000)",
    "SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b",
]


@pytest.fixture(scope="module")
def tables(built_db):
    return catalog.load()


def _message(text: str, tables, lang: str = "en", timeout: float = 5) -> str:
    with pytest.raises((sql.Refused, sandbox.Stopped)) as caught:
        sql.run(text, tables, timeout=timeout)
    return sql.message(caught.value, lang)


def test_the_battery_is_large_enough():
    assert len(HOSTILE) + len(BOUNDED) >= 60


@pytest.mark.parametrize(("text", "expected"), HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_hostile_statements_are_refused_with_a_clear_message(tables, text, expected):
    assert _message(text, tables) == expected


def test_nothing_was_written(built_db, tables):
    """After the battery, the database still has its operators and no new table."""
    assert sql.run("SELECT count(*) AS n FROM operator", tables).frame["n"][0] > 0
    assert "stolen" not in catalog.load().names


def test_a_syntax_error_is_reported_with_duckdbs_words(tables):
    message = _message("SELEC 1", tables)
    assert message.startswith("The query does not parse: Parser Error: syntax error")


def test_duckdbs_advice_to_set_a_setting_is_left_out(tables):
    """DuckDB advises 'SET error_on_division_by_zero=false', a statement the console refuses."""
    message = _message("SELECT 1 // 0 AS x", tables)
    assert message.endswith("Use TRY(...) to return NULL for this expression.")
    assert "Division by zero" in message and "SET" not in message


LIMIT = 2.0


@pytest.mark.parametrize("text", BOUNDED, ids=[b[:40] for b in BOUNDED])
def test_heavy_statements_stop_within_time_memory_and_bytes(tables, text):
    sandbox.warm()
    time.sleep(1.5)  # a spare worker is ready, as on a page already open
    before = status_bytes(os.getpid())
    started = time.perf_counter()
    with PeakWatcher() as peak, pytest.raises(sandbox.Stopped) as stopped:
        sql.run(text, tables, timeout=LIMIT)
    elapsed = time.perf_counter() - started
    assert stopped.value.key in ("timed_out", "memory", "too_large"), stopped.value.key
    assert elapsed < LIMIT + 1, f"{elapsed:.2f} s"
    budget = sandbox.memory_budget()
    assert peak.child < budget, f"worker peaked at {peak.child >> 20} MB"
    assert stopped.value.peak_bytes < budget
    assert peak.own - before < 100 * sandbox.MB, f"server grew by {(peak.own - before) >> 20} MB"
    assert sql.message(stopped.value, "en")


def test_a_stopped_query_says_why(tables):
    def _said(text: str) -> str:
        return _message(text, tables, timeout=LIMIT)

    assert _said(CPU_BOUND) == (
        "The query was stopped after 2 s. Add a filter, aggregate more or limit the number of rows."
    )
    assert _said("SELECT unnest(range(3000000000))") == (
        "The query was stopped: it needed more than the memory allowed to one query (1,024 MB). "
        "Aggregate more, or select fewer columns or rows."
    )
    assert _said("SELECT repeat('x', 10000000) AS s FROM range(10)") == (
        "The result is larger than 32 MB: select fewer columns or rows, or aggregate."
    )


def test_the_server_keeps_no_memory_after_heavy_queries(tables):
    sql.run("SELECT 1 AS warm", tables)
    before = status_bytes(os.getpid())
    for text in BOUNDED[:4]:
        with pytest.raises(sandbox.Stopped):
            sql.run(text, tables, timeout=LIMIT)
    assert status_bytes(os.getpid()) - before < 50 * sandbox.MB


def test_the_limits_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("MAILLON_SQL_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("MAILLON_SQL_MEMORY_MB", "512")
    assert sandbox.timeout_seconds() == 2.5
    assert sandbox.memory_budget() == 512 * sandbox.MB


def test_other_sessions_are_served_while_a_long_query_runs(built_db, tables):
    outcome = {}

    def runaway():
        try:
            sql.run(
                CPU_BOUND,
                tables,
                timeout=4,
            )
        except sandbox.Stopped as error:
            outcome["stopped"] = error.key

    worker = threading.Thread(target=runaway)
    worker.start()
    time.sleep(0.5)
    started = time.perf_counter()
    frame = queries.run("filter_options", cached=False)
    elapsed = time.perf_counter() - started
    worker.join()
    assert frame.height > 0
    assert elapsed < 1.0, f"a normal query waited {elapsed:.2f} s behind the runaway one"
    assert outcome == {"stopped": "timed_out"}


def test_more_queries_than_workers_wait_then_are_told_the_console_is_busy(tables, monkeypatch):
    monkeypatch.setattr(sandbox, "_slots", None)
    monkeypatch.setenv("MAILLON_SQL_WORKERS", "1")
    runaway = CPU_BOUND
    first = threading.Thread(target=lambda: _message(runaway, tables, timeout=3))
    first.start()
    time.sleep(0.3)
    started = time.perf_counter()
    said = _message("SELECT 1", tables, timeout=1)
    assert time.perf_counter() - started < 2
    first.join()
    assert said == (
        "Other queries are using all the room for visitors' queries: "
        "try again in a moment (waited 1 s)."
    )
    monkeypatch.setattr(sandbox, "_slots", None)


def test_ready_made_queries_with_visitor_values_are_bounded_too(built_db):
    query = ready_queries.by_name("contracts_ending_within")
    started = time.perf_counter()
    with pytest.raises(sandbox.Stopped) as stopped:
        sandbox.run(
            query.sql,
            {"as_of": None, "months": 10**9, "domains": [], "kinds": []},
            limit=10,
            max_bytes=sandbox.MB,
            timeout=LIMIT,
        )
    assert time.perf_counter() - started < LIMIT + 1
    assert stopped.value.key == "failed"


def test_a_semicolon_inside_a_string_is_allowed(tables):
    result = sql.run("SELECT 'a;b' AS text", tables)
    assert result.frame["text"].to_list() == ["a;b"]


def test_ordinary_queries_run(tables):
    for text in (
        "SELECT count(*) AS n FROM market_revenue;",
        "WITH k AS (SELECT kind_id FROM operator_kind) SELECT count(*) AS n FROM k -- done",
        "FROM operator_kind",
        "DESCRIBE operator",
        "SELECT * FROM range(3) r, unnest([1, 2]) u",
    ):
        assert sql.run(text, tables).frame.height > 0, text


def test_results_are_capped_and_say_so(tables):
    result = sql.run("SELECT * FROM range(25)", tables, limit=10)
    assert result.frame.height == 10 and result.truncated
    whole = sql.run("SELECT * FROM range(10)", tables, limit=10)
    assert whole.frame.height == 10 and not whole.truncated


def test_downloads_hold_the_whole_result_up_to_the_cap(tables, monkeypatch):
    frame, cut = sql.rows_for_download("SELECT * FROM range(12000)", tables, "csv")
    assert frame.height == 12000 and not cut
    monkeypatch.setenv("MAILLON_DOWNLOAD_MAX_ROWS", "100")
    frame, cut = sql.rows_for_download("SELECT * FROM range(12000)", tables, "parquet")
    assert frame.height == 100 and cut


def test_messages_exist_in_french(tables):
    assert _message("DROP TABLE operator", tables, "fr") == (
        "Seules les requêtes SELECT sont acceptées, pas DROP."
    )


# ---------------------------------------------------------------- the page


def test_console_page_runs_a_query_from_the_url_in_french(built_db):
    at = open_page("sql", _sql="SELECT kind_id, count(*) AS n FROM operator GROUP BY ALL")
    assert at.title[0].value == "Console SQL"
    assert at.dataframe[0].value.columns.tolist() == ["kind_id", "n"]
    assert any(c.value.endswith("s.") and "lignes en" in c.value for c in at.caption)
    assert not at.error


@pytest.mark.parametrize(
    ("lang", "words"), [("fr", "Plus de 10 000 lignes"), ("en", "More than 10,000 rows")]
)
def test_a_cut_result_never_reads_as_its_count(built_db, lang, words):
    """50,000 rows read '10 000 lignes en 0,63 s.' above the table."""
    at = open_page("sql", lang=lang, _sql="SELECT * FROM range(50000)")
    assert not at.error and at.dataframe[0].value.shape[0] == 10_000
    (line,) = [c.value for c in at.caption if " s." in c.value and "10" in c.value]
    assert line.replace("\u202f", " ").startswith(words)


def test_console_page_refuses_in_english(built_db):
    at = open_page("sql", lang="en", _sql="COPY operator TO '/tmp/x.csv'")
    assert at.title[0].value == "SQL console"
    assert [e.value for e in at.error] == [ui.plain_markdown(ONLY_SELECT.format("COPY"))]
    assert not at.dataframe


def test_console_page_runs_what_is_typed(built_db):
    at = open_page("sql", lang="en")
    at.text_area(key="sql_editor_en").set_value("SELECT 42 AS answer")
    at.button(key="sql_run").click().run()
    assert at.dataframe[0].value["answer"].tolist() == [42]
    assert at.query_params["_sql"] in ("SELECT 42 AS answer", ["SELECT 42 AS answer"])
