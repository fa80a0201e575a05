"""Partial real data gets in and says how much it covers. A mixed database built from files: the
ESS operators real with accounts, the four largest for-profit groups real without accounts (their
contracts known, not their results or outcomes), one operator of a kind not known yet, and one
contract known only by its amount and dates. The coverage lines, the « données insuffisantes »
of a kind under the threshold and the marks match independent SQL on the base tables."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date

import polars as pl
import pytest

from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.data.paths import DEMO_DIR
from maillon.database import build
from maillon.exports import basket, report
from maillon.figures import money_flow, outcomes_sroi, overview, shared
from maillon.i18n import percent, t
from tests.conftest import open_db
from tests.page_helpers import open_page
from tests.test_provenance import REAL_SOURCE, use_database  # noqa: F401 (fixture)

WITHOUT_ACCOUNTS = ["op_001", "op_002", "op_003", "op_004"]  # for-profit, about 85 % of its value
UNKNOWN_KIND = "op_005"
FILTERS = Filters(2019, 2025)


def _real(frame: pl.DataFrame, rows: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(rows).then(pl.lit("real")).otherwise(pl.col("provenance")).alias("provenance"),
        pl.when(rows).then(pl.lit(REAL_SOURCE)).otherwise(pl.col("source_id")).alias("source_id"),
    )


def mixed_files(folder) -> None:
    """The demo files made partial: see the module's docstring."""
    shutil.copytree(DEMO_DIR, folder)

    def edit(name: str, change) -> None:
        path = folder / f"{name}.csv"
        change(pl.read_csv(path, infer_schema=False)).write_csv(path)

    operators = pl.read_csv(folder / "operator.csv", infer_schema=False)
    ess = operators.filter(
        pl.col("kind_id").is_in(["scop", "scic", "association", "mutual", "siae"])
    )["operator_id"].to_list()
    real_holders = [*ess, *WITHOUT_ACCOUNTS]
    contracts = pl.read_csv(folder / "contract.csv", infer_schema=False)
    real_contracts = contracts.filter(pl.col("operator_id").is_in(real_holders))[
        "contract_id"
    ].to_list()
    edit(
        "operator",
        lambda f: _real(f, pl.col("operator_id").is_in(real_holders)).with_columns(
            pl.when(pl.col("operator_id") == UNKNOWN_KIND)
            .then(pl.lit("unknown"))
            .otherwise(pl.col("kind_id"))
            .alias("kind_id")
        ),
    )
    edit("contract", lambda f: _real(f, pl.col("operator_id").is_in(real_holders)))
    edit("contract_revenue", lambda f: _real(f, pl.col("contract_id").is_in(real_contracts)))
    # the named beneficiaries of a reallocation go with it
    for name in ("operator_result", "reallocation", "reallocation_beneficiary", "outcome"):
        edit(
            name,
            lambda f: _real(
                f.filter(~pl.col("operator_id").is_in(WITHOUT_ACCOUNTS)),
                pl.col("operator_id").is_in(ess),
            ),
        )


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("mixed")
    mixed_files(folder / "files")
    db = folder / "maillon.duckdb"
    build.build(db, folder / "files", progress=lambda _line: None)
    return str(db)


# Independent SQL on the base tables: the share of the contract revenue of the years whose holder
# has the rows a figure needs that year (every payer; régie, a cost with no result, left out).
COVERED_SQL = """
    SELECT sum(r.revenue_eur) FILTER (EXISTS (
               SELECT 1 FROM {table} AS x WHERE x.operator_id = c.operator_id AND x.year = r.year))
           / sum(r.revenue_eur)
    FROM contract_revenue AS r
    JOIN contract AS c USING (contract_id)
    JOIN operator AS o USING (operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE r.year BETWEEN $first AND $last AND (k.kind_group = $group OR $group = 'all')
      AND c.contract_kind_id <> 'regie'
"""


def _covered(db: str, table: str, group: str = "all", filters: Filters = FILTERS) -> float:
    # Table names from this test's own list, never input.
    with open_db(db) as con:
        return con.sql(
            COVERED_SQL.format(table=table),
            params={"first": filters.year_from, "last": filters.year_to, "group": group},
        ).fetchall()[0][0]


