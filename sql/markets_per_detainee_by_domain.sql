-- Markets, like for like: the market value per detainee-day of each operator within each domain
-- (value) and, per domain and operator group (ESS, for-profit…), how many operators there are,
-- the group's pooled figure and the spread across its operators (10th, 50th, 90th percentiles).
-- A group's figure in a domain is a comparison only from 3 operators (comparable): below, the
-- page shows no figure for it. The establishment-type filter narrows the comparison to one type.
-- An operator's detainee-days are those of the establishments and years where it earned revenue
-- in the domain (monthly headcount x days in the month, NC quartiers left out).
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
           sum(r.revenue_eur) / nullif(sum(p.detainee_days), 0) AS value
    FROM revenue AS r
    JOIN population AS p USING (year, establishment_id)
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY ALL
    HAVING sum(p.detainee_days) > 0
),
per_group AS (
    SELECT domain_id, kind_group,
           count(*) AS operators,
           sum(revenue_eur) / sum(detainee_days) AS group_value,
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
    o.revenue_eur,
    o.detainee_days,
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
