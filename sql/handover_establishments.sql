-- Hand-over pack, its establishments: those the local group $group_id (or the local groups of the
-- DISP $disp) went to in $year, with their real data (type, town, département, operational
-- capacity) and the detainees of the year's last month with a figure (population_monthly, summed
-- over quartiers), the groups that went there, and the provenance of each part: the establishment
-- (its source), the headcount and the visit (local_group_establishment).
-- Parameters: $group_id (or NULL), $disp (or NULL), $year.
WITH chosen AS (
    SELECT local_group_id, name FROM local_group WHERE local_group_id = $group_id OR disp = $disp
),
visited AS (
    SELECT v.establishment_id,
           string_agg(c.name, ' ; ' ORDER BY c.name) AS local_groups,
           -- 'illustrative' < 'modeled' < 'real': the smallest is the least certain
           min(v.provenance) AS visit_provenance
    FROM local_group_establishment AS v
    JOIN chosen AS c USING (local_group_id)
    WHERE v.year = $year
    GROUP BY v.establishment_id
),
last_month AS (
    SELECT establishment_id, max(month) AS month
    FROM population_monthly
    WHERE year(month) = $year AND detainees IS NOT NULL
    GROUP BY establishment_id
),
headcount AS (
    SELECT p.establishment_id, p.month, sum(p.detainees) AS detainees,
           min(p.provenance) AS population_provenance
    FROM population_monthly AS p
    JOIN last_month AS m USING (establishment_id, month)
    GROUP BY p.establishment_id, p.month
)
SELECT e.establishment_id, e.name, e.type_code, e.city, e.departement_code, e.disp,
       e.operational_capacity, h.month AS population_month, h.detainees, v.local_groups,
       s.provenance AS establishment_provenance, h.population_provenance, v.visit_provenance
FROM visited AS v
JOIN establishment AS e USING (establishment_id)
JOIN source AS s ON s.source_id = e.source_id
LEFT JOIN headcount AS h USING (establishment_id)
ORDER BY e.name, e.establishment_id
