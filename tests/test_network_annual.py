"""The associations network's annual report (issue 20, item 3): every figure of a year and of the
year before equals independent SQL written here on the base tables (all of France and one DISP);
targets against actuals; highlights name imported text as plain text; the page in French and
English; the PDF holds the page's figures as formatted, rendered to PNG in tests/artifacts/."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.exports import network_report
from maillon.figures import annual, methodology, network_annual
from maillon.i18n import number
from tests.page_helpers import open_page, shown_tables, sql, sql_all

YEAR = 2025
DISP = "DISP LYON"
DAY = date(2026, 11, 30)
ARTIFACTS = Path(__file__).parent / "artifacts"

# The associations present in a year at the establishments of the DISP ('' = all), written from
# the base tables; the queries below are bound to $year and $disp.
PRESENT = """
    SELECT DISTINCT i.association_id FROM association_intervention AS i
    JOIN establishment AS e USING (establishment_id)
    WHERE i.year = $year AND ($disp = '' OR e.disp = $disp)
"""
INSTITUTION_CONVENTIONS = f"""
    SELECT c.* FROM institution_convention AS c JOIN institution AS n USING (institution_id)
    WHERE (c.association_id IN ({PRESENT})
           OR c.collective_id IN (SELECT collective_id FROM collective_member
                                  WHERE association_id IN ({PRESENT})))
      AND ($disp = '' OR n.disp IS NULL OR n.disp = $disp)
"""
PARTNERSHIPS = f"""
    SELECT * FROM association_partnership
    WHERE association_id IN ({PRESENT}) OR partner_id IN ({PRESENT})
