-- The provenance and sources of the published contracts in the filters, weighed by amount
-- notified, in the shape of figure_provenance.sql (maillon.figures.procurement): the contracts'
-- DECP files, and the sources of their holders' kinds (the SIRENE file that classified them, or
-- the DECP file for holders not classified yet).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH contracts AS (
    SELECT procurement_id, operator_id, provenance, source_id, amount_notified_eur
    FROM procurement_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                            $domains, $kinds)
),
weights AS (
    SELECT 'procurement_contract' AS table_name, provenance, source_id,
           sum(amount_notified_eur) AS weight
    FROM contracts
    GROUP BY provenance, source_id
    UNION ALL
    SELECT 'operator', o.provenance, o.source_id, sum(c.amount_notified_eur)
    FROM contracts AS c
    JOIN operator AS o USING (operator_id)
    GROUP BY o.provenance, o.source_id
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
ORDER BY w.table_name DESC, w.provenance, w.source_id
