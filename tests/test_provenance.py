"""A figure's provenance mark and source line come from the rows behind it: the same demo data
with part of the market value marked real gives a partial mark whose share equals independent
SQL on the base table, and names the real source; all real gives no mark. A source line names
Maillon's own sources in the reader's language and a publisher's title as published."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest

from maillon.charts import cache
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from maillon.figures import methodology, overview
from maillon.i18n import percent, t
from tests.conftest import open_db
from tests.page_helpers import figures, open_page

REAL_SOURCE = "ref_establishments_2026_07"  # a real source of the taxonomy, for the test rows
DEMO_TITLE = {
    "fr": "Jeu de démonstration Maillon (données inventées)",
    "en": "Maillon demonstration data set (invented data)",
}
DEMO_PUBLISHER = {
    "fr": "Maillon (générateur déterministe maillon.demo)",
    "en": "Maillon (deterministic generator maillon.demo)",
}


def _all_real(tmp_path) -> str:
    """The demo files with every row of every file marked real (a real source)."""
    files = tmp_path / "files"
    shutil.copytree(DEMO_DIR, files)
    for path in files.glob("*.csv"):
        frame = pl.read_csv(path, infer_schema=False)
        if "provenance" in frame.columns:
            frame.with_columns(
                pl.lit("real").alias("provenance"), pl.lit(REAL_SOURCE).alias("source_id")
            ).write_csv(path)
    db = tmp_path / "maillon.duckdb"
    build.build(db, files, progress=lambda _line: None)
    return str(db)


def _database(tmp_path, real_years: set[int] | None) -> str:
    """The demo files, with the revenue rows of `real_years` (None: every row) marked real."""
    files = tmp_path / "files"
    shutil.copytree(DEMO_DIR, files)
    revenue = pl.read_csv(files / "contract_revenue.csv", infer_schema=False)
    years = [str(y) for y in real_years or []]
    real = pl.lit(True) if real_years is None else pl.col("year").is_in(years)
    revenue.with_columns(
        pl.when(real).then(pl.lit("real")).otherwise(pl.col("provenance")).alias("provenance"),
        pl.when(real).then(pl.lit(REAL_SOURCE)).otherwise(pl.col("source_id")).alias("source_id"),
    ).write_csv(files / "contract_revenue.csv")
    db = tmp_path / "maillon.duckdb"
    build.build(db, files, progress=lambda _line: None)
    return str(db)


@pytest.fixture()
def use_database(monkeypatch):
    def _use(db: str) -> None:
        monkeypatch.setenv("MAILLON_DB", db)
        queries.clear_cache()
        cache.clear()

    yield _use
    queries.clear_cache()
    cache.clear()


def _illustrative_share(db: str, first: int, last: int) -> float:
    with open_db(db) as con:
        return con.sql(
            "SELECT sum(revenue_eur) FILTER (provenance = 'illustrative') / sum(revenue_eur) "
            "FROM contract_revenue WHERE year BETWEEN $first AND $last",
            params={"first": first, "last": last},
        ).fetchall()[0][0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_part_real_market_value_gives_a_partial_mark_equal_to_sql(tmp_path, use_database, lang):
    db = _database(tmp_path, {2024, 2025})
    use_database(db)
    chart = overview.market_view(Filters(2022, 2025), lang)
    share = _illustrative_share(db, 2022, 2025)
    assert 0 < share < 1
    assert chart.caption.mark == t(lang, "chart.illustrative_mark_part", share=percent(share, lang))
    assert "Densité carcérale" in chart.caption.source  # the real source's title, from its row
    marks = [a.text for a in chart.figure.layout.annotations]
    assert chart.caption.mark in marks
    # Years that are all real: no mark at all.
    real_only = overview.market_view(Filters(2024, 2025), lang)
    assert real_only.caption.mark == ""
    assert "Maillon" not in real_only.caption.source.split("\n")[0].split(";", 1)[1]


def test_all_real_market_value_has_no_mark_and_names_no_demo_source(tmp_path, use_database):
    use_database(_database(tmp_path, None))
    chart = overview.market_view(Filters(2019, 2025), "fr")
    assert chart.caption.mark == ""
    assert "démonstration" not in chart.caption.source
    assert not [a for a in chart.figure.layout.annotations if "ILLUSTRATIVE" in a.text]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_demo_chart_names_the_demo_source_in_the_readers_language(built_db, lang):
    other = "en" if lang == "fr" else "fr"
    source = overview.market_view(Filters(2022, 2025), lang).caption.source
    assert f"{DEMO_TITLE[lang]} ({DEMO_PUBLISHER[lang]}, " in source
    assert DEMO_TITLE[other] not in source and DEMO_PUBLISHER[other] not in source
    # The methodology's table of sources (and the printed reports') reads the same way.
    titles = dict(methodology.sources(lang).select("source_id", "title").iter_rows())
    assert titles["maillon_demo"] == DEMO_TITLE[lang]


def test_a_publishers_own_title_is_cited_as_published_in_english(built_db):
    with open_db(built_db) as con:
        sql = "SELECT title, title_en, publisher_en FROM source WHERE source_id = $id"
        ((title, title_en, publisher_en),) = con.sql(sql, params={"id": REAL_SOURCE}).fetchall()
    assert (title_en, publisher_en) == (None, None)  # empty cells of source.csv
    assert title.startswith("Densité carcérale")
    assert title in overview.market_view(Filters(2022, 2025), "en").caption.source
    titles = dict(methodology.sources("en").select("source_id", "title").iter_rows())
    assert titles[REAL_SOURCE] == title


def test_a_chart_csv_carries_its_mark_and_source_on_every_row(built_db):
    from maillon.exports import downloads

    chart = overview.market_view(Filters(2022, 2025), "fr")
    caption = chart.caption
    rows = downloads.with_provenance(chart.table, caption.mark, caption.source, "fr")
    back = pl.read_csv(downloads.to_bytes(rows, "csv"))
    assert back.height == chart.table.height
    assert set(back["Provenance"]) == {"DONNÉES ILLUSTRATIVES"}
    assert set(back["Source"]) == {" ".join(caption.source.splitlines())}
    real = downloads.with_provenance(chart.table, "", "Source : x.", "en")
    assert set(real["Provenance"]) == {"real"}


@pytest.mark.parametrize("page", ["overview", "money_flow", "outcomes"])
def test_a_page_of_real_rows_shows_no_notice_and_no_mark(tmp_path, use_database, page):
    use_database(_all_real(tmp_path))
    at = open_page(page)
    assert not [i for i in at.info if "illustrative" in i.value.lower()]
    assert figures(at), "the page should draw a chart"
    for spec in figures(at):
        texts = [a["text"] for a in spec["layout"].get("annotations", [])]
        assert not [x for x in texts if "ILLUSTRATIVE" in x or "MODÉLIS" in x], texts


def test_what_leaves_the_app_says_for_which_filters_it_was_drawn(built_db):
    """An image, an HTML page or a CSV of a chart for DISP Paris, 2021-2024, read as national
    figures once out of the app: each now says its filters."""
    from maillon.data import queries
    from maillon.data.filters import FilterOptions
    from maillon.exports import downloads, html_page, scoped

    options = FilterOptions.from_frame(queries.run("filter_options"))
    filters = Filters(2021, 2024, disp=("DISP PARIS",))
    chart = overview.market_view(filters, "fr")
    out = scoped.exported(chart, (filters, options), "fr")
    line = "Filtres : Années : 2021–2024 ; Direction interrégionale (DISP) : PARIS"
    source = next(a.text for a in out.figure.layout.annotations if a.text.startswith("Source"))
    assert source.endswith(line)
    assert out.figure.layout.height > chart.figure.layout.height  # room for it, the plot kept
    assert not any(line in (a.text or "") for a in chart.figure.layout.annotations)  # page's own
    # Drawn in the page's figure (its JSON escapes the accents).
    assert json.dumps(line)[1:-1] in html_page.build(out, "fr", plotly_js=False)
    rows = downloads.with_provenance(
        chart.table,
        "",
        "Source : x.",
        "fr",
        filters=scoped.filters_text((filters, options), "fr"),
    )
    assert rows["Filtres"].unique().to_list() == [line.removeprefix("Filtres : ")]
    published = scoped.exported(chart, None, "fr")
    assert any(
        "les filtres ne s'appliquent pas" in (a.text or "")
        for a in published.figure.layout.annotations
    )
