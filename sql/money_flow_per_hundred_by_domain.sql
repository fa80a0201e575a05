-- Where the result goes, like for like: of each EUR 100 an operator earns in a domain (all
-- payers, as overview_per_hundred.sql), how many it returns to reinsertion and family support;
-- per domain and operator group, how many operators there are, the group's pooled figure and the
-- spread across its operators (10th, 50th and 90th percentiles). A group's figure in a domain is
-- a comparison only from 3 operators (comparable).
-- Only the operator-years whose result is split count (has_split), as in the overview. An
-- operator's reallocation is attributed to its markets pro rata of their revenue
-- (reallocation_by_market), so its own figure is the same in each domain it holds: the domains
-- sort which operators are compared, not the money.
-- The counts, pooled figure and percentiles come from the within_domain macro (derived.sql).
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
           100 * coalesce(r.returned_eur, 0) / v.covered_revenue_eur AS value,
           100 * coalesce(r.returned_eur, 0) AS pooled_top,
           v.covered_revenue_eur AS pooled_bottom
    FROM revenue AS v
    LEFT JOIN returned AS r USING (domain_id, operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE v.covered_revenue_eur > 0
)
SELECT * FROM within_domain('per_operator')
