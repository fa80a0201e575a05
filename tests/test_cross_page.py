"""A figure shown on several pages is the same on each, for several filter combinations:
market value, reallocated amount (reinsertion + families), ESS share, detainees employed."""

import pytest

from maillon.i18n import money as fmt
from maillon.i18n import number
from tests.page_helpers import figures, open_page, years

FILTERS = [
    {},
    {"region": "84"},
    {"kind": ["scop", "for_profit"]},
    {"domain": "canteen", "type": ["MA", "CP"]},
]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _sankey_total(at) -> float:
    sankey = next(f for f in figures(at) if f["data"][0]["type"] == "sankey")["data"][0]
    links = sankey["link"]
    targets = set(links["target"])
    return sum(v for s, v in zip(links["source"], links["value"], strict=True) if s not in targets)


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: ",".join(q) or "none")
def test_market_value_ess_share_and_returned_agree(built_db, query):
    _first, last = years(built_db)
    query = {"years": f"{last - 2}-{last}", **query}
    overview = _metrics(open_page("overview", **query))
    markets = _metrics(open_page("markets", **query))
    money = open_page("money_flow", **query)
    flow = _metrics(money)
    assert markets["Valeur des marchés"] == overview["Valeur des marchés"]
    assert markets["Part de l'ESS"] == overview["Part de l'ESS"]
    assert flow["Réinsertion + familles"] == overview["Réinsertion + familles"]
    # The Sankey starts from all the holders earn, whoever pays: it is not the market value.
    assert "Valeur des marchés" not in flow
    assert fmt(_sankey_total(money), "fr") == flow["Chiffre d'affaires des titulaires"]


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: ",".join(q) or "none")
def test_one_year_figures_agree_with_the_annual_summary(built_db, query):
    _first, last = years(built_db)
    overview = open_page("overview", years=f"{last}-{last}", **query)
    annual = open_page("annual", **query)
    if not overview.metric:
        assert not annual.metric
        return
    headline = [m.value for m in overview.metric][:4]  # the money beside it comes after
    assert [m.value for m in annual.metric] == headline
    label = "Personnes détenues employées"
    employed = next(m for m in overview.metric if m.label.startswith(label))
    assert employed.value == next(m.value for m in annual.metric if m.label == label)
    outcomes = open_page("outcomes", years=f"{last}-{last}", **query)
    if outcomes.get("plotly_chart"):
        chart = figures(outcomes)[0]  # the indicator picker starts on detainees employed
        drawn = sum(sum(t["y"]) for t in chart["data"] if t["type"] == "bar")
        assert number(drawn, "fr") == employed.value
