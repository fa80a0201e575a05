-- The result in detail: the links of the second Sankey, destination category -> destination,
-- for the filtered scope and years. Amounts are reallocation_by_market's, so the total equals
-- the first Sankey's result node.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH result AS (
    SELECT category_id, destination_id, amount_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
)
SELECT 1 AS stage, 'category' AS source_type, category_id AS source_id,
       'destination' AS target_type, destination_id AS target_id, NULL AS kind_id,
       sum(amount_eur)::DOUBLE AS value_eur, NULL AS color
FROM result
GROUP BY ALL
HAVING sum(amount_eur) > 0
ORDER BY source_id, target_id