"""
EXPECTED = {
    "activity": """
        SELECT sum(i.volunteers), sum(i.hours), sum(i.people_reached),
               sum(i.people_reached) FILTER (a.setting = 'inside'),
               sum(i.people_reached) FILTER (a.setting = 'after_release'),
               sum(i.people_reached) FILTER (a.setting = 'both'),
               count(DISTINCT i.establishment_id)
        FROM association_intervention AS i
        JOIN association AS a USING (association_id)
        JOIN establishment AS e USING (establishment_id)
        WHERE i.year = $year AND ($disp = '' OR e.disp = $disp)""",
    "conventions": f"""
        SELECT (SELECT count(*) FROM ({PARTNERSHIPS})
                WHERE has_convention AND year(convention_signed_on) = $year),
               (SELECT count(*) FROM ({INSTITUTION_CONVENTIONS}) WHERE year(signed_on) = $year),
               (SELECT count(*) FROM ({INSTITUTION_CONVENTIONS}) WHERE year(valid_to) = $year),
               (SELECT count(*) FROM ({INSTITUTION_CONVENTIONS})
                WHERE year(valid_to) = $year AND renewal_state = 'lapsed'),
               (SELECT count(*) FROM ({PARTNERSHIPS})
                WHERE has_convention AND year(convention_renewal_on) = $year + 1),
               (SELECT count(*) FROM ({INSTITUTION_CONVENTIONS})
                WHERE year(renewal_on) = $year + 1)""",
    "partnerships": f"""
        SELECT count(*) FILTER (since_year = $year), count(*) FILTER (ended_year = $year),
               count(*) FILTER (since_year <= $year AND coalesce(ended_year, 9999) > $year)
        FROM ({PARTNERSHIPS})""",
    "actions": """
        WITH held AS (
            SELECT DISTINCT j.action_id, j.theme FROM joint_action AS j
            JOIN joint_action_establishment AS x USING (action_id)
            JOIN establishment AS e USING (establishment_id)
            WHERE year(j.action_date) = $year AND ($disp = '' OR e.disp = $disp))
        SELECT (SELECT count(*) FROM held),
               (SELECT count(*) FROM held WHERE theme = 'prison_days'),
               (SELECT count(DISTINCT association_id) FROM joint_action_partner
                WHERE action_id IN (SELECT action_id FROM held))""",
}


def expected(db, year: int, disp: str = "") -> dict[str, float]:
    found = {}
    for name, query in EXPECTED.items():
        values = sql(db, query, {"year": year, "disp": disp})
        found |= dict(zip(network_annual.SECTIONS[name], values, strict=True))
    return {k: float(v or 0) for k, v in found.items()}


@pytest.fixture(scope="module")
def options(built_db):
    return FilterOptions.from_frame(queries.run("filter_options"))


@pytest.mark.parametrize("disp", ["", DISP])
@pytest.mark.parametrize("year", [YEAR, YEAR - 1])
def test_every_figure_of_the_year_and_the_year_before_is_the_independent_sql(built_db, year, disp):
    filters = Filters(2019, YEAR, disp=(disp,) if disp else ())
    found = network_annual.figures(filters, year)
    assert found[year] == expected(built_db, year, disp)
    assert found[year - 1] == expected(built_db, year - 1, disp)
    comparison = network_annual.comparison(filters, year)
    row = comparison.filter(pl.col("metric") == "volunteers").row(0, named=True)
    assert row["change"] == found[year]["volunteers"] - found[year - 1]["volunteers"]


def test_the_demo_has_something_in_every_figure_set(built_db):
    found = network_annual.figures(Filters(2019, YEAR), YEAR)[YEAR]
    for metric in ("volunteers", "signed_institutions", "lapsed", "partnerships_made"):
        assert found[metric] > 0, metric
    assert found["partnerships_lost"] > 0 and found["due_institutions"] > 0
    days = network_annual.figures(Filters(2019, YEAR), YEAR - 1)[YEAR - 1]
    assert days["prison_days_actions"] > 0  # the Journées nationales Prison, late November
    # Settings add up: every association works inside, after release or both.
    assert found["people_reached"] == sum(
        found[m] for m in ("reached_inside", "reached_after_release", "reached_both")
    )


def test_a_year_before_the_data_has_no_figures(built_db):
    comparison = network_annual.comparison(Filters(2019, YEAR), 2010)
    assert not network_annual.has_figures(comparison)
    first = network_annual.comparison(Filters(2019, YEAR), 2019)
    assert network_annual.has_figures(first) and first["previous"].is_null().all()


def test_targets_are_actual_over_target(built_db):
    frame = network_annual.targets(Filters(2019, YEAR), YEAR)
    network = ["volunteers", "volunteer_hours", "people_reached", "establishments_covered"]
    targets = dict(
        sql_all(
            built_db,
            "SELECT metric_id, value FROM target WHERE year = ? AND list_contains(?, metric_id)",
            [YEAR, [*network, "joint_actions"]],
        )
    )
    actual = expected(built_db, YEAR)
    assert sorted(frame["metric_id"]) == sorted(targets)
    for row in frame.iter_rows(named=True):
        assert row["actual"] == actual[row["metric_id"]]
        assert row["ratio"] == pytest.approx(actual[row["metric_id"]] / targets[row["metric_id"]])
        assert row["met"] == (row["ratio"] >= 1)
    chart = network_annual.targets_view(Filters(2019, YEAR), YEAR, "fr")
    assert chart.figure.layout.title.text.startswith(f"{int(frame['met'].sum())} objectifs sur 5")


def test_the_market_summary_keeps_its_own_targets(built_db):
    from maillon.figures import annual

    frame = annual.targets(Filters(2019, YEAR), YEAR)
    assert set(frame["metric_id"]) <= {*annual.METRICS, "returned_share_of_result"}


def test_highlights_name_the_events_of_the_year(built_db):
    filters = Filters(2019, YEAR)
    comparison = network_annual.comparison(filters, YEAR)
    lines = network_annual.highlights(comparison, filters, YEAR, "fr")
    lapsed = sql(
        built_db,
        "SELECT count(*) FROM institution_convention WHERE renewal_state = 'lapsed' "
        "AND year(valid_to) = ?",
        [YEAR],
    )[0]
    assert any(line.startswith(f"{lapsed} convention") for line in lines)
    assert any("partenariat perdu" in line or "partenariats perdus" in line for line in lines)
    before = network_annual.highlights(
        network_annual.comparison(filters, YEAR - 1), filters, YEAR - 1, "fr"
    )
    assert any(
        line.startswith("Journées nationales Prison") and "novembre" in line for line in before
    )


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_opens_in_both_languages(built_db, lang):
    at = open_page("network-annual", lang=lang)
    assert not at.exception
    title = "Rapport annuel du réseau associatif" if lang == "fr" else "Associations network"
    assert at.title[0].value.startswith(title)
    assert at.metric[0].value == number(expected(built_db, YEAR)["volunteers"], lang)
    # a fall reads as a fall: arrow down, in red
    now, before = expected(built_db, YEAR)["volunteers"], expected(built_db, YEAR - 1)["volunteers"]
    falling = MetricProto.MetricDirection.DOWN if now < before else MetricProto.MetricDirection.UP
    assert at.metric[0].proto.direction == falling
    tables = shown_tables(at)
    assert [table.caption for table in tables] == [
        network_annual.section_title(name, lang) for name in network_annual.SECTIONS
    ]
    assert tables[0].column(str(YEAR))[0] == at.metric[0].value  # volunteers, as the headline
    assert len(at.get("plotly_chart")) == 1  # targets against actuals
    assert at.get("download_button")


def test_the_year_is_in_the_link_and_a_disp_filter_applies(built_db):
    at = open_page("network-annual", _year=str(YEAR - 1), disp=DISP)
    assert at.selectbox(key="network_annual_year_fr").value == YEAR - 1
    volunteers = expected(built_db, YEAR - 1, DISP)["volunteers"]
    assert at.metric[0].value == number(volunteers, "fr")


# ---------------------------------------------------------------- the PDF


def pdf_text(data: bytes) -> str:
    found = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return found.stdout.decode()


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_holds_the_pages_figures(built_db, options, lang):
    filters = Filters.default(options)
    data = network_report.build(filters, options, YEAR, lang, DAY)
    assert data[:5] == b"%PDF-"
    text = squeeze(pdf_text(data))
    title = "Rapportannueldu réseau" if lang == "fr" else "Networkannualreport"
    assert squeeze(title) in text
    comparison = network_annual.comparison(filters, YEAR)
    for name in network_annual.SECTIONS:
        table = network_annual.section_table(comparison, name, YEAR, lang)
        for column in table.columns[1:]:
            for cell in table[column]:
                assert squeeze(cell) in text, (name, column, cell)
    at = open_page("network-annual", lang=lang)
    for metric in at.metric:
        assert (
            squeeze(metric.value) in text
            and squeeze(metric.delta.replace(annual.METRIC_MINUS, annual.TEXT_MINUS)) in text
        )
    assert squeeze(number(expected(built_db, YEAR)["volunteer_hours"], lang)) in text
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        prefix = ARTIFACTS / f"network_annual_report_{lang}"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-", str(prefix)], input=data, check=True)


def test_same_inputs_give_the_same_html_and_text_is_escaped(built_db, options, monkeypatch):
    filters = Filters.default(options)
    html = network_report.build_html(filters, options, YEAR, "fr", DAY)
    assert html == network_report.build_html(filters, options, YEAR, "fr", DAY)
    assert "<script" not in html
    monkeypatch.setattr(
        network_report.network_annual, "highlights", lambda *a: ["<script>alert(1)</script>"]
    )
    hostile = network_report.build_html(filters, options, YEAR, "fr", DAY)
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    assert network_report.build(filters, options, 2010, "fr", DAY) is None


@pytest.mark.parametrize(("lang", "word", "other"), [("fr", "illustratif", "illustrative")])
def test_the_reports_sources_say_their_provenance_in_the_readers_language(
    built_db, options, lang, word, other
):
    from maillon.exports import report

    filters = Filters.default(options)
    for build in (network_report.build_html, report.build_html):
        html = build(filters, options, YEAR, lang, DAY)
        sources = html[html.rindex("<table") :]
        assert f"<td>{word}</td>" in sources and f"<td>{other}</td>" not in sources
    values = set(methodology.sources("en")["provenance"])
    assert values <= {"real", "modeled", "illustrative"} and "illustrative" in values
