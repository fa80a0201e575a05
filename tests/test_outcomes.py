"""Outcomes page: indicators per year and kind, cost per person helped (lower is better, without
the service a market is paid for), SROI range whose every parameter and proxy has its source or
« hypothèse », changes with them, includes displacement and divides by the revenue outside
canteens; against SQL on the base tables and hand computation."""

import pytest

from maillon.figures import outcomes_sroi
from maillon.i18n import money
from tests.page_helpers import (
    annotations,
    figures,
    figures_in_tabs,
    open_page,
    open_tab,
    sql,
    sql_all,
    static_table,
    years,
)


def test_outcomes_in_french(built_db):
    _, last = years(built_db)
    at = open_page("outcomes")
    assert len(figures(at)) == 1  # one question per tab: only the open tab is drawn
    specs = figures_in_tabs(at, "outcomes_tab")
    assert len(specs) == 5  # the cost per person helped and the SROI also domain by domain
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
    assert any("Hypothèses" in a for a in annotations(specs[3]))  # the SROI


def test_cost_per_person_helped_leaves_out_the_families_a_market_is_paid_to_receive(built_db):
    first, last = years(built_db)
    at = open_tab(open_page("outcomes", lang="en"), "outcomes_tab", "Cost per person helped")
    cost = next(
        f for f in figures(at) if f["layout"]["title"]["text"].startswith("Cost per person")
    )
    assert "lower is better" in cost["layout"]["title"]["text"]
    assert "lower is better" in cost["layout"]["xaxis"]["title"]["text"]
    drawn = dict(zip(cost["data"][0]["y"], cost["data"][0]["x"], strict=True))
    per_group = {}
    for group in ("ess", "for_profit"):
        returned = sql(
            built_db,
            "SELECT sum(a.amount_eur) FROM reallocation a "
            "JOIN destination d USING (destination_id) "
            "JOIN operator o USING (operator_id) JOIN operator_kind k USING (kind_id) "
            "WHERE k.kind_group = ? AND d.category_id IN ('reinsertion', 'family') "
            "AND a.year BETWEEN ? AND ?",
            [group, first, last],
        )[0]
        # People accompanied at release, and families supported outside family-reception markets
        # (receiving families is what those markets are paid for).
        helped = sql(
            built_db,
            "SELECT sum(o.value) FROM outcome o JOIN operator p USING (operator_id) "
            "JOIN operator_kind k USING (kind_id) "
            "WHERE k.kind_group = ? AND o.year BETWEEN ? AND ? "
            "AND (o.indicator_id = 'people_accompanied_release' OR (o.indicator_id = "
            "'families_supported' AND o.domain_id <> 'family_reception'))",
            [group, first, last],
        )[0]
        per_group[group] = float(returned) / helped
    assert drawn["ESS"] == pytest.approx(per_group["ess"])
    assert drawn["For-profit companies"] == pytest.approx(per_group["for_profit"])
    assert money(per_group["ess"], "en") in cost["layout"]["title"]["text"]


def _sroi_figure(at):
    return next(f for f in figures(at) if "each euro of revenue" in f["layout"]["title"]["text"])


def _expected_ess_central(db, first: int, last: int, parameters, proxies: dict) -> float:
    """The ESS's central SROI by hand: outcomes outside canteen markets × their proxy × the net
    factor, over the revenue outside canteens of ESS operators that measure outcomes that year."""
    quantities = dict(
        sql_all(
            db,
            "SELECT o.indicator_id, sum(o.value) FROM outcome o "
            "JOIN operator p USING (operator_id) "
            "JOIN operator_kind k USING (kind_id) WHERE k.kind_group = 'ess' "
            "AND o.domain_id <> 'canteen' AND o.year BETWEEN ? AND ? GROUP BY 1",
            [first, last],
        )
    )
    (invested,) = sql(
        db,
        "SELECT sum(r.revenue_eur)::DOUBLE FROM contract_revenue r JOIN contract c USING "
        "(contract_id) JOIN operator p USING (operator_id) JOIN operator_kind k USING (kind_id) "
        "WHERE k.kind_group = 'ess' AND c.domain_id <> 'canteen' AND r.year BETWEEN ? AND ? "
        "AND EXISTS (SELECT 1 FROM outcome o WHERE o.operator_id = c.operator_id "
        "AND o.year = r.year)",
        [first, last],
    )
    gross = sum(quantities.get(indicator, 0) * value for indicator, value in proxies.items())
    dw, at_, disp, drop = (
        getattr(parameters, n) for n in ("deadweight", "attribution", "displacement", "drop_off")
    )
    years_factor = sum((1 - drop) ** y for y in range(parameters.years))
    return gross * (1 - dw) * (1 - at_) * (1 - disp) * years_factor / invested


