"""Outcomes page: indicators per year and kind, cost per person helped, SROI range; against SQL."""

import pytest

from maillon.figures import outcomes
from tests.page_helpers import (
    annotations,
    figures,
    figures_in_tabs,
    open_page,
    open_tab,
    sql,
    years,
)


def test_outcomes_in_french(built_db):
    _, last = years(built_db)
    at = open_page("outcomes")
    assert len(figures(at)) == 1  # one question per tab: only the open tab is drawn
    specs = figures_in_tabs(at, "outcomes_tab")
    assert len(specs) == 3
    employed = specs[0]
    assert employed["layout"]["title"]["text"].startswith("Personnes détenues employées")
    expected = sql(
        built_db,
        "SELECT sum(value) FROM outcome WHERE indicator_id = 'detainees_employed' AND year = ?",
        [last],
    )[0]
    drawn = sum(
        y
        for trace in employed["data"]
        if trace["type"] == "bar"
        for x, y in zip(trace["x"], trace["y"], strict=True)
        if x == last
    )
    assert drawn == pytest.approx(expected)
    for spec in specs:
        assert "DONNÉES ILLUSTRATIVES" in annotations(spec)
    assert any("Hypothèses" in a for a in annotations(specs[2]))


def test_cost_per_person_helped_matches_sql(built_db):
    first, last = years(built_db)
    at = open_tab(open_page("outcomes", lang="en"), "outcomes_tab", "Cost per person helped")
    cost = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("Per person"))
    drawn = dict(zip(cost["data"][0]["y"], cost["data"][0]["x"], strict=True))
    returned = sql(
        built_db,
        "SELECT sum(a.amount_eur) FROM reallocation a JOIN destination d USING (destination_id) "
        "JOIN operator o USING (operator_id) WHERE o.kind_id IN "
        "(SELECT kind_id FROM operator_kind WHERE is_ess) "
        "AND d.category_id IN ('reinsertion', 'family') AND a.year BETWEEN ? AND ?",
        [first, last],
    )[0]
    helped = sql(
        built_db,
        "SELECT sum(o.value) FROM outcome o JOIN operator p USING (operator_id) "
        "JOIN operator_kind k USING (kind_id) WHERE k.is_ess AND o.indicator_id IN "
        "('people_accompanied_release', 'families_supported') AND o.year BETWEEN ? AND ?",
        [first, last],
    )[0]
    assert drawn["ESS"] == pytest.approx(float(returned) / helped)


def test_sroi_is_a_range_that_moves_with_the_assumptions(built_db):
    at = open_tab(open_page("outcomes"), "outcomes_tab", "Valeur sociale créée (SROI)")
    sroi = next(f for f in figures(at) if "chaque euro de marché" in f["layout"]["title"]["text"])
    bar = sroi["data"][0]
    low = bar["base"][0]
    high = low + bar["x"][0]
    central = sroi["data"][1]["x"][0]
    assert low < central < high
    at.slider(key="deadweight_fr").set_value(50).run()
    moved = next(f for f in figures(at) if "chaque euro de marché" in f["layout"]["title"]["text"])
    assert moved["data"][1]["x"][0] == pytest.approx(central * 0.5 / 0.75)


def test_assumptions_factor():
    assert outcomes.Assumptions(0, 0, 0).factor() == pytest.approx(outcomes.SROI_YEARS)
    assert outcomes.Assumptions(0.5, 0.5, 1.0).factor() == pytest.approx(0.25)
