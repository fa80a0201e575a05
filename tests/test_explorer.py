"""The explorer returns what independent code returns on the DuckDB file, pages and downloads what
it shows, keeps its state in the URL, and never lets a name from a link into the SQL."""

from __future__ import annotations

import io
import os

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from maillon.data import catalog, queries
from maillon.data.filters import FilterOptions, Filters
from maillon.data.queries import READ_ONLY_CONFIG
from maillon.exports import downloads
from maillon.figures import explorer
from maillon.i18n import number
from tests.conftest import APP
from tests.page_helpers import page_file


def open_page(page: str, **query) -> AppTest:
    """The page `page` (its URL name) opened with `query` in the URL, as a shared link would."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    # The first run rewrote the URL to the global filters; a link opened on the page keeps it all.
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page_file(page)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def whole_table(db, name: str) -> pl.DataFrame:
    """Independent read of a table, in stored order, on a connection of our own."""
    con = duckdb.connect(os.path.realpath(db), read_only=True, config=READ_ONLY_CONFIG)
    try:
        return con.sql(f'SELECT * FROM "{name}"').pl()
    finally:
        con.close()


@pytest.fixture(scope="module")
def tables(built_db):
    return catalog.load()


@pytest.fixture(scope="module")
def options(built_db):
    return FilterOptions.from_frame(queries.run("filter_options"))


def _scope(options, **chosen) -> explorer.Scope:
    years = chosen.pop("years", (options.years[0], options.years[-1]))
    return explorer.Scope(Filters(*years, **chosen), options)


def test_the_catalog_lists_every_table_with_its_columns(built_db, tables):
    con = duckdb.connect(os.path.realpath(built_db), read_only=True, config=READ_ONLY_CONFIG)
    expected = {
        t: [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "ORDER BY column_index",
                [t],
            ).fetchall()
        ]
        for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    con.close()
    assert {t.name: list(t.column_names) for t in tables.tables} == expected
    assert tables.tables[0].derived and not tables.table("operator").derived


def test_global_filters_facets_and_ranges_match_independent_code(built_db, tables, options):
    full = whole_table(built_db, "market_revenue")
    years = (options.years[1], options.years[-2]) if len(options.years) > 2 else options.years
    kinds = tuple(full["kind_id"].unique().sort().to_list()[:2])
    in_scope = full.filter(pl.col("year").is_between(*years), pl.col("kind_id").is_in(kinds))
    domain = in_scope["domain_id"].mode().sort()[0]
    in_domain = in_scope.filter(pl.col("domain_id") == domain)["revenue_eur"]
    low = float(in_domain.cast(pl.Float64).median())
    scope = _scope(options, years=years, kind=kinds)
    view = explorer.View(
        "market_revenue", facets={"domain_id": (domain,)}, ranges={"revenue_eur": (str(low), "")}
    )
    expected = in_scope.filter(
        pl.col("domain_id") == domain, pl.col("revenue_eur").cast(pl.Float64) >= low
    )
    assert expected.height > 0, "the demo data should have rows in this scope"
    assert explorer.count(view, tables, scope) == expected.height
    assert explorer.page(view, tables, scope).equals(expected.head(explorer.PAGE_SIZE))

    # A facet's counts leave its own choice out, and keep every other filter.
    counts = explorer.value_counts(view, tables, scope, "domain_id")
    independent = (
        in_scope.filter(pl.col("revenue_eur").cast(pl.Float64) >= low).group_by("domain_id").len()
    )
    assert dict(counts.iter_rows()) == dict(independent.iter_rows())
    low_seen, high_seen = explorer.column_range(view, tables, scope, "revenue_eur")
    assert (low_seen, high_seen) == (in_domain.min(), in_domain.max())


def test_the_year_filter_applies_only_when_narrowed(built_db, tables, options):
    full = whole_table(built_db, "establishment_population")
    everything = _scope(options)
    assert explorer.applied_scope(tables.table("establishment_population"), everything) == []
    assert explorer.count(explorer.View("establishment_population"), tables, everything) == (
        full.height
    )
    last = options.years[-1]
    narrowed = _scope(options, years=(last, last))
    expected = full.filter(pl.col("month").dt.year() == last).height
    assert explorer.count(explorer.View("establishment_population"), tables, narrowed) == expected


def test_contracts_are_in_a_period_when_they_overlap_it(built_db, tables, options):
    full = whole_table(built_db, "contract")
    year = options.years[-1]
    scope = _scope(options, years=(year, year))
    expected = full.filter(
        pl.col("start_date").dt.year() <= year, pl.col("end_date").dt.year() >= year
    )
    assert explorer.count(explorer.View("contract"), tables, scope) == expected.height


def test_entity_tables_take_the_filters_that_apply(built_db, tables, options):
    """establishment has DISP, type and région (département code overseas, as everywhere)."""
    full = whole_table(built_db, "establishment")
    overseas = [r for r in options.values["region"] if r not in full["region_code"].to_list()]
    regions = ("84", *overseas[:1])
    scope = _scope(options, region=regions, type=("MA", "CP"))
    region = pl.coalesce("region_code", "departement_code")
    expected = full.filter(region.is_in(regions), pl.col("type_code").is_in(["MA", "CP"]))
    view = explorer.View("establishment")
    assert explorer.applied_scope(tables.table("establishment"), scope) == ["region", "type"]
    assert explorer.count(view, tables, scope) == expected.height
    assert explorer.page(view, tables, scope).equals(expected.head(explorer.PAGE_SIZE))


@pytest.mark.parametrize("text", ["Rennes", "  lyon ", "100%_'\"; DROP TABLE operator; --"])
def test_search_looks_for_the_text_in_every_text_column(built_db, tables, options, text):
    full = whole_table(built_db, "establishment")
    needle = text.strip().lower()
    text_columns = [c for c, dtype in full.schema.items() if dtype == pl.String]
    expected = full.filter(
        pl.any_horizontal(
            pl.col(c).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
            for c in text_columns
        )
    )
    view = explorer.View("establishment", search=text)
    assert explorer.count(view, tables, _scope(options)) == expected.height


def test_pages_follow_each_other(built_db, tables, options):
    full = whole_table(built_db, "establishment")
    scope = _scope(options)
    second = explorer.page(explorer.View("establishment", page=2), tables, scope)
    assert second.equals(full.slice(explorer.PAGE_SIZE, explorer.PAGE_SIZE))
    assert explorer.page_count(full.height) == -(-full.height // explorer.PAGE_SIZE)


def _read_back(data: bytes, fmt: str, like: pl.DataFrame) -> pl.DataFrame:
    if fmt == "csv":
        return pl.read_csv(io.BytesIO(data), schema=like.schema)
    if fmt == "xlsx":
        return pl.read_excel(io.BytesIO(data)).cast(like.schema)
    return pl.read_parquet(io.BytesIO(data))


@pytest.mark.parametrize("fmt", list(downloads.FORMATS))
@pytest.mark.parametrize("table", ["market_revenue", "contract", "establishment"])
def test_downloads_read_back_equal_to_the_filtered_rows(built_db, tables, options, fmt, table):
    full = whole_table(built_db, table)
    text_column = next(c for c, dtype in full.schema.items() if dtype == pl.String)
    value = full[text_column].mode().sort()[0]
    view = explorer.View(table, facets={text_column: (value,)})
    expected = full.filter(pl.col(text_column) == value)
    frame, cut = explorer.rows_for_download(view, tables, _scope(options), fmt, whole=False)
    assert not cut and frame.equals(expected)
    assert _read_back(downloads.to_bytes(frame, fmt), fmt, expected).equals(expected)
    whole, cut = explorer.rows_for_download(view, tables, _scope(options), fmt, whole=True)
    assert not cut and whole.equals(full)


def test_downloads_are_capped_with_the_configured_limit(built_db, tables, options, monkeypatch):
    monkeypatch.setenv("MAILLON_DOWNLOAD_MAX_ROWS", "7")
    frame, cut = explorer.rows_for_download(
        explorer.View("establishment"), tables, _scope(options), "parquet", whole=True
    )
    assert frame.height == 7 and cut
    monkeypatch.setenv("MAILLON_DOWNLOAD_MAX_ROWS", "5000000")
    assert downloads.max_rows("xlsx") == downloads.EXCEL_MAX_ROWS == 1_048_575
    assert downloads.max_rows("csv") == 5_000_000


def test_the_view_goes_to_the_url_and_back():
    view = explorer.View(
        "market_revenue",
        facets={"domain_id": ("canteen", "catering"), "kind_id": ("scop",)},
        ranges={"year": ("2021", "2023"), "revenue_eur": ("", "5000.5")},
        search="Lyon: a..b",
        page=3,
    )
    url = {k: v if isinstance(v, list) else [v] for k, v in explorer.to_url(view).items()}
    assert explorer.from_url(url, "x") == view


def test_names_from_a_link_never_reach_the_sql(tables):
    url = {
        "_table": ['operator"; DROP TABLE operator; --'],
        "_facet": ["kind_id:scop"],
    }
    view, dropped = explorer.safe_view(url, tables)
    assert view == explorer.View(tables.names[0]) and dropped == [url["_table"][0]]
    url = {
        "_table": ["operator"],
        "_facet": ['name" OR 1=1 --:x', "kind_id:scop", "is_grouping:true"],
        "_range": ["kind_id:a..b", "year:1..2", "no_such:1..2"],
        "_page": ["-4"],
    }
    view, dropped = explorer.safe_view(url, tables)
    assert view.facets == {"kind_id": ("scop",), "is_grouping": ("true",)}
    assert view.ranges == {} and view.page == 1
    assert sorted(dropped) == sorted(['name" OR 1=1 --', "kind_id", "year", "no_such"])
    with pytest.raises(catalog.UnknownIdentifier):
        tables.table("operator").column("x")
    assert catalog.quote('a"b') == '"a""b"'


# ---------------------------------------------------------------- the page


def test_explorer_page_in_french_reproduces_a_link(built_db, options):
    full = whole_table(built_db, "establishment")
    at = open_page("explorer", _table="establishment", _facet="type_code:MA", _q="rennes")
    assert at.title[0].value == "Explorateur de données"
    expected = full.filter(
        pl.col("type_code") == "MA",
        pl.any_horizontal(
            pl.col(c).fill_null("").str.to_lowercase().str.contains("rennes", literal=True)
            for c, dtype in full.schema.items()
            if dtype == pl.String
        ),
    )
    assert at.metric[0].label == "Lignes"
    assert at.metric[0].value == str(expected.height)
    assert at.dataframe[0].value.shape == (expected.height, full.width)
    assert at.multiselect(key="explorer_facet_establishment_type_code_fr").value == ["MA"]
    assert [b.label for b in at.get("download_button")] == [
        "Télécharger en CSV",
        "Télécharger en Excel (XLSX)",
        "Télécharger en Parquet",
    ]
    assert not at.warning


def test_explorer_page_in_english_marks_illustrative_tables(built_db):
    at = open_page("explorer", lang="en", _table="contract")
    assert at.title[0].value == "Data explorer"
    assert any("Illustrative data" in i.value for i in at.info)
    at = open_page("explorer", lang="en", _table="establishment")
    assert not any("Illustrative data" in i.value for i in at.info)


def test_choosing_a_facet_value_writes_it_to_the_url(built_db):
    at = open_page("explorer", lang="en", _table="operator")
    at.multiselect(key="explorer_columns_operator_en").set_value(["kind_id"]).run()
    at.multiselect(key="explorer_facet_operator_kind_id_en").set_value(["scop"]).run()
    assert at.query_params["_facet"] in ("kind_id:scop", ["kind_id:scop"])
    assert at.query_params["_table"] in ("operator", ["operator"])


def test_a_broken_explorer_link_shows_a_notice(built_db):
    at = open_page("explorer", _table="nope", _facet="x:y")
    assert any("ignorés" in w.value for w in at.warning)
    assert at.dataframe


def test_range_bounds_go_from_widgets_to_the_url_and_back(tables):
    year = tables.table("market_revenue").column("year")
    month = tables.table("establishment_population").column("month")
    assert explorer.bound_text("2021", "fr") == "2021"
    assert explorer.bound_text("12,5", "fr") == "12.5" == explorer.bound_text("12.5", "en")
    assert explorer.bound_text("", "fr") == "" == explorer.bound_text(None, "en")
    assert explorer.typed_bound(year, "2021") == 2021.0
    date_bound = explorer.typed_bound(month, "2024-03-01")
    assert explorer.bound_text(date_bound, "fr") == "2024-03-01"
    # Shown the reader's way, every digit kept, a year not grouped; and read back the same.
    assert explorer.bound_shown(year, "2021", "fr") == "2021"
    assert explorer.bound_shown(year, "12.5", "fr") == "12,5"
    assert explorer.bound_shown(year, "1234567.25", "en") == "1,234,567.25"
    assert explorer.bound_text("  ", "fr") == ""  # spaces only: an open bound
    with pytest.raises(ValueError):
        explorer.typed_bound(year, "inf")
    assert explorer.bound_shown(year, "", "fr") == ""
    assert explorer.bound_shown(month, "2024-03-01", "fr") == date_bound
    for text in ("2021", "12.5", "0.001", "-3.75"):
        assert explorer.bound_text(explorer.bound_shown(year, text, "fr"), "fr") == text
    with pytest.raises(ValueError):
        explorer.bound_text("12.5", "en") and explorer.bound_text("douze", "fr")


def test_a_date_range_facet_filters_like_independent_code(built_db, tables):
    full = whole_table(built_db, "establishment_population")
    months = full["month"].unique().sort()
    low, high = months[1], months[-2]
    view = explorer.View("establishment_population", ranges={"month": (str(low), str(high))})
    expected = full.filter(pl.col("month").is_between(low, high))
    assert explorer.count(view, tables, explorer.NO_SCOPE) == expected.height


def test_a_range_link_fills_the_range_inputs(built_db):
    full = whole_table(built_db, "market_revenue")
    at = open_page("explorer", lang="en", _table="market_revenue", _range="year:2021..2022")
    expected = full.filter(pl.col("year").is_between(2021, 2022)).height
    assert at.metric[0].value == f"{expected:,}"
    assert at.text_input(key="explorer_low_market_revenue_year_en").value == "2021"
    at.text_input(key="explorer_high_market_revenue_year_en").set_value("2021").run()
    expected = full.filter(pl.col("year") == 2021).height
    assert at.metric[0].value == f"{expected:,}"
    assert at.query_params["_range"] in ("year:2021..2021", ["year:2021..2021"])


def test_a_range_bound_is_typed_the_readers_way_or_refused_where_it_was_typed(built_db):
    full = whole_table(built_db, "market_revenue")
    column = "revenue_eur"
    at = open_page("explorer", lang="fr", _table="market_revenue", _range=f"{column}:..")
    low_key = f"explorer_low_market_revenue_{column}_fr"
    assert at.text_input(key=low_key).value == ""
    # A French decimal comma and grouped thousands: 1 234 567,5, not 12 345 675.
    at.text_input(key=low_key).set_value("1 234 567,5").run()
    expected = number(full.filter(pl.col(column) >= 1_234_567.5).height, "fr")
    assert at.metric[0].value == expected
    assert f"{column}:1234567.5.." in str(at.query_params["_range"])
    assert at.text_input(key=low_key).value == "1\u202f234\u202f567,5"
    # Not a number: said beside the field, with the text as typed (never Markdown), the range
    # kept as it was.
    at.text_input(key=low_key).set_value("**un** million").run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert message.startswith("revenue\\_eur \\(de\\)") and "\\*\\*un\\*\\* million" in message
    assert f"{column}:1234567.5.." in str(at.query_params["_range"])
    assert at.metric[0].value == expected
    assert at.text_input(key=low_key).value == "1\u202f234\u202f567,5"


def test_a_from_bound_above_the_to_bound_is_pointed_out(built_db, tables):
    year = tables.table("market_revenue").column("year")
    assert explorer.crossed(year, "2023", "2021")
    assert not explorer.crossed(year, "2021", "2021") and not explorer.crossed(year, "2023", "")
    month = tables.table("establishment_population").column("month")
    assert explorer.crossed(month, "2025-02-01", "2024-12-01")
    at = open_page("explorer", lang="fr", _table="market_revenue", _range="year:2023..2021")
    assert at.metric[0].value == "0"
    (warning,) = [w.value for w in at.warning if "borne" in w.value]
    assert warning.startswith("year\u00a0: la borne «\u00a0de\u00a0» est au-dessus")
    at.text_input(key="explorer_high_market_revenue_year_fr").set_value("2024").run()
    assert not [w for w in at.warning if "borne" in w.value]
    assert at.metric[0].value != "0"


def test_a_view_without_rows_says_what_to_loosen(built_db):
    at = open_page("explorer", lang="en", _table="establishment", _q="no such text anywhere")
    assert at.metric[0].value == "0"
    assert any(i.value.startswith("No row matches this view.") for i in at.info)
    at = open_page("explorer", lang="en", _table="establishment", _q="rennes")
    assert not any(i.value.startswith("No row matches") for i in at.info)


def test_an_excel_download_names_the_sources_its_rows_cite(built_db, tables, options):
    """The workbook had one sheet, 'Sheet1': once forwarded, it no longer said its sources."""
    from maillon.exports import rows_download

    full = whole_table(built_db, "contract")
    view = explorer.View("contract", facets={"domain_id": ("canteen",)}, search="a")
    table, scope = tables.table("contract"), _scope(options)
    frame, _cut = explorer.rows_for_download(view, tables, scope, "xlsx", whole=False)
    described = rows_download.view_text(view, table, scope, False, "en")
    data = rows_download.file_bytes(frame, "xlsx", "contract", described, "en")
    assert pl.read_excel(io.BytesIO(data), sheet_name="contract").height == frame.height
    head = pl.read_excel(io.BytesIO(data), sheet_name="Sources", has_header=False)
    assert head.item(0, 0).startswith("Rows downloaded: table contract; domain_id : canteen;")
    assert "search “a”" in head.item(0, 0)
    sources = pl.read_excel(io.BytesIO(data), sheet_name="Sources", read_options={"header_row": 2})
    cited = frame.group_by("source_id").len()
    assert sorted(sources["source_id"]) == sorted(cited["source_id"])
    assert sources["Rows"].sum() == frame.height
    assert set(sources["provenance"]) <= {"real", "modeled", "illustrative"}
    assert sources["title"].null_count() == 0
    whole = rows_download.view_text(view, table, scope, True, "fr")
    assert whole == "table contract" and full.height > frame.height


def test_a_link_naming_an_unknown_column_is_said_under_the_title(built_db):
    at = open_page("explorer", _table="establishment", _facet="no_such_column:x")
    kinds = [type(element).__name__ for element in at.main]
    assert kinds.index("Title") < kinds.index("Warning")
    assert "no\\_such\\_column" in at.warning[0].value
