"""Like for like: operator groups compared within a domain (and an establishment type), with the
spread across operators and how many operators stand behind each figure; none under three."""

import pytest

from maillon.figures import markets_like_for_like
from tests.conftest import open_db
from tests.page_helpers import NO_FILTER, figures, open_page, open_tab

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
    summary = markets_like_for_like.groups(frame)
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
    summary = markets_like_for_like.groups(frame)
    few = summary.filter(~summary["comparable"])
    assert few.height > 0 and (few["operators"] < 3).all()
    table = markets_like_for_like.table(summary, "fr")
    hidden = table.filter(table["Opérateurs"] < 3)
    assert hidden["Médiane"].is_null().all() and hidden["p10"].is_null().all()
    chart = markets_like_for_like.chart(frame, _filters(), "fr")
    lanes = {y for trace in chart.figure.data for y in (trace.y or []) if y}
    assert any("pas de comparaison" in lane for lane in lanes)
    points = [t for t in chart.figure.data if t.mode == "markers" and t.marker.size == 11]
    assert points and all("pas de comparaison" not in y for t in points for y in t.y)


def _filters():
    from maillon.data.filters import Filters

    return Filters(2024, 2024, disp=("DISP RENNES",), type=("MA",))


def test_the_markets_page_shows_it_beside_the_mixed_figure(built_db):
    at = open_tab(open_page("markets"), "markets_tab", "Par journée de détention et par place")
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert any(title.startswith("Par journée de détention") for title in titles)
    like = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("À domaine"))
    assert "(médianes)" in like["layout"]["title"]["text"]
    lanes = {y for trace in like["data"] for y in trace.get("y", []) if y}
    assert any("opérateurs)" in lane for lane in lanes)
