-- Markets: market value per detainee-day and per operational place, by operator group
-- (ESS, for-profit, public), over the years in scope.
-- Each group's revenue at an establishment and year is divided by that establishment's
-- detainee-days (monthly headcount x days in the month, summed over the year) and its operational
-- places (average of the monthly figures), counted once per group, establishment and year where
-- the group earned revenue. Quartiers whose headcount is not published (NC) are left out of the
-- population; `modeled_months` counts establishment-months whose population is modeled.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH revenue AS (
    SELECT m.year, m.establishment_id, k.kind_group, sum(m.revenue_eur)::DOUBLE AS revenue_eur
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds) AS m
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY ALL
),
population AS (
    SELECT
        year(month) AS year,
        establishment_id,
        sum(detainees * dayofmonth(last_day(month)))::DOUBLE AS detainee_days,
        avg(operational_capacity)::DOUBLE AS places,
        count(*) FILTER (provenance <> 'real') AS modeled_months,
        count(*) AS months
    FROM establishment_population
    WHERE year(month) BETWEEN $year_from AND $year_to
    GROUP BY ALL
),
groups AS (
    SELECT * FROM kind_groups()
)
SELECT
    r.kind_group,
    g.color,
    sum(r.revenue_eur) AS revenue_eur,
    sum(p.detainee_days) AS detainee_days,
    sum(p.places) AS place_years,
    sum(r.revenue_eur) / nullif(sum(p.detainee_days), 0) AS eur_per_detainee_day,
    sum(r.revenue_eur) / nullif(sum(p.places), 0) AS eur_per_place_year,
    sum(p.modeled_months)::BIGINT AS modeled_months,
    sum(p.months)::BIGINT AS months
FROM revenue AS r
JOIN population AS p USING (year, establishment_id)
JOIN groups AS g USING (kind_group)
GROUP BY r.kind_group, g.color, g.sort_order
ORDER BY g.sort_order
