"""Like for like: operator groups compared within a domain (and an establishment type), with the
spread across operators and how many operators stand behind each figure; none under three. Three
measures: the market value per detainee-day (Markets), the euros returned per 100 € earned (Where
the result goes) and the cost per person helped (Outcomes)."""

import pytest

from maillon.data.filters import Filters
from maillon.figures import like_for_like, outcomes_sroi, overview
from tests.conftest import open_db
from tests.page_helpers import NO_FILTER, figures, open_page, open_tab, titled

ALL = NO_FILTER

# From the base tables: each operator's market value (what the prison administration pays) in a
# domain, over the detainee-days of the establishments and years where it earned it.
PER_OPERATOR = """
WITH revenue AS (
    SELECT r.year, r.establishment_id, c.domain_id, c.operator_id, sum(r.revenue_eur) AS revenue
    FROM contract_revenue r
    JOIN contract c USING (contract_id)
    JOIN payer p USING (payer_id)
    JOIN establishment e ON e.establishment_id = r.establishment_id
    WHERE p.payer_group_id = 'administration' AND c.contract_kind_id <> 'regie'
      AND r.year BETWEEN ? AND ? AND (? IS NULL OR e.type_code = ?)
    GROUP BY ALL
),
days AS (
    SELECT establishment_id, year(month) AS year,
           sum(detainees * dayofmonth(last_day(month))) AS days
    FROM population_monthly
    GROUP BY ALL
)
SELECT r.domain_id, k.kind_group, r.operator_id, sum(r.revenue) / sum(d.days) AS per_day
FROM revenue r
JOIN days d USING (establishment_id, year)
JOIN operator o USING (operator_id)
JOIN operator_kind k USING (kind_id)
GROUP BY ALL
HAVING sum(d.days) > 0
"""


def _independent(built_db, year_from, year_to, type_code=None):
    rows = (
        open_db(built_db)
        .execute(PER_OPERATOR, [year_from, year_to, type_code, type_code])
        .fetchall()
    )
    groups: dict = {}
    for domain, group, _operator, value in rows:
        groups.setdefault((domain, group), []).append(float(value))
    return groups


def _median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


@pytest.mark.parametrize("type_code", [None, "MA"])
def test_counts_and_medians_per_domain_match_independent_sql(run, built_db, type_code):
    frame = run(
        "markets_per_detainee_by_domain",
        year_from=2021,
        year_to=2024,
        **{**ALL, "types": [type_code] if type_code else []},
    )
    expected = _independent(built_db, 2021, 2024, type_code)
    summary = like_for_like.groups(frame)
    assert summary.height == len(expected)
    for row in summary.iter_rows(named=True):
        values = expected[(row["domain_id"], row["kind_group"])]
        assert row["operators"] == len(values)
        assert row["median"] == pytest.approx(_median(values), rel=1e-9)
        assert row["comparable"] == (len(values) >= 3)
        assert row["p10"] <= row["median"] <= row["p90"]
    # every operator is a point of its domain: the points themselves, not only the group
    points = frame.group_by("domain_id", "kind_group").len()
    for row in points.iter_rows(named=True):
        assert row["len"] == len(expected[(row["domain_id"], row["kind_group"])])


def test_a_group_of_fewer_than_three_operators_is_not_a_comparison(run):
    # one DISP and one type: some domain groups fall under three operators
    frame = run(
        "markets_per_detainee_by_domain",
        year_from=2024,
        year_to=2024,
        **{**ALL, "disps": ["DISP RENNES"], "types": ["MA"]},
    )
    summary = like_for_like.groups(frame)
    few = summary.filter(~summary["comparable"])
    assert few.height > 0 and (few["operators"] < 3).all()
    table = like_for_like.table(summary, like_for_like.PER_DETAINEE_DAY, "fr")
    hidden = table.filter(table["Opérateurs"] < 3)
    assert hidden["Médiane"].is_null().all() and hidden["p10"].is_null().all()
    chart = like_for_like.chart(frame, like_for_like.PER_DETAINEE_DAY, _filters(), "fr")
    lanes = {y for trace in chart.figure.data for y in (trace.y or []) if y}
    assert any("pas de comparaison" in lane for lane in lanes)
    points = [t for t in chart.figure.data if t.mode == "markers" and t.marker.size == 11]
    assert points and all("pas de comparaison" not in y for t in points for y in t.y)


