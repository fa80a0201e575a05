-- Market value (contract revenue) per year and operator kind, for the filtered scope.
-- Parameters: $year_from, $year_to, $disps, $regions, $types, $domains, $kinds.
WITH by_kind AS (
    SELECT year, kind_id, sum(revenue_eur)::DOUBLE AS market_value_eur
    FROM market_revenue
    WHERE year BETWEEN $year_from AND $year_to
      AND in_scope(disp, region_code, type_code, domain_id, kind_id,
                   $disps, $regions, $types, $domains, $kinds)
    GROUP BY year, kind_id
)
SELECT
    b.year,
    b.kind_id,
    k.label_fr,
    k.label_en,
    k.is_ess,
    k.color,
    k.sort_order,
    b.market_value_eur,
    b.market_value_eur / sum(b.market_value_eur) OVER (PARTITION BY b.year) AS share_of_year
FROM by_kind AS b
JOIN operator_kind AS k USING (kind_id)
ORDER BY b.year, k.sort_order
