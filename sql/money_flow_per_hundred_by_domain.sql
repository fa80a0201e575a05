-- Where the result goes, like for like: of each EUR 100 an operator earns in a domain (all
-- payers, as overview_per_hundred.sql), how many it returns to reinsertion and family support;
-- per domain and operator group, how many operators there are, the group's pooled figure and the
-- spread across its operators (10th, 50th and 90th percentiles). A group's figure in a domain is
-- a comparison only from 3 operators (comparable).
-- Only the operator-years whose result is split count (has_split), as in the overview. An
-- operator's reallocation is attributed to its markets pro rata of their revenue
-- (reallocation_by_market), so its own figure is the same in each domain it holds: the domains
-- sort which operators are compared, not the money.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH revenue AS (
    SELECT domain_id, operator_id, kind_id, sum(revenue_eur)::DOUBLE AS covered_revenue_eur
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    WHERE has_split
    GROUP BY ALL
),
returned AS (
    SELECT domain_id, operator_id, sum(amount_eur)::DOUBLE AS returned_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    WHERE is_returned
    GROUP BY ALL
),
per_operator AS (
    SELECT v.domain_id, v.operator_id, k.kind_group,
           v.covered_revenue_eur,
           coalesce(r.returned_eur, 0) AS returned_eur,
           100 * coalesce(r.returned_eur, 0) / v.covered_revenue_eur AS value
    FROM revenue AS v
    LEFT JOIN returned AS r USING (domain_id, operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE v.covered_revenue_eur > 0
),
per_group AS (
    SELECT domain_id, kind_group,
           count(*) AS operators,
           100 * sum(returned_eur) / sum(covered_revenue_eur) AS group_value,
           quantile_cont(value, 0.1) AS p10,
           quantile_cont(value, 0.5) AS median,
           quantile_cont(value, 0.9) AS p90
    FROM per_operator
    GROUP BY ALL
),
groups AS (
    SELECT * FROM kind_groups()
)
SELECT
    o.domain_id,
    d.label_fr AS domain_fr,
    d.label_en AS domain_en,
    o.kind_group,
    g.color,
    o.operator_id,
    op.name AS operator_name,
    o.returned_eur,
    o.covered_revenue_eur,
    o.value,
    s.operators,
    s.operators >= 3 AS comparable,
    s.group_value,
    s.p10,
    s.median,
    s.p90
FROM per_operator AS o
JOIN per_group AS s USING (domain_id, kind_group)
JOIN service_domain AS d USING (domain_id)
JOIN operator AS op USING (operator_id)
JOIN groups AS g USING (kind_group)
ORDER BY d.sort_order, g.sort_order, o.value
