-- Annual summary: the targets set for $year (table target), one row per headline figure.
-- Parameters: $year.
SELECT target_id, metric_id, scope, value, unit, provenance, source_id, note
FROM target
WHERE year = $year
ORDER BY metric_id
