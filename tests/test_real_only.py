"""A database of real data only, reached the way a user reaches it: the reference establishments
and population, plus a small contract file under its own real source, imported through the
importer over the demo (every other fact table emptied). No page, chart, image, deck slide, PDF
section or download then says illustrative, and the source lines name the real source."""

from __future__ import annotations

import json
import re
from datetime import date

import polars as pl
import pytest

from maillon.admin import importer
from maillon.data import catalog, queries
from maillon.data.filters import FilterOptions, Filters
from maillon.data.paths import DEMO_DIR, TAXONOMY_DIR
from maillon.database import build
from maillon.exports import basket, downloads, report
from maillon.figures import markets, overview
from maillon.i18n import t
from tests.page_helpers import figures, open_page
from tests.test_provenance import use_database  # noqa: F401 (fixture)

REAL = "federation_contracts_2025"
TITLE = "Marchés connus de la fédération, 2019-2025"
KEPT = {"source", "establishment", "population_monthly", "operator", "contract"}
KEPT |= {"contract_establishment", "contract_revenue"}
# What must never appear once every fact is real (population months before April 2025 are modeled,
# which is said, never as illustrative).
ILLUSTRATIVE = re.compile(r"illustrati|inventé|invented|démonstration|demo data", re.IGNORECASE)


def _files() -> list[tuple[str, bytes]]:
    """A federation's file: 12 contracts and their revenue, their holders, a real source; every
    other fact table empty (header only)."""
    contracts = pl.read_csv(DEMO_DIR / "contract.csv", infer_schema=False)
    revenue = pl.read_csv(DEMO_DIR / "contract_revenue.csv", infer_schema=False)
    chosen = revenue["contract_id"].unique(maintain_order=True).head(12).to_list()

    def real(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.lit("real").alias("provenance"), pl.lit(REAL).alias("source_id")
        )

    contracts = real(contracts.filter(pl.col("contract_id").is_in(chosen)))
    holders = contracts["operator_id"].unique().to_list()
    operators = pl.read_csv(DEMO_DIR / "operator.csv", infer_schema=False)
    sources = pl.read_csv(TAXONOMY_DIR / "source.csv", infer_schema=False)
    own = pl.DataFrame(
        {
            "source_id": [REAL],
            "title": [TITLE],
            "publisher": ["Fédération (test)"],
            "title_en": [None],  # its own title: cited as published in English too
            "publisher_en": [None],
            "url": [None],
            "licence": ["Licence Ouverte 2.0"],
            "licence_en": [None],
            "provenance": ["real"],
            "data_date": ["2025"],
            "note": ["Known contracts of the federation's members."],
        },
        schema=dict.fromkeys(sources.columns, pl.String),
    )
    links = pl.read_csv(DEMO_DIR / "contract_establishment.csv", infer_schema=False)
    kept = {
        "source": pl.concat([sources, own]),
        "operator": real(operators.filter(pl.col("operator_id").is_in(holders))).with_columns(
            pl.lit("false").alias("is_grouping")
        ),
        "contract": contracts,
        "contract_establishment": links.filter(pl.col("contract_id").is_in(chosen)),
        "contract_revenue": real(revenue.filter(pl.col("contract_id").is_in(chosen))),
    }
    files = [(f"{table}.csv", frame.write_csv().encode()) for table, frame in kept.items()]
    for table in catalog.entity_tables():
        path = DEMO_DIR / f"{table}.csv"
        if table not in KEPT and path.exists():
            header = path.open(encoding="utf-8").readline()
            files.append((path.name, header.encode()))
    return files


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("real") / "maillon.duckdb"
    build.build(db, progress=lambda _line: None)
    candidate = importer.check(_files(), "test", db)
    importer.apply(candidate, "test", db)
    return str(db)


def _filters() -> Filters:
    return Filters.default(FilterOptions.from_frame(queries.run("filter_options")))


def test_the_import_left_only_real_facts(real_db, use_database):  # noqa: F811
    use_database(real_db)
    for table in ("contract", "contract_revenue", "operator", "market_revenue"):
        frame = queries.run_sql(f"SELECT DISTINCT provenance FROM {table}")
        assert frame["provenance"].to_list() == ["real"], table
    assert queries.run_sql("SELECT count(*) AS n FROM operator_result")["n"][0] == 0


PAGES = [
    "overview",
    "markets",
    "money_flow",
    "outcomes",
    "establishments",
    "annual",
    "scenario",
    "associations",
    "methodology",
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_says_illustrative(real_db, use_database, page, lang):  # noqa: F811
    use_database(real_db)
    at = open_page(page, lang=lang)
    shown = [
        *(e.value for e in at.info),
        *(e.value for e in at.warning),
        *(e.value for e in at.caption),
        *(e.value for e in at.markdown),
        *(json.dumps(spec, ensure_ascii=False) for spec in figures(at)),
    ]
    if page == "methodology":  # it explains what the demo is: only its notice must be gone
        shown = [e.value for e in at.info]
    said = [text for text in shown if ILLUSTRATIVE.search(text)]
    assert not said, said


def test_the_charts_exports_name_the_real_source_and_carry_no_mark(real_db, use_database):  # noqa: F811
    use_database(real_db)
    filters = _filters()
    chart = overview.market_view(filters, "fr")
    assert chart.caption.mark == ""
    assert TITLE in chart.caption.source and "Maillon" not in chart.caption.source
    slide = basket.make_slide(chart, key="market", filters_text="", lang="fr")
    assert slide.mark == "" and TITLE in slide.source
    rows = downloads.with_provenance(chart.table, chart.caption.mark, chart.caption.source, "fr")
    assert set(rows[t("fr", "export.provenance")]) == {t("fr", "export.real")}
    ranking = markets.top_establishments(filters, "fr")
    assert set(ranking[t("fr", "chart.provenance_column")]) == {t("fr", "chart.row_real")}
    assert markets.invented_on_real_places(filters, "fr") == ""


def test_the_board_report_says_nothing_illustrative(real_db, use_database):  # noqa: F811
    use_database(real_db)
    options = FilterOptions.from_frame(queries.run("filter_options"))
    last = queries.run_sql("SELECT max(year) AS year FROM contract_revenue")["year"][0]
    page = report.build_html(_filters(), options, int(last), "fr", date(2026, 11, 30))
    assert page is not None
    text = re.sub(r"<[^>]+>", " ", page)
    assert not ILLUSTRATIVE.search(text), ILLUSTRATIVE.search(text)
    assert TITLE in text
