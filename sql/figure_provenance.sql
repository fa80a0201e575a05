-- The provenance and sources of the rows behind the figures: for each table figures read, the
-- weight of its rows by provenance and source (provenance_weight: euros of market value or of
-- reallocated result, detainees, rows), in the years and filters where they apply. One run serves
-- every figure of a page: each keeps the tables it reads (maillon.figures.shared.provenance).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH weights AS (
    SELECT table_name, provenance, source_id, sum(weight) AS weight
    FROM provenance_weight
    WHERE (year IS NULL OR year BETWEEN $year_from AND $year_to)
      AND CASE filtered_by
              WHEN 'none' THEN true
              WHEN 'place' THEN in_scope(disp, region_code, departement_code, management_mode,
                                         type_code, NULL, NULL,
                                         $disps, $regions, $departements, $modes, $types,
                                         []::VARCHAR[], []::VARCHAR[])
              ELSE in_scope(disp, region_code, departement_code, management_mode, type_code,
                            domain_id, kind_id,
                            $disps, $regions, $departements, $modes, $types, $domains, $kinds)
          END
    GROUP BY table_name, provenance, source_id
)
SELECT
    w.table_name,
    w.provenance,
    w.source_id,
    s.title,
    s.publisher,
    s.title_en,
    s.publisher_en,
    s.data_date,
    w.weight,
    w.weight / sum(w.weight) OVER (PARTITION BY w.table_name) AS share_of_table
FROM weights AS w
JOIN source AS s USING (source_id)
WHERE w.weight > 0
ORDER BY w.table_name, w.provenance, w.source_id
