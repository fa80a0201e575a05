-- Markets, like for like: the market value per detainee-day of each operator within each domain
-- (value) and, per domain and operator group (ESS, for-profit…), how many operators there are,
-- the group's pooled figure and the spread across its operators (10th, 50th, 90th percentiles).
-- A group's figure in a domain is a comparison only from 3 operators (comparable): below, the
-- page shows no figure for it. The establishment-type filter narrows the comparison to one type.
-- An operator's detainee-days are those of the establishments and years where it earned revenue
-- in the domain (monthly headcount x days in the month, NC quartiers left out).
-- The counts, pooled figure and percentiles come from the within_domain macro (derived.sql).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH revenue AS (
    SELECT year, establishment_id, domain_id, operator_id, kind_id,
           sum(revenue_eur)::DOUBLE AS revenue_eur
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds)
    GROUP BY ALL
),
population AS (
    SELECT year(month) AS year, establishment_id,
           sum(detainees * dayofmonth(last_day(month)))::DOUBLE AS detainee_days
    FROM establishment_population
    WHERE year(month) BETWEEN $year_from AND $year_to
    GROUP BY ALL
),
per_operator AS (
    SELECT r.domain_id, r.operator_id, k.kind_group,
           sum(r.revenue_eur) AS revenue_eur,
           sum(p.detainee_days) AS detainee_days,
           sum(r.revenue_eur) / nullif(sum(p.detainee_days), 0) AS value,
           sum(r.revenue_eur) AS pooled_top,
           sum(p.detainee_days) AS pooled_bottom
    FROM revenue AS r
    JOIN population AS p USING (year, establishment_id)
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY ALL
    HAVING sum(p.detainee_days) > 0
)
SELECT * FROM within_domain('per_operator')
