"""Who pays: the market value is what the prison administration pays; canteen sales, concession
work, other public funders and the cost of régie are shown beside it, never added to it."""

import pytest

from maillon.i18n import money
from tests.page_helpers import open_page, open_tab, sql, sql_all, titled, years

# Each kind of money from the base tables (not market_revenue, not the named query): the payer's
# group, except that a public-management contract is a cost whoever its payer.
BY_PAYER = """
    SELECT CASE WHEN c.contract_kind_id = 'regie' THEN 'regie' ELSE p.payer_group_id END AS money,
           sum(r.revenue_eur)::DOUBLE
    FROM contract_revenue r
    JOIN contract c USING (contract_id)
    JOIN payer p USING (payer_id)
    WHERE r.year BETWEEN ? AND ?
    GROUP BY ALL
"""
LABELS = {
    "detained_people": "Personnes détenues (cantine)",
    "concession_clients": "Clients des concessionnaires (travail)",
    "other_public": "Autres financeurs publics",
    "regie": "Gestion publique (régie) : coût",
}


def _money(db, year_from, year_to) -> dict[str, float]:
    return dict(sql_all(db, BY_PAYER, [year_from, year_to]))


def test_the_headline_is_what_the_administration_pays_and_the_rest_stands_beside(built_db):
    first, last = years(built_db)
    paid = _money(built_db, first, last)
    at = open_page("overview")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Valeur des marchés"] == money(paid["administration"], "fr")
    for group, label in LABELS.items():
        assert shown[label] == money(paid[group], "fr"), group
    # never silently added: no figure on the page is the sum of two kinds of money
    everything = sum(paid.values())
    assert money(everything, "fr") not in shown.values()
    assert money(paid["administration"] + paid["detained_people"], "fr") not in shown.values()
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert "Source : tables market_revenue ; " in [c[:33] for c in captions]  # the money beside
    assert any(
        c.startswith("Source : tables market_revenue (payer_group_id = 'administration')")
        for c in captions
    )


def test_the_markets_page_draws_one_bar_per_kind_of_money(built_db):
    first, last = years(built_db)
    paid = _money(built_db, first, last)
    at = open_tab(open_page("markets", lang="en"), "markets_tab", "Who pays")
    spec = titled(at, "The prison administration pays")
    bars = [trace for trace in spec["data"] if trace["type"] == "bar"]
    totals: dict[str, float] = {}
    for trace in bars:
        assert trace["orientation"] == "h"
        for payer, value in zip(trace["y"], trace["x"], strict=True):
            totals[payer] = totals.get(payer, 0) + value
    assert totals["Prison administration"] == pytest.approx(paid["administration"], rel=1e-9)
    assert totals["Detained people (canteen)"] == pytest.approx(paid["detained_people"], rel=1e-9)
    assert totals["Public management (régie): cost"] == pytest.approx(paid["regie"], rel=1e-9)
    assert len(totals) == len(paid)
    # régie's bar is all public management; the canteen's holders are of several kinds
    regie = {t["name"] for t in bars if "Public management (régie): cost" in t["y"]}
    assert regie == {"Public management"}  # the legend names it in short
    assert money(paid["administration"], "en") in spec["layout"]["title"]["text"]


def test_a_scope_the_administration_pays_nothing_in_still_shows_its_money(built_db):
    first, last = years(built_db)
    at = open_page("overview", domain="canteen")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Valeur des marchés"] == "–"
    canteen = sql(
        built_db,
        "SELECT sum(r.revenue_eur)::DOUBLE FROM contract_revenue r JOIN contract c "
        "USING (contract_id) WHERE c.domain_id = 'canteen' AND c.contract_kind_id <> 'regie' "
        "AND r.year BETWEEN ? AND ?",
        [first, last],
    )[0]
    assert shown["Personnes détenues (cantine)"] == money(canteen, "fr")
    assert not at.warning


def test_demo_payers_follow_the_field(built_db):
    rows = dict(
        sql_all(
            built_db,
            "SELECT c.domain_id || ' / ' || c.payer_id || ' / ' || c.contract_kind_id, count(*) "
            "FROM contract c GROUP BY ALL",
        )
    )
    pairs = {key.rsplit(" / ", 1)[0] for key in rows}
    # the canteen is paid by detained people, training by the Régions, health by hospitals
    assert {p for p in pairs if p.startswith("canteen /")} == {"canteen / detained_people"}
    assert {p for p in pairs if p.startswith("vocational_training /")} == {
        "vocational_training / region"
    }
    assert {p for p in pairs if p.startswith("health /")} == {"health / hospital"}
    # régie rows are exactly the public management operators' contracts, and have no result
    mismatched = sql(
        built_db,
        "SELECT count(*) FROM contract c JOIN operator o USING (operator_id) "
        "WHERE (c.contract_kind_id = 'regie') <> (o.kind_id = 'public_regie')",
    )[0]
    assert mismatched == 0
    regie_results = sql(
        built_db,
        "SELECT count(*) FROM operator_result JOIN operator USING (operator_id) "
        "WHERE kind_id = 'public_regie'",
    )[0]
    assert regie_results == 0
