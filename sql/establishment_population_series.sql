-- Establishment view: detainees, operational places and occupancy of one establishment per month,
-- with the provenance of each month (real or modeled) and its source. Parameters:
--   $establishment_id.
SELECT
    month,
    detainees,
    operational_capacity,
    detainees / nullif(operational_capacity, 0) AS occupancy,
    provenance,
    source_id
FROM establishment_population
WHERE establishment_id = $establishment_id
ORDER BY month
