-- Where the result goes: the links of the money Sankey, for the filtered scope and years.
--   stage 1  domain -> operator kind: market value (market_revenue)
--   stage 2  operator kind -> detainees' wages / other costs: each operator's costs of a year
--            attributed to its markets pro rata of their revenue (as reallocation_by_market does)
--   stage 2  operator kind -> result: the result, as reallocated (reallocation_by_market)
--   stage 3  result -> destination category
-- Over the markets of operators whose result is split (reallocation), so that every node's
-- inflows equal its outflows; figure_coverage.sql says how much of the market value that is.
-- source_id / target_id are taxonomy ids; 'wages', 'other_costs' and 'result' are the nodes
-- between the operator kinds and the destination categories (their sub-types are in
-- money_flow_destinations_by_year's table).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH market AS (
    SELECT m.*, r.detainee_wages_eur::DOUBLE / r.revenue_eur::DOUBLE AS wage_ratio,
           (r.costs_eur - r.detainee_wages_eur)::DOUBLE / r.revenue_eur::DOUBLE AS other_ratio
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS m
    JOIN operator_result AS r USING (operator_id, year)
    WHERE r.revenue_eur > 0 AND m.has_split
),
result AS (
    SELECT kind_id, category_id, destination_id, amount_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
),
links AS (
    SELECT 1 AS stage, 'domain' AS source_type, domain_id AS source_id,
           'kind' AS target_type, kind_id AS target_id, kind_id, sum(revenue_eur)::DOUBLE AS value_eur
    FROM market GROUP BY ALL
    UNION ALL
    SELECT 2, 'kind', kind_id, 'cost', 'wages', kind_id, sum(revenue_eur * wage_ratio)::DOUBLE
    FROM market GROUP BY ALL
    UNION ALL
    SELECT 2, 'kind', kind_id, 'cost', 'other_costs', kind_id, sum(revenue_eur * other_ratio)::DOUBLE
    FROM market GROUP BY ALL
    UNION ALL
    SELECT 2, 'kind', kind_id, 'cost', 'result', kind_id, sum(amount_eur)
    FROM result GROUP BY ALL
    UNION ALL
    SELECT 3, 'cost', 'result', 'category', category_id, NULL, sum(amount_eur)
    FROM result GROUP BY ALL
)
SELECT l.*, k.color
FROM links AS l
LEFT JOIN operator_kind AS k USING (kind_id)
WHERE l.value_eur > 0
ORDER BY l.stage, l.source_id, l.target_id
