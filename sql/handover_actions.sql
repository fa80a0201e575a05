-- Hand-over pack, its joint actions: those of the association of the local group $group_id (or of
-- the local groups of the DISP $disp) held at an establishment the group(s) went to in $year,
-- done that year (status done) or dated after it (status planned), with every partner and the
-- establishments among the group's.
-- Parameters: $group_id (or NULL), $disp (or NULL), $year.
WITH chosen AS (
    SELECT local_group_id, association_id
    FROM local_group
    WHERE local_group_id = $group_id OR disp = $disp
),
visited AS (
    SELECT DISTINCT v.establishment_id
    FROM local_group_establishment AS v
    JOIN chosen USING (local_group_id)
    WHERE v.year = $year
),
picked AS (
    SELECT DISTINCT j.action_id
    FROM joint_action AS j
    JOIN joint_action_partner AS p USING (action_id)
    JOIN joint_action_establishment AS x USING (action_id)
    WHERE p.association_id IN (SELECT association_id FROM chosen)
      AND x.establishment_id IN (SELECT establishment_id FROM visited)
      AND year(j.action_date) >= $year
),
partners AS (
    SELECT p.action_id, string_agg(a.name, ' ; ' ORDER BY a.name) AS partners
    FROM joint_action_partner AS p
    JOIN picked USING (action_id)
    JOIN association AS a USING (association_id)
    GROUP BY p.action_id
),
places AS (
    SELECT x.action_id, string_agg(e.name, ' ; ' ORDER BY e.name) AS establishments
    FROM joint_action_establishment AS x
    JOIN picked USING (action_id)
    JOIN establishment AS e USING (establishment_id)
    WHERE x.establishment_id IN (SELECT establishment_id FROM visited)
    GROUP BY x.action_id
)
SELECT j.action_id, j.action_date,
       CASE WHEN year(j.action_date) = $year THEN 'done' ELSE 'planned' END AS status,
       j.theme, j.title, r.partners, s.establishments, j.provenance
FROM joint_action AS j
JOIN picked USING (action_id)
JOIN partners AS r USING (action_id)
JOIN places AS s USING (action_id)
ORDER BY j.action_date, j.action_id
