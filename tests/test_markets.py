"""Markets and operators page: figures in both languages, totals against independent SQL."""

import pytest

from maillon.i18n import t
from tests.page_helpers import (
    annotations,
    bar_total,
    figures,
    market_value,
    open_page,
    sql,
    sql_all,
    titled,
    years,
)


def test_markets_in_french(built_db):
    first, last = years(built_db)
    at = open_page("markets_operators")
    specs = figures(at)
    assert len(specs) == 4
    domain = specs[0]
    assert f"en {last}" in domain["layout"]["title"]["text"]
    assert bar_total(domain) == pytest.approx(market_value(built_db, first, last), rel=1e-9)
    assert "DONNÉES ILLUSTRATIVES" in annotations(domain)
    assert any(a.startswith("Source : tables market_revenue") for a in annotations(domain))
    assert len({t["name"] for t in domain["data"] if t["type"] == "bar"}) <= 7

    share = titled(at, "Les opérateurs de l'ESS")
    by_year: dict = {}
    for trace in share["data"]:
        if trace["type"] == "bar":
            for x, y in zip(trace["x"], trace["y"], strict=True):
                by_year[x] = by_year.get(x, 0) + y
    assert all(v == pytest.approx(1) for v in by_year.values())

    per_day = titled(at, "Pour une journée de détention")
    assert any("Qualité des données" in a for a in annotations(per_day))
    assert "Les opérateurs de l'ESS" in share["layout"]["title"]["text"]
    assert any("Données illustratives" in i.value for i in at.info)


def test_markup_matches_independent_sql(built_db):
    first, last = years(built_db)
    at = open_page("markets_operators")
    markup = titled(at, "À la cantine")
    rows = sql_all(
        built_db,
        "SELECT k.kind_group, i.category, sum(p.price_eur) / sum(p.reference_price_eur) - 1 "
        "FROM canteen_price p JOIN canteen_item i USING (item_id) "
        "JOIN contract_establishment ce USING (establishment_id) "
        "JOIN contract c ON c.contract_id = ce.contract_id AND c.domain_id = 'canteen' "
        "AND p.valid_from BETWEEN c.start_date AND c.end_date "
        "JOIN operator o ON o.operator_id = c.operator_id JOIN operator_kind k USING (kind_id) "
        "WHERE p.valid_from <= make_date(?, 12, 31) AND p.valid_to >= make_date(?, 1, 1) "
        "GROUP BY 1, 2",
        [last, first],
    )
    expected = {
        (t("fr", f"dash.group_{group}"), t("fr", f"dash.item_{cat}")): float(v)
        for group, cat, v in rows
    }
    drawn = {
        (trace["name"], x): y
        for trace in markup["data"]
        for x, y in zip(trace["x"], trace["y"], strict=True)
        if y is not None
    }
    assert drawn == pytest.approx(expected)


def test_markets_in_english_filtered_by_kind(built_db):
    _first, last = years(built_db)
    at = open_page("markets_operators", lang="en", years=f"{last - 2}-{last}", kind="for_profit")
    domain = figures(at)[0]
    assert f"in {last}" in domain["layout"]["title"]["text"]
    expected = market_value(built_db, last - 2, last, ["for_profit"])
    assert bar_total(domain) == pytest.approx(expected, rel=1e-9)
    assert "ILLUSTRATIVE DATA" in annotations(domain)
    assert at.metric[0].label == "Market value"


def test_top_tables_are_sorted_by_value(built_db):
    first, last = years(built_db)
    at = open_page("markets_operators")
    establishments = at.dataframe[-2].value
    values = establishments["Valeur (€)"].tolist()
    assert values == sorted(values, reverse=True)
    count = sql(
        built_db,
        "SELECT count(DISTINCT establishment_id) FROM contract_revenue WHERE year BETWEEN ? AND ?",
        [first, last],
    )[0]
    assert len(values) == count
    operators = at.dataframe[-1].value
    assert operators["Valeur (€)"].sum() == pytest.approx(
        market_value(built_db, first, last), abs=len(operators)
    )
