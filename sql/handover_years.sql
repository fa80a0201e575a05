-- Hand-over pack, its years: the years in which the local group $group_id, or a local group of
-- the DISP $disp, went to at least one establishment (a pack exists for those years only).
-- Parameters: $group_id (or NULL), $disp (or NULL).
WITH chosen AS (
    SELECT local_group_id FROM local_group WHERE local_group_id = $group_id OR disp = $disp
)
SELECT DISTINCT v.year
FROM local_group_establishment AS v
JOIN chosen USING (local_group_id)
ORDER BY v.year
