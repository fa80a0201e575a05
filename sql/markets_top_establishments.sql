-- Markets: establishments ranked by market value over the years in scope, with the ESS share,
-- the number of holders and domains, the detainees held in the last month of the period, and the
-- parts of the value that are illustrative and modeled (a real establishment, invented figures).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH value AS (
    SELECT
        establishment_id,
        sum(revenue_eur)::DOUBLE AS market_value_eur,
        coalesce(sum(revenue_eur) FILTER (is_ess), 0)::DOUBLE AS ess_value_eur,
        count(DISTINCT operator_id) AS operators,
        count(DISTINCT domain_id) AS domains,
        share_of(revenue_eur, provenance = 'illustrative') AS illustrative_share,
        share_of(revenue_eur, provenance = 'modeled') AS modeled_share
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds)
    GROUP BY establishment_id
),
population AS (
    SELECT establishment_id, arg_max(detainees, month) AS detainees
    FROM establishment_population
    WHERE year(month) <= $year_to
    GROUP BY establishment_id
)
SELECT
    e.establishment_id,
    e.name,
    e.type_code,
    e.region_name,
    v.market_value_eur,
    v.ess_value_eur / nullif(v.market_value_eur, 0) AS ess_share,
    v.operators,
    v.domains,
    p.detainees,
    v.illustrative_share,
    v.modeled_share
FROM value AS v
JOIN establishment AS e USING (establishment_id)
LEFT JOIN population AS p USING (establishment_id)
ORDER BY v.market_value_eur DESC, e.name
