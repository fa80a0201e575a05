-- Markets: market value (contract revenue) per year and service domain, for the filtered scope.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH by_domain AS (
    SELECT year, domain_id, sum(revenue_eur)::DOUBLE AS market_value_eur
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds)
    GROUP BY year, domain_id
)
SELECT b.year, b.domain_id, d.label_fr, d.label_en, d.sort_order, b.market_value_eur
FROM by_domain AS b
JOIN service_domain AS d USING (domain_id)
ORDER BY b.year, d.sort_order
