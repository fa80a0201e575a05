"""Annual summary: a year against the previous one equals the Overview for one-year periods;
targets and contracts against independent SQL; print stylesheet present."""

from datetime import date

import pytest

from maillon.data.filters import Filters
from maillon.figures import annual
from tests.page_helpers import (
    MONEY,
    figures,
    in_order,
    open_page,
    shown_tables,
    sql,
    sql_all,
    years,
)


def test_annual_figures_equal_the_overview_for_one_year(built_db):
    _first, last = years(built_db)
    at = open_page("annual")
    overview = open_page("overview", years=f"{last}-{last}")
    previous = open_page("overview", years=f"{last - 1}-{last - 1}")
    assert [m.value for m in at.metric] == [m.value for m in overview.metric][:4]
    assert at.metric[0].label == "Valeur des marchés"
    assert at.metric[0].delta is not None
    table = shown_tables(at)[0]
    assert table.column(str(last - 1))[:4] == [m.value for m in previous.metric][:4]


def test_targets_against_independent_sql(built_db):
    _first, last = years(built_db)
    at = open_page("annual", lang="en")
    targets = sql_all(
        built_db,
        "SELECT metric_id, value FROM target WHERE year = ? AND list_contains(?, metric_id) "
        "ORDER BY metric_id",
        [last, [*annual.METRICS, "returned_share_of_result"]],
    )
    spec = next(f for f in figures(at) if "targets met in" in f["layout"]["title"]["text"])
    ratios = spec["data"][0]["x"]
    assert len(ratios) == len(targets)
    share = dict(targets)["ess_share"]
    ess = sql(
        built_db,
        "SELECT sum(r.revenue_eur) FILTER (k.is_ess) / sum(r.revenue_eur) FROM contract_revenue r "
        "JOIN contract c USING (contract_id) JOIN operator o USING (operator_id) "
        "JOIN operator_kind k USING (kind_id) JOIN payer p USING (payer_id) WHERE r.year = ? "
        f"AND {MONEY['market']}",
        [last],
    )[0]
    names = spec["data"][0]["y"]
    assert ratios[names.index("ESS share")] == pytest.approx(float(ess) / share)
    met = sum(1 for r in ratios if r >= 1)
    assert spec["layout"]["title"]["text"].startswith(f"{met} of {len(targets)} targets met")


def test_contracts_started_and_ended_match_sql(built_db):
    first, last = years(built_db)
    for year in (last, last - 1):
        started, ended = sql(
            built_db,
            "SELECT count(*) FILTER (year(start_date) = ?), "
            "count(*) FILTER (year(end_date) = ? AND year(start_date) <> ?) FROM contract",
            [year, year, year],
        )
        frame = annual.contracts(Filters(first, last), year)
        assert frame.filter(frame["event"] == "started").height == started
        assert frame.filter(frame["event"] == "ended").height == ended


def test_the_page_prints_without_widgets(built_db):
    at = open_page("annual")
    css = [h.proto.body for h in at.get("html")]
    assert any("@media print" in c and "stSidebar" in c for c in css)
    assert "Faits marquants" in [s.value for s in at.subheader]


@pytest.mark.parametrize("page", ["annual", "network-annual"])
def test_targets_come_right_after_the_headline_figures(built_db, page):
    """Targets against actuals is what a board reads after the year's figures, and the page's
    first chart: it is drawn before the highlights and the tables. The figures' source line is
    under the figures and again under their detailed tables."""
    _first, last = years(built_db)
    at = open_page(page)
    shown = [(element.type, element.value) for element in in_order(at.main)]
    kinds = [kind for kind, _value in shown]
    headings = [value for kind, value in shown if kind == "subheader"]
    details = f"Le détail : {last} et {last - 1}"
    assert headings[1:] == ["Objectifs et réalisations", "Faits marquants", details]
    last_metric = len(kinds) - 1 - kinds[::-1].index("metric")
    assert kinds[last_metric + 1 : last_metric + 3] == ["caption", "subheader"]
    assert kinds.index("plotly_chart") < kinds.index("html")  # the chart, then the tables
    figures_source = shown[last_metric + 1]
    assert shown.count(figures_source) == 2


def test_choosing_another_year(built_db):
    _first, last = years(built_db)
    at = open_page("annual")
    at.selectbox(key="annual_year_fr").set_value(last - 1).run()
    assert not at.exception
    overview = open_page("overview", years=f"{last - 1}-{last - 1}")
    assert [m.value for m in at.metric] == [m.value for m in overview.metric][:4]


def test_the_year_is_in_the_link(built_db):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["_year"] = "2022"
    at.switch_page("pages/annual_page.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="annual_year_fr").value == 2022
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["_year"] = "1999"
    at.switch_page("pages/annual_page.py")
    at.run()
    assert at.selectbox(key="annual_year_fr").value == 2025


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_first_year_has_nothing_to_compare_with(built_db, lang):
    first, _last = years(built_db)
    at = open_page("annual", _year=str(first), lang=lang)
    assert not at.exception
    assert [m.delta for m in at.metric] == [""] * 4  # no "+19 779" from a missing year
    assert set(shown_tables(at)[0].column(str(first - 1))) == {"–"}
    assert str(first - 1) in at.subheader[0].value
    assert ("pas d'évolution" if lang == "fr" else "no change shown") in at.subheader[0].value
    # Highlights compare with the previous year: none, only the contracts of the year.
    highlights = at.markdown[[m.value.startswith("- ") for m in at.markdown].index(True)].value
    assert "Domaine" not in highlights and "Domain" not in highlights


@pytest.mark.parametrize("page", ["annual", "network-annual"])
def test_targets_for_the_whole_network_are_not_compared_with_part_of_it(built_db, page):
    """With a DISP chosen, the actuals are the DISP's: set against the network's targets they
    read as 'none met'. The page says why it does not compare them, and so do the reports."""
    from maillon.data import queries
    from maillon.data.filters import FilterOptions
    from maillon.exports import network_report, report

    options = FilterOptions.from_frame(queries.run("filter_options"))
    disp = options.values["disp"][0]
    at = open_page(page, disp=disp)
    assert not at.exception
    assert not [c for c in at.get("plotly_chart") if "objectif" in c.proto.spec]
    assert any("ne leur sont pas comparées" in i.value for i in at.info)
    _first, last = years(built_db)
    narrowed = Filters(_first, last, disp=(disp,))
    assert annual.targets_view(narrowed, last, "fr") is None
    build = report.build_html if page == "annual" else network_report.build_html
    printed = build(narrowed, options, last, "en", date(2026, 12, 3))
    assert "are not compared with them" in printed
    assert "are not compared with them" not in build(
        Filters(_first, last), options, last, "en", date(2026, 12, 3)
    )
