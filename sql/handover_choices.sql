-- Hand-over pack, what can be chosen: every local group with its association, its area (DISP)
-- and the years it went to an establishment (first and last), for the pickers and the command
-- line. No parameters.
WITH groups AS (
    SELECT local_group_id, association_id, name, disp FROM local_group
),
visits AS (
    SELECT local_group_id, min(year) AS first_year, max(year) AS last_year
    FROM local_group_establishment
    GROUP BY local_group_id
)
SELECT g.local_group_id, g.name, a.name AS association, g.disp, v.first_year, v.last_year
FROM groups AS g
JOIN association AS a USING (association_id)
LEFT JOIN visits AS v USING (local_group_id)
ORDER BY g.disp, g.name, g.local_group_id