def _filters():
    return Filters(2024, 2024, disp=("DISP RENNES",), type=("MA",))


def test_the_markets_page_shows_it_beside_the_mixed_figure(built_db):
    at = open_tab(open_page("markets"), "markets_tab", "Par journée et par place")
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert any(title.startswith("Par journée de détention") for title in titles)
    like = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("À domaine"))
    assert "(médianes)" in like["layout"]["title"]["text"]
    lanes = {y for trace in like["data"] for y in trace.get("y", []) if y}
    assert any("opérateurs)" in lane for lane in lanes)


# From the base tables: each operator's reallocated result is attributed to its markets pro rata
# of their revenue (all payers) that year; reinsertion and family destinations are "returned".
RETURNED = """
WITH revenue AS (
    SELECT r.year, r.establishment_id, c.domain_id, c.operator_id, sum(r.revenue_eur) AS revenue
    FROM contract_revenue r
    JOIN contract c USING (contract_id)
    WHERE r.year BETWEEN $year_from AND $year_to
    GROUP BY ALL
),
totals AS (
    SELECT operator_id, year, sum(revenue) AS total FROM revenue GROUP BY ALL
),
returned AS (
    SELECT a.operator_id, a.year, sum(a.amount_eur) AS amount
    FROM reallocation a
    JOIN destination d USING (destination_id)
    WHERE d.category_id IN ('reinsertion', 'family')
    GROUP BY ALL
)
SELECT v.domain_id, v.operator_id, v.year, v.revenue,
       coalesce(a.amount, 0) * v.revenue / t.total AS returned,
       EXISTS (SELECT 1 FROM reallocation x
               WHERE x.operator_id = v.operator_id AND x.year = v.year) AS split
FROM revenue v
JOIN totals t USING (operator_id, year)
LEFT JOIN returned a USING (operator_id, year)
WHERE t.total > 0
"""
KIND_GROUP = """
SELECT o.operator_id, k.kind_group FROM operator o JOIN operator_kind k USING (kind_id)
"""
HELPED = """
SELECT domain_id, operator_id, sum(value) AS helped
FROM outcome
WHERE year BETWEEN $year_from AND $year_to
  AND (indicator_id = 'people_accompanied_release'
       OR (indicator_id = 'families_supported' AND domain_id <> 'family_reception'))
GROUP BY ALL
"""


def _returned(built_db, year_from, year_to):
    con = open_db(built_db)
    params = {"year_from": year_from, "year_to": year_to}
    group = dict(con.execute(KIND_GROUP).fetchall())
    returned: dict = {}
    covered: dict = {}
    for domain, operator, _year, revenue, amount, split in con.execute(RETURNED, params).fetchall():
        key = (domain, operator)
        returned[key] = returned.get(key, 0.0) + float(amount)
        if split:
            covered[key] = covered.get(key, 0.0) + float(revenue)
    helped = {(d, o): float(h) for d, o, h in con.execute(HELPED, params).fetchall()}
    return group, returned, covered, helped


def _check_groups(summary, expected):
    assert summary.height == len(expected)
    for row in summary.iter_rows(named=True):
        values = expected[(row["domain_id"], row["kind_group"])]
        assert row["operators"] == len(values)
        assert row["median"] == pytest.approx(_median(values), rel=1e-9)
        assert row["comparable"] == (len(values) >= 3)


def test_per_hundred_per_domain_matches_independent_sql(run, built_db):
    frame = run("money_flow_per_hundred_by_domain", year_from=2019, year_to=2025, **ALL)
    group, returned, covered, _ = _returned(built_db, 2019, 2025)
    expected: dict = {}
    for (domain, operator), revenue in covered.items():
        if revenue > 0:
            value = 100 * returned.get((domain, operator), 0.0) / revenue
            expected.setdefault((domain, group[operator]), []).append(value)
    _check_groups(like_for_like.groups(frame), expected)
    # the pooled figures of a group, over its domains, give back the overview's per-€100
    per_hundred = overview.PerHundred.load(Filters(2019, 2025))
    for kind_group in ("ess", "for_profit"):
        mine = frame.filter(frame["kind_group"] == kind_group)
        pooled = 100 * mine["returned_eur"].sum() / mine["covered_revenue_eur"].sum()
        shown = per_hundred.reinsertion[kind_group] + per_hundred.family[kind_group]
        assert pooled == pytest.approx(shown)


