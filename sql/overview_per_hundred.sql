-- Overview and Where the result goes: of each EUR 100 of market value earned by ESS operators,
-- and by for-profit operators, how many go to reinsertion and how many to family support
-- (reallocation_by_market over market_revenue, same scope and years). Public régies and kinds
-- not known are left out. The euros per 100 are computed over the market value of the operators
-- whose result is split (covered_revenue_eur); split_share is that part of the group's value.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH revenue AS (
    SELECT k.kind_group, sum(m.revenue_eur)::DOUBLE AS revenue_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_split), 0)::DOUBLE AS covered_revenue_eur
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS m
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
),
returned AS (
    SELECT
        k.kind_group,
        coalesce(sum(a.amount_eur) FILTER (a.category_id = 'reinsertion'), 0) AS reinsertion_eur,
        coalesce(sum(a.amount_eur) FILTER (a.category_id = 'family'), 0) AS family_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS a
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
)
SELECT
    v.kind_group,
    v.revenue_eur,
    v.covered_revenue_eur,
    v.covered_revenue_eur / nullif(v.revenue_eur, 0) AS split_share,
    coalesce(r.reinsertion_eur, 0) AS reinsertion_eur,
    coalesce(r.family_eur, 0) AS family_eur,
    100 * coalesce(r.reinsertion_eur, 0) / nullif(v.covered_revenue_eur, 0) AS reinsertion_per_100,
    100 * coalesce(r.family_eur, 0) / nullif(v.covered_revenue_eur, 0) AS family_per_100
FROM revenue AS v
LEFT JOIN returned AS r USING (kind_group)
WHERE v.kind_group IN ('ess', 'for_profit')
ORDER BY v.kind_group
