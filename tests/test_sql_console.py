"""The SQL console refuses everything but one read-only SELECT, says why in plain words, stops a
runaway query at the time limit, and never holds up other sessions."""

import threading
import time

import pytest

from maillon import catalog, queries, sql_console
from tests.test_explorer import open_page

ONLY_SELECT = "Only SELECT queries are accepted; this one is a {} statement."
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
    ("INSTALL httpfs", ONLY_SELECT.format("LOAD")),
    ("LOAD httpfs", ONLY_SELECT.format("LOAD")),
    ("SET enable_external_access = true", ONLY_SELECT.format("SET")),
    ("RESET enable_external_access", ONLY_SELECT.format("SET")),
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
    ("IMPORT DATABASE '/tmp/dump'", ONLY_SELECT.format("PRAGMA")),
    ("CALL pragma_version()", ONLY_SELECT.format("CALL")),
    ("CHECKPOINT", ONLY_SELECT.format("CALL")),
    ("EXPLAIN SELECT * FROM operator", ONLY_SELECT.format("EXPLAIN")),
    ("BEGIN TRANSACTION", ONLY_SELECT.format("TRANSACTION")),
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
]


@pytest.fixture(scope="module")
def tables(built_db):
    return catalog.load()


def _message(text: str, tables, lang: str = "en", timeout: float = 5) -> str:
    with pytest.raises((sql_console.Refused, sql_console.Failed, sql_console.TimedOut)) as caught:
        sql_console.run(text, tables, timeout=timeout)
    return sql_console.message(caught.value, lang)


def test_the_battery_is_large_enough():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize(("text", "expected"), HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_hostile_statements_are_refused_with_a_clear_message(tables, text, expected):
    assert _message(text, tables) == expected


def test_nothing_was_written(built_db, tables):
    """After the battery, the database still has its operators and no new table."""
    assert sql_console.run("SELECT count(*) AS n FROM operator", tables).frame["n"][0] > 0
    assert "stolen" not in catalog.load().names


def test_a_syntax_error_is_reported_with_duckdbs_words(tables):
    message = _message("SELEC 1", tables)
    assert message.startswith("The query does not parse: Parser Error: syntax error")


def test_a_runaway_cross_join_is_interrupted_at_the_time_limit(tables):
    started = time.perf_counter()
    message = _message(
        "SELECT count(*) FROM range(1e9::BIGINT) a, range(1e9::BIGINT) b", tables, timeout=0.5
    )
    assert message == (
        "The query was interrupted after 0.5 s. "
        "Add a filter, aggregate more or limit the number of rows."
    )
    assert time.perf_counter() - started < 5


def test_the_time_limit_comes_from_the_settings(monkeypatch):
    monkeypatch.setenv("MAILLON_SQL_TIMEOUT_SECONDS", "2.5")
    assert sql_console.timeout_seconds() == 2.5


def test_other_sessions_are_served_while_a_long_query_runs(built_db, tables):
    outcome = {}

    def runaway():
        try:
            sql_console.run(
                "SELECT count(*) FROM range(1e9::BIGINT) a, range(1e9::BIGINT) b",
                tables,
                timeout=4,
            )
        except sql_console.TimedOut as error:
            outcome["timed_out"] = error.seconds

    worker = threading.Thread(target=runaway)
    worker.start()
    time.sleep(0.5)
    started = time.perf_counter()
    frame = queries.run("filter_options", cached=False)
    elapsed = time.perf_counter() - started
    worker.join()
    assert frame.height > 0
    assert elapsed < 1.0, f"a normal query waited {elapsed:.2f} s behind the runaway one"
    assert outcome == {"timed_out": 4}


def test_a_semicolon_inside_a_string_is_allowed(tables):
    result = sql_console.run("SELECT 'a;b' AS text", tables)
    assert result.frame["text"].to_list() == ["a;b"]


def test_ordinary_queries_run(tables):
    for text in (
        "SELECT count(*) AS n FROM market_revenue;",
        "WITH k AS (SELECT kind_id FROM operator_kind) SELECT count(*) AS n FROM k -- done",
        "FROM operator_kind",
        "DESCRIBE operator",
        "SELECT * FROM range(3) r, unnest([1, 2]) u",
    ):
        assert sql_console.run(text, tables).frame.height > 0, text


def test_results_are_capped_and_say_so(tables):
    result = sql_console.run("SELECT * FROM range(25)", tables, limit=10)
    assert result.frame.height == 10 and result.truncated
    whole = sql_console.run("SELECT * FROM range(10)", tables, limit=10)
    assert whole.frame.height == 10 and not whole.truncated


def test_downloads_hold_the_whole_result_up_to_the_cap(tables, monkeypatch):
    frame, cut = sql_console.rows_for_download("SELECT * FROM range(12000)", tables, "csv")
    assert frame.height == 12000 and not cut
    monkeypatch.setenv("MAILLON_DOWNLOAD_MAX_ROWS", "100")
    frame, cut = sql_console.rows_for_download("SELECT * FROM range(12000)", tables, "parquet")
    assert frame.height == 100 and cut


def test_messages_exist_in_french(tables):
    assert _message("DROP TABLE operator", tables, "fr") == (
        "Seules les requêtes SELECT sont acceptées ; celle-ci est de type DROP."
    )


# ---------------------------------------------------------------- the page


def test_console_page_runs_a_query_from_the_url_in_french(built_db):
    at = open_page("sql", _sql="SELECT kind_id, count(*) AS n FROM operator GROUP BY ALL")
    assert at.title[0].value == "Console SQL"
    assert at.dataframe[0].value.columns.tolist() == ["kind_id", "n"]
    assert any(c.value.endswith("s.") and "lignes en" in c.value for c in at.caption)
    assert not at.error


def test_console_page_refuses_in_english(built_db):
    at = open_page("sql", lang="en", _sql="COPY operator TO '/tmp/x.csv'")
    assert at.title[0].value == "SQL console"
    assert [e.value for e in at.error] == [ONLY_SELECT.format("COPY")]
    assert not at.dataframe


def test_console_page_runs_what_is_typed(built_db):
    at = open_page("sql", lang="en")
    at.text_area(key="sql_editor_en").set_value("SELECT 42 AS answer")
    at.button(key="sql_run").click().run()
    assert at.dataframe[0].value["answer"].tolist() == [42]
    assert at.query_params["_sql"] in ("SELECT 42 AS answer", ["SELECT 42 AS answer"])