def test_the_sroi_divides_by_the_market_value_outside_canteens_and_applies_displacement(built_db):
    first, last = years(built_db)
    at = open_tab(open_page("outcomes", lang="en"), "outcomes_tab", "Social value created (SROI)")
    sroi = _sroi_figure(at)
    proxies = dict(sql_all(built_db, "SELECT indicator_id, central_eur FROM sroi_proxy"))
    expected = _expected_ess_central(built_db, first, last, outcomes_sroi.DEFAULTS, proxies)
    assert sroi["data"][1]["x"][0] == pytest.approx(expected)
    # The denominator is stated: canteen sales, paid by the people detained, are left out.
    (canteen,) = sql(
        built_db,
        "SELECT sum(r.revenue_eur) FROM contract_revenue r JOIN contract c USING (contract_id) "
        "JOIN operator p USING (operator_id) JOIN operator_kind k USING (kind_id) "
        "WHERE k.kind_group = 'ess' AND c.domain_id = 'canteen' AND r.year BETWEEN ? AND ?",
        [first, last],
    )
    assert canteen > 0
    subtitle = sroi["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert "outside canteens" in subtitle and "paid by the people detained" in subtitle
    notes = " ".join(annotations(sroi))
    assert "displacement 10%" in notes and "Assumptions, not sourced" in notes


def test_every_parameter_and_proxy_shows_its_source_or_hypothese(built_db):
    at = open_tab(open_page("outcomes"), "outcomes_tab", "Valeur sociale créée (SROI)")
    table = static_table(at, "Paramètre ou proxy financier")
    rows = dict(zip(table["Paramètre ou proxy financier"], table["Source"], strict=True))
    for name in (
        "Effet d'aubaine",
        "Attribution à d'autres acteurs",
        "Déplacement",
        "Érosion annuelle",
        "Durée de l'effet (années)",
    ):
        assert rows[name].startswith("hypothèse"), name
    labels = sql_all(
        built_db,
        "SELECT i.label_fr, p.provenance, s.title FROM sroi_proxy p JOIN indicator i "
        "USING (indicator_id) JOIN source s USING (source_id)",
    )
    assert labels
    for label, provenance, title in labels:
        source = rows[f"Proxy financier : {label}"]
        assert title in source
        # The demo's proxies are invented orders of magnitude: assumptions, said so.
        assert source.startswith("hypothèse") == (provenance == "illustrative")


def test_a_sourced_proxy_shows_its_source_and_a_changed_one_says_hypothese():
    row = {
        "indicator_id": "certificates",
        "changed": False,
        "provenance": "real",
        "source_title": "Étude X",
        "source_publisher": "Éditeur Y",
        "source_title_en": None,  # a publisher's own title: cited as published
        "source_publisher_en": None,
        "source_date": "2024",
        "source_url": "https://example.org/x",
    }
    assert outcomes_sroi.proxy_source(row, "fr").startswith("Étude X (Éditeur Y")
    assert outcomes_sroi.proxy_source(row, "en").startswith("Étude X (Éditeur Y")
    assert "https://example.org/x" in outcomes_sroi.proxy_source(row, "fr")
    assert outcomes_sroi.proxy_source({**row, "changed": True}, "fr").startswith("hypothèse")
    # A title Maillon wrote (the demo's) in the reader's language.
    assumed = {**row, "provenance": "illustrative", "source_title_en": "Study X"}
    assert outcomes_sroi.proxy_source(assumed, "en") == "assumption — Study X"
    assert "Étude X" in outcomes_sroi.proxy_source(assumed, "fr")


def test_the_sroi_moves_with_each_parameter_and_proxy_and_keeps_them_in_the_url(built_db):
    first, last = years(built_db)
    at = open_tab(open_page("outcomes"), "outcomes_tab", "Valeur sociale créée (SROI)")
    central = _sroi_figure_fr(at)["data"][1]["x"][0]
    at.slider(key="displacement_fr_0").set_value(50).run()
    moved = _sroi_figure_fr(at)["data"][1]["x"][0]
    assert moved == pytest.approx(central * 0.5 / 0.9)
    assert at.query_params["_sroi_displacement"] == "0.5"
    at.number_input(key="sroi_years_fr_0").set_value(1).run()
    one_year = _sroi_figure_fr(at)["data"][1]["x"][0]
    assert one_year == pytest.approx(moved / (1 + 0.8 + 0.64))
    # A proxy changed by the reader: its value replaces the documented one in the ratio.
    at.session_state["sroi_proxy_inputs"] = True  # open the lazy expander
    at.run()
    # Typed the French way, with a space between the thousands.
    at.text_input(key="sroi_proxy_people_accompanied_release_fr_0").set_value("6 000").run()
    parameters = outcomes_sroi.Parameters(
        displacement=0.5, years=1, proxies=(("people_accompanied_release", 6000.0),)
    )
    proxies = dict(sql_all(built_db, "SELECT indicator_id, central_eur FROM sroi_proxy"))
    proxies["people_accompanied_release"] = 6000.0
    expected = _expected_ess_central(built_db, first, last, parameters, proxies)
    assert _sroi_figure_fr(at)["data"][1]["x"][0] == pytest.approx(expected)
    assert at.query_params["_sroi_proxy_people_accompanied_release"] == "6000"
    table = static_table(at, "Paramètre ou proxy financier")
    sources = dict(zip(table["Paramètre ou proxy financier"], table["Source"], strict=True))
    assert sources["Déplacement"] == "hypothèse (valeur modifiée sur cette page)"


def test_a_link_carries_the_sroi_parameters(built_db):
    at = open_page("outcomes", _sroi_deadweight="0.5", _sroi_years="2")
    at = open_tab(at, "outcomes_tab", "Valeur sociale créée (SROI)")
    assert at.slider(key="deadweight_fr_0").value == 50
    assert "effet d'aubaine 50" in " ".join(annotations(_sroi_figure_fr(at)))


def _sroi_figure_fr(at):
    return next(
        f
        for f in figures(at)
        if "chaque euro de chiffre d'affaires" in f["layout"]["title"]["text"]
    )


def test_the_net_factor_includes_displacement():
    assert outcomes_sroi.Parameters(0, 0, 0, 0, 3).factor() == pytest.approx(3)
    # Half kept at each of three steps, and drop-off 100 %: only the first year counts.
    assert outcomes_sroi.Parameters(0.5, 0.5, 0.5, 1.0, 3).factor() == pytest.approx(0.125)
    assert outcomes_sroi.Parameters(0, 0, 0.2, 0, 1).factor() == pytest.approx(0.8)


def test_the_url_keeps_what_differs_from_the_defaults():
    ids = ["certificates", "families_supported"]
    parameters = outcomes_sroi.Parameters(
        displacement=0.3, years=5, proxies=(("certificates", 900.0),)
    )
    wanted = outcomes_sroi.to_url(parameters)
    assert wanted == {
        "_sroi_displacement": "0.3",
        "_sroi_years": "5",
        "_sroi_proxy_certificates": "900",
    }
    assert outcomes_sroi.from_url({k: [v] for k, v in wanted.items()}, ids) == parameters
    # Out of range or malformed values keep their default.
    bad = {"_sroi_deadweight": ["2"], "_sroi_years": ["0"], "_sroi_proxy_certificates": ["x"]}
    assert outcomes_sroi.from_url(bad, ids) == outcomes_sroi.DEFAULTS
