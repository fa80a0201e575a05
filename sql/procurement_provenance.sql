-- The provenance and sources of the published contracts in the filters, weighed by amount
-- notified, in the shape of figure_provenance.sql (maillon.figures.procurement).
-- Parameters: $year_from, $year_to, $disps, $regions, $types, $domains, $kinds.
WITH weights AS (
    SELECT provenance, source_id, sum(amount_notified_eur) AS weight
    FROM procurement_scoped($year_from, $year_to, $disps, $regions, $types, $domains, $kinds)
    GROUP BY provenance, source_id
)
SELECT
    'procurement_contract' AS table_name,
    w.provenance,
    w.source_id,
    s.title,
    s.publisher,
    s.data_date,
    w.weight,
    w.weight / sum(w.weight) OVER () AS share_of_table
FROM weights AS w
JOIN source AS s USING (source_id)
ORDER BY w.provenance, w.source_id
