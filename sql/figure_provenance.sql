-- The provenance and sources of the rows behind a figure: for each table the figure reads
-- ($tables), the weight of its rows by provenance and source. Fact tables are read in the
-- filters and weighted by what the figure adds up (euros of market value or of reallocated
-- result, detainees); the other tables count their rows (table_provenance, built once).
-- Parameters: $tables, $year_from, $year_to, $disps, $regions, $types, $domains, $kinds.
WITH weights AS (
    SELECT 'market_revenue' AS table_name, provenance, source_id,
           sum(revenue_eur)::DOUBLE AS weight
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $types, $domains, $kinds)
    GROUP BY provenance, source_id
    UNION ALL
    SELECT 'reallocation_by_market', provenance, source_id, sum(amount_eur)::DOUBLE
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $types, $domains, $kinds)
    GROUP BY provenance, source_id
    UNION ALL
    SELECT 'outcome_fact', provenance, source_id, count(*)::DOUBLE
    FROM scoped('outcome_fact',
                $year_from, $year_to, $disps, $regions, $types, $domains, $kinds)
    GROUP BY provenance, source_id
    UNION ALL
    SELECT 'establishment_population', provenance, source_id, sum(detainees)::DOUBLE
    FROM establishment_population
    WHERE year(month) BETWEEN $year_from AND $year_to
      AND in_scope(disp, region_code, type_code, NULL, NULL,
                   $disps, $regions, $types, []::VARCHAR[], []::VARCHAR[])
    GROUP BY provenance, source_id
    UNION ALL
    SELECT 'establishment', s.provenance, e.source_id, count(*)::DOUBLE
    FROM establishment_in_scope($disps, $regions, $types) AS e
    JOIN source AS s USING (source_id)
    GROUP BY s.provenance, e.source_id
    UNION ALL
    SELECT table_name, provenance, source_id, rows::DOUBLE FROM table_provenance
)
SELECT
    w.table_name,
    w.provenance,
    w.source_id,
    s.title,
    s.publisher,
    s.data_date,
    w.weight,
    w.weight / sum(w.weight) OVER (PARTITION BY w.table_name) AS share_of_table
FROM weights AS w
JOIN source AS s USING (source_id)
WHERE list_contains($tables, w.table_name) AND w.weight > 0
ORDER BY w.table_name, w.provenance, w.source_id
