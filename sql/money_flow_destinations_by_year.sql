-- Where the result goes: reallocated result per year and destination category, for the filtered
-- scope (reallocation_by_market: each operator's result attributed to its markets pro rata).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH by_category AS (
    SELECT year, category_id, sum(amount_eur)::DOUBLE AS amount_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    GROUP BY year, category_id
)
SELECT
    b.year,
    b.category_id,
    c.label_fr,
    c.label_en,
    c.is_returned,
    c.sort_order,
    b.amount_eur,
    b.amount_eur / sum(b.amount_eur) OVER (PARTITION BY b.year) AS share_of_year
FROM by_category AS b
JOIN destination_category AS c USING (category_id)
ORDER BY b.year, c.sort_order