def test_the_build_accepts_contracts_without_accounts_and_an_unknown_kind(mixed_db):
    with open_db(mixed_db) as con:
        assert con.sql(
            "SELECT count(*) FROM operator_result WHERE operator_id IN $ops",
            params={"ops": WITHOUT_ACCOUNTS},
        ).fetchall() == [(0,)]
        kind = con.sql(
            "SELECT kind_id, is_ess FROM operator JOIN operator_kind USING (kind_id) "
            "WHERE operator_id = $op",
            params={"op": UNKNOWN_KIND},
        ).fetchall()
    assert kind == [("unknown", False)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_coverage_lines_equal_independent_sql(mixed_db, use_database, lang):  # noqa: F811
    use_database(mixed_db)
    split = _covered(mixed_db, "reallocation")
    measured = _covered(mixed_db, "outcome")
    assert 0.3 < split < 0.9 and 0.3 < measured < 0.9
    coverage = shared.Coverage.load(FILTERS)
    assert coverage.share("split") == pytest.approx(split, abs=1e-9)
    assert coverage.share("outcomes") == pytest.approx(measured, abs=1e-9)
    assert coverage.share("accounts") == pytest.approx(_covered(mixed_db, "operator_result"))
    line = overview.source_line(FILTERS, lang)
    assert t(lang, "coverage.split", share=percent(split, lang)) in line
    assert t(lang, "coverage.outcomes", share=percent(measured, lang)) in line
    # The market value counts every known contract: no coverage line on it.
    market = overview.market_view(FILTERS, lang)
    assert t(lang, "coverage.split", share=percent(split, lang)) not in market.caption.source


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_kind_under_the_threshold_says_insufficient_data(mixed_db, use_database, lang):  # noqa: F811
    use_database(mixed_db)
    for_profit = _covered(mixed_db, "reallocation", "for_profit")
    assert for_profit < shared.SUFFICIENT <= _covered(mixed_db, "reallocation", "ess")
    insufficient = shared.insufficient(for_profit, lang)
    per_hundred = overview.PerHundred.load(FILTERS)
    assert per_hundred.sentence("for_profit", lang) == t(
        lang, "overview.per_100_for_profit_insufficient", insufficient=insufficient
    )
    assert insufficient not in per_hundred.sentence("ess", lang)
    chart = money_flow.returned_view(FILTERS, lang)
    bars = chart.figure.data[0]
    label = dict(zip(bars.y, bars.text, strict=True))
    for_profit_label = shared.labels(lang)[("kind", "for_profit")]
    kind_share = money_flow.returned_by_kind(FILTERS).filter(pl.col("kind_id") == "for_profit")
    assert label[for_profit_label] == shared.insufficient(kind_share["split_share"][0], lang)
    assert dict(zip(bars.y, bars.x, strict=True))[for_profit_label] == 0
    # With for-profit groups missing, the title states the ESS alone, compared to no « others ».
    ess = money_flow.group_shares(money_flow.returned_by_kind(FILTERS))
    assert set(ess) == {True}
    assert chart.caption.title == t(
        lang,
        "money_flow.returned_title_ess",
        ess=percent(ess[True], lang),
        period=shared.period(FILTERS),
    )


def test_the_unknown_kind_is_shown_apart_never_as_ess_or_for_profit(mixed_db, use_database):  # noqa: F811
    use_database(mixed_db)
    with open_db(mixed_db) as con:
        unknown, ess, total = con.sql(
            "SELECT sum(r.revenue_eur) FILTER (o.kind_id = 'unknown'), "
            "       sum(r.revenue_eur) FILTER (k.is_ess), sum(r.revenue_eur) "
            "FROM contract_revenue AS r JOIN contract AS c USING (contract_id) "
            "JOIN operator AS o USING (operator_id) JOIN operator_kind AS k USING (kind_id) "
            "JOIN payer AS p USING (payer_id) WHERE r.year BETWEEN 2019 AND 2025 "
            "AND p.payer_group_id = 'administration' AND c.contract_kind_id <> 'regie'"
        ).fetchall()[0]
    assert unknown > 0
    headline = overview.Headline.load(FILTERS)
    assert headline.ess_share == pytest.approx(float(ess / total))
    groups = set(queries.run("overview_per_hundred", **FILTERS.params())["kind_group"])
    assert groups == {"ess", "for_profit"}
    kinds = overview.market_by_kind(FILTERS)
    row = kinds.filter(pl.col("kind_id") == "unknown").row(0, named=True)
    assert row["label_fr"] == "Nature non connue" and row["color"] == "#607060"


def test_the_mark_follows_the_real_share_of_the_rows(mixed_db, use_database):  # noqa: F811
    use_database(mixed_db)
    with open_db(mixed_db) as con:
        # the market value's rows: what the prison administration pays, régie left out
        share = con.sql(
            "SELECT sum(r.revenue_eur) FILTER (r.provenance = 'illustrative') / sum(r.revenue_eur) "
            "FROM contract_revenue AS r JOIN contract AS c USING (contract_id) "
            "JOIN payer AS p USING (payer_id) WHERE r.year BETWEEN 2019 AND 2025 "
            "AND p.payer_group_id = 'administration' AND c.contract_kind_id <> 'regie'"
        ).fetchall()[0][0]
    assert 0 < share < 1
    chart = overview.market_view(FILTERS, "fr")
    assert chart.caption.mark == t("fr", "chart.illustrative_mark_part", share=percent(share, "fr"))


def test_outcome_ratios_are_computed_over_the_operators_that_measure_them(mixed_db, use_database):  # noqa: F811
    use_database(mixed_db)
    used = outcomes_sroi.proxies_used(outcomes_sroi.proxies(), outcomes_sroi.DEFAULTS)
    gross = outcomes_sroi.gross_values(outcomes_sroi.quantities(FILTERS), used)
    ratios = outcomes_sroi.sroi(outcomes_sroi.inputs(FILTERS), gross, outcomes_sroi.DEFAULTS)
    for_profit = ratios.filter(pl.col("kind_group") == "for_profit").row(0, named=True)
    assert for_profit["central"] is None  # insufficient: shown as text, not as a range
    chart = outcomes_sroi.sroi_view(FILTERS, outcomes_sroi.DEFAULTS, "fr")
    texts = list(chart.figure.data[1].text)
    assert shared.insufficient(for_profit["outcomes_share"], "fr") in texts


@pytest.mark.parametrize("page", ["overview", "money_flow", "outcomes", "markets"])
def test_every_dashboard_page_runs_on_partial_data(mixed_db, use_database, page):  # noqa: F811
    use_database(mixed_db)
    at = open_page(page)
    assert not at.exception
    shown = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes
    if page == "overview":
        every_year = Filters.default(FilterOptions.from_frame(queries.run("filter_options")))
        split = percent(_covered(mixed_db, "reallocation", filters=every_year), "fr")
        assert t("fr", "coverage.split", share=split) in shown


def test_a_contract_known_by_amount_and_dates_counts_its_value_spread(tmp_path, use_database):  # noqa: F811
    files = tmp_path / "files"
    shutil.copytree(DEMO_DIR, files)
    revenue = pl.read_csv(files / "contract_revenue.csv", infer_schema=False)
    contract = revenue["contract_id"][0]
    revenue.filter(pl.col("contract_id") != contract).write_csv(files / "contract_revenue.csv")
    db = tmp_path / "maillon.duckdb"
    build.build(db, files, progress=lambda _line: None)
    with open_db(db) as con:
        awarded, spread, provenances, years = con.sql(
            "SELECT c.awarded_value_eur, sum(m.revenue_eur), list(DISTINCT m.provenance), "
            "       count(DISTINCT m.year) = year(c.end_date) - year(c.start_date) + 1 "
            "FROM market_revenue AS m JOIN contract AS c USING (contract_id) "
            "WHERE contract_id = $contract GROUP BY c.awarded_value_eur, c.start_date, c.end_date",
            params={"contract": contract},
        ).fetchall()[0]
    assert float(spread) == pytest.approx(float(awarded), abs=0.05)  # cents rounded per row
    assert provenances == ["illustrative"] and years  # an illustrative contract stays illustrative


def test_the_board_report_and_a_deck_slide_carry_the_coverage(mixed_db, use_database):  # noqa: F811
    use_database(mixed_db)
    year = 2025
    year_only = Filters(year, year)
    split = _covered(mixed_db, "reallocation", filters=year_only)
    line = t("fr", "coverage.split", share=percent(split, "fr"))
    options = FilterOptions.from_frame(queries.run("filter_options"))
    page = report.build_html(FILTERS, options, year, "fr", date(2026, 11, 30))
    assert line in html.unescape(re.sub(r"<br>", "\n", page))  # the report escapes its text
    chart = money_flow.sankey_view(FILTERS, "fr")
    slide = basket.make_slide(chart, key="sankey", filters_text="", lang="fr")
    assert t("fr", "coverage.split", share=percent(_covered(mixed_db, "reallocation"), "fr")) in (
        slide.source
    )
    assert slide.mark == chart.caption.mark != ""