def test_cost_per_person_per_domain_matches_independent_sql(run, built_db):
    frame = run("outcomes_cost_by_domain", year_from=2022, year_to=2024, **ALL)
    group, returned, _, helped = _returned(built_db, 2022, 2024)
    expected: dict = {}
    for (domain, operator), people in helped.items():
        if people > 0 and (domain, operator) in returned:
            value = returned[(domain, operator)] / people
            expected.setdefault((domain, group[operator]), []).append(value)
    _check_groups(like_for_like.groups(frame), expected)
    # a family-reception market's families are its own service: not people helped by its result
    family = frame.filter(frame["domain_id"] == "family_reception")
    con = open_db(built_db)
    accompanied = con.execute(
        """SELECT operator_id, sum(value) FROM outcome
           WHERE domain_id = 'family_reception' AND indicator_id = 'people_accompanied_release'
             AND year BETWEEN 2022 AND 2024 GROUP BY ALL"""
    ).fetchall()
    assert dict(zip(family["operator_id"], family["people_helped"], strict=True)) == {
        o: pytest.approx(float(v)) for o, v in accompanied if v > 0
    }


@pytest.mark.parametrize(
    ("page", "tab_key", "tab", "start"),
    [
        ("money-flow", "money_flow_tab", "Par type d'opérateur", "À domaine égal, l'ESS rend"),
        ("outcomes", "outcomes_tab", "Coût par personne aidée", "À domaine égal, le coût"),
    ],
)
def test_the_pages_show_the_comparison_domain_by_domain(built_db, page, tab_key, tab, start):
    at = open_tab(open_page(page), tab_key, tab)
    like = titled(at, start)
    assert "(médianes)" in like["layout"]["title"]["text"]
    lanes = {y for trace in like["data"] for y in trace.get("y", []) if y}
    assert any("opérateurs)" in lane for lane in lanes)
    assert len(figures(at)) == 2  # beside the mixed figure, not instead of it


def _sroi_by_domain(parameters):
    used = outcomes_sroi.proxies_used(outcomes_sroi.proxies(), parameters)
    return like_for_like.by_domain(
        like_for_like.SROI,
        Filters(2019, 2025),
        indicator_ids=used["indicator_id"].to_list(),
        proxy_eur=used["central_eur"].to_list(),
        factor=parameters.factor(),
    )


def test_the_sroi_per_domain_pools_back_to_the_group_sroi_and_follows_the_reader(built_db):
    filters = Filters(2019, 2025)
    for parameters in (
        outcomes_sroi.DEFAULTS,
        outcomes_sroi.Parameters(displacement=0.4, proxies=(("certificates", 4000.0),)),
    ):
        frame = _sroi_by_domain(parameters)
        assert "canteen" not in frame["domain_id"].to_list()  # paid by the people detained
        used = outcomes_sroi.proxies_used(outcomes_sroi.proxies(), parameters)
        gross = outcomes_sroi.gross_values(outcomes_sroi.quantities(filters), used)
        group = outcomes_sroi.sroi(outcomes_sroi.inputs(filters), gross, parameters)
        for row in group.iter_rows(named=True):
            mine = frame.filter(frame["kind_group"] == row["kind_group"])
            pooled = mine["net_value_eur"].sum() / mine["invested_eur"].sum()
            assert pooled == pytest.approx(row["central"]), parameters
    default = like_for_like.groups(_sroi_by_domain(outcomes_sroi.DEFAULTS))
    changed = like_for_like.groups(_sroi_by_domain(outcomes_sroi.Parameters(deadweight=0.5)))
    ratio = (changed["median"] / default["median"]).drop_nans().drop_nulls()
    assert ratio.len() > 0 and (ratio - (0.5 / 0.75)).abs().max() < 1e-9


def test_the_sroi_tab_shows_it_domain_by_domain(built_db):
    at = open_tab(open_page("outcomes"), "outcomes_tab", "Valeur sociale créée (SROI)")
    like = titled(at, "À domaine égal, la valeur sociale")
    lanes = {y for trace in like["data"] for y in trace.get("y", []) if y}
    assert any("opérateurs)" in lane for lane in lanes)
    assert not any("Cantine" in a.get("text", "") for a in like["layout"]["annotations"])
