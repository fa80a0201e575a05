"""Where the result goes, and the EUR 100 headline of the Overview: figures against SQL."""

import pytest

from maillon.i18n import money, number
from tests.page_helpers import (
    annotations,
    bar_total,
    figures,
    figures_in_tabs,
    market_value,
    open_page,
    sql,
    sql_all,
    years,
)

RETURNED_SQL = (
    "SELECT coalesce(sum(a.amount_eur), 0)::DOUBLE FROM reallocation a "
    "JOIN destination d USING (destination_id) JOIN destination_category dc USING (category_id) "
    "JOIN operator o USING (operator_id) JOIN operator_kind k USING (kind_id) "
    "WHERE a.year BETWEEN ? AND ? AND dc.category_id IN ({categories}) AND ({kinds})"
)


TABS = "money_flow_tab"


def returned(db, first, last, categories="'reinsertion', 'family'", kinds="true") -> float:
    return sql(db, RETURNED_SQL.format(categories=categories, kinds=kinds), [first, last])[0]


def _sankeys(at) -> list[dict]:
    found = [f["data"][0] for f in figures_in_tabs(at, TABS) if f["data"][0]["type"] == "sankey"]
    assert len(found) == 2  # money from markets to destinations, then the result in detail
    return found


def _names(sankey: dict) -> list[str]:
    """Each node's name, from its hover text ('name : amount'): its label may be on two lines."""
    return [hover.rsplit(" : ", 1)[0] for hover in sankey["node"]["customdata"]]


def _links(sankey: dict) -> list[tuple[int, int, float]]:
    link = sankey["link"]
    return list(zip(link["source"], link["target"], link["value"], strict=True))


def test_sankey_adds_up_to_holders_revenue_wages_and_returned(built_db):
    first, last = years(built_db)
    at = open_page("money_flow")
    sankey = _sankeys(at)[0]
    labels = _names(sankey)
    links = _links(sankey)
    domain_nodes = {s for s, t, v in links} - {t for s, t, v in links}
    from_domains = sum(v for s, t, v in links if s in domain_nodes)
    # every payer's money (the canteen's too), régie left out: not the market value alone
    holders = market_value(built_db, first, last, money="holders")
    assert from_domains == pytest.approx(holders, rel=1e-9)
    assert from_domains > market_value(built_db, first, last)
    wages = sum(v for s, t, v in links if labels[t] == "Rémunérations des personnes détenues")
    expected_wages = sql(
        built_db,
        "SELECT sum(detainee_wages_eur)::DOUBLE FROM operator_result WHERE year BETWEEN ? AND ?",
        [first, last],
    )[0]
    assert wages == pytest.approx(expected_wages, rel=1e-9)
    into_returned = sum(
        v for s, t, v in links if labels[t] in ("Réinsertion", "Soutien aux familles")
    )
    assert into_returned == pytest.approx(returned(built_db, first, last), rel=1e-9)
    assert len(domain_nodes) <= 7


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_result_sankey_details_every_destination(built_db, lang):
    first, last = years(built_db)
    money_sankey, result_sankey = _sankeys(open_page("money_flow", lang=lang))
    labels = _names(result_sankey)
    drawn = {labels[t]: v for s, t, v in _links(result_sankey)}
    expected = sql_all(
        built_db,
        f"SELECT d.label_{lang}, sum(a.amount_eur)::DOUBLE FROM reallocation a "
        "JOIN destination d USING (destination_id) WHERE a.year BETWEEN ? AND ? "
        "GROUP BY ALL HAVING sum(a.amount_eur) > 0",
        [first, last],
    )
    assert drawn == pytest.approx(dict(expected), rel=1e-9)
    money_labels = _names(money_sankey)
    result_label = "Résultat" if lang == "fr" else "Result"
    into_result = sum(v for s, t, v in _links(money_sankey) if money_labels[t] == result_label)
    assert sum(drawn.values()) == pytest.approx(into_result, rel=1e-9)


def test_money_flow_page_in_french(built_db):
    at = open_page("money_flow")
    assert len(figures(at)) == 1  # one question per tab: only the open tab is drawn
    specs = figures_in_tabs(at, TABS)
    assert len(specs) == 5  # the per-€100 also domain by domain
    title = specs[0]["layout"]["title"]["text"]
    # The finding first: what went to reinsertion and families, as the flows into those nodes.
    labels = _names(specs[0]["data"][0])
    returned = sum(
        v
        for _s, t, v in _links(specs[0]["data"][0])
        if labels[t] in ("Réinsertion", "Soutien aux familles")
    )
    assert title.startswith(money(returned, "fr") + " (")
    assert "sont allés à la réinsertion et aux familles" in title
    for spec in specs:
        assert "DONNÉES ILLUSTRATIVES" in annotations(spec)
        assert any(a.startswith("Source :") for a in annotations(spec))
    first, last = years(built_db)
    total = sql(
        built_db,
        "SELECT sum(amount_eur)::DOUBLE FROM reallocation WHERE year BETWEEN ? AND ?",
        [first, last],
    )[0]
    assert bar_total(specs[2]) == pytest.approx(total, rel=1e-9)


def test_returned_share_by_kind_matches_sql(built_db):
    first, last = years(built_db)
    at = open_page("money_flow", lang="en")
    spec = next(f for f in figures_in_tabs(at, TABS) if f["data"][0].get("orientation") == "h")
    assert spec["layout"]["title"]["text"].startswith(("ESS operators returned", "100%", "0%"))
    drawn = dict(zip(spec["data"][0]["y"], spec["data"][0]["x"], strict=True))
    for label, share in drawn.items():
        kind = f"k.label_en = '{label.replace(chr(39), chr(39) * 2)}'"
        result = returned(
            built_db,
            first,
            last,
            "'reinsertion', 'family', 'service', 'reserves', 'members', 'dividends'",
            kind,
        )
        assert share == pytest.approx(returned(built_db, first, last, kinds=kind) / result)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_eur_100_headline_on_the_overview(built_db, lang):
    first, last = years(built_db)
    at = open_page("overview", lang=lang)
    revenue = sql(
        built_db,
        "SELECT sum(r.revenue_eur)::DOUBLE FROM contract_revenue r JOIN contract c USING "
        "(contract_id) JOIN operator o USING (operator_id) JOIN operator_kind k USING (kind_id) "
        "WHERE k.is_ess AND r.year BETWEEN ? AND ?",
        [first, last],
    )[0]
    reinsertion = returned(built_db, first, last, "'reinsertion'", "k.is_ess")
    expected = number(100 * reinsertion / revenue, lang, decimals=2)
    texts = [m.value for m in at.markdown]
    start = "### Opérateurs de l'ESS" if lang == "fr" else "### ESS operators"
    ess = [x for x in texts if x.startswith(start)]
    assert len(ess) == 1 and expected in ess[0]
    assert len(at.metric) >= 4  # the four figures, then the money beside the market value
